#pragma once

#include "shun/query/answer.hpp"

#include <optional>

namespace shun::query::detail {

/// The most common DNSBL queries answered straight from the packet: one question, no EDNS, IN A or TXT
/// for four decimal labels in a zone of plain IPv4 datasets (no acl, no sub-zones, no $TIMESTAMP
/// expiry), either listed with exactly one live value that has RDATA of that type, or not listed
/// (NXDOMAIN). Writes the same bytes as the general path (resolve + writeAnswer) and counts the valid
/// access key it was asked under; nullopt: anything else, left to the general path. hint: prefetchLookup's
/// parse of this query (or null: parsed here).
std::optional<Result> answerPlainIp4(std::span<const std::uint8_t> query, const store::Snapshot& snapshot,
    std::int64_t now, Transport transport, const AnswerOptions& options, std::span<std::uint8_t> out,
    const LookupHint* hint = nullptr) noexcept;

} // namespace shun::query::detail
