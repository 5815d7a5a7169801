#pragma once

#include "shun/store/value.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace shun::store {

/// Names in the store are relative to their zone, lower-case, in DNS wire form without the root label:
/// "www.example" is "\x03www\x07example". The empty string is the zone apex.
using WireName = std::string;

/// The shape of a dnset entry.
enum class NameMatch : std::uint8_t {
  Exact, ///< "example.com": that name only.
  Subdomains, ///< "*.example.com": every name below, not the name itself.
};

/// An immutable set of names with wildcards and exclusions (dnset). Lookups do not allocate.
class NameSet {
public:
  struct Hit {
    std::uint32_t payload = kNoPayloadName; ///< ValueSets id, or kNoPayloadName.
    std::string_view listedName; ///< the entry that matched (wire, relative), for "$".
  };
  static constexpr std::uint32_t kNoPayloadName = UINT32_MAX;

  /// The exact entry for name if any (an exclusion means not listed), else the closest wildcard above it.
  Hit find(std::string_view wireName) const noexcept;
  /// True if some listed entry lies strictly below wireName (wireName is an empty non-terminal or more).
  bool hasDescendant(std::string_view wireName) const noexcept;
  /// Calls visit(name, match, exclusion, payload) for every entry.
  void forEach(const std::function<void(std::string_view, NameMatch, bool, std::uint32_t)>& visit) const;
  std::size_t size() const noexcept;
  std::size_t memoryBytes() const noexcept;

private:
  friend class NameSetBuilder;
  std::size_t lowerBound(std::string_view key, NameMatch match) const noexcept;
  /// The entry with exactly this key and shape, or npos: one hash probe instead of a binary search.
  std::size_t indexOf(std::string_view key, NameMatch match) const noexcept;
  void buildIndex();
  bool matchesAt(std::size_t index, std::string_view key, NameMatch match) const noexcept;
  std::string_view listedName(std::size_t index) const noexcept;
  struct Entry {
    std::uint32_t keyOffset; ///< into d_keys: the name's labels reversed, each followed by '\0'.
    std::uint32_t keyLength;
    std::uint32_t payload; ///< ValueSets id; kNoPayloadName for an exclusion.
    NameMatch match;
  };
  std::string d_keys;
  std::string d_wireNames; ///< each entry's wire form at its key's offset (same length), for "$" and dumps
  std::vector<Entry> d_entries; ///< sorted by (key, match)
  std::vector<std::uint32_t> d_slots; ///< open-addressing hash of (key, match): entry index + 1, 0 = empty
};

/// Collects dnset entries and builds a NameSet. Same name and shape repeated: values are merged
/// (all of them are answered), an exclusion wins.
class NameSetBuilder {
public:
  void add(const WireName& name, NameMatch match, ValueId value, bool exclusion);
  /// Forgets every entry added so far for which matches(name, match) is true.
  void eraseIf(const std::function<bool(const WireName&, NameMatch)>& matches);
  NameSet build(ValueSets& sets);
  std::size_t size() const noexcept { return d_entries.size(); }

private:
  struct Entry {
    WireName name;
    NameMatch match;
    bool exclusion;
    ValueId value;
  };
  std::vector<Entry> d_entries;
};

} // namespace shun::store
