#pragma once

#include "shun/query/answer.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace shun::query {

inline constexpr std::size_t kClientCookieSize = 8; ///< RFC 7873 section 4
inline constexpr std::size_t kServerCookieSize = 16; ///< RFC 9018 section 4: version, reserved, time, hash

/// A server secret: SipHash-2-4's 128-bit key (RFC 9018 section 4.4).
using CookieSecret = std::array<std::uint8_t, 16>;

/// RFC 9018 server cookies: version 1, three reserved bytes, a 32-bit timestamp and SipHash-2-4 (through
/// OpenSSL's EVP_MAC) of the client cookie, those 8 bytes and the client's address under the secret. One
/// per thread: it holds an OpenSSL MAC context. make and verify never allocate and never throw.
class ServerCookies {
public:
  /// secrets[0] makes new cookies; any later one (the previous secret of a rotation, RFC 9018 section 5)
  /// is still accepted. Throws std::runtime_error when secrets is empty or OpenSSL has no SipHash.
  explicit ServerCookies(std::vector<CookieSecret> secrets);
  ~ServerCookies();
  ServerCookies(const ServerCookies&) = delete;
  ServerCookies& operator=(const ServerCookies&) = delete;

  /// Writes the 16-byte server cookie for clientCookie (8 bytes) from client at now (unix seconds) to
  /// out. False when OpenSSL failed (out is then unusable).
  bool make(const std::uint8_t* clientCookie, const ClientAddress& client, std::int64_t now,
      std::uint8_t* out) noexcept;
  /// True when serverCookie (length bytes) is one of ours for this client cookie and address, at most an
  /// hour old and at most five minutes ahead of now (RFC 9018 section 4.3).
  bool verify(const std::uint8_t* clientCookie, const std::uint8_t* serverCookie, std::size_t length,
      const ClientAddress& client, std::int64_t now) noexcept;
  /// True when a valid server cookie should be replaced by a new one: made over half an hour ago.
  static bool wantsRenewal(const std::uint8_t* serverCookie, std::int64_t now) noexcept;

private:
  bool hash(const CookieSecret& secret, const std::uint8_t* clientCookie, const std::uint8_t* head,
      const ClientAddress& client, std::uint8_t* out) noexcept;
  struct Mac;
  std::vector<CookieSecret> d_secrets;
  std::unique_ptr<Mac> d_mac;
};

/// A fresh random secret from OpenSSL's RAND_bytes. Throws std::runtime_error if it fails.
CookieSecret randomCookieSecret();

/// The secrets in a file: one or two lines of 32 hex digits, the current secret first, then the previous
/// one (still accepted while clients renew); '#' comments and blank lines ignored. Throws
/// std::runtime_error "path:line: reason".
std::vector<CookieSecret> readCookieSecrets(const std::string& path);

} // namespace shun::query
