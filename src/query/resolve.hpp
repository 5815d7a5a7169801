#pragma once

#include "query/acl.hpp"
#include "query/plan.hpp"
#include "shun/query/answer.hpp"
#include "shun/wire/message.hpp"

#include <string_view>

namespace shun::query::detail {

/// The TTL used when a dataset has none (rbldnsd's -t default); the loader normally resolves it.
inline constexpr std::uint32_t kDefaultTtl = 2100;

/// ttl, shortened so that an answer is never cached past expires (unix seconds; 0: never expires).
inline std::uint32_t clampTtl(std::uint32_t ttl, std::int64_t expires, std::int64_t now) noexcept
{
  if (expires != 0 && expires - now < static_cast<std::int64_t>(ttl))
    return static_cast<std::uint32_t>(expires > now ? expires - now : 0);
  return ttl;
}

/// Computes the answer plan for a parsed query: rcode, flags and every RR, from snapshot lookups only.
/// Shared by the fast writer and the ldns reference writer so that both answer from the same facts.
void resolve(const wire::ParsedQuery& query, const store::Snapshot& snapshot, std::int64_t now,
    const ClientAddress& client, const AnswerOptions& options, AnswerPlan& plan) noexcept;

/// State of the data lookups of one query in one zone.
struct Lookup {
  AnswerPlan& plan;
  const store::Zone& zone;
  const AclDecision& acl;
  const ClientAddress& client;
  std::int64_t now;
  std::uint16_t qtype;
  bool exists = false; ///< the name exists (NODATA rather than NXDOMAIN)
};

/// Looks name (relative to the dataset's sub-zone) up in one dataset, adding RRs to the plan.
void lookupDataset(Lookup& lookup, const store::Dataset& dataset, std::string_view name) noexcept;

} // namespace shun::query::detail
