#pragma once

#include "shun/store/address.hpp"
#include "shun/store/huge_page_allocator.hpp"
#include "shun/store/ip6_map.hpp"
#include "shun/store/packed_payloads.hpp"
#include "shun/store/value.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <utility>
#include <vector>

namespace shun::store {

namespace detail {
template <typename Key> struct SweepEntry;
template <typename T> class PageArray;
class Ip4Singles;
} // namespace detail

/// How overlapping entries of a map combine.
enum class Overlap {
  /// ip4trie/ip6trie/tsets: the entry with the highest priority (longest prefix) decides; an identical
  /// duplicate keeps the first one (the later one is reported).
  LongestPrefix,
  /// ip4set: the highest priority (octet level 32/24/16/8) decides, and every entry at that level that
  /// covers the address contributes its value; an exclusion at that level wins over all of them.
  UnionPerLevel,
};

/// One IPv4 entry as a loader hands it to Ip4MapBuilder::add (value: a ValueId; ignored for an exclusion).
struct Ip4Entry {
  Ip4 first, last;
  std::uint8_t priority;
  bool exclusion;
  ValueId value;
  std::uint32_t origin;
};

/// The order of Ip4MapBuilder::build's rangeLayer: by first address, then origin.
bool startsBefore(const Ip4Entry& a, const Ip4Entry& b) noexcept;

/// An immutable map from disjoint IPv4 ranges to payloads (ValueSets ids), built without expanding
/// CIDR blocks. Exclusions are holes. Thread-safe for concurrent readers; lookups do not allocate.
class Ip4Map {
public:
  Ip4Map() = default;
  /// A moved-from map is empty: every lookup misses.
  Ip4Map(Ip4Map&& other) noexcept;
  Ip4Map& operator=(Ip4Map&& other) noexcept;

  /// Payload (ValueSets id) of the range holding ip, or kNoPayload.
  std::uint32_t find(Ip4 ip) const noexcept;
  /// A hint with no effect on any result: starts fetching the line of find(ip)'s bucket, so that the
  /// lookups of a batch of queries wait on their cache misses together rather than one after another.
  void prefetchBucket(Ip4 ip) const noexcept;
  /// The next hint, some time after prefetchBucket(ip): reads that bucket and starts fetching the first
  /// lines find(ip) reads next (its singles and their payloads, its range pieces).
  void prefetchSlices(Ip4 ip) const noexcept;
  /// True if any listed range intersects [first, last] (used for empty non-terminals).
  bool anyWithin(Ip4 first, Ip4 last) const noexcept;
  /// Calls visit(first, last, payload) for every range and single address, by first address. A single
  /// address inside a range overrides it there; its payload is kNoPayload where it excludes the range.
  /// The single addresses in hidden (sorted) are left out. Only what intersects [first, last] is visited
  /// (ranges whole, as the walk of the whole map reports them), at a cost proportional to that.
  void forEach(const std::function<void(Ip4, Ip4, std::uint32_t)>& visit, std::span<const Ip4> hidden = {},
      Ip4 first = 0, Ip4 last = ~Ip4 {}) const;
  std::size_t rangeCount() const noexcept;
  std::size_t memoryBytes() const noexcept;

  // What an overlay of single-address changes needs to answer as if the base had been built without
  // the singles it replaces (Overlay).
  /// Payload of ip from the ranges alone, as if no single address were listed or excluded.
  std::uint32_t findRange(Ip4 ip) const noexcept;
  /// True if a range intersects [first, last].
  bool anyRangeWithin(Ip4 first, Ip4 last) const noexcept;
  /// True if a listed single address in [first, last] is not in hidden (sorted).
  bool anyListedSingleWithin(Ip4 first, Ip4 last, std::span<const Ip4> hidden) const noexcept;
  /// Payload of the single address at ip (kNoPayload: excluded); false if ip holds no single.
  bool findSingle(Ip4 ip, std::uint32_t& payload) const noexcept;
  /// forEach of the single addresses alone (the ranges left out).
  void forEachSingle(
      const std::function<void(Ip4, std::uint32_t)>& visit, std::span<const Ip4> hidden = {}) const;
  /// ip4set: true if an entry of the top level (32) that is a range, listed or excluded, covers ip; its
  /// singles are then merged into the ranges rather than kept apart.
  bool level32RangeCovers(Ip4 ip) const noexcept;

private:
  friend class Ip4MapBuilder;
  /// The blocks (/16s) from first's to last's that have a Bucket, as [from, to]; from > to for none.
  std::pair<std::uint32_t, std::uint32_t> blocksWithin(Ip4 first, Ip4 last) const noexcept;
  // The address space is cut into 65536 blocks of /16; a block's singles and range pieces are found
  // through its Bucket, so a lookup touches the bucket line, then one small sorted slice of each kind.
  // Only the blocks from the first to the last holding an entry have a Bucket: a small zone in a few
  // /16s (a test list, a private range, a fuzzer's input) does not build the 512 KiB of a full table.
  struct Bucket {
    std::uint32_t single; ///< first single address of this /16 in d_low16 / d_singlePayload
    std::uint32_t range; ///< first piece of this /16 in d_ranges
  };
  /// A disjoint range (or the part of it inside one /16), by its low 16 bits.
  struct RangePiece {
    std::uint16_t first, last;
    std::uint32_t payload;
  };
  /// The Bucket of ip's block (the next one ends its slices), or nullptr where the table has none.
  const Bucket* bucketOf(Ip4 ip) const noexcept;
  template <typename T> using HugeVector = std::vector<T, detail::HugePageAllocator<T>>;
  std::unique_ptr<Bucket[]> d_buckets; ///< d_blocks + 1 entries (the last one: the totals), or none
  std::uint32_t d_firstBlock = 0; ///< the /16 (address >> 16) of d_buckets[0]
  std::uint32_t d_blocks = 0; ///< blocks with a Bucket: 0 for a map without entries
  HugeVector<std::uint16_t> d_low16; ///< single addresses by their low 16 bits, sorted per bucket
  detail::PackedPayloads d_singlePayload; ///< by index in d_low16
  HugeVector<RangePiece> d_ranges;
  std::vector<Ip4> d_level32; ///< ip4set: disjoint [first, last] pairs covered by level-32 ranges, sorted
};

/// Collects IPv4 entries and builds an Ip4Map. One loader thread.
class Ip4MapBuilder {
public:
  explicit Ip4MapBuilder(Overlap overlap);
  ~Ip4MapBuilder();
  Ip4MapBuilder(const Ip4MapBuilder&) = delete;
  Ip4MapBuilder& operator=(const Ip4MapBuilder&) = delete;

  /// Adds [first, last] with a priority (prefix length, or octet level for ip4set). origin is an opaque
  /// caller id (e.g. the line) reported for dropped duplicates; identical entries keep their origin order.
  /// A single address needs origin < 2^30 (std::length_error otherwise). An exclusion ignores value.
  void add(Ip4 first, Ip4 last, std::uint8_t priority, ValueId value, bool exclusion, std::uint32_t origin);

  /// Forgets every entry added so far whose range makes matches(first, last) true (a journal replacing
  /// or removing a key).
  void eraseIf(const std::function<bool(Ip4, Ip4)>& matches);

  /// Builds the map, interning payload sets into sets, and leaves the builder empty. droppedOrigins
  /// receives the origins of entries that an identical earlier entry hid (LongestPrefix only). rangeLayer,
  /// if given, receives what the map's ranges are built from: every entry that is not a single address
  /// kept apart, and an exclusion entry for every excluded single, in startsBefore order (an overlay
  /// rebuilds the ranges from them when a change set holds a range: store::Overlay).
  Ip4Map build(ValueSets& sets, std::vector<std::uint32_t>& droppedOrigins,
      std::vector<Ip4Entry>* rangeLayer = nullptr);

  std::size_t size() const noexcept;

private:
  void moveSinglesIntoLevel32Ranges();
  void recordLevel32(Ip4Map& map) const;
  /// Where the entries of each /16 that holds some start: (block, first index), by block.
  using BlockStarts = std::vector<std::pair<std::uint32_t, std::uint32_t>>;
  class RangeLayerWriter;
  BlockStarts addRanges(
      Ip4Map& map, ValueSets& sets, std::vector<std::uint32_t>& droppedOrigins, RangeLayerWriter* layer);
  BlockStarts addSingles(Ip4Map& map, ValueSets& sets, std::vector<std::uint32_t>& droppedOrigins);
  static void dropLoneExclusions(Ip4Map& map, BlockStarts& starts);
  /// Sets the blocks map's table spans (those of its ranges and singles) and lays out the ranges' Buckets.
  static void sizeTable(Ip4Map& map, const BlockStarts& ranges, const BlockStarts& singles);
  /// Writes every Bucket of map's table from where each block's ranges and singles start.
  static void layOutBuckets(Ip4Map& map, const BlockStarts& ranges, const BlockStarts& singles);
  Overlap d_overlap;
  // Most entries of a DNSBL are single /32s: they are kept compactly and skip the (slower) range sweep.
  std::unique_ptr<detail::Ip4Singles> d_singles;
  std::unique_ptr<detail::PageArray<detail::SweepEntry<Ip4>>> d_ranges;
};

} // namespace shun::store
