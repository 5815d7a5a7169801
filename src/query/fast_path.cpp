#include "query/fast_path.hpp"

#include "query/keys.hpp"
#include "query/resolve.hpp"
#include "query/writer.hpp"

#include <cstring>

namespace shun::query {
namespace detail {
namespace {

namespace dns = wire::dns;

constexpr std::size_t kRrHeader = 12; ///< pointer owner, type, class, TTL, RDLENGTH

std::uint8_t* put16(std::uint8_t* p, std::uint16_t value) noexcept
{
  p[0] = static_cast<std::uint8_t>(value >> 8);
  p[1] = static_cast<std::uint8_t>(value);
  return p + 2;
}

std::uint8_t* put32(std::uint8_t* p, std::uint32_t value) noexcept
{
  return put16(put16(p, static_cast<std::uint16_t>(value >> 16)), static_cast<std::uint16_t>(value));
}

std::uint8_t* putRrHeader(std::uint8_t* p, std::uint16_t owner, std::uint16_t type, std::uint32_t ttl,
    std::uint16_t rdlength) noexcept
{
  p = put16(p, static_cast<std::uint16_t>(0xC000 | owner));
  p = put16(put16(p, type), dns::kClassIn);
  return put16(put32(p, ttl), rdlength);
}

// The value of a label of length 1-3 holding decimal digits; above 255 when it is not such a label.
unsigned octetLabel(const std::uint8_t* digits, unsigned length) noexcept
{
  auto digit = [&](unsigned i) { return static_cast<unsigned>(digits[i] - '0'); }; // > 9: not a digit
  unsigned first = digit(0);
  if (length == 1)
    return first <= 9 ? first : 256;
  unsigned second = digit(1);
  if (length == 2)
    return first <= 9 && second <= 9 ? first * 10 + second : 256;
  unsigned third = digit(2);
  return first <= 9 && second <= 9 && third <= 9 ? first * 100 + second * 10 + third : 256;
}

// Where the parts of a plain question's name end (offsets in the packet) and the address it spells.
struct PlainQuestion {
  store::Ip4 ip = 0; ///< the four decimal labels, reversed
  std::size_t addressEnd = 0; ///< the first label after them
  std::size_t zoneStart = 0; ///< addressEnd, or past a key label there (as long as keys are)
  std::size_t keyLength = 0; ///< that label's length (kMinAccessKey..kMaxAccessKey), 0 if none
  std::size_t nameEnd = 0; ///< past the root label
};

// A plain query (QR=0, QUERY, QDCOUNT=1, no other sections) whose name starts with four decimal labels
// of 1-3 digits (0-255). False for anything else. Reads the packet once; digits need no lower-casing.
// A label as long as an access key after the address is taken for one and skipped here, not walked as a
// zone label; where it is a zone's label instead, the zone after it does not fit and the general path
// answers.
bool plainIp4Question(std::span<const std::uint8_t> query, PlainQuestion& question) noexcept
{
  const std::uint8_t* q = query.data();
  std::size_t size = query.size();
  if (size < dns::kHeaderSize + 5 || (q[2] & 0xF8) != 0 || q[4] != 0 || q[5] != 1
      || (q[6] | q[7] | q[8] | q[9] | q[10] | q[11]) != 0)
    return false;
  std::size_t pos = dns::kHeaderSize;
  store::Ip4 ip = 0;
  for (unsigned octet = 0; octet < 4; ++octet) {
    unsigned length = q[pos];
    if (length == 0 || length > 3 || pos + 1 + length >= size)
      return false;
    unsigned value = octetLabel(q + pos + 1, length);
    if (value > 255)
      return false;
    ip |= value << (8 * octet);
    pos += 1 + length;
  }
  question.ip = ip;
  question.addressEnd = pos;
  if (q[pos] >= listing::kMinAccessKey) [[unlikely]] {
    if (q[pos] > listing::kMaxAccessKey)
      return false;
    question.keyLength = q[pos];
    pos += 1 + question.keyLength;
  }
  question.zoneStart = pos;
  while (pos < size && q[pos] != 0) {
    if (q[pos] > 63)
      return false;
    pos += 1 + q[pos];
  }
  if (pos + 5 > size || pos + 1 - dns::kHeaderSize > dns::kMaxName)
    return false;
  question.nameEnd = pos + 1;
  return true;
}

bool plainIp4Zone(const store::Snapshot& snapshot, const store::Zone& zone) noexcept
{
  if (snapshot.globalAcl || zone.acl || zone.datasets.empty())
    return false;
  for (const store::ZoneDataset& entry : zone.datasets) {
    const store::Dataset* dataset = entry.dataset;
    if (!dataset || !entry.subzone.empty() || dataset->timestampExpires != 0)
      return false;
    if (dataset->type != store::DatasetType::Ip4Set && dataset->type != store::DatasetType::Ip4TSet
        && dataset->type != store::DatasetType::Ip4Trie)
      return false;
  }
  return true;
}

// What the direct lane answers: a plain IPv4 question, IN A or TXT, in a zone of plain IPv4 datasets.
struct PlainIp4Query {
  PlainQuestion question;
  std::uint16_t qtype = 0;
  const store::Zone* zone = nullptr;
};

// The query's address and zone when the direct lane may answer it (a keyed zone's key is still to be
// checked); false: the general path's query.
bool plainIp4Query(
    std::span<const std::uint8_t> query, const store::Snapshot& snapshot, PlainIp4Query& found) noexcept
{
  char lower[dns::kMaxName + 1];
  if (!plainIp4Question(query, found.question))
    return false;
  const std::uint8_t* q = query.data();
  std::size_t qnameEnd = found.question.nameEnd, zoneStart = found.question.zoneStart;
  found.qtype = static_cast<std::uint16_t>(q[qnameEnd] << 8 | q[qnameEnd + 1]);
  if ((found.qtype != dns::kTypeA && found.qtype != dns::kTypeTxt) || q[qnameEnd + 2] != 0
      || q[qnameEnd + 3] != dns::kClassIn)
    return false; // before lower-casing: the general path will do that for other types
  // The zone must be exactly what follows the address labels (and the access key of a keyed zone); with
  // no zone served below it, no longer zone can hold those labels, so only that part needs lower-casing
  // and matching.
  std::size_t zoneLength = qnameEnd - zoneStart;
  wire::copyLowerName(q + zoneStart, zoneLength, lower);
  const store::Zone* zone = snapshot.findZone({ lower, zoneLength });
  if (!zone || zone->name.size() != zoneLength || zone->hasZoneBelow || !plainIp4Zone(snapshot, *zone))
    return false;
  found.zone = zone;
  return true;
}

// A plain query as a hint carries it (prefetchLookup parsed it), and back.
LookupHint hintOf(const PlainIp4Query& plain) noexcept
{
  const PlainQuestion& question = plain.question;
  return { plain.zone, question.ip, static_cast<std::uint16_t>(question.addressEnd),
    static_cast<std::uint16_t>(question.zoneStart), static_cast<std::uint16_t>(question.nameEnd), plain.qtype,
    static_cast<std::uint8_t>(question.keyLength), true };
}

PlainIp4Query plainOf(const LookupHint& hint) noexcept
{
  return { { hint.ip, hint.addressEnd, hint.zoneStart, hint.keyLength, hint.nameEnd }, hint.qtype,
    hint.zone };
}

// The live values listing ip across the zone's datasets: how many (0, 1, or 2 for "several"), and the
// first one with its TTL.
unsigned liveValues(const store::Zone& zone, store::Ip4 ip, std::int64_t now,
    const store::CompiledValue*& found, std::uint32_t& ttl) noexcept
{
  unsigned count = 0;
  for (const store::ZoneDataset& entry : zone.datasets) {
    const store::Dataset& dataset = *entry.dataset;
    store::Ip4Hit hit = dataset.findIp4(ip);
    const store::Dataset& tables = *hit.tables;
    if (hit.payload == store::kNoPayload || hit.payload >= tables.sets.size())
      continue;
    for (store::ValueId id : tables.sets.set(hit.payload)) {
      if (id >= tables.values.size())
        continue;
      const store::CompiledValue& value = tables.values.compiled(id);
      if (value.expires != 0 && now >= value.expires)
        continue;
      if (count++ > 0)
        return count;
      found = &value;
      ttl = clampTtl(
          value.ttl != 0 ? value.ttl : (dataset.ttl != 0 ? dataset.ttl : kDefaultTtl), value.expires, now);
    }
  }
  return count;
}

// The header (flags, counts) and question of an authoritative answer with rcode; returns the end.
std::uint8_t* putHeader(std::uint8_t* p, const std::uint8_t* query, std::size_t questionEnd,
    std::uint8_t rcode, std::uint16_t answers, std::uint16_t authority) noexcept
{
  std::memcpy(p, query, questionEnd);
  p[2] = static_cast<std::uint8_t>(0x84 | (query[2] & 0x01)); // QR, AA, RD as asked; QUERY
  p[3] = rcode;
  put16(put16(p + 6, answers), authority);
  return p + questionEnd;
}

// Writes a name of the zone's SOA or NS RDATA compressed as the zone precomputed it.
std::uint8_t* putName(std::uint8_t* p, std::string_view name, store::CompressedName compressed,
    const ZoneInPacket& zone) noexcept
{
  std::memcpy(p, name.data(), compressed.own);
  p += compressed.own;
  return compressed.pointer ? put16(p, static_cast<std::uint16_t>(0xC000 | zone.offset)) : p;
}

// The RDATA of the one answer RR: A (4 bytes) or TXT (one character-string, the template expanded).
struct ListedRdata {
  std::uint16_t type = 0;
  std::size_t length = 0;
  std::uint8_t bytes[1 + 255];
};

// False when the value has no RDATA of qtype (a TXT query for a key without TXT: left to the general path).
bool listedRdata(
    std::uint16_t qtype, const store::CompiledValue& value, store::Ip4 ip, ListedRdata& rdata) noexcept
{
  rdata.type = qtype;
  if (qtype == dns::kTypeA) {
    std::memcpy(rdata.bytes, value.aRdata, 4);
    rdata.length = 4;
    return true;
  }
  if (!value.hasTxt)
    return false;
  std::size_t length = value.txt.size();
  if (value.txtHasKey) {
    char key[16];
    length = store::expandTemplate(
        value.txt, { key, formatIp4(ip, key) }, reinterpret_cast<char*>(rdata.bytes + 1));
  } else {
    std::memcpy(rdata.bytes + 1, value.txt.data(), length);
  }
  rdata.bytes[0] = static_cast<std::uint8_t>(length);
  rdata.length = 1 + length;
  return true;
}

// A listed answer: the A or TXT RR, then the zone's NS RRset (names compressed as in nsNames) when it
// fits (it is optional). 0: does not fit.
std::size_t writeListed(std::span<std::uint8_t> out, const std::uint8_t* query, std::size_t questionEnd,
    std::size_t limit, const ZoneInPacket& zone, const ListedRdata& rdata, std::uint32_t ttl,
    const store::NsData* ns, const store::CompressedName* nsNames) noexcept
{
  std::size_t size = questionEnd + kRrHeader + rdata.length, nsBytes = 0;
  if (size > limit)
    return 0;
  if (ns)
    for (std::size_t i = 0; i < ns->names.size(); ++i)
      nsBytes += kRrHeader + nsNames[i].size();
  std::size_t nsCount = ns && size + nsBytes <= limit ? ns->names.size() : 0;
  std::uint8_t* p
      = putHeader(out.data(), query, questionEnd, dns::kNoError, 1, static_cast<std::uint16_t>(nsCount));
  p = putRrHeader(p, dns::kHeaderSize, rdata.type, ttl, static_cast<std::uint16_t>(rdata.length));
  std::memcpy(p, rdata.bytes, rdata.length);
  p += rdata.length;
  for (std::size_t i = 0; i < nsCount; ++i) {
    p = putRrHeader(p, zone.offset, dns::kTypeNs, ns->ttl, static_cast<std::uint16_t>(nsNames[i].size()));
    p = putName(p, ns->names[i], nsNames[i], zone);
  }
  return static_cast<std::size_t>(p - out.data());
}

// NXDOMAIN with the zone's SOA (negative TTL, names compressed as in soaNames) in AUTHORITY. 0: does
// not fit.
std::size_t writeNxDomain(std::span<std::uint8_t> out, const std::uint8_t* query, std::size_t questionEnd,
    std::size_t limit, const ZoneInPacket& zone, const store::SoaData* soa,
    const store::CompressedName* soaNames) noexcept
{
  if (!soa) {
    if (questionEnd > limit)
      return 0;
    return static_cast<std::size_t>(
        putHeader(out.data(), query, questionEnd, dns::kNxDomain, 0, 0) - out.data());
  }
  std::size_t rdlength = soaNames[0].size() + soaNames[1].size() + 20;
  if (questionEnd + kRrHeader + rdlength > limit)
    return 0;
  std::uint8_t* p = putHeader(out.data(), query, questionEnd, dns::kNxDomain, 0, 1);
  p = putRrHeader(p, zone.offset, dns::kTypeSoa, negativeTtl(*soa), static_cast<std::uint16_t>(rdlength));
  p = putName(p, soa->mname, soaNames[0], zone);
  p = putName(p, soa->rname, soaNames[1], zone);
  for (std::uint32_t field : { soa->serial, soa->refresh, soa->retry, soa->expire, soa->minimum })
    p = put32(p, field);
  return static_cast<std::size_t>(p - out.data());
}

} // namespace

std::optional<Result> answerPlainIp4(std::span<const std::uint8_t> query, const store::Snapshot& snapshot,
    std::int64_t now, Transport transport, const AnswerOptions& options, std::span<std::uint8_t> out,
    const LookupHint* hint) noexcept
{
  PlainIp4Query plain;
  if (out.size() < 512)
    return std::nullopt;
  if (hint && hint->parsed) {
    if (!hint->zone)
      return std::nullopt; // prefetchLookup found it is not the direct lane's
    plain = plainOf(*hint);
  } else if (!plainIp4Query(query, snapshot, plain)) {
    return std::nullopt;
  }
  const std::uint8_t* q = query.data();
  const PlainQuestion& question = plain.question;
  std::size_t qnameEnd = question.nameEnd, zoneStart = question.zoneStart, addressEnd = question.addressEnd;
  store::Ip4 ip = question.ip;
  std::uint16_t qtype = plain.qtype;
  const store::Zone* zone = plain.zone;
  const store::AccessKey* key = nullptr;
  bool keyed = question.keyLength != 0;
  if ((zone->accessBit != 0) != keyed)
    return std::nullopt; // a keyed zone without a key label, or a long label in a zone that has none
  if (keyed
      && snapshot.accessKeys->checkKey(
             reinterpret_cast<const char*>(q) + addressEnd + 1, question.keyLength, zone->accessBit, now, key)
          != store::AccessCheck::Valid)
    return std::nullopt; // refusals are the general path's
  std::size_t soaNames = zone->soa ? 2 : 0;
  if (zone->apexNames.size() != soaNames + (zone->ns ? zone->ns->names.size() : 0))
    return std::nullopt; // not indexed since soa or ns changed (Snapshot::index)
  const store::CompiledValue* value = nullptr;
  std::uint32_t ttl = 0;
  unsigned count = liveValues(*zone, ip, now, value, ttl);
  ListedRdata rdata;
  if (count > 1 || (count == 1 && !listedRdata(qtype, *value, ip, rdata)))
    return std::nullopt;
  std::size_t questionEnd = qnameEnd + 4, limit = transport == Transport::Tcp ? 65535 : 512;
  limit = limit < out.size() ? limit : out.size();
  ZoneInPacket apex { zone->name, static_cast<std::uint16_t>(zoneStart) };
  const store::NsData* ns = !options.minimalAnswers && zone->ns ? &*zone->ns : nullptr;
  std::size_t length = count == 1
      ? writeListed(out, q, questionEnd, limit, apex, rdata, ttl, ns, zone->apexNames.data() + soaNames)
      : writeNxDomain(
          out, q, questionEnd, limit, apex, zone->soa ? &*zone->soa : nullptr, zone->apexNames.data());
  if (length == 0)
    return std::nullopt;
  Result result;
  result.length = length;
  result.rcode = count == 1 ? dns::kNoError : dns::kNxDomain;
  result.qtype = qtype;
  result.zone = zone;
  result.listed = count == 1;
  result.answerCount = count == 1 ? 1 : 0;
  if (key) {
    result.access = store::AccessCheck::Valid;
    result.accessKey = key;
    result.accessLabel = static_cast<std::uint16_t>(addressEnd);
    store::AccessKeySet::count(*key, store::AccessCheck::Valid, now);
  }
  return result;
}

} // namespace detail

LookupHint prefetchLookup(std::span<const std::uint8_t> query, const store::Snapshot& snapshot) noexcept
{
  detail::PlainIp4Query plain;
  if (!detail::plainIp4Query(query, snapshot, plain)) {
    LookupHint none;
    none.parsed = true;
    return none;
  }
  for (const store::ZoneDataset& entry : plain.zone->datasets)
    if (!entry.dataset->overlay) // an overlay's lookup starts elsewhere: not worth a hint
      entry.dataset->ip4.prefetchBucket(plain.question.ip);
  return detail::hintOf(plain);
}

void prefetchLookupSlices(const LookupHint& hint) noexcept
{
  if (!hint.zone)
    return;
  for (const store::ZoneDataset& entry : hint.zone->datasets)
    if (!entry.dataset->overlay)
      entry.dataset->ip4.prefetchSlices(hint.ip);
}

} // namespace shun::query
