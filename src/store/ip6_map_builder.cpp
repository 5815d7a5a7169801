#include "origin_values.hpp"
#include "page_array.hpp"
#include "radix_sort.hpp"
#include "shun/store/ip6_map.hpp"

#include <algorithm>
#include <bit>
#include <span>
#include <vector>

namespace shun::store {
namespace detail {

// Records are 4-byte aligned (12 and 20 bytes, not 16 and 24): the value is kept apart by origin
// (OriginValues), leaving the key and the tagged origin.
struct Ip6ShortRecord {
  std::uint32_t high[2]; ///< the prefix's first 64 bits, most significant word first
  std::uint32_t tagged; ///< OriginValues: origin << 2 | tag

  std::uint64_t key() const { return std::uint64_t { high[0] } << 32 | high[1]; }
  Ip6 first() const { return static_cast<Ip6>(key()) << 64; }
};

struct Ip6LongRecord {
  std::uint32_t words[4]; ///< the prefix, most significant word first
  std::uint32_t tagged;

  Ip6 first() const
  {
    return static_cast<Ip6>(words[0]) << 96 | static_cast<Ip6>(words[1]) << 64
        | static_cast<Ip6>(words[2]) << 32 | words[3];
  }
};

} // namespace detail

namespace {

using detail::Ip6LongRecord;
using detail::Ip6ShortRecord;
using detail::OriginValues;
using detail::PageArray;

// A level's records are read front to back while its arrays are written: their pages go back this often.
constexpr std::size_t kReleaseEvery = 4096;

unsigned prefixLength(Ip6 first, Ip6 last)
{
  Ip6 host = first ^ last;
  auto high = static_cast<std::uint64_t>(host >> 64), low = static_cast<std::uint64_t>(host);
  return high ? static_cast<unsigned>(std::countl_zero(high))
              : 64 + static_cast<unsigned>(std::countl_zero(low));
}

std::uint64_t top(const Ip6ShortRecord& record)
{
  return record.key();
}

std::uint64_t top(const Ip6LongRecord& record)
{
  return std::uint64_t { record.words[0] } << 32 | record.words[1];
}

bool before(const Ip6ShortRecord& a, const Ip6ShortRecord& b)
{
  return a.key() != b.key() ? a.key() < b.key() : a.tagged < b.tagged;
}

bool before(const Ip6LongRecord& a, const Ip6LongRecord& b)
{
  Ip6 firstA = a.first(), firstB = b.first();
  return firstA != firstB ? firstA < firstB : a.tagged < b.tagged;
}

// Sorts by before(), in place (a load peaks at its records, no second buffer).
template <typename Record> void sortLevel(std::span<Record> records)
{
  detail::sortByTop(
      records, [](const Record& record) { return top(record); },
      [](const Record& a, const Record& b) { return before(a, b); });
}

/// Interns one-value payload sets, remembering the last one (most prefixes of a list share a value).
class PayloadCache {
public:
  explicit PayloadCache(ValueSets& sets)
      : d_sets(sets)
  {
  }
  std::uint32_t payload(std::uint32_t value)
  {
    if (value == kNoPayload)
      return kNoPayload;
    if (value != d_value) {
      ValueId id = value;
      d_payload = d_sets.intern({ &id, 1 });
      d_value = value;
    }
    return d_payload;
  }

private:
  ValueSets& d_sets;
  std::uint32_t d_value = kNoPayload;
  std::uint32_t d_payload = 0;
};

// Sorts one length's records, drops identical later ones and writes them to level.
template <typename Record>
void buildLevel(PageArray<Record>& records, const OriginValues& values, Ip6Map::Level& level,
    PayloadCache& payloads, std::vector<std::uint32_t>& droppedOrigins, bool longKeys)
{
  // Tagged origins order like origins: equal prefixes stay in the order of their lines.
  sortLevel(records.items());
  level.high.reserve(records.size());
  if (longKeys)
    level.low.reserve(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const Record& record = records[i];
    Ip6 first = record.first();
    if (i > 0 && records[i - 1].first() == first) {
      droppedOrigins.push_back(OriginValues::originOf(record.tagged)); // rbldnsd keeps the first and warns
      continue;
    }
    auto index = static_cast<std::uint32_t>(level.high.size());
    level.high.push_back(static_cast<std::uint64_t>(first >> 64));
    if (longKeys)
      level.low.push_back(static_cast<std::uint64_t>(first));
    std::uint32_t payload = OriginValues::isExclusion(record.tagged)
        ? kNoPayload
        : payloads.payload(static_cast<std::uint32_t>(values.value(record.tagged)));
    if (level.runPayload.empty() || level.runPayload.back() != payload) {
      level.runStart.push_back(index);
      level.runPayload.push_back(payload);
    }
    if (i % kReleaseEvery == 0)
      records.releaseBefore(i > 0 ? i - 1 : 0);
  }
  level.runStart.shrink_to_fit();
  level.runPayload.shrink_to_fit();
  records.clear();
}

} // namespace

Ip6MapBuilder::Ip6MapBuilder()
    : d_values(std::make_unique<OriginValues>())
{
}

Ip6MapBuilder::~Ip6MapBuilder() = default;

void Ip6MapBuilder::add(
    Ip6 first, Ip6 last, std::uint8_t priority, ValueId value, bool exclusion, std::uint32_t origin)
{
  (void)priority; // the length is the prefix's own
  unsigned length = prefixLength(first, last);
  first = length == 0 ? 0 : first >> (128 - length) << (128 - length);
  std::uint32_t tagged = d_values->add(value, exclusion, origin);
  auto word = [&](unsigned index) { return static_cast<std::uint32_t>(first >> (96 - 32 * index)); };
  if (length <= 64) {
    auto& records = d_short[length];
    if (!records)
      records = std::make_unique<PageArray<Ip6ShortRecord>>();
    records->pushBack({ { word(0), word(1) }, tagged });
  } else {
    auto& records = d_long[length - 65];
    if (!records)
      records = std::make_unique<PageArray<Ip6LongRecord>>();
    records->pushBack({ { word(0), word(1), word(2), word(3) }, tagged });
  }
  ++d_size;
}

void Ip6MapBuilder::eraseIf(const std::function<bool(Ip6, Ip6)>& matches)
{
  for (unsigned length = 0; length <= 128; ++length) {
    auto erase = [&](auto& records) {
      if (!records)
        return;
      std::size_t before = records->size();
      records->eraseIf([&](const auto& record) {
        Ip6 first = record.first();
        return matches(first, length == 0 ? ~Ip6 {} : length == 128 ? first : first | (~Ip6 {} >> length));
      });
      d_size -= before - records->size();
    };
    if (length <= 64)
      erase(d_short[length]);
    else
      erase(d_long[length - 65]);
  }
}

void Ip6MapBuilder::replaceValue(ValueId from, ValueId to)
{
  d_values->replace(from, to);
}

Ip6Map Ip6MapBuilder::build(ValueSets& sets, std::vector<std::uint32_t>& droppedOrigins)
{
  Ip6Map map;
  PayloadCache payloads(sets);
  d_values->sortListed();
  for (unsigned length = 128 + 1; length-- > 0;) {
    bool longKeys = length > 64;
    auto* shortRecords = longKeys ? nullptr : d_short[length].get();
    auto* longRecords = longKeys ? d_long[length - 65].get() : nullptr;
    if ((shortRecords ? shortRecords->size() : 0) + (longRecords ? longRecords->size() : 0) == 0)
      continue;
    Ip6Map::Level& level = map.d_levels.emplace_back();
    level.length = length;
    if (longKeys)
      buildLevel(*longRecords, *d_values, level, payloads, droppedOrigins, true);
    else
      buildLevel(*shortRecords, *d_values, level, payloads, droppedOrigins, false);
  }
  map.d_levels.shrink_to_fit();
  for (auto& records : d_short)
    records.reset();
  for (auto& records : d_long)
    records.reset();
  d_values->clear();
  d_size = 0;
  return map;
}

} // namespace shun::store
