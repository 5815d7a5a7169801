#include "shun/store/name_set.hpp"

#include "name_set_format.hpp"

#include <algorithm>
#include <cstring>

namespace shun::store {
namespace {

using detail::kBadName;
using detail::kMaxNameKey;
using detail::reversedKey;

// How many entries below a name hasDescendant looks at before assuming one of them is listed.
constexpr std::size_t kDescendantScanLimit = 64;
constexpr std::size_t kNoBlock = static_cast<std::size_t>(-1);

} // namespace

NameSet::NameSet() = default;
NameSet::~NameSet() = default;
NameSet::NameSet(NameSet&&) noexcept = default;
NameSet& NameSet::operator=(NameSet&&) noexcept = default;

/// Reads the records of a NameSet in order, from the start of a block.
class NameSet::Cursor {
public:
  Cursor(const NameSet& set, std::size_t block) noexcept
      : d_set(set)
      , d_block(block)
  {
    enter();
  }
  /// Decodes the next record; false at the end of the set.
  bool next() noexcept
  {
    while (d_in == d_end) {
      if (++d_block >= d_set.d_blocks.size())
        return false;
      enter();
    }
    d_keyLength = detail::getBlockKey(d_in, d_key);
    d_shapes = detail::getShapes(d_in, d_last);
    return true;
  }
  std::string_view key() const noexcept { return { d_key, d_keyLength }; }
  const Shapes& shapes() const noexcept { return d_shapes; }

private:
  void enter() noexcept
  {
    if (d_block >= d_set.d_blocks.size()) {
      d_in = d_end = nullptr;
      return;
    }
    d_in = d_set.blockStart(d_block);
    d_end = d_set.blockEnd(d_block);
    d_last = 0;
  }
  const NameSet& d_set;
  std::size_t d_block;
  const char* d_in = nullptr;
  const char* d_end = nullptr;
  std::uint32_t d_last = 0;
  std::size_t d_keyLength = 0;
  Shapes d_shapes;
  char d_key[kMaxNameKey];
};

std::size_t NameSet::blockFor(std::string_view key) const noexcept
{
  std::uint64_t prefix = detail::indexPrefix(key);
  std::size_t blocks = d_blocks.size();
  const BlockEntry* entries = d_blocks.data();
  std::size_t first = detail::indexLowerBound(
      [entries](std::size_t i) { return entries[i].prefix(); }, d_indexSummary.data(), blocks, prefix);
  // Blocks whose first keys tie in the index (rare) are told apart by their whole first key.
  std::size_t last = first;
  while (last < blocks && entries[last].prefix() == prefix)
    ++last;
  char buffer[kMaxNameKey];
  while (first < last) {
    std::size_t middle = first + (last - first) / 2;
    if (detail::firstKeyAt(blockStart(middle), buffer) <= key)
      first = middle + 1;
    else
      last = middle;
  }
  return first == 0 ? kNoBlock : first - 1;
}

const char* NameSet::blockEnd(std::size_t block) const noexcept
{
  return d_bytes + (block + 1 < d_blocks.size() ? d_blocks[block + 1].offset : d_data->size());
}

NameSet::Shapes NameSet::shapesOf(std::string_view key) const noexcept
{
  std::size_t block = blockFor(key);
  if (block == kNoBlock)
    return {};
  detail::BlockScan scan = detail::scanBlock(blockStart(block), blockEnd(block), key);
  if (scan.order != detail::BlockScan::Equal)
    return {};
  const char* in = scan.at;
  detail::skipBlockKey(in);
  return detail::getShapes(in, scan.last);
}

NameSet::Hit NameSet::find(std::string_view wireName) const noexcept
{
  char key[kMaxNameKey];
  std::size_t length = reversedKey(wireName, key);
  if (length == kBadName || d_blocks.empty())
    return {};
  std::string_view full(key, length);
  // One scan of the name's block finds the name, and the closest wildcard above it if that lies in the
  // block: ancestors sort before the name with only their descendants between, so a deeper one comes later.
  if (std::size_t block = blockFor(full); block != kNoBlock) {
    detail::BlockScan scan = detail::scanBlock(blockStart(block), blockEnd(block), full);
    if (scan.order == detail::BlockScan::Equal) {
      const char* in = scan.at;
      detail::skipBlockKey(in);
      Shapes shapes = detail::getShapes(in, scan.last);
      if (shapes.flags & detail::kHasExact)
        return { shapes.exactPayload, wireName };
    }
    if (scan.wildcardLength > 0)
      return { scan.wildcardPayload, wireName.substr(wireName.size() - scan.wildcardLength) };
  }
  // Otherwise the closest wildcard lies before the block: try the parent, then the grandparent, ... (their
  // keys are prefixes, and their wire names the same number of bytes at the end of wireName). One pass
  // hashes every ancestor's key for the filter: each continues the hash of the one above.
  std::size_t cuts[128]; // the apex (an empty key) first, if the name is not the apex
  std::uint64_t hashes[128];
  std::uint64_t state = detail::kKeyHashStart;
  cuts[0] = 0;
  hashes[0] = detail::keyHashFinish(state);
  std::size_t ancestors = length > 0 ? 1 : 0;
  for (std::size_t start = 0; start < length;) {
    const char* end = static_cast<const char*>(std::memchr(key + start, '\0', length - start));
    auto stop = static_cast<std::size_t>(end - key) + 1;
    state = detail::keyHashState({ key + start, stop - start }, state);
    if (stop == length)
      break; // the name itself
    cuts[ancestors] = stop;
    hashes[ancestors++] = detail::keyHashFinish(state);
    start = stop;
  }
  while (ancestors-- > 0) {
    if (!detail::filterMayHold(d_wildcardFilter, hashes[ancestors]))
      continue;
    std::size_t cut = cuts[ancestors];
    Shapes above = shapesOf({ key, cut });
    if (above.flags & detail::kHasSubdomains)
      return { above.subdomainsPayload, wireName.substr(wireName.size() - cut) };
  }
  return {};
}

bool NameSet::hasDescendant(std::string_view wireName) const noexcept
{
  char key[kMaxNameKey];
  std::size_t length = reversedKey(wireName, key);
  if (length == kBadName || d_blocks.empty())
    return false;
  std::string_view prefix(key, length);
  std::size_t block = blockFor(prefix);
  block = block == kNoBlock ? 0 : block;
  // The first record not before the name, then the records after it while they lie below the name: a
  // record that shares at least the name's length with the one before it lies below the name too.
  detail::BlockScan scan = detail::scanBlock(blockStart(block), blockEnd(block), prefix);
  if (scan.order == detail::BlockScan::Greater)
    return false;
  const char* in = scan.at;
  const char* end = blockEnd(block);
  std::uint32_t last = scan.last;
  bool first = scan.order != detail::BlockScan::End;
  std::size_t scanned = 0;
  for (;;) {
    if (in == end) {
      if (++block >= d_blocks.size())
        return false;
      in = blockStart(block);
      end = blockEnd(block);
      last = 0;
      char buffer[kMaxNameKey];
      if (detail::firstKeyAt(in, buffer).substr(0, length) != prefix)
        return false;
      first = true;
    }
    std::size_t shared = 0;
    std::size_t entryLength = detail::skipBlockKey(in, &shared);
    if (!first && shared < length)
      return false;
    first = false;
    Shapes shapes = detail::getShapes(in, last);
    bool longer = entryLength > length;
    if (longer && (shapes.flags & detail::kHasExact)
        && (shapes.exactPayload != kNoPayloadName || ++scanned > kDescendantScanLimit))
      return true;
    if ((shapes.flags & detail::kHasSubdomains)
        && (shapes.subdomainsPayload != kNoPayloadName || ++scanned > kDescendantScanLimit))
      return true;
  }
}

void NameSet::forEach(
    const std::function<void(std::string_view, NameMatch, bool, std::uint32_t)>& visit) const
{
  if (d_blocks.empty())
    return;
  Cursor cursor(*this, 0);
  while (cursor.next()) {
    std::string wire = detail::keyToWire(cursor.key());
    const Shapes& shapes = cursor.shapes();
    if (shapes.flags & detail::kHasExact)
      visit(wire, NameMatch::Exact, shapes.exactPayload == kNoPayloadName, shapes.exactPayload);
    if (shapes.flags & detail::kHasSubdomains)
      visit(
          wire, NameMatch::Subdomains, shapes.subdomainsPayload == kNoPayloadName, shapes.subdomainsPayload);
  }
}

std::size_t NameSet::memoryBytes() const noexcept
{
  return (d_data ? d_data->size() : 0) + d_blocks.size() * sizeof(BlockEntry)
      + d_indexSummary.size() * sizeof(std::uint64_t) + d_wildcardFilter.capacity() * sizeof(std::uint64_t);
}

} // namespace shun::store
