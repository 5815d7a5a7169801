#pragma once

#include "shun/metrics/counters.hpp"
#include "shun/query/answer.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace shun::metrics {

/// One "-s" statistics line as rbldnsd writes it, with its newline:
/// "<unixtime> zone:qtot:qok:qnxd:bytes_in:bytes_out ... *:totals".
std::string formatStatsLine(std::int64_t now, const StatsReport& report);

/// The SIGUSR1 log lines, rbldnsd's wording: "stats for 5secs zone bl.example: tot=3 ok=1 nxd=2 err=0
/// in=175 out=297" per zone, then "stats for 5sec: ..." for the totals.
std::vector<std::string> formatStatsLog(const StatsReport& report, std::int64_t seconds);

/// Writes one query-log line with its newline into out ("<unixtime> <client> <qname> <QTYPE> <QCLASS>:
/// <RCODE>/<ancount>/<bytes>"). Returns its length, or 0 when the query has no readable question or the
/// line does not fit. No allocation, never throws.
std::size_t formatQueryLogLine(std::span<char> out, std::int64_t now, std::string_view client,
    std::span<const std::uint8_t> query, const query::Result& result) noexcept;

/// rbldnsd's names: "TXT" or "type65"; "IN" or "class5"; "NXDOMAIN" or "rcode11". Write into out (at
/// least 16 bytes) and return the length.
std::size_t typeName(std::uint16_t type, char* out) noexcept;
std::size_t className(std::uint16_t qclass, char* out) noexcept;
std::size_t rcodeName(std::uint8_t rcode, char* out) noexcept;

} // namespace shun::metrics
