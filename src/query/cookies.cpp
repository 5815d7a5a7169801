#include "shun/query/cookies.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <stdexcept>
#include <sys/random.h>
#include <thread>

namespace shun::query {
namespace {

constexpr std::uint8_t kVersion = 1; // RFC 9018 section 4.1
constexpr std::int64_t kMaxAge = 3600, kMaxAhead = 300, kRenewAge = 1800; // section 4.3

std::uint32_t timestampOf(const std::uint8_t* serverCookie) noexcept
{
  return static_cast<std::uint32_t>(serverCookie[4]) << 24 | static_cast<std::uint32_t>(serverCookie[5]) << 16
      | static_cast<std::uint32_t>(serverCookie[6]) << 8 | serverCookie[7];
}

// Seconds since the cookie's timestamp, in RFC 1982 serial arithmetic (the 32-bit clock wraps in 2106).
std::int64_t ageOf(const std::uint8_t* serverCookie, std::int64_t now) noexcept
{
  auto difference = static_cast<std::uint32_t>(now) - timestampOf(serverCookie);
  return static_cast<std::int32_t>(difference);
}

int hexDigit(char c) noexcept
{
  if (c >= '0' && c <= '9')
    return c - '0';
  c = static_cast<char>(c | 0x20);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

} // namespace

// OpenSSL's SipHash through EVP_MAC, set up at the thread's first cookie: fetching the MAC loads
// OpenSSL's provider tables (about 2 MiB a process), which a server whose clients send no cookie never
// needs. Each hash re-initialises the context with its key, which copies the key into the context's state
// (no allocation).
struct ServerCookies::Mac {
  struct MacFree {
    void operator()(EVP_MAC* mac) const noexcept { EVP_MAC_free(mac); }
  };
  struct ContextFree {
    void operator()(EVP_MAC_CTX* context) const noexcept { EVP_MAC_CTX_free(context); }
  };
  std::unique_ptr<EVP_MAC, MacFree> mac;
  std::unique_ptr<EVP_MAC_CTX, ContextFree> context;
  std::size_t size = 8; // SipHash-2-4 with a 64-bit output (the default is 128 bits)
  OSSL_PARAM params[2];
  bool tried = false; ///< creation was attempted: it is never retried, so it allocates once at most
  std::uint64_t failures = 0;
};

ServerCookies::ServerCookies(const std::vector<CookieSecret>& secrets)
    : d_mac(std::make_unique<Mac>())
{
  if (secrets.empty() || secrets.size() > d_secrets.size())
    throw std::runtime_error("DNS cookies need one or two server secrets (the current, the previous)");
  d_count = secrets.size();
  std::copy(secrets.begin(), secrets.end(), d_secrets.begin());
  d_mac->params[0] = OSSL_PARAM_construct_size_t(OSSL_MAC_PARAM_SIZE, &d_mac->size);
  d_mac->params[1] = OSSL_PARAM_construct_end();
}

// The first cookie's cost (allocation, OpenSSL's locks); a failure (no SipHash in this OpenSSL, no memory)
// leaves the thread without server cookies: its answers carry the client's cookie alone.
EVP_MAC_CTX* ServerCookies::context() noexcept
{
  Mac& mac = *d_mac;
  if (mac.tried) [[likely]]
    return mac.context.get();
  mac.tried = true;
  mac.mac.reset(EVP_MAC_fetch(nullptr, "SIPHASH", nullptr));
  if (mac.mac)
    mac.context.reset(EVP_MAC_CTX_new(mac.mac.get()));
  return mac.context.get();
}

bool ServerCookies::ready() const noexcept
{
  return d_mac->context != nullptr;
}

std::uint64_t ServerCookies::failures() const noexcept
{
  return d_mac->failures;
}

ServerCookies::ServerCookies(const SharedCookieSecrets& shared)
    : ServerCookies(std::vector<CookieSecret>(1))
{
  d_shared = &shared;
  d_count = 0;
  while (!shared.empty() && !shared.tryCopy(d_secrets, d_count, d_generation))
    std::this_thread::yield(); // the writer holds them for a copy's time
  if (d_count == 0)
    throw std::runtime_error("DNS cookies need a server secret");
}

// A rotation is taken at the next cookie: one atomic load while there is none. A copy the writer
// delays is retried at the cookie after, meanwhile the secrets held still serve.
void ServerCookies::follow() noexcept
{
  if (d_shared && d_shared->generation() != d_generation)
    d_shared->tryCopy(d_secrets, d_count, d_generation);
}

ServerCookies::~ServerCookies() = default;

// RFC 9018 section 4.4: SipHash-2-4(Client Cookie | Version | Reserved | Timestamp | Client-IP, Secret).
bool ServerCookies::hash(const CookieSecret& secret, const std::uint8_t* clientCookie,
    const std::uint8_t* head, const ClientAddress& client, std::uint8_t* out) noexcept
{
  std::uint8_t input[kClientCookieSize + 8 + 16];
  std::memcpy(input, clientCookie, kClientCookieSize);
  std::memcpy(input + kClientCookieSize, head, 8);
  std::size_t length = kClientCookieSize + 8;
  if (client.isV6) {
    for (int shift = 120; shift >= 0; shift -= 8)
      input[length++] = static_cast<std::uint8_t>(client.v6 >> shift);
  } else {
    for (int shift = 24; shift >= 0; shift -= 8)
      input[length++] = static_cast<std::uint8_t>(client.v4 >> shift);
  }
  EVP_MAC_CTX* mac = context();
  std::size_t written = 0;
  bool made = mac && EVP_MAC_init(mac, secret.data(), secret.size(), d_mac->params) == 1
      && EVP_MAC_update(mac, input, length) == 1 && EVP_MAC_final(mac, out, &written, 8) == 1 && written == 8;
  d_mac->failures += made ? 0 : 1;
  return made;
}

bool ServerCookies::make(const std::uint8_t* clientCookie, const ClientAddress& client, std::int64_t now,
    std::uint8_t* out) noexcept
{
  auto stamp = static_cast<std::uint32_t>(now);
  std::uint8_t head[8]
      = { kVersion, 0, 0, 0, static_cast<std::uint8_t>(stamp >> 24), static_cast<std::uint8_t>(stamp >> 16),
          static_cast<std::uint8_t>(stamp >> 8), static_cast<std::uint8_t>(stamp) };
  std::memcpy(out, head, 8);
  follow();
  return hash(d_secrets.front(), clientCookie, head, client, out + 8);
}

bool ServerCookies::verify(const std::uint8_t* clientCookie, const std::uint8_t* serverCookie,
    std::size_t length, const ClientAddress& client, std::int64_t now) noexcept
{
  if (length != kServerCookieSize || serverCookie[0] != kVersion)
    return false;
  std::int64_t age = ageOf(serverCookie, now);
  if (age > kMaxAge || age < -kMaxAhead)
    return false;
  follow();
  for (std::size_t i = 0; i < d_count; ++i) {
    const CookieSecret& secret = d_secrets[i];
    std::uint8_t expected[8];
    // A cookie is 8 bytes of MAC: a constant-time compare keeps its bytes from leaking through timing.
    if (hash(secret, clientCookie, serverCookie, client, expected)
        && CRYPTO_memcmp(expected, serverCookie + 8, sizeof expected) == 0)
      return true;
  }
  return false;
}

bool ServerCookies::wantsRenewal(const std::uint8_t* serverCookie, std::int64_t now) noexcept
{
  return ageOf(serverCookie, now) > kRenewAge;
}

void SharedCookieSecrets::set(const std::vector<CookieSecret>& secrets)
{
  if (secrets.empty() || secrets.size() > d_secrets.size())
    throw std::invalid_argument("DNS cookies need one or two server secrets (the current, the previous)");
  std::lock_guard lock(d_mutex);
  d_count = secrets.size();
  std::copy(secrets.begin(), secrets.end(), d_secrets.begin());
  d_generation.fetch_add(1, std::memory_order_release);
}

SharedCookieSecrets::Change SharedCookieSecrets::rotate(const std::vector<CookieSecret>& fromFile)
{
  if (fromFile.empty() || fromFile.size() > d_secrets.size())
    throw std::invalid_argument("DNS cookies need one or two server secrets (the current, the previous)");
  std::vector<CookieSecret> next = fromFile;
  Change change = Change::PreviousReplaced;
  {
    std::lock_guard lock(d_mutex);
    bool sameCurrent = d_count > 0 && d_secrets[0] == fromFile[0];
    bool samePrevious = fromFile.size() == 1 || (d_count == 2 && d_secrets[1] == fromFile[1]);
    if (sameCurrent && samePrevious)
      return Change::None; // the file without a previous line does not forget the one rotated out
    if (!sameCurrent) {
      change = Change::Rotated;
      if (next.size() == 1 && d_count > 0)
        next.push_back(d_secrets[0]);
    }
  }
  set(next);
  return change;
}

bool SharedCookieSecrets::tryCopy(
    std::array<CookieSecret, 2>& out, std::size_t& count, std::uint64_t& generation) const noexcept
{
  std::unique_lock lock(d_mutex, std::try_to_lock);
  if (!lock.owns_lock())
    return false;
  out = d_secrets;
  count = d_count;
  generation = d_generation.load(std::memory_order_relaxed);
  return true;
}

// From the kernel, not OpenSSL's RAND_bytes: that would set up OpenSSL's generator and providers in every
// server, whether or not a client ever sends a cookie.
CookieSecret randomCookieSecret()
{
  CookieSecret secret;
  std::size_t filled = 0;
  while (filled < secret.size()) {
    ssize_t got = getrandom(secret.data() + filled, secret.size() - filled, 0);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      throw std::runtime_error("cannot draw a random DNS cookie secret (getrandom failed)");
    filled += static_cast<std::size_t>(got);
  }
  return secret;
}

std::vector<CookieSecret> readCookieSecrets(const std::string& path)
{
  std::ifstream in(path);
  if (!in)
    throw std::runtime_error(path + ": cannot read the DNS cookie secret file");
  std::vector<CookieSecret> secrets;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#')
      continue;
    auto last = line.find_last_not_of(" \t\r");
    std::string text = line.substr(first, last + 1 - first);
    auto where = path + ":" + std::to_string(number) + ": ";
    if (secrets.size() == 2)
      throw std::runtime_error(where + "more than two secrets (the current one, then the previous one)");
    CookieSecret secret;
    bool hex = text.size() == 2 * secret.size();
    for (std::size_t i = 0; hex && i < secret.size(); ++i) {
      int high = hexDigit(text[2 * i]), low = hexDigit(text[2 * i + 1]);
      hex = high >= 0 && low >= 0;
      secret[i] = static_cast<std::uint8_t>(high << 4 | low);
    }
    if (!hex)
      throw std::runtime_error(where + "a secret is 32 hex digits (128 bits)");
    secrets.push_back(secret);
  }
  if (secrets.empty())
    throw std::runtime_error(path + ": no DNS cookie secret (32 hex digits)");
  return secrets;
}

} // namespace shun::query
