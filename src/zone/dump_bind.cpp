#include "shun/listing/ip_text.hpp"
#include "shun/zone/load.hpp"
#include "zone/text.hpp"

#include <algorithm>
#include <cstdio>

// BIND master-format dump, as "rbldnsd -d". Listed ranges become wildcards on octet (IPv4) or nibble
// (IPv6) boundaries. Unlike rbldnsd, exclusions inside IP ranges are holes: each range is cut around them
// before it is split into blocks, so no wildcard covers an excluded address and no "*.x.y" helper lines
// are needed. An excluded dnset name (which a wildcard would otherwise cover) is written as
// "CNAME excluded.invalid.", which resolves to NXDOMAIN as the real server answers.
namespace shun::zone {
namespace {

struct Piece {
  std::uint32_t payload;
  bool single;
};

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

std::string quoted(std::string_view text)
{
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < ' ' || c >= 0x7f) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\%03u", c);
      out += escape;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out + "\"";
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

class Dumper {
public:
  Dumper(std::ostream& out, std::int64_t now)
      : d_out(out)
      , d_now(now)
  {
  }
  void zone(const store::Zone& zone);

private:
  void dataset(const store::Dataset& dataset, const std::string& suffix);
  void ip4(const store::Dataset& dataset, const std::string& suffix);
  void ip6(const store::Dataset& dataset, const std::string& suffix);
  void names(const store::Dataset& dataset, const std::string& suffix);
  void generic(const store::Dataset& dataset, const std::string& suffix);
  void values(
      const store::Dataset& dataset, std::uint32_t payload, const std::string& owner, std::string_view key);
  std::ostream& d_out;
  std::int64_t d_now;
};

void Dumper::values(
    const store::Dataset& dataset, std::uint32_t payload, const std::string& owner, std::string_view key)
{
  for (store::ValueId id : dataset.sets.set(payload)) {
    const store::CompiledValue& value = dataset.values.compiled(id);
    if (value.expires && value.expires <= d_now)
      continue; // expired listings are not served
    std::string ttl = value.ttl ? std::to_string(value.ttl) + "\t" : "";
    char a[16];
    std::snprintf(
        a, sizeof a, "%u.%u.%u.%u", value.aRdata[0], value.aRdata[1], value.aRdata[2], value.aRdata[3]);
    d_out << owner << '\t' << ttl << "A\t" << a << '\n';
    if (value.hasTxt) {
      char txt[256];
      std::size_t length = store::expandTemplate(value.txt, key, txt);
      d_out << '\t' << ttl << "TXT\t" << quoted(std::string_view(txt, length)) << '\n';
    }
  }
}

void Dumper::ip4(const store::Dataset& dataset, const std::string& suffix)
{
  std::vector<Item<store::Ip4>> items;
  dataset.forEachIp4([&](store::Ip4 first, store::Ip4 last, store::Ip4Hit hit) {
    items.push_back({ first, last, hit.payload, hit.tables });
  });
  for (const auto& piece : flatten(std::move(items))) {
    listing::forEachOctetBlock(
        piece.first, piece.last, [&](store::Ip4 first, store::Ip4 last, unsigned level) {
          for (std::uint64_t block = first; block <= last; block += std::uint64_t { 1 } << (32 - level)) {
            auto ip = static_cast<store::Ip4>(block);
            std::string owner = level == 32 ? "" : "*";
            for (unsigned octet = level / 8; octet > 0; --octet)
              owner += (owner.empty() ? "" : ".") + std::to_string(ip >> (32 - 8 * octet) & 255);
            values(*piece.tables, piece.payload, owner + suffix, ip4Text(ip));
          }
        });
  }
}

void Dumper::ip6(const store::Dataset& dataset, const std::string& suffix)
{
  std::vector<Item<store::Ip6>> items;
  dataset.ip6.forEach([&](store::Ip6 first, store::Ip6 last, std::uint32_t payload) {
    items.push_back({ first, last, payload });
  });
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
      std::string owner = nibbles == 32 ? "" : "*";
      for (unsigned i = 32 - nibbles; i < 32; ++i)
        owner += (owner.empty() ? "" : ".") + std::string(1, "0123456789abcdef"[first >> (4 * i) & 15]);
      values(dataset, piece.payload, owner + suffix, ip6Text(first));
      store::Ip6 last = listing::ip6Last(first, 4 * nibbles);
      if (last >= piece.last)
        break;
      first = last + 1;
    }
  }
}

void Dumper::names(const store::Dataset& dataset, const std::string& suffix)
{
  dataset.names.forEach(
      [&](std::string_view wire, store::NameMatch match, bool exclusion, std::uint32_t payload) {
        std::string name = wireToText(wire);
        std::string owner = (match == store::NameMatch::Subdomains ? "*." : "") + name + suffix;
        if (exclusion)
          d_out << owner << "\tCNAME\texcluded.invalid.\n";
        else
          values(dataset, payload, owner, name);
      });
}

void Dumper::generic(const store::Dataset& dataset, const std::string& suffix)
{
  for (const store::GenericRecord& record : dataset.generic.all()) {
    std::string owner
        = record.name.empty() ? (suffix.empty() ? "@" : suffix.substr(1)) : wireToText(record.name) + suffix;
    d_out << owner << '\t' << (record.ttl ? std::to_string(record.ttl) + "\t" : "");
    const std::string& rdata = record.rdata;
    auto byte = [&](std::size_t i) { return static_cast<unsigned>(static_cast<unsigned char>(rdata[i])); };
    if (record.type == 1 && rdata.size() == 4) {
      d_out << "A\t" << byte(0) << '.' << byte(1) << '.' << byte(2) << '.' << byte(3) << '\n';
    } else if (record.type == 16 && !rdata.empty()) {
      d_out << "TXT\t" << quoted(std::string_view(rdata).substr(1)) << '\n';
    } else if (record.type == 15 && rdata.size() > 2) {
      std::string target = rdata.substr(2, rdata.size() - 3);
      d_out << "MX\t" << (byte(0) << 8 | byte(1)) << '\t' << wireToText(target) << ".\n";
    } else if (record.type == 28 && rdata.size() == 16) {
      store::Ip6 address = 0;
      for (std::size_t i = 0; i < 16; ++i)
        address = address << 8 | byte(i);
      d_out << "AAAA\t" << ip6Text(address) << '\n';
    }
  }
}

void Dumper::dataset(const store::Dataset& dataset, const std::string& suffix)
{
  if (dataset.timestampExpires && dataset.timestampExpires <= d_now) {
    d_out << "; " << dataset.spec << ": expired by $TIMESTAMP, not served\n";
    return;
  }
  d_out << "$TTL " << dataset.ttl << '\n';
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

void Dumper::zone(const store::Zone& zone)
{
  d_out << "$ORIGIN\t" << zone.text << ".\n";
  if (zone.soa) {
    const store::SoaData& soa = *zone.soa;
    std::string mname = wireToText(std::string_view(soa.mname).substr(0, soa.mname.size() - 1));
    std::string rname = wireToText(std::string_view(soa.rname).substr(0, soa.rname.size() - 1));
    d_out << "@\t" << soa.ttl << "\tSOA\t" << mname << ".\t" << rname << ".\t(" << soa.serial << ' '
          << soa.refresh << ' ' << soa.retry << ' ' << soa.expire << ' ' << soa.minimum << ")\n";
  }
  if (zone.ns)
    for (const std::string& name : zone.ns->names)
      d_out << "\t" << zone.ns->ttl << "\tNS\t"
            << wireToText(std::string_view(name).substr(0, name.size() - 1)) << ".\n";
  for (const store::ZoneDataset& entry : zone.datasets)
    dataset(*entry.dataset, entry.subzone.empty() ? "" : "." + wireToText(entry.subzone));
}

} // namespace

void dumpBind(const store::Snapshot& snapshot, std::ostream& out, std::int64_t now)
{
  Dumper dumper(out, now);
  for (const store::Zone& zone : snapshot.zones)
    dumper.zone(zone);
}

} // namespace shun::zone
