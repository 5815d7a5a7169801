#include "query/acl.hpp"

namespace shun::query::detail {
namespace {

int rank(store::AclAction action) noexcept
{
  switch (action) {
  case store::AclAction::Ignore:
    return 4;
  case store::AclAction::Refuse:
    return 3;
  case store::AclAction::Empty:
    return 2;
  case store::AclAction::Always:
    return 1;
  case store::AclAction::Pass:
    break;
  }
  return 0;
}

} // namespace

AclDecision aclDecision(const store::Dataset* acl, const ClientAddress& client) noexcept
{
  AclDecision decision;
  if (!acl)
    return decision;
  std::uint32_t payload = client.isV6 ? acl->ip6.find(client.v6) : acl->ip4.find(client.v4);
  if (payload == store::kNoPayload || payload >= acl->sets.size())
    return decision;
  auto ids = acl->sets.set(payload);
  if (ids.empty() || ids[0] >= acl->aclActions.size())
    return decision;
  decision.action = acl->aclActions[ids[0]];
  if (decision.action == store::AclAction::Always && ids[0] < acl->values.size()) {
    decision.dataset = acl;
    decision.value = &acl->values.compiled(ids[0]);
  } else if (decision.action == store::AclAction::Always) {
    decision.action = store::AclAction::Pass; // an "always" without a value cannot answer
  }
  return decision;
}

AclDecision combine(const AclDecision& global, const AclDecision& zone) noexcept
{
  return rank(zone.action) > rank(global.action) ? zone : global;
}

} // namespace shun::query::detail
