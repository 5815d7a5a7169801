#pragma once

#include "shun/query/answer.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace shun::query {

/// Test oracle for the fast path: the same answer built with ldns (ldns parses the query and builds the
/// response ldns_pkt from the same snapshot lookups, with its own size arithmetic for TC). Allocates and
/// is slow: tests and fuzzing only. Empty: the query is dropped. Needs a query ldns can parse.
std::vector<std::uint8_t> referenceAnswer(std::span<const std::uint8_t> query,
    const store::Snapshot& snapshot, std::int64_t now, const ClientAddress& client, Transport transport,
    const AnswerOptions& options);

} // namespace shun::query
