#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace shun::xfr {

/// A transfer request as read from the wire (RFC 5936 2.1, RFC 1995 3).
struct Request {
  enum class Status { Ok, FormErr };
  Status status = Status::FormErr;
  std::uint16_t id = 0;
  std::uint16_t qtype = 0; ///< AXFR (252) or IXFR (251)
  std::uint16_t qclass = 0;
  std::string zone; ///< the question name, absolute lower-case wire form
  std::size_t questionEnd = 0; ///< the question is bytes [12, questionEnd)
  std::optional<std::uint32_t> clientSerial; ///< IXFR: the serial of the SOA in the authority section
  std::string why; ///< FormErr: what was wrong, for the log
};

/// Reads the header, the question and (IXFR) the SOA in the authority section. Never throws for bad
/// input: status FormErr with why. An IXFR without a SOA of class IN in its authority is FormErr.
Request parseRequest(std::span<const std::uint8_t> query);

/// True if query is an opcode-QUERY request with one question of type AXFR or IXFR. No allocation.
bool isTransferQuery(std::span<const std::uint8_t> query) noexcept;

} // namespace shun::xfr
