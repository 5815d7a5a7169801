#pragma once

#include "server/handles.hpp"
#include "shun/config/config.hpp"

#include <string>
#include <sys/socket.h>
#include <vector>

namespace shun::server {

/// One listen address with its sockets: a SO_REUSEPORT UDP and TCP socket per worker, all bound to the
/// same actual port.
struct Listener {
  sockaddr_storage address {}; ///< with the actual port (never 0 once bound)
  socklen_t addressLength = 0;
  std::vector<UniqueFd> udp; ///< one per worker
  std::vector<UniqueFd> tcp; ///< one per worker, listening
  std::string text() const; ///< "127.0.0.1/5353" or "::1/5353"
};

/// Resolves every "-b" spec (host names give all their addresses; duplicates are dropped) and binds
/// `workers` UDP and TCP sockets on each. Port 0 picks one free port shared by UDP and TCP. Throws
/// config::ConfigError naming the address on failure.
std::vector<Listener> bindListeners(
    const std::vector<config::ListenSpec>& specs, config::Family family, std::size_t workers);

/// Formats an address as rbldnsd does ("addr/port").
std::string addressText(const sockaddr* address);

} // namespace shun::server
