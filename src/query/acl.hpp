#pragma once

#include "shun/query/answer.hpp"
#include "shun/store/dataset.hpp"

namespace shun::query::detail {

/// The action an acl dataset takes for a client; value is the "always listed" answer (Always only).
struct AclDecision {
  store::AclAction action = store::AclAction::Pass;
  const store::Dataset* dataset = nullptr;
  const store::CompiledValue* value = nullptr;
};

/// Looks the client up in acl (null: Pass). IPv4 clients in the v4 map, IPv6 clients in the v6 map.
AclDecision aclDecision(const store::Dataset* acl, const ClientAddress& client) noexcept;

/// Global and zone decisions together: ignore > refuse > empty > always > pass; the global "always" wins.
AclDecision combine(const AclDecision& global, const AclDecision& zone) noexcept;

} // namespace shun::query::detail
