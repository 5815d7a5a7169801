#pragma once

#include "shun/query/answer.hpp"

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

struct evp_mac_ctx_st;

namespace shun::query {

inline constexpr std::size_t kClientCookieSize = 8; ///< RFC 7873 section 4
inline constexpr std::size_t kServerCookieSize = 16; ///< RFC 9018 section 4: version, reserved, time, hash

/// A server secret: SipHash-2-4's 128-bit key (RFC 9018 section 4.4).
using CookieSecret = std::array<std::uint8_t, 16>;

/// The server secrets every worker's ServerCookies follows: the current one and, after a rotation, the
/// previous one (RFC 9018 section 5). Changed by one thread (shund's SIGHUP); read by the workers, which
/// see a change at their next cookie.
class SharedCookieSecrets {
public:
  /// What rotate did.
  enum class Change { None, Rotated, PreviousReplaced };
  explicit SharedCookieSecrets() = default;
  /// Sets the secrets, current first (at most two). Throws std::invalid_argument for none or more.
  void set(const std::vector<CookieSecret>& secrets);
  /// Takes a secret file's secrets (readCookieSecrets): a new current secret keeps the old current one
  /// as the previous, unless the file names the previous itself, so the cookies made before a rotation
  /// verify until the next one; the secret before that is dropped. Same rules as set for secrets.
  Change rotate(const std::vector<CookieSecret>& fromFile);
  bool empty() const noexcept { return generation() == 0; }
  /// Bumped by each change; 0: never set.
  std::uint64_t generation() const noexcept { return d_generation.load(std::memory_order_acquire); }
  /// Copies the secrets to out (count of them, generation of the copy); false when the writer holds them
  /// at this moment (try again later). Never blocks, allocates or throws.
  bool tryCopy(
      std::array<CookieSecret, 2>& out, std::size_t& count, std::uint64_t& generation) const noexcept;

private:
  mutable std::mutex d_mutex;
  std::array<CookieSecret, 2> d_secrets {};
  std::size_t d_count = 0;
  std::atomic<std::uint64_t> d_generation { 0 };
};

/// RFC 9018 server cookies: version 1, three reserved bytes, a 32-bit timestamp and SipHash-2-4 (through
/// OpenSSL's EVP_MAC) of the client cookie, those 8 bytes and the client's address under the secret. One
/// per thread: it holds an OpenSSL MAC context, created by the first make or verify (the only call that
/// allocates; a failure there is not retried). make and verify never throw.
class ServerCookies {
public:
  /// secrets[0] makes new cookies; the second (the previous secret of a rotation, RFC 9018 section 5)
  /// is still accepted. Throws std::runtime_error when secrets is empty or holds more than two. Touches
  /// no OpenSSL: a server that never sees a cookie never loads its providers.
  explicit ServerCookies(const std::vector<CookieSecret>& secrets);
  /// Follows shared (which outlives it): each make and verify first takes a rotation made since. Throws
  /// like the other constructor when shared is empty.
  explicit ServerCookies(const SharedCookieSecrets& shared);
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
  /// True once the OpenSSL MAC context exists (after the first make or verify that could create it).
  bool ready() const noexcept;
  /// Hashes that failed (no SipHash in OpenSSL, no memory for its context): cookies not made or checked.
  std::uint64_t failures() const noexcept;

private:
  void follow() noexcept;
  evp_mac_ctx_st* context() noexcept;
  bool hash(const CookieSecret& secret, const std::uint8_t* clientCookie, const std::uint8_t* head,
      const ClientAddress& client, std::uint8_t* out) noexcept;
  struct Mac;
  std::array<CookieSecret, 2> d_secrets {};
  std::size_t d_count = 0;
  const SharedCookieSecrets* d_shared = nullptr;
  std::uint64_t d_generation = 0; ///< of d_shared, copied
  std::unique_ptr<Mac> d_mac;
};

/// A fresh random secret from the kernel (getrandom). Throws std::runtime_error if it fails.
CookieSecret randomCookieSecret();

/// The secrets in a file: one or two lines of 32 hex digits, the current secret first, then the previous
/// one (still accepted while clients renew); '#' comments and blank lines ignored. Throws
/// std::runtime_error "path:line: reason".
std::vector<CookieSecret> readCookieSecrets(const std::string& path);

} // namespace shun::query
