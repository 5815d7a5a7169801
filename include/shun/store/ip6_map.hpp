#pragma once

#include "shun/store/address.hpp"
#include "shun/store/value.hpp"

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

namespace shun::store {

namespace detail {
template <typename T> class PageArray;
class OriginValues;
struct Ip6ShortRecord;
struct Ip6LongRecord;
} // namespace detail

/// An immutable IPv6 prefix map (ip6trie, ip6tset, acl) with longest-prefix semantics: the longest listed
/// prefix holding an address decides, an exclusion leaves a hole. Prefixes are kept per length in sorted
/// arrays, a prefix of at most 64 bits as one 8-byte key; payloads are stored as runs of equal values.
/// Thread-safe for concurrent readers; lookups do not allocate.
class Ip6Map {
public:
  /// Payload (ValueSets id) for ip, or kNoPayload.
  std::uint32_t find(Ip6 ip) const noexcept;
  /// True if some address in [first, last] is listed (empty non-terminals).
  bool anyWithin(Ip6 first, Ip6 last) const noexcept;
  /// Calls visit(first, last, payload) for every listed range, disjoint, by first address.
  void forEach(const std::function<void(Ip6, Ip6, std::uint32_t)>& visit) const;
  /// Prefixes stored (exclusions included).
  std::size_t rangeCount() const noexcept;
  std::size_t memoryBytes() const noexcept;

  /// The prefixes of one length, sorted (the builder's output; not for callers).
  struct Level {
    unsigned length = 0;
    std::vector<std::uint64_t> high; ///< the prefixes' first 64 bits
    std::vector<std::uint64_t> low; ///< their last 64 bits, for lengths above 64 only
    std::vector<std::uint32_t> runStart; ///< payload runs: first index of each
    std::vector<std::uint32_t> runPayload; ///< kNoPayload: excluded
    std::size_t size() const noexcept { return high.size(); }
    /// The index of ip's prefix in this level, or npos; next: the first prefix starting after ip.
    std::size_t locate(Ip6 ip, std::size_t& next) const noexcept;
    Ip6 first(std::size_t index) const noexcept;
    std::uint32_t payload(std::size_t index) const noexcept;
  };

  /// The prefixes by length, longest first (store::Overlay walks them with its changed prefixes).
  std::span<const Level> levels() const noexcept { return d_levels; }

private:
  friend class Ip6MapBuilder;
  /// What decides at ip: its payload, the prefix length (-1: none), and the last address it decides.
  struct Decision {
    std::uint32_t hit;
    int length;
    Ip6 last;
  };
  Decision decide(Ip6 ip) const noexcept;
  std::vector<Level> d_levels; ///< longest prefixes first
};

/// Collects IPv6 prefixes and builds an Ip6Map, in 12 bytes a prefix of at most 64 bits and 20 above, with
/// the values kept by runs of origins (no heap node per entry). One loader thread.
class Ip6MapBuilder {
public:
  Ip6MapBuilder();
  ~Ip6MapBuilder();
  Ip6MapBuilder(const Ip6MapBuilder&) = delete;
  Ip6MapBuilder& operator=(const Ip6MapBuilder&) = delete;

  /// Adds the prefix [first, last] (a CIDR block; priority is its length). An identical later prefix is
  /// dropped at build and its origin reported. An exclusion ignores value.
  void add(Ip6 first, Ip6 last, std::uint8_t priority, ValueId value, bool exclusion, std::uint32_t origin);
  /// Forgets every prefix added so far for which matches(first, last) is true.
  void eraseIf(const std::function<bool(Ip6, Ip6)>& matches);
  /// Gives the prefixes added with value from (not exclusions) the value to: how a tset streams its
  /// entries before the dataset-wide value is known (from: a stand-in id no value table hands out).
  void replaceValue(ValueId from, ValueId to);
  /// Builds the map, interning payload sets into sets, and leaves the builder empty. droppedOrigins
  /// receives the origins of prefixes that an identical earlier one hid.
  Ip6Map build(ValueSets& sets, std::vector<std::uint32_t>& droppedOrigins);
  std::size_t size() const noexcept { return d_size; }

private:
  std::array<std::unique_ptr<detail::PageArray<detail::Ip6ShortRecord>>, 65> d_short; ///< by length 0..64
  std::array<std::unique_ptr<detail::PageArray<detail::Ip6LongRecord>>, 64> d_long; ///< by length 65..128
  std::unique_ptr<detail::OriginValues> d_values;
  std::size_t d_size = 0;
};

} // namespace shun::store
