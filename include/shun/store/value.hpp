#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace shun::store {

/// Index of a Value in its dataset's ValueTable.
using ValueId = std::uint32_t;

/// What a listed key answers: an A code, an optional TXT template, and the listing's lifetime.
/// After ValueTable::finalize the template holds only two specials: "$" (the queried key) and "$$" (a '$').
struct Value {
  std::uint32_t a = 0x7f000002; ///< A record, host order.
  bool hasTxt = false; ///< false: the key answers TXT queries with NODATA.
  std::string txt; ///< TXT template (see above).
  std::uint32_t ttl = 0; ///< seconds; 0: the dataset's TTL.
  std::int64_t expires = 0; ///< unix seconds after which the value is not served; 0: never.
  std::uint32_t listing = 0; ///< index into Dataset::listings (metadata); 0: none.

  bool operator==(const Value&) const = default;
};

/// Answer data precompiled from a Value: wire RDATA ready to copy into a packet.
struct CompiledValue {
  std::uint8_t aRdata[4] {}; ///< A RDATA, network order.
  bool hasTxt = false;
  bool txtHasKey = false; ///< true: txt is a template expanded per query; false: txt is final text.
  std::string txt; ///< final text (<= 254 bytes) or normalised template.
  std::uint32_t ttl = 0; ///< 0: dataset TTL.
  std::int64_t expires = 0; ///< 0: never.
  std::uint32_t listing = 0;
};

/// Interns distinct values of one dataset (built by one loader thread, then read-only).
class ValueTable {
public:
  /// Returns the id of an equal value, adding it if new. A value with a listing is an entry's own (each
  /// entry has its own metadata): it is added without a lookup.
  ValueId intern(const Value& value);

  /// Applies the dataset's "$0".."$9" variables and "$=" base template to every TXT template and
  /// precompiles the answers. vars[i] empty: "$i" is left literally. Call once, after loading.
  void finalize(const std::vector<std::string>& vars, const std::string& baseTemplate, bool hasBaseTemplate);
  /// Adds a value finalized in another table, with its compiled answer (equal values share one id): how
  /// an overlay gathers the values it serves. Not for a table that finalize() compiles.
  ValueId adopt(const Value& value, const CompiledValue& compiled);

  const Value& value(ValueId id) const { return d_values[id]; }
  const CompiledValue& compiled(ValueId id) const { return d_compiled[id]; }
  std::size_t size() const { return d_values.size(); }

private:
  std::vector<Value> d_values;
  std::vector<CompiledValue> d_compiled;
  std::unordered_map<std::string, ValueId> d_index;
};

/// Deduplicated sets of ValueIds; a map payload is an index into this table.
class ValueSets {
public:
  /// Returns the id of the set holding exactly these values in this order, adding it if new.
  std::uint32_t intern(std::span<const ValueId> values);
  std::span<const ValueId> set(std::uint32_t id) const
  {
    return { d_items.data() + d_offsets[id], d_offsets[id + 1] - d_offsets[id] };
  }
  std::size_t size() const { return d_offsets.size() - 1; }

private:
  std::vector<ValueId> d_items;
  static constexpr std::uint32_t kNoSet = UINT32_MAX;
  std::vector<std::uint32_t> d_offsets { 0 };
  std::vector<std::uint32_t> d_singles; ///< ValueId -> the set holding it alone (kNoSet: none yet)
  std::unordered_map<std::string, std::uint32_t> d_index; ///< sets of two values or more
};

/// Expands a normalised template: "$" becomes key, "$$" becomes '$'. Writes at most 254 bytes to out
/// and returns the length. No allocation.
std::size_t expandTemplate(std::string_view normalisedTemplate, std::string_view key, char* out);

} // namespace shun::store
