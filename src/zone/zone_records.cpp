#include "shun/listing/ip_text.hpp"
#include "shun/zone/records.hpp"
#include "zone/record_scope.hpp"
#include "zone/text.hpp"

#include <algorithm>
#include <cstdio>

// The records of a zone, shared by the BIND dump (shund -d) and zone transfers, so a secondary serves
// what shund serves. Listed ranges become wildcards on octet (IPv4) or nibble (IPv6) boundaries. Unlike
// rbldnsd, exclusions inside IP ranges are holes: each range is cut around them before it is split into
// blocks, so no wildcard covers an excluded address. An excluded dnset name (which a wildcard would
// otherwise cover) is "CNAME excluded.invalid.", which resolves to NXDOMAIN as the real server answers.
namespace shun::zone {
namespace {

template <typename Key> struct Item {
  Key first, last;
  std::uint32_t payload;
  const store::Dataset* tables = nullptr; ///< whose sets the payload indexes (an overlay's or its base's)
};

// Disjoint listed pieces: ranges cut around the single addresses that override them.
template <typename Key> std::vector<Item<Key>> flatten(std::vector<Item<Key>> items)
{
  std::vector<Item<Key>> ranges, singles, out;
  for (const auto& item : items)
    (item.first == item.last ? singles : ranges).push_back(item);
  auto single = singles.begin();
  auto emitSingle = [&] {
    if (single->payload != store::kNoPayload)
      out.push_back(*single);
    ++single;
  };
  for (const auto& range : ranges) {
    Key cursor = range.first;
    while (single != singles.end() && single->first < range.first)
      emitSingle();
    bool open = true;
    while (single != singles.end() && single->first <= range.last) {
      if (single->first > cursor)
        out.push_back({ cursor, single->first - 1, range.payload, range.tables });
      open = single->first != range.last;
      cursor = single->first + 1;
      emitSingle();
    }
    if (open)
      out.push_back({ cursor, range.last, range.payload, range.tables });
  }
  while (single != singles.end())
    emitSingle();
  return out;
}

// flatten() as the entries come, by first address: a transfer of a large zone holds no copy of its map.
template <typename Key, typename Out> class StreamFlattener {
public:
  explicit StreamFlattener(Out out)
      : d_out(std::move(out))
  {
  }
  void add(const Item<Key>& item)
  {
    if (item.first != item.last)
      return openRange(item);
    if (d_open && item.first >= d_cursor && item.first <= d_range.last) { // it overrides the range there
      if (item.first > d_cursor)
        d_out(Item<Key> { d_cursor, item.first - 1, d_range.payload, d_range.tables });
      d_open = item.first != d_range.last;
      d_cursor = item.first + 1;
    } else {
      close();
    }
    if (item.payload != store::kNoPayload)
      d_out(item);
    d_lastSingle = item.first;
    d_hadSingle = true;
  }
  void finish() { close(); }

private:
  void openRange(const Item<Key>& range)
  {
    close();
    d_range = range;
    d_open = true;
    // A single at the range's first address may come just before it: it overrides the range there.
    d_cursor = d_hadSingle && d_lastSingle == range.first ? range.first + 1 : range.first;
  }
  void close()
  {
    if (d_open)
      d_out(Item<Key> { d_cursor, d_range.last, d_range.payload, d_range.tables });
    d_open = false;
  }
  Out d_out;
  Item<Key> d_range {};
  Key d_cursor {};
  Key d_lastSingle {};
  bool d_open = false;
  bool d_hadSingle = false;
};

void appendLabel(std::string& wire, std::string_view label)
{
  wire.push_back(static_cast<char>(label.size()));
  wire.append(label);
}

std::string ip4Text(store::Ip4 ip)
{
  char text[16];
  std::snprintf(text, sizeof text, "%u.%u.%u.%u", ip >> 24, ip >> 16 & 255, ip >> 8 & 255, ip & 255);
  return text;
}

std::string ip6Text(store::Ip6 ip)
{
  std::string text;
  for (int group = 7; group >= 0; --group) {
    char part[8];
    std::snprintf(part, sizeof part, "%x", static_cast<unsigned>(ip >> (16 * group) & 0xffff));
    text += part;
    if (group)
      text.push_back(':');
  }
  return text;
}

class Generator {
public:
  Generator(RecordVisitor& visitor, std::int64_t now, const RecordScope* scope = nullptr)
      : d_visitor(visitor)
      , d_now(now)
      , d_scope(scope)
  {
  }
  void zone(const store::Zone& zone);
  void dataset(const store::Dataset& dataset, const std::string& suffix);

private:
  void ip4(const store::Dataset& dataset, const std::string& suffix);
  void ip6(const store::Dataset& dataset, const std::string& suffix);
  void names(const store::Dataset& dataset, const std::string& suffix);
  void generic(const store::Dataset& dataset, const std::string& suffix);
  void values(
      const store::Dataset& dataset, std::uint32_t payload, const std::string& owner, std::string_view key);
  void emit(std::string_view owner, std::uint16_t type, std::uint32_t ownTtl, std::int64_t expires,
      std::string_view rdata, bool continued = false);
  RecordVisitor& d_visitor;
  std::int64_t d_now;
  const RecordScope* d_scope; ///< null: every record
  std::uint32_t d_datasetTtl = kRecordDefaultTtl;
  std::string d_rdata;
};

void Generator::emit(std::string_view owner, std::uint16_t type, std::uint32_t ownTtl, std::int64_t expires,
    std::string_view rdata, bool continued)
{
  std::uint32_t ttl = ownTtl ? ownTtl : d_datasetTtl;
  if (expires > d_now) // a secondary must not keep a listing past its expiry longer than a cache would
    ttl = static_cast<std::uint32_t>(std::min<std::int64_t>(ttl, expires - d_now));
  d_visitor.record({ owner, type, ttl, ownTtl, rdata, continued });
}

void Generator::values(
    const store::Dataset& dataset, std::uint32_t payload, const std::string& owner, std::string_view key)
{
  for (store::ValueId id : dataset.sets.set(payload)) {
    const store::CompiledValue& value = dataset.values.compiled(id);
    if (value.expires && value.expires <= d_now)
      continue; // expired listings are not served
    emit(owner, 1, value.ttl, value.expires,
        std::string_view(reinterpret_cast<const char*>(value.aRdata), sizeof value.aRdata));
    if (value.hasTxt) {
      char txt[256];
      std::size_t length = store::expandTemplate(value.txt, key, txt + 1);
      txt[0] = static_cast<char>(length);
      emit(owner, 16, value.ttl, value.expires, std::string_view(txt, length + 1), true);
    }
  }
}

void Generator::ip4(const store::Dataset& dataset, const std::string& suffix)
{
  std::string owner;
  auto piece = [&](const Item<store::Ip4>& piece) {
    listing::forEachOctetBlock(
        piece.first, piece.last, [&](store::Ip4 first, store::Ip4 last, unsigned level) {
          for (std::uint64_t block = first; block <= last; block += std::uint64_t { 1 } << (32 - level)) {
            auto ip = static_cast<store::Ip4>(block);
            owner.clear();
            if (level != 32)
              appendLabel(owner, "*");
            for (unsigned octet = level / 8; octet > 0; --octet)
              appendLabel(owner, std::to_string(ip >> (32 - 8 * octet) & 255));
            owner += suffix;
            values(*piece.tables, piece.payload, owner, ip4Text(ip));
          }
        });
  };
  StreamFlattener<store::Ip4, decltype(piece)> flattener(piece);
  auto add = [&](store::Ip4 first, store::Ip4 last, store::Ip4Hit hit) {
    flattener.add({ first, last, hit.payload, hit.tables });
  };
  if (!d_scope)
    dataset.forEachIp4(add);
  else // each window holds its ranges whole (RecordScope), so the walks of the windows are the records
    for (const auto& [first, last] : d_scope->ip4)
      dataset.forEachIp4(add, first, last);
  flattener.finish();
}

void Generator::ip6(const store::Dataset& dataset, const std::string& suffix)
{
  std::vector<Item<store::Ip6>> items;
  dataset.forEachIp6([&](store::Ip6 first, store::Ip6 last, store::Ip4Hit hit) {
    items.push_back({ first, last, hit.payload, hit.tables });
  });
  std::string owner;
  for (const auto& piece : flatten(std::move(items))) {
    // Split into nibble-aligned blocks: the largest aligned block that starts at `first` and fits.
    for (store::Ip6 first = piece.first;;) {
      unsigned nibbles = 32;
      while (nibbles > 0) {
        unsigned bits = 4 * (33 - nibbles);
        store::Ip6 mask = bits >= 128 ? ~store::Ip6 {} : (store::Ip6 { 1 } << bits) - 1;
        if ((first & mask) || (first | mask) > piece.last)
          break;
        --nibbles;
      }
      owner.clear();
      if (nibbles != 32)
        appendLabel(owner, "*");
      for (unsigned i = 32 - nibbles; i < 32; ++i)
        appendLabel(owner, std::string_view(&"0123456789abcdef"[first >> (4 * i) & 15], 1));
      values(*piece.tables, piece.payload, owner + suffix, ip6Text(first));
      store::Ip6 last = listing::ip6Last(first, 4 * nibbles);
      if (last >= piece.last)
        break;
      first = last + 1;
    }
  }
}

// The wire form of a text name, for the excluded-name target; names here are plain ASCII labels.
std::string wireOf(std::string_view dotted)
{
  std::string wire;
  for (std::size_t start = 0; start < dotted.size();) {
    std::size_t dot = std::min(dotted.find('.', start), dotted.size());
    appendLabel(wire, dotted.substr(start, dot - start));
    start = dot + 1;
  }
  wire.push_back('\0');
  return wire;
}

void Generator::names(const store::Dataset& dataset, const std::string& suffix)
{
  static const std::string excluded = wireOf("excluded.invalid");
  std::string owner;
  dataset.forEachName([&](std::string_view wire, store::NameMatch match, bool exclusion, store::Ip4Hit hit) {
    if (d_scope && !d_scope->holdsName(wire))
      return;
    owner.clear();
    if (match == store::NameMatch::Subdomains)
      appendLabel(owner, "*");
    owner.append(wire);
    owner += suffix;
    if (exclusion) {
      emit(owner, 5, 0, 0, excluded);
      return;
    }
    values(*hit.tables, hit.payload, owner, wireToText(wire)); // templates expand the presentation form
  });
}

void Generator::generic(const store::Dataset& dataset, const std::string& suffix)
{
  std::string owner;
  for (const store::GenericRecord& record : dataset.generic.all()) {
    owner.assign(record.name);
    owner += suffix;
    emit(owner, record.type, record.ttl, 0, record.rdata);
  }
}

void Generator::dataset(const store::Dataset& dataset, const std::string& suffix)
{
  bool expired = dataset.timestampExpires && dataset.timestampExpires <= d_now;
  d_visitor.dataset(dataset, expired);
  if (expired)
    return;
  d_datasetTtl = dataset.ttl ? dataset.ttl : kRecordDefaultTtl;
  switch (dataset.type) {
  case store::DatasetType::Ip4Set:
  case store::DatasetType::Ip4TSet:
  case store::DatasetType::Ip4Trie:
    ip4(dataset, suffix);
    break;
  case store::DatasetType::Ip6Trie:
  case store::DatasetType::Ip6TSet:
    ip6(dataset, suffix);
    break;
  case store::DatasetType::DnSet:
    names(dataset, suffix);
    break;
  case store::DatasetType::Generic:
    generic(dataset, suffix);
    break;
  default:
    break;
  }
}

void Generator::zone(const store::Zone& zone)
{
  if (zone.soa) {
    std::string rdata = soaRdata(zone);
    d_visitor.record({ "", 6, zone.soa->ttl, zone.soa->ttl, rdata, false });
  }
  if (zone.ns)
    for (const std::string& name : zone.ns->names)
      d_visitor.record({ "", 2, zone.ns->ttl, zone.ns->ttl, name, true });
  for (const store::ZoneDataset& entry : zone.datasets)
    dataset(*entry.dataset, entry.subzone);
}

void put32(std::string& out, std::uint32_t value)
{
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>(value >> shift));
}

} // namespace

std::string soaRdata(const store::Zone& zone)
{
  if (!zone.soa)
    return {};
  const store::SoaData& soa = *zone.soa;
  std::string rdata = soa.mname + soa.rname;
  for (std::uint32_t field : { soa.serial, soa.refresh, soa.retry, soa.expire, soa.minimum })
    put32(rdata, field);
  return rdata;
}

void forEachRecord(const store::Zone& zone, std::int64_t now, RecordVisitor& visitor)
{
  Generator(visitor, now).zone(zone);
}

void forEachDatasetRecord(
    const store::ZoneDataset& entry, std::int64_t now, RecordVisitor& visitor, const RecordScope* scope)
{
  Generator(visitor, now, scope).dataset(*entry.dataset, entry.subzone);
}

} // namespace shun::zone
