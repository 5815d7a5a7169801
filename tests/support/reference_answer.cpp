#include "support/reference_answer.hpp"

#include "query/resolve.hpp"
#include "support/ldns.hpp"

#include <algorithm>
#include <cstdlib>
#include <memory>

namespace shun::query {
namespace {

namespace dns = wire::dns;
using detail::AnswerPlan;
using detail::PlannedRr;
using detail::RdataKind;

struct PktFree {
  void operator()(ldns_pkt* pkt) const { ldns_pkt_free(pkt); }
};
using PktPtr = std::unique_ptr<ldns_pkt, PktFree>;
struct RrFree {
  void operator()(ldns_rr* rr) const { ldns_rr_free(rr); }
};
using RrPtr = std::unique_ptr<ldns_rr, RrFree>;

ldns_rdf* bytesRdf(ldns_rdf_type type, const void* data, std::size_t length)
{
  return ldns_rdf_new_frm_data(type, length, data);
}

ldns_rdf* textRdf(std::string_view text)
{
  std::string data(1, static_cast<char>(text.size()));
  data.append(text);
  return bytesRdf(LDNS_RDF_TYPE_STR, data.data(), data.size());
}

void pushRdata(ldns_rr* rr, const PlannedRr& planned)
{
  switch (planned.kind) {
  case RdataKind::Raw:
    ldns_rr_push_rdf(rr, bytesRdf(LDNS_RDF_TYPE_UNKNOWN, planned.data, planned.length));
    break;
  case RdataKind::Text:
    ldns_rr_push_rdf(rr, textRdf({ static_cast<const char*>(planned.data), planned.length }));
    break;
  case RdataKind::Template: {
    char text[254];
    auto length = store::expandTemplate(
        { static_cast<const char*>(planned.data), planned.length }, planned.key(), text);
    ldns_rr_push_rdf(rr, textRdf({ text, length }));
    break;
  }
  case RdataKind::Ns:
    ldns_rr_push_rdf(rr, bytesRdf(LDNS_RDF_TYPE_DNAME, planned.data, planned.length));
    break;
  case RdataKind::Soa: {
    const store::SoaData& soa = *planned.soa;
    ldns_rr_push_rdf(rr, bytesRdf(LDNS_RDF_TYPE_DNAME, soa.mname.data(), soa.mname.size()));
    ldns_rr_push_rdf(rr, bytesRdf(LDNS_RDF_TYPE_DNAME, soa.rname.data(), soa.rname.size()));
    for (std::uint32_t field : { soa.serial, soa.refresh, soa.retry, soa.expire, soa.minimum })
      ldns_rr_push_rdf(rr, ldns_native2rdf_int32(LDNS_RDF_TYPE_INT32, field));
    break;
  }
  }
}

RrPtr makeRr(const ldns_rdf* owner, const PlannedRr& planned, std::uint32_t ttl)
{
  RrPtr rr(ldns_rr_new());
  ldns_rr_set_owner(rr.get(), ldns_rdf_clone(owner));
  ldns_rr_set_type(rr.get(), static_cast<ldns_rr_type>(planned.type));
  ldns_rr_set_class(rr.get(), static_cast<ldns_rr_class>(planned.rrClass));
  ldns_rr_set_ttl(rr.get(), ttl);
  pushRdata(rr.get(), planned);
  return rr;
}

// Size of rr in the fast path's model: owner compressed to a pointer, RDATA names not compressed.
std::size_t modelSize(const ldns_rr* rr)
{
  std::uint8_t* wire = nullptr;
  std::size_t size = 0;
  if (ldns_rr2wire(&wire, rr, LDNS_SECTION_ANSWER, &size) != LDNS_STATUS_OK)
    return 65536;
  std::free(wire);
  return size - ldns_rdf_size(ldns_rr_owner(rr)) + 2;
}

std::uint32_t smallestTtl(const AnswerPlan& plan, std::uint16_t type)
{
  std::uint32_t ttl = UINT32_MAX;
  for (std::size_t i = 0; i < plan.count; ++i)
    if (plan.answers[i].type == type)
      ttl = std::min(ttl, plan.answers[i].ttl);
  return ttl;
}

// The ANSWER RRs, duplicates removed; their size (model) is added to size.
std::vector<RrPtr> answerRrs(const AnswerPlan& plan, const ldns_rdf* qname, std::size_t& size)
{
  std::vector<RrPtr> rrs;
  for (std::size_t i = 0; i < plan.count; ++i) {
    RrPtr rr = makeRr(qname, plan.answers[i], smallestTtl(plan, plan.answers[i].type));
    bool duplicate = std::any_of(rrs.begin(), rrs.end(),
        [&](const RrPtr& seen) { return ldns_rr_compare(seen.get(), rr.get()) == 0; });
    if (duplicate)
      continue;
    size += modelSize(rr.get());
    rrs.push_back(std::move(rr));
  }
  return rrs;
}

std::vector<RrPtr> authorityRrs(const AnswerPlan& plan, const ldns_rdf* apex)
{
  std::vector<RrPtr> rrs;
  if (plan.authority == detail::Authority::Soa) {
    const store::SoaData& soa = *plan.zone->soa;
    PlannedRr planned { dns::kTypeSoa, dns::kClassIn, 0, RdataKind::Soa, false, 0, nullptr, &soa, nullptr,
      0 };
    rrs.push_back(makeRr(apex, planned, std::min(soa.ttl, soa.minimum)));
  } else if (plan.authority == detail::Authority::Ns) {
    for (const std::string& name : plan.zone->ns->names) {
      PlannedRr planned { dns::kTypeNs, dns::kClassIn, 0, RdataKind::Ns, false,
        static_cast<std::uint16_t>(name.size()), name.data(), nullptr, nullptr, 0 };
      rrs.push_back(makeRr(apex, planned, plan.zone->ns->ttl));
    }
  }
  return rrs;
}

std::vector<std::uint8_t> toWire(const ldns_pkt* pkt)
{
  std::uint8_t* wire = nullptr;
  std::size_t size = 0;
  if (ldns_pkt2wire(&wire, pkt, &size) != LDNS_STATUS_OK)
    return {};
  std::vector<std::uint8_t> bytes(wire, wire + size);
  std::free(wire);
  return bytes;
}

PktPtr headerOnly(std::uint16_t id, std::uint8_t opcode, bool rd, std::uint8_t rcode)
{
  PktPtr pkt(ldns_pkt_new());
  ldns_pkt_set_id(pkt.get(), id);
  ldns_pkt_set_qr(pkt.get(), true);
  ldns_pkt_set_opcode(pkt.get(), static_cast<ldns_pkt_opcode>(opcode));
  ldns_pkt_set_rd(pkt.get(), rd);
  ldns_pkt_set_rcode(pkt.get(), rcode);
  return pkt;
}

// Fills ParsedQuery from ldns's own parse. False: ldns could not read a single question (FORMERR).
bool readQuery(const ldns_pkt* pkt, wire::ParsedQuery& parsed)
{
  if (ldns_pkt_qdcount(pkt) != 1 || ldns_rr_list_rr_count(ldns_pkt_question(pkt)) != 1)
    return false;
  const ldns_rr* question = ldns_rr_list_rr(ldns_pkt_question(pkt), 0);
  const ldns_rdf* owner = ldns_rr_owner(question);
  parsed.status = wire::ParseStatus::Ok;
  parsed.qtype = ldns_rr_get_type(question);
  parsed.qclass = ldns_rr_get_class(question);
  parsed.qnameLength = static_cast<std::uint8_t>(ldns_rdf_size(owner));
  parsed.questionEnd = static_cast<std::uint16_t>(dns::kHeaderSize + ldns_rdf_size(owner) + 4);
  const std::uint8_t* name = ldns_rdf_data(owner);
  for (std::size_t i = 0; i < ldns_rdf_size(owner); ++i)
    parsed.qname[i] = static_cast<char>(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
  parsed.hasOpt = ldns_pkt_edns(pkt);
  parsed.udpSize = ldns_pkt_edns_udp_size(pkt);
  parsed.ednsVersion = ldns_pkt_edns_version(pkt);
  parsed.doBit = ldns_pkt_edns_do(pkt);
  parsed.cookieOffset = 0; // the reference answers as a server without cookies (options.cookies null)
  parsed.cookieLength = 0;
  return true;
}

std::size_t limitFor(const wire::ParsedQuery& parsed, Transport transport, const AnswerOptions& options)
{
  if (transport == Transport::Tcp)
    return 65535;
  if (!parsed.hasOpt)
    return 512;
  return std::max<std::size_t>(512, std::min<std::size_t>(parsed.udpSize, options.maxUdpPayload));
}

// Adds the planned sections to pkt, deciding TC with its own size arithmetic.
void buildSections(ldns_pkt* pkt, const AnswerPlan& plan, const wire::ParsedQuery& parsed,
    const ldns_rr* question, std::size_t limit)
{
  const ldns_rdf* qname = ldns_rr_owner(question);
  std::size_t size = dns::kHeaderSize + ldns_rdf_size(qname) + 4 + (parsed.hasOpt ? dns::kOptSize : 0);
  std::vector<RrPtr> answers = answerRrs(plan, qname, size);
  if (size > limit || plan.overflow) {
    ldns_pkt_set_tc(pkt, true);
    return;
  }
  for (RrPtr& rr : answers)
    ldns_pkt_push_rr(pkt, LDNS_SECTION_ANSWER, rr.release());
  if (plan.authority == detail::Authority::None)
    return;
  std::size_t zoneLabels = 0;
  for (std::size_t pos = 0; plan.zone->name[pos] != 0;
       pos += 1 + static_cast<unsigned char>(plan.zone->name[pos]))
    ++zoneLabels;
  std::unique_ptr<ldns_rdf, void (*)(ldns_rdf*)> owner(
      ldns_dname_clone_from(qname, static_cast<std::uint16_t>(ldns_dname_label_count(qname) - zoneLabels)),
      ldns_rdf_deep_free);
  std::vector<RrPtr> authority = authorityRrs(plan, owner.get());
  for (const RrPtr& rr : authority)
    size += modelSize(rr.get());
  if (size > limit) {
    ldns_pkt_set_tc(pkt, plan.authority == detail::Authority::Soa);
    return;
  }
  for (RrPtr& rr : authority)
    ldns_pkt_push_rr(pkt, LDNS_SECTION_AUTHORITY, rr.release());
}

} // namespace

std::vector<std::uint8_t> referenceAnswer(std::span<const std::uint8_t> query,
    const store::Snapshot& snapshot, std::int64_t now, const ClientAddress& client, Transport transport,
    const AnswerOptions& options)
{
  if (query.size() < dns::kHeaderSize || (query[2] & 0x80) != 0)
    return {};
  auto id = static_cast<std::uint16_t>(query[0] << 8 | query[1]);
  auto opcode = static_cast<std::uint8_t>((query[2] >> 3) & 0x0F);
  bool rd = (query[2] & 1) != 0;
  if (opcode != 0)
    return toWire(headerOnly(id, opcode, rd, dns::kNotImp).get());
  ldns_pkt* raw = nullptr;
  if (ldns_wire2pkt(&raw, query.data(), query.size()) != LDNS_STATUS_OK)
    return toWire(headerOnly(id, opcode, rd, dns::kFormErr).get());
  PktPtr request(raw);
  auto parsed = std::make_unique<wire::ParsedQuery>();
  if (!readQuery(request.get(), *parsed))
    return toWire(headerOnly(id, opcode, rd, dns::kFormErr).get());
  auto plan = std::make_unique<AnswerPlan>();
  detail::resolve(*parsed, snapshot, now, client, options, *plan);
  if (plan->outcome == detail::Outcome::Drop)
    return {};
  PktPtr pkt = headerOnly(id, opcode, rd, static_cast<std::uint8_t>(plan->rcode & 0x0F));
  ldns_pkt_set_aa(pkt.get(), plan->aa);
  const ldns_rr* question = ldns_rr_list_rr(ldns_pkt_question(request.get()), 0);
  ldns_pkt_push_rr(pkt.get(), LDNS_SECTION_QUESTION, ldns_rr_clone(question));
  buildSections(pkt.get(), *plan, *parsed, question, limitFor(*parsed, transport, options));
  if (parsed->hasOpt) {
    ldns_pkt_set_edns_udp_size(pkt.get(), std::max<std::uint16_t>(512, options.maxUdpPayload));
    ldns_pkt_set_edns_do(pkt.get(), parsed->doBit);
    ldns_pkt_set_edns_extended_rcode(pkt.get(), static_cast<std::uint8_t>(plan->rcode >> 4));
  }
  return toWire(pkt.get());
}

} // namespace shun::query
