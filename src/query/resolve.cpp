#include "query/resolve.hpp"

#include "query/keys.hpp"

namespace shun::query::detail {
namespace {

namespace dns = wire::dns;
using store::AclAction;

void finish(AnswerPlan& plan, std::uint16_t rcode) noexcept
{
  plan.rcode = rcode;
}

// Calls visit(subzone, dataset) for every data dataset of the zone, combined children included.
template <typename Visit> void forEachRoute(const store::Zone& zone, Visit&& visit) noexcept
{
  for (const store::ZoneDataset& entry : zone.datasets) {
    if (!entry.dataset)
      continue;
    if (entry.dataset->type != store::DatasetType::Combined) {
      visit(std::string_view(entry.subzone), *entry.dataset);
      continue;
    }
    for (const store::SubDataset& child : entry.dataset->children)
      for (const store::WireName& subzone : child.subzones)
        if (child.dataset)
          visit(std::string_view(subzone), *child.dataset);
  }
}

bool timestampExpired(const store::Zone& zone, std::int64_t now) noexcept
{
  bool expired = false;
  auto check = [&](std::string_view, const store::Dataset& dataset) {
    expired = expired || (dataset.timestampExpires != 0 && now >= dataset.timestampExpires);
  };
  for (const store::ZoneDataset& entry : zone.datasets)
    if (entry.dataset)
      check({}, *entry.dataset);
  forEachRoute(zone, check);
  return expired;
}

// Queries every dataset of the most specific sub-zone above rel; names above a deeper sub-zone exist.
void lookupRoutes(Lookup& lookup, std::string_view rel) noexcept
{
  std::size_t best = 0;
  forEachRoute(lookup.zone, [&](std::string_view subzone, const store::Dataset&) {
    if (subzone.size() > best && endsWithLabels(rel, subzone))
      best = subzone.size();
    if (subzone.size() > rel.size() && endsWithLabels(subzone, rel))
      lookup.exists = true; // an empty non-terminal above a sub-zone
  });
  forEachRoute(lookup.zone, [&](std::string_view subzone, const store::Dataset& dataset) {
    if (subzone.size() != best || !endsWithLabels(rel, subzone))
      return;
    std::string_view name = rel.substr(0, rel.size() - subzone.size());
    if (name.empty())
      lookup.exists = true; // a sub-zone apex
    lookupDataset(lookup, dataset, name);
  });
}

void addApexRr(AnswerPlan& plan, std::uint16_t type, std::uint32_t ttl, RdataKind kind, const void* data,
    std::size_t length, const store::SoaData* soa) noexcept
{
  if (PlannedRr* rr = plan.add())
    *rr = PlannedRr { type, dns::kClassIn, ttl, kind, false, static_cast<std::uint16_t>(length), data, soa,
      nullptr, 0 };
}

void addNsRrset(AnswerPlan& plan, const store::NsData& ns) noexcept
{
  for (const std::string& name : ns.names)
    addApexRr(plan, dns::kTypeNs, ns.ttl, RdataKind::Ns, name.data(), name.size(), nullptr);
}

// SOA/NS/ANY at the apex. False: the zone lacks the data asked for (REFUSED, as rbldnsd).
bool planApex(AnswerPlan& plan, const store::Zone& zone, std::uint16_t qtype) noexcept
{
  bool wantSoa = qtype == dns::kTypeSoa || qtype == dns::kTypeAny;
  bool wantNs = qtype == dns::kTypeNs || qtype == dns::kTypeAny;
  if ((wantSoa && !zone.soa) || (wantNs && !zone.ns))
    return false;
  if (wantSoa)
    addApexRr(plan, dns::kTypeSoa, zone.soa->ttl, RdataKind::Soa, nullptr, 0, &*zone.soa);
  if (wantNs)
    addNsRrset(plan, *zone.ns);
  return true;
}

// Why a key was refused, for the TXT of a configured refusal code.
std::string_view refusalText(store::AccessCheck check) noexcept
{
  switch (check) {
  case store::AccessCheck::Revoked:
    return "access key revoked";
  case store::AccessCheck::Expired:
    return "access key expired";
  case store::AccessCheck::WrongZone:
    return "access key not valid for this zone";
  case store::AccessCheck::OverQuota:
    return "access key over its daily quota";
  default:
    return "unknown access key";
  }
}

// A refused key: REFUSED, or (--key-refusal) A 127.255.255.x and a TXT saying why, NOERROR.
void refuseAccess(
    AnswerPlan& plan, const store::Zone& zone, std::uint16_t qtype, const AnswerOptions& options) noexcept
{
  if (options.accessRefusal == 0)
    return finish(plan, dns::kRefused);
  constexpr std::uint32_t kRefusalTtl = 60; // a fixed key works again within a minute
  plan.refusalA[0] = 127;
  plan.refusalA[1] = plan.refusalA[2] = 255;
  plan.refusalA[3] = options.accessRefusal;
  if (qtype == dns::kTypeA || qtype == dns::kTypeAny)
    addApexRr(plan, dns::kTypeA, kRefusalTtl, RdataKind::Raw, plan.refusalA, 4, nullptr);
  std::string_view text = refusalText(plan.access);
  if (qtype == dns::kTypeTxt || qtype == dns::kTypeAny)
    addApexRr(plan, dns::kTypeTxt, kRefusalTtl, RdataKind::Text, text.data(), text.size(), nullptr);
  if (plan.count == 0 && zone.soa)
    plan.authority = Authority::Soa;
  finish(plan, dns::kNoError);
}

// Keyed zones: the label just above the zone is the access key; rel loses it. False: refused (the plan
// is complete).
bool takeAccessKey(AnswerPlan& plan, std::string_view& rel, const store::Zone& zone,
    const store::AccessKeySet* keys, std::int64_t now, std::uint16_t qtype,
    const AnswerOptions& options) noexcept
{
  std::size_t last = 0;
  for (std::size_t pos = 0; pos < rel.size(); pos += 1 + static_cast<unsigned char>(rel[pos]))
    last = pos;
  std::size_t length = static_cast<unsigned char>(rel[last]);
  plan.accessLabel = static_cast<std::uint16_t>(last);
  plan.access = keys ? keys->check(rel.data() + last + 1, length, zone.accessBit, now, plan.accessKey)
                     : store::AccessCheck::Unknown;
  rel = rel.substr(0, last);
  if (plan.access == store::AccessCheck::Valid)
    return true;
  refuseAccess(plan, zone, qtype, options);
  return false;
}

void answerZone(AnswerPlan& plan, const wire::ParsedQuery& query, const store::Zone& zone,
    const AclDecision& acl, const ClientAddress& client, std::int64_t now, const AnswerOptions& options,
    const store::AccessKeySet* keys) noexcept
{
  std::string_view rel = query.lowerName().substr(0, query.qnameLength - zone.name.size());
  bool apex = rel.empty();
  // Transfers come over TCP (server/ hands them to xfr/): AXFR over UDP is refused (RFC 5936 4.2), an
  // IXFR over UDP gets the single SOA, as when the difference does not fit (RFC 1995 2).
  if (query.qtype == dns::kTypeAxfr || (query.qtype == dns::kTypeIxfr && !apex))
    return finish(plan, dns::kRefused);
  if (zone.accessBit != 0 && !apex) {
    if (!takeAccessKey(plan, rel, zone, keys, now, query.qtype, options))
      return;
    if (rel.empty()) { // "<key>.<zone>": exists, holds nothing (QNAME minimisation asks it first)
      if (zone.soa)
        plan.authority = Authority::Soa;
      return finish(plan, dns::kNoError);
    }
  }
  std::uint16_t apexType = query.qtype == dns::kTypeIxfr ? dns::kTypeSoa : query.qtype;
  if (apex && !planApex(plan, zone, apexType))
    return finish(plan, dns::kRefused);
  Lookup lookup { plan, zone, acl, client, now, query.qtype, apex };
  lookupRoutes(lookup, rel);
  if (plan.count > 0) {
    bool nsAnswered = apex && (query.qtype == dns::kTypeNs || query.qtype == dns::kTypeAny);
    if (!options.minimalAnswers && !nsAnswered && zone.ns)
      plan.authority = Authority::Ns;
    return finish(plan, dns::kNoError);
  }
  if (zone.soa)
    plan.authority = Authority::Soa;
  finish(plan, lookup.exists ? dns::kNoError : dns::kNxDomain);
}

bool isVersionName(std::string_view name) noexcept
{
  using namespace std::string_view_literals;
  return name == "\7version\4bind\0"sv || name == "\7version\6server\0"sv;
}

void answerChaos(AnswerPlan& plan, const wire::ParsedQuery& query, const AnswerOptions& options) noexcept
{
  if (options.version == VersionMode::Refuse || !isVersionName(query.lowerName()))
    return finish(plan, dns::kRefused);
  if (query.qtype == dns::kTypeTxt || query.qtype == dns::kTypeAny) {
    std::string_view text
        = options.version == VersionMode::Full ? std::string_view(options.versionText) : "shun";
    if (text.size() > 255)
      text = text.substr(0, 255);
    if (PlannedRr* rr = plan.add())
      *rr = PlannedRr { dns::kTypeTxt, dns::kClassCh, 0, RdataKind::Text, false,
        static_cast<std::uint16_t>(text.size()), text.data(), nullptr, nullptr, 0 };
  }
  finish(plan, dns::kNoError);
}

bool notImplementedType(std::uint16_t qtype) noexcept
{
  return qtype == dns::kTypeTsig || qtype == dns::kTypeMailb || qtype == dns::kTypeMaila;
}

// Header-level outcomes decided before any zone is looked at. True: the plan is complete.
bool planEarly(AnswerPlan& plan, const wire::ParsedQuery& query) noexcept
{
  switch (query.status) {
  case wire::ParseStatus::Drop:
    plan.outcome = Outcome::Drop;
    return true;
  case wire::ParseStatus::NotImp:
    plan.outcome = Outcome::HeaderOnly;
    finish(plan, dns::kNotImp);
    return true;
  case wire::ParseStatus::FormErr:
    plan.outcome = Outcome::HeaderOnly;
    finish(plan, dns::kFormErr);
    return true;
  case wire::ParseStatus::Ok:
    break;
  }
  if (query.hasOpt && query.ednsVersion > 0) {
    finish(plan, dns::kBadVers); // RFC 6891 §6.1.3
    return true;
  }
  return false;
}

} // namespace

void resolve(const wire::ParsedQuery& query, const store::Snapshot& snapshot, std::int64_t now,
    const ClientAddress& client, const AnswerOptions& options, AnswerPlan& plan) noexcept
{
  plan.reset();
  if (planEarly(plan, query))
    return;
  AclDecision global = aclDecision(snapshot.globalAcl, client);
  if (global.action == AclAction::Ignore) {
    plan.outcome = Outcome::Drop;
    return;
  }
  if (query.qclass == dns::kClassCh)
    return answerChaos(plan, query, options);
  if (query.qclass != dns::kClassIn && query.qclass != dns::kClassAny)
    return finish(plan, dns::kRefused);
  if (notImplementedType(query.qtype))
    return finish(plan, dns::kNotImp);
  const store::Zone* zone = snapshot.findZone(query.lowerName());
  if (!zone)
    return finish(plan, dns::kRefused);
  plan.zone = zone;
  AclDecision acl = combine(global, aclDecision(zone->acl, client));
  if (acl.action == AclAction::Ignore) {
    plan.outcome = Outcome::Drop;
    return;
  }
  if (timestampExpired(*zone, now))
    return finish(plan, dns::kServFail);
  if (acl.action == AclAction::Refuse)
    return finish(plan, dns::kRefused);
  plan.aa = query.qclass == dns::kClassIn;
  answerZone(plan, query, *zone, acl, client, now, options, snapshot.accessKeys.get());
}

} // namespace shun::query::detail
