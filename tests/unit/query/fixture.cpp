#include "query/fixture.hpp"

#include "support/ldns.hpp"
#include "wire_name.hpp"

#include <arpa/inet.h>
#include <cstdlib>
#include <stdexcept>

namespace shun::testing {
namespace {

using store::DatasetType;

struct Range4 {
  store::Ip4 first, last;
  std::uint8_t length;
};
struct Range6 {
  store::Ip6 first, last;
  std::uint8_t length;
};

template <typename Ip> std::pair<std::string, unsigned> splitCidr(const std::string& cidr, unsigned full)
{
  auto slash = cidr.find('/');
  if (slash == std::string::npos)
    return { cidr, full };
  return { cidr.substr(0, slash), static_cast<unsigned>(std::stoul(cidr.substr(slash + 1))) };
}

Range4 range4(const std::string& cidr)
{
  auto [address, length] = splitCidr<store::Ip4>(cidr, 32);
  store::Ip4 first = ip4(address);
  store::Ip4 host = length == 0 ? UINT32_MAX : length == 32 ? 0 : (UINT32_MAX >> length);
  return { first & ~host, first | host, static_cast<std::uint8_t>(length) };
}

Range6 range6(const std::string& cidr)
{
  auto [address, length] = splitCidr<store::Ip6>(cidr, 128);
  store::Ip6 first = ip6(address);
  store::Ip6 host = length == 0 ? ~store::Ip6(0) : length == 128 ? 0 : (~store::Ip6(0) >> length);
  return { first & ~host, first | host, static_cast<std::uint8_t>(length) };
}

void finalize(store::Dataset& dataset, const std::vector<std::string>& vars = {})
{
  dataset.values.finalize(vars, {}, false);
}

std::string rrText(const ldns_rr* rr)
{
  char* text = ldns_rr2str(rr);
  std::string line = text ? text : "";
  std::free(text);
  while (!line.empty() && line.back() == '\n')
    line.pop_back();
  return line;
}

std::vector<std::string> section(const ldns_rr_list* list)
{
  std::vector<std::string> lines;
  for (std::size_t i = 0; list && i < ldns_rr_list_rr_count(list); ++i)
    lines.push_back(rrText(ldns_rr_list_rr(list, i)));
  return lines;
}

} // namespace

std::string wireName(std::string_view dotted, bool absolute)
{
  std::string wire = shuntest::wireName(dotted);
  if (absolute)
    wire.push_back('\0');
  return wire;
}

store::Ip4 ip4(std::string_view dotted)
{
  in_addr address {};
  if (inet_pton(AF_INET, std::string(dotted).c_str(), &address) != 1)
    throw std::invalid_argument("bad IPv4 " + std::string(dotted));
  return ntohl(address.s_addr);
}

store::Ip6 ip6(std::string_view text)
{
  in6_addr address {};
  if (inet_pton(AF_INET6, std::string(text).c_str(), &address) != 1)
    throw std::invalid_argument("bad IPv6 " + std::string(text));
  store::Ip6 ip = 0;
  for (auto byte : address.s6_addr)
    ip = ip << 8 | byte;
  return ip;
}

std::unique_ptr<store::Dataset> ipDataset(DatasetType type, const std::vector<IpEntry>& entries,
    std::uint32_t ttl, const std::vector<std::string>& vars)
{
  auto dataset = std::make_unique<store::Dataset>();
  dataset->type = type;
  dataset->ttl = ttl;
  bool v6 = type == DatasetType::Ip6Trie || type == DatasetType::Ip6TSet;
  auto overlap = type == DatasetType::Ip4Set ? store::Overlap::UnionPerLevel : store::Overlap::LongestPrefix;
  store::Ip4MapBuilder builder4(overlap);
  store::Ip6MapBuilder builder6;
  std::uint32_t line = 0;
  for (const IpEntry& entry : entries) {
    store::ValueId id = dataset->values.intern(entry.value);
    if (v6) {
      Range6 r = range6(entry.cidr);
      builder6.add(r.first, r.last, r.length, id, entry.exclusion, ++line);
    } else {
      Range4 r = range4(entry.cidr);
      builder4.add(r.first, r.last, r.length, id, entry.exclusion, ++line);
    }
  }
  std::vector<std::uint32_t> dropped;
  if (v6)
    dataset->ip6 = builder6.build(dataset->sets, dropped);
  else
    dataset->ip4 = builder4.build(dataset->sets, dropped);
  finalize(*dataset, vars);
  return dataset;
}

std::unique_ptr<store::Dataset> nameDataset(const std::vector<NameEntry>& entries, std::uint32_t ttl)
{
  auto dataset = std::make_unique<store::Dataset>();
  dataset->type = DatasetType::DnSet;
  dataset->ttl = ttl;
  store::NameSetBuilder builder;
  for (const NameEntry& entry : entries) {
    std::string_view name = entry.name;
    bool exclusion = !name.empty() && name[0] == '!';
    if (exclusion)
      name.remove_prefix(1);
    auto match = name.starts_with("*.") ? store::NameMatch::Subdomains : store::NameMatch::Exact;
    if (match == store::NameMatch::Subdomains)
      name.remove_prefix(2);
    builder.add(wireName(name), match, dataset->values.intern(entry.value), exclusion);
  }
  dataset->names = builder.build(dataset->sets);
  finalize(*dataset);
  return dataset;
}

std::unique_ptr<store::Dataset> genericDataset(std::vector<store::GenericRecord> records, std::uint32_t ttl)
{
  auto dataset = std::make_unique<store::Dataset>();
  dataset->type = DatasetType::Generic;
  dataset->ttl = ttl;
  dataset->generic = store::GenericRecords(std::move(records));
  return dataset;
}

std::unique_ptr<store::Dataset> aclDataset(const std::vector<IpEntry>& entries)
{
  auto dataset = std::make_unique<store::Dataset>();
  dataset->type = DatasetType::Acl;
  store::Ip4MapBuilder builder4(store::Overlap::LongestPrefix);
  store::Ip6MapBuilder builder6;
  std::uint32_t line = 0;
  for (const IpEntry& entry : entries) {
    store::ValueId id = dataset->values.intern(entry.value);
    if (id == dataset->aclActions.size()) {
      static constexpr store::AclAction kActions[] = { store::AclAction::Ignore, store::AclAction::Refuse,
        store::AclAction::Empty, store::AclAction::Pass };
      dataset->aclActions.push_back(entry.value.a < 4 ? kActions[entry.value.a] : store::AclAction::Always);
    }
    if (entry.cidr.find(':') != std::string::npos) {
      Range6 r = range6(entry.cidr);
      builder6.add(r.first, r.last, r.length, id, false, ++line);
    } else {
      Range4 r = range4(entry.cidr);
      builder4.add(r.first, r.last, r.length, id, false, ++line);
    }
  }
  std::vector<std::uint32_t> dropped;
  dataset->ip4 = builder4.build(dataset->sets, dropped);
  dataset->ip6 = builder6.build(dataset->sets, dropped);
  finalize(*dataset);
  return dataset;
}

store::Value listed(std::uint32_t a, std::string txt, bool hasTxt)
{
  store::Value value;
  value.a = a;
  value.hasTxt = hasTxt;
  value.txt = std::move(txt);
  return value;
}

store::SoaData soa(std::uint32_t ttl, std::uint32_t minimum)
{
  store::SoaData data;
  data.mname = wireName("ns1.bl.example", true);
  data.rname = wireName("hostmaster.bl.example", true);
  data.ttl = ttl;
  data.serial = 2026112201;
  data.refresh = 7200;
  data.retry = 3600;
  data.expire = 604800;
  data.minimum = minimum;
  return data;
}

store::NsData ns(const std::vector<std::string>& dottedNames, std::uint32_t ttl)
{
  store::NsData data;
  data.ttl = ttl;
  for (const std::string& name : dottedNames)
    data.names.push_back(wireName(name, true));
  return data;
}

const store::Dataset* own(store::Snapshot& snapshot, std::unique_ptr<store::Dataset> dataset)
{
  snapshot.datasets.push_back(std::move(dataset));
  return snapshot.datasets.back().get();
}

store::Zone& addZone(store::Snapshot& snapshot, std::string_view dotted, bool withSoa, bool withNs)
{
  store::Zone& zone = snapshot.zones.emplace_back();
  zone.name = wireName(dotted, true);
  zone.text = std::string(dotted);
  if (withSoa)
    zone.soa = soa();
  if (withNs)
    zone.ns = ns({ "ns1.bl.example", "ns2.bl.example" });
  snapshot.index(); // as the loader does; call again after changing soa or ns
  return snapshot.zones.back();
}

std::vector<std::uint8_t> makeQuery(const QuerySpec& spec)
{
  std::vector<std::uint8_t> bytes { static_cast<std::uint8_t>(spec.id >> 8),
    static_cast<std::uint8_t>(spec.id), static_cast<std::uint8_t>(spec.rd ? 1 : 0), 0, 0, 1, 0, 0, 0, 0, 0,
    static_cast<std::uint8_t>(spec.ednsSize ? 1 : 0) };
  std::string name = wireName(spec.name, true);
  bytes.insert(bytes.end(), name.begin(), name.end());
  for (std::uint16_t field : { spec.type, spec.qclass }) {
    bytes.push_back(static_cast<std::uint8_t>(field >> 8));
    bytes.push_back(static_cast<std::uint8_t>(field));
  }
  if (spec.ednsSize) {
    std::uint8_t opt[] = { 0, 0, 41, static_cast<std::uint8_t>(*spec.ednsSize >> 8),
      static_cast<std::uint8_t>(*spec.ednsSize), 0, spec.ednsVersion,
      static_cast<std::uint8_t>(spec.doBit ? 0x80 : 0), 0, 0, 0 };
    bytes.insert(bytes.end(), std::begin(opt), std::end(opt));
  }
  return bytes;
}

Response readResponse(const std::uint8_t* data, std::size_t size)
{
  Response response;
  ldns_pkt* raw = nullptr;
  if (size == 0 || ldns_wire2pkt(&raw, data, size) != LDNS_STATUS_OK)
    return response;
  std::unique_ptr<ldns_pkt, void (*)(ldns_pkt*)> pkt(raw, ldns_pkt_free);
  response.ok = true;
  response.id = ldns_pkt_id(raw);
  response.qr = ldns_pkt_qr(raw);
  response.aa = ldns_pkt_aa(raw);
  response.tc = ldns_pkt_tc(raw);
  response.rd = ldns_pkt_rd(raw);
  response.ra = ldns_pkt_ra(raw);
  response.hasOpt = ldns_pkt_edns(raw);
  response.optSize = ldns_pkt_edns_udp_size(raw);
  response.rcode = ldns_pkt_get_rcode(raw) | (response.hasOpt ? ldns_pkt_edns_extended_rcode(raw) << 4 : 0);
  response.question = section(ldns_pkt_question(raw));
  response.answer = section(ldns_pkt_answer(raw));
  response.authority = section(ldns_pkt_authority(raw));
  response.additional = section(ldns_pkt_additional(raw));
  return response;
}

Answered ask(const store::Snapshot& snapshot, const QuerySpec& spec, std::int64_t now,
    query::Transport transport, const query::AnswerOptions& options, const query::ClientAddress& client)
{
  Answered answered;
  std::vector<std::uint8_t> query = makeQuery(spec);
  std::vector<std::uint8_t> out(65535);
  answered.result = query::answer(query, snapshot, now, client, transport, options, out);
  answered.bytes.assign(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(answered.result.length));
  answered.response = readResponse(answered.bytes.data(), answered.bytes.size());
  return answered;
}

} // namespace shun::testing
