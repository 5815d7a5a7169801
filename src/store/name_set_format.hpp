#pragma once

#include "name_key.hpp"
#include "page_array.hpp"
#include "shun/store/name_set.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

// The byte formats shared by NameSetBuilder's runs and NameSet's blocks. A key is a name's reversed,
// lower-cased labels, each followed by '\0' (name_key.hpp). Records are front-coded: the bytes a key
// shares with the previous one are not repeated ([shared][suffix length][suffix]).
namespace shun::store {

/// Both shapes of one name as a NameSet stores them.
struct NameSet::Shapes {
  std::uint8_t flags = 0; ///< detail::ShapeFlags
  std::uint32_t exactPayload = NameSet::kNoPayloadName; ///< kNoPayloadName: absent or excluded
  std::uint32_t subdomainsPayload = NameSet::kNoPayloadName;
};

} // namespace shun::store

namespace shun::store::detail {

/// Shape bits of a builder record (pending and run records).
/// A run writes a record's value only when it differs from the previous record's (kValueFollows).
enum RecordFlags : std::uint8_t { kExact = 1, kSubdomains = 2, kExclusion = 4, kValueFollows = 8 };

/// Bits of a NameSet record's flags byte. A payload that is not excluded is written only when it differs
/// from the last one written in the block (which starts at 0): most names of a list share one.
enum ShapeFlags : std::uint8_t {
  kHasExact = 1,
  kHasSubdomains = 2,
  kExactExcluded = 4,
  kSubdomainsExcluded = 8,
  kExactPayloadFollows = 16,
  kSubdomainsPayloadFollows = 32,
};

inline void putVarint(PageArray<char>& out, std::uint32_t value)
{
  while (value >= 0x80) {
    out.pushBack(static_cast<char>(value | 0x80));
    value >>= 7;
  }
  out.pushBack(static_cast<char>(value));
}

inline std::uint32_t getVarint(const char*& in) noexcept
{
  std::uint32_t value = 0;
  for (int shift = 0;; shift += 7) {
    auto byte = static_cast<unsigned char>(*in++);
    value |= static_cast<std::uint32_t>(byte & 0x7f) << shift;
    if (byte < 0x80 || shift >= 28)
      return value;
  }
}

/// Copies n bytes: a key's few bytes in two overlapping word moves where a memcpy of unknown size would
/// start a string instruction (rep movs), which costs more than the copy of a host name's label.
inline void copyShort(char* to, const char* from, std::size_t n) noexcept
{
  if (n >= 8 && n <= 16) {
    std::uint64_t head, tail;
    std::memcpy(&head, from, 8);
    std::memcpy(&tail, from + n - 8, 8);
    std::memcpy(to, &head, 8);
    std::memcpy(to + n - 8, &tail, 8);
  } else if (n >= 4 && n < 8) {
    std::uint32_t head, tail;
    std::memcpy(&head, from, 4);
    std::memcpy(&tail, from + n - 4, 4);
    std::memcpy(to, &head, 4);
    std::memcpy(to + n - 4, &tail, 4);
  } else if (n < 4) {
    for (std::size_t i = 0; i < n; ++i)
      to[i] = from[i];
  } else {
    std::memcpy(to, from, n);
  }
}

/// How many first bytes a and b have in common, 8 at a time (keys of one run share a dozen or more): the
/// first differing byte is the differing word's lowest (little-endian) or highest (big-endian).
inline std::size_t commonPrefix(std::string_view a, std::string_view b) noexcept
{
  constexpr bool kLittle = std::endian::native == std::endian::little;
  std::size_t limit = std::min(a.size(), b.size());
  std::size_t i = 0;
  for (; i + 8 <= limit; i += 8) {
    std::uint64_t x, y;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    if (x != y)
      return i + static_cast<std::size_t>((kLittle ? std::countr_zero(x ^ y) : std::countl_zero(x ^ y)) >> 3);
  }
  while (i < limit && a[i] == b[i])
    ++i;
  return i;
}

/// Appends key front-coded against a previous key with which it shares its first shared bytes (putKey).
inline void putKeyShared(PageArray<char>& out, std::string_view key, std::size_t shared, bool implicitEnd)
{
  std::size_t end = key.size() - (implicitEnd && !key.empty() ? 1 : 0);
  shared = std::min(shared, end);
  std::size_t suffix = end - shared;
  bool narrow = shared < 16 && suffix < 16 && !(shared == 15 && suffix == 15);
  std::size_t at = out.size();
  std::size_t head = narrow ? 1 : 3;
  out.resizeForOverwrite(at + head + suffix); // one size update: a byte's store could alias it
  char* to = out.begin() + at;
  if (narrow) {
    to[0] = static_cast<char>(shared << 4 | suffix);
  } else {
    to[0] = static_cast<char>(0xff);
    to[1] = static_cast<char>(shared);
    to[2] = static_cast<char>(suffix);
  }
  copyShort(to + head, key.data() + shared, suffix);
}

/// Appends key front-coded against previous (whose first shared bytes it repeats): one byte holds both
/// lengths when they are below 16 (most names), else 0xff and a byte for each. implicitEnd (a NameSet
/// block's records and the builder's runs): a key's final '\0' is not written, a byte a name; read back
/// by getBlockKey, a key of no bytes is the apex's empty key (a key "\0" would be an empty label).
inline void putKey(
    PageArray<char>& out, std::string_view previous, std::string_view key, bool implicitEnd = false)
{
  putKeyShared(out, key, commonPrefix(previous, key), implicitEnd); // it caps shared at what it writes
}

/// The head of a key written by putKey: how many bytes it shares with the previous key, and how many follow.
struct KeyHead {
  std::size_t shared;
  std::size_t suffix;
};

/// Reads the head of a key written by putKey, leaving in at its suffix bytes.
inline KeyHead getKeyHead(const char*& in) noexcept
{
  auto head = static_cast<unsigned char>(*in++);
  if (head != 0xff)
    return { static_cast<std::size_t>(head >> 4), static_cast<std::size_t>(head & 15) };
  KeyHead wide { static_cast<unsigned char>(in[0]), static_cast<unsigned char>(in[1]) };
  in += 2;
  return wide;
}

/// Reads a key written by putKey into key (holding the previous key), returns its length.
inline std::size_t getKey(const char*& in, char* key) noexcept
{
  KeyHead head = getKeyHead(in);
  copyShort(key + head.shared, in, head.suffix);
  in += head.suffix;
  return head.shared + head.suffix;
}

/// Steps over a key written by putKey; returns its length, and the bytes it shares with the previous key.
inline std::size_t skipKey(const char*& in, std::size_t* shared = nullptr) noexcept
{
  KeyHead head = getKeyHead(in);
  in += head.suffix;
  if (shared)
    *shared = head.shared;
  return head.shared + head.suffix;
}

/// The length of a NameSet block record's key from its head: the bytes written and the implicit '\0'.
inline std::size_t blockKeyLength(KeyHead head) noexcept
{
  std::size_t written = head.shared + head.suffix;
  return written + (written > 0 ? 1 : 0);
}

/// Reads a NameSet block record's key into key (holding the previous key), returns its length.
inline std::size_t getBlockKey(const char*& in, char* key) noexcept
{
  std::size_t written = getKey(in, key);
  if (written == 0)
    return 0;
  key[written] = '\0';
  return written + 1;
}

/// Steps over a NameSet block record's key; returns its length, and the bytes it shares with the previous.
inline std::size_t skipBlockKey(const char*& in, std::size_t* shared = nullptr) noexcept
{
  KeyHead head = getKeyHead(in);
  in += head.suffix;
  if (shared)
    *shared = head.shared;
  return blockKeyLength(head);
}

/// The key of a block's first record (written against no previous key), copied into buffer.
inline std::string_view firstKeyAt(const char* in, char* buffer) noexcept
{
  return { buffer, getBlockKey(in, buffer) };
}

/// Reads a NameSet record's flags and payloads; last is the block's payload register.
inline NameSet::Shapes getShapes(const char*& in, std::uint32_t& last) noexcept
{
  NameSet::Shapes shapes;
  shapes.flags = static_cast<std::uint8_t>(*in++);
  auto payload = [&](std::uint8_t present, std::uint8_t excluded, std::uint8_t follows) {
    if (!(shapes.flags & present) || (shapes.flags & excluded))
      return NameSet::kNoPayloadName;
    if (shapes.flags & follows)
      last = getVarint(in);
    return last;
  };
  shapes.exactPayload = payload(kHasExact, kExactExcluded, kExactPayloadFollows);
  shapes.subdomainsPayload = payload(kHasSubdomains, kSubdomainsExcluded, kSubdomainsPayloadFollows);
  return shapes;
}

/// Steps over a NameSet record's flags and payloads, keeping the payload register: most records carry no
/// payload (they share the block's last one), so most cost one byte's test.
inline void skipShapes(const char*& in, std::uint32_t& last) noexcept
{
  if (!(static_cast<std::uint8_t>(*in) & (kExactPayloadFollows | kSubdomainsPayloadFollows))) {
    ++in;
    return;
  }
  getShapes(in, last);
}

/// Where scanBlock stopped: the first record not before the key, how it compares, and the closest
/// ancestor of the key listed with Subdomains that the block holds before it.
struct BlockScan {
  enum Order : std::uint8_t { Equal, Descendant, Greater, End };
  Order order = End; ///< Descendant: the key is a prefix of at's; End: every record is before the key
  const char* at = nullptr; ///< that record (the block's end for End)
  std::uint32_t last = 0; ///< the payload register before at
  std::size_t wildcardLength = 0; ///< 0: no ancestor wildcard in the block
  std::uint32_t wildcardPayload = NameSet::kNoPayloadName;
};

/// Scans the records of one block [in, end) for key without rebuilding their keys: a record that shares
/// more bytes with the previous one than the previous one shared with key compares to key as the previous
/// did; one that shares fewer is greater (the records are sorted); only an equal count compares bytes.
inline BlockScan scanBlock(const char* in, const char* end, std::string_view key) noexcept
{
  BlockScan scan;
  std::size_t matched = 0; // bytes of key that the previous record starts with
  while (in < end) {
    const char* record = in;
    KeyHead head = getKeyHead(in);
    std::size_t shared = head.shared;
    const char* bytes = in - shared; // bytes[i] is the record's key byte i for shared <= i < written
    in += head.suffix;
    std::size_t written = shared + head.suffix;
    std::size_t length = blockKeyLength(head); // byte written (if below length) is the implicit '\0'
    if (shared == matched) {
      std::size_t limit = std::min(written, key.size());
      std::size_t i = matched;
      while (i < limit && bytes[i] == key[i])
        ++i;
      if (i == written && i < length && i < key.size() && key[i] == '\0')
        ++i;
      if (i == key.size()
          || (i<written&& static_cast<unsigned char>(bytes[i])> static_cast<unsigned char>(key[i]))) {
        scan.order = i < key.size() ? BlockScan::Greater
            : i == length           ? BlockScan::Equal
                                    : BlockScan::Descendant;
        scan.at = record;
        return scan;
      }
      matched = i;
      if (i < length) {
        skipShapes(in, scan.last);
        continue;
      }
      NameSet::Shapes shapes = getShapes(in, scan.last);
      if (shapes.flags & kHasSubdomains) { // a proper prefix: an ancestor
        scan.wildcardLength = length;
        scan.wildcardPayload = shapes.subdomainsPayload;
      }
      continue;
    }
    if (shared < matched) {
      scan.order = BlockScan::Greater;
      scan.at = record;
      return scan;
    }
    skipShapes(in, scan.last);
  }
  scan.at = end;
  return scan;
}

/// The first 8 bytes of key as a big-endian number, zero-padded: ordered as the keys are.
inline std::uint64_t keyPrefix(std::string_view key) noexcept
{
  if (key.size() >= 8) {
    std::uint64_t prefix;
    std::memcpy(&prefix, key.data(), 8);
    return __builtin_bswap64(prefix);
  }
  std::uint64_t prefix = 0;
  for (std::size_t i = 0; i < 8; ++i)
    prefix = prefix << 8 | (i < key.size() ? static_cast<unsigned char>(key[i]) : 0u);
  return prefix;
}

/// Codes of key bytes for indexPrefix: each byte of a host name's alphabet ('\0', '-', digits, '_', letters)
/// has a code of its own, in byte order; the bytes between them share one code per gap (kCollapsed set).
struct IndexCodes {
  static constexpr std::uint8_t kCollapsed = 0x80;
  std::uint8_t code[256] = {};
  constexpr IndexCodes()
  {
    std::uint8_t next = 0;
    bool gap = false;
    for (unsigned byte = 0; byte < 256; ++byte) {
      bool own = byte == 0 || byte == '-' || (byte >= '0' && byte <= '9') || byte == '_'
          || (byte >= 'a' && byte <= 'z');
      if (own || !gap)
        ++next;
      gap = !own;
      code[byte] = static_cast<std::uint8_t>((next - 1) | (own ? 0 : kCollapsed));
    }
  }
};
inline constexpr IndexCodes kIndexCodes;

/// The block index's key: the first 10 bytes of key in 6 bits each (44 codes), zero-padded. Ordered as
/// the keys are, or equal: packing stops after a byte whose code it shares (keys that agree up to there
/// tie, and a tie is settled by the whole key). Host names' keys, "com\0d1234567", tie less than on 8 bytes.
inline std::uint64_t indexPrefix(std::string_view key) noexcept
{
  std::uint64_t packed = 0;
  std::size_t used = 0;
  while (used < 10 && used < key.size()) {
    std::uint8_t code = kIndexCodes.code[static_cast<unsigned char>(key[used++])];
    packed = packed << 6 | (code & 63u);
    if (code & IndexCodes::kCollapsed)
      break;
  }
  return packed << (6 * (10 - used));
}

/// The block index: one entry per block (NameSet::BlockEntry: its first key's indexPrefix beside its
/// offset, so the entry that finds a block also locates it), then summary levels in a vector of their own:
/// each holds every kIndexFanout-th entry of the level below, up to one of at most kIndexTop. A search
/// counts in the top level, then in one cache line per level: a few misses where a binary search over 64k
/// blocks makes ~16. Each level's group is counted in straight-line compares (no branch, no bound but
/// level 0's), about half the CPU of a lookup whose lines are cached.
inline constexpr std::size_t kIndexFanout = 8;
inline constexpr std::size_t kIndexTop = 64;

/// Where each summary level of an index over blocks entries starts in the summary vector, and its size;
/// level 0 (the blocks' entries) has size[0] = blocks and no start. Each summary level is stored padded
/// to a multiple of kIndexFanout with UINT64_MAX, so that a search reads a whole group without a bound.
struct IndexLevels {
  // 2^32 blocks need 9 levels; left uninitialized above top (a lookup builds this on its stack).
  std::size_t start[12];
  std::size_t size[12];
  std::size_t top = 0; ///< the highest level
  explicit IndexLevels(std::size_t blocks) noexcept
  {
    start[0] = 0;
    size[0] = blocks;
    std::size_t next = 0;
    while (size[top] > kIndexTop) {
      start[top + 1] = next;
      size[top + 1] = (size[top] + kIndexFanout - 1) / kIndexFanout;
      next += padded(size[top + 1]);
      ++top;
    }
  }
  static std::size_t padded(std::size_t size) noexcept
  {
    return (size + kIndexFanout - 1) / kIndexFanout * kIndexFanout;
  }
};

/// The summary levels over blocks entries whose prefixes prefixAt(i) gives (sorted), into summary.
template <typename PrefixAt>
void buildIndexSummary(std::size_t blocks, PrefixAt prefixAt, std::vector<std::uint64_t>& summary)
{
  IndexLevels levels(blocks);
  summary.clear();
  if (levels.top == 0)
    return;
  summary.reserve(levels.start[levels.top] + IndexLevels::padded(levels.size[levels.top]));
  for (std::size_t level = 1; level <= levels.top; ++level) {
    for (std::size_t i = 0; i < levels.size[level]; ++i)
      summary.push_back(
          level == 1 ? prefixAt(i * kIndexFanout) : summary[levels.start[level - 1] + i * kIndexFanout]);
    summary.resize(levels.start[level] + IndexLevels::padded(levels.size[level]), UINT64_MAX);
  }
}

/// How many of the kIndexFanout values at group are below prefix: straight-line compares, no branch.
inline std::size_t countBelow(const std::uint64_t* group, std::uint64_t prefix) noexcept
{
  std::size_t count = 0;
  for (std::size_t i = 0; i < kIndexFanout; ++i)
    count += group[i] < prefix;
  return count;
}

/// The first block whose prefix (prefixAt) is not below prefix (blocks if none), through the summary.
template <typename PrefixAt>
std::size_t indexLowerBound(
    PrefixAt prefixAt, const std::uint64_t* summary, std::size_t blocks, std::uint64_t prefix) noexcept
{
  IndexLevels levels(blocks);
  std::size_t at = 0;
  std::size_t from = 0; // the first level-0 entry that may be the answer
  std::size_t to = blocks;
  if (levels.top > 0) {
    const std::uint64_t* top = summary + levels.start[levels.top];
    for (std::size_t i = 0; i < IndexLevels::padded(levels.size[levels.top]); i += kIndexFanout)
      at += countBelow(top + i, prefix);
    // Entry at - 1 of a level is below prefix and entry at (if any) is not: the answer lies in the group
    // of the level below that starts at entry at - 1's copy. Every level's first entry is level 0's first.
    for (std::size_t level = levels.top; level > 1; --level) {
      if (at == 0)
        return 0;
      std::size_t group = (at - 1) * kIndexFanout;
      at = group + countBelow(summary + levels.start[level - 1] + group, prefix);
    }
    if (at == 0)
      return 0;
    from = (at - 1) * kIndexFanout;
    to = std::min(from + kIndexFanout, blocks);
  }
  std::size_t count = 0;
  for (std::size_t i = from; i < to; ++i)
    count += prefixAt(i) < prefix;
  return from + count;
}

/// FNV-1a over key's bytes, from state (the state after a prefix of the key continues it).
inline constexpr std::uint64_t kKeyHashStart = 0xcbf29ce484222325ULL;
inline std::uint64_t keyHashState(std::string_view bytes, std::uint64_t state = kKeyHashStart) noexcept
{
  for (char c : bytes)
    state = (state ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return state;
}

/// A key's hash for the wildcard filter from its FNV state: a final mix, as keys are short.
inline std::uint64_t keyHashFinish(std::uint64_t state) noexcept
{
  state ^= state >> 29;
  state *= 0xbf58476d1ce4e5b9ULL;
  return state ^ (state >> 32);
}

/// A key's hash for the wildcard filter.
inline std::uint64_t keyHash(std::string_view key) noexcept
{
  return keyHashFinish(keyHashState(key));
}

/// The word of a blocked Bloom filter (size a power of two) and the three bits a hash sets in it.
inline std::uint64_t filterBits(std::uint64_t hash) noexcept
{
  return (std::uint64_t { 1 } << (hash & 63)) | (std::uint64_t { 1 } << (hash >> 6 & 63))
      | (std::uint64_t { 1 } << (hash >> 12 & 63));
}

/// True if the filter may hold the key whose keyHash is hash; an empty filter holds everything.
inline bool filterMayHold(const std::vector<std::uint64_t>& filter, std::uint64_t hash) noexcept
{
  if (filter.empty())
    return true;
  std::uint64_t bits = filterBits(hash);
  return (filter[(hash >> 20) & (filter.size() - 1)] & bits) == bits;
}

/// The relative wire name of a key: "com\0example\0" -> "\7example\3com".
inline std::string keyToWire(std::string_view key)
{
  std::string wire(key.size(), '\0');
  std::size_t end = key.size();
  for (std::size_t start = 0; start < key.size();) {
    std::size_t stop = key.find('\0', start);
    std::size_t length = stop - start;
    end -= length + 1;
    wire[end] = static_cast<char>(length);
    std::memcpy(wire.data() + end + 1, key.data() + start, length);
    start = stop + 1;
  }
  return wire;
}

} // namespace shun::store::detail
