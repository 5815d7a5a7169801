#pragma once

#include "shun/store/value.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace shun::store {

namespace detail {
template <typename T> class PageArray;
} // namespace detail

/// Names in the store are relative to their zone, lower-case, in DNS wire form without the root label:
/// "www.example" is "\x03www\x07example". The empty string is the zone apex.
using WireName = std::string;

/// The shape of a dnset entry.
enum class NameMatch : std::uint8_t {
  Exact, ///< "example.com": that name only.
  Subdomains, ///< "*.example.com": every name below, not the name itself.
};

/// An immutable set of names with wildcards and exclusions (dnset), about 12 bytes a name: the names'
/// labels reversed and lower-cased ("com\0example\0"), sorted, front-coded in blocks of kBlockKeys with
/// an index of each block's first 10 bytes (6 bits each) and offset. One record per name holds both shapes.
/// Thread-safe for concurrent readers; lookups do not allocate.
class NameSet {
public:
  struct Hit {
    std::uint32_t payload = kNoPayloadName; ///< ValueSets id, or kNoPayloadName.
    /// The entry that matched (wire, relative), for "$": the part of the name given to find (a view into
    /// it) that the entry lists.
    std::string_view listedName;
  };
  static constexpr std::uint32_t kNoPayloadName = UINT32_MAX;
  static constexpr std::size_t kBlockKeys = 16;
  /// Both shapes of one stored name (defined with the byte format, in src/store).
  struct Shapes;

  NameSet();
  ~NameSet();
  NameSet(NameSet&&) noexcept;
  NameSet& operator=(NameSet&&) noexcept;

  /// The exact entry for name if any (an exclusion means not listed), else the closest wildcard above it.
  Hit find(std::string_view wireName) const noexcept;
  /// True if some listed entry lies strictly below wireName (wireName is an empty non-terminal or more).
  bool hasDescendant(std::string_view wireName) const noexcept;
  /// Calls visit(name, match, exclusion, payload) for every entry, by reversed name, Exact before
  /// Subdomains.
  void forEach(const std::function<void(std::string_view, NameMatch, bool, std::uint32_t)>& visit) const;
  /// Entries: a name listed with both shapes counts twice.
  std::size_t size() const noexcept { return d_entries; }
  std::size_t memoryBytes() const noexcept;

private:
  friend class NameSetBuilder;
  friend class NameSetWriter;
  class Cursor;
  /// The block whose keys include the first key >= key (a key sorts after every key it prefixes).
  std::size_t blockFor(std::string_view key) const noexcept;
  /// Where block's records start in d_data.
  const char* blockStart(std::size_t block) const noexcept { return d_bytes + d_blocks[block].offset; }
  /// Where block's records end in d_data.
  const char* blockEnd(std::size_t block) const noexcept;
  /// The shapes stored for exactly key; none if the name has no record.
  Shapes shapesOf(std::string_view key) const noexcept;
  std::unique_ptr<detail::PageArray<char>> d_data; ///< the blocks, one after the other
  const char* d_bytes = nullptr; ///< d_data's first byte
  /// A block's index entry: its first key's indexPrefix (two halves: 12 bytes, no padding) and where it
  /// starts in d_data, in one cache line.
  struct BlockEntry {
    std::uint32_t prefixHigh;
    std::uint32_t prefixLow;
    std::uint32_t offset;
    std::uint64_t prefix() const noexcept { return std::uint64_t { prefixHigh } << 32 | prefixLow; }
  };
  std::vector<BlockEntry> d_blocks; ///< per block, in order
  std::vector<std::uint64_t> d_indexSummary; ///< the summary levels over d_blocks' prefixes
  /// A blocked Bloom filter of the keys listed with Subdomains: most ancestors of a name need no search.
  std::vector<std::uint64_t> d_wildcardFilter;
  std::size_t d_entries = 0;
};

/// Collects dnset entries and builds a NameSet in about the final size plus one sort buffer: entries are
/// sorted in runs of half a megabyte, each kept front-coded, and the runs are merged into the set. Same
/// name and shape repeated: values are merged (all of them are answered, in file order), an exclusion
/// wins. Malformed wire names are ignored. One thread.
class NameSetBuilder {
public:
  NameSetBuilder();
  ~NameSetBuilder();
  NameSetBuilder(const NameSetBuilder&) = delete;
  NameSetBuilder& operator=(const NameSetBuilder&) = delete;

  void add(std::string_view wireName, NameMatch match, ValueId value, bool exclusion);
  /// Adds a name by its key, the form loaders can write straight from text: its labels in reverse order,
  /// lower-case, each followed by '\0' ("www.Example" -> "example\0www\0"); with one shape or both.
  void addKey(std::string_view key, bool exact, bool subdomains, ValueId value, bool exclusion);
  /// Forgets every entry added so far for which matches(name, match) is true (name lower-case).
  void eraseIf(const std::function<bool(const WireName&, NameMatch)>& matches);
  /// Builds the set, interning payload sets into sets, and leaves the builder empty.
  NameSet build(ValueSets& sets);
  /// Entries added (a name added with both shapes at once counts twice).
  std::size_t size() const noexcept { return d_added; }

private:
  struct Run;
  void sortRun();
  std::vector<char> d_pending; ///< unsorted records of the run being filled
  std::vector<std::uint32_t> d_pendingOffsets;
  std::vector<std::unique_ptr<Run>> d_runs;
  std::size_t d_added = 0;
  std::size_t d_wildcardsAdded = 0; ///< sizes the set's wildcard filter
};

} // namespace shun::store
