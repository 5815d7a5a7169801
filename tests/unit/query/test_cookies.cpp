#include "shun/query/cookies.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <openssl/crypto.h>
#include <string>
#include <unistd.h>

using namespace shun;

namespace {

std::vector<std::uint8_t> hex(std::string_view text)
{
  std::vector<std::uint8_t> bytes;
  for (std::size_t i = 0; i + 1 < text.size(); i += 2)
    bytes.push_back(static_cast<std::uint8_t>(std::stoi(std::string(text.substr(i, 2)), nullptr, 16)));
  return bytes;
}

query::CookieSecret secretOf(std::string_view text)
{
  query::CookieSecret secret;
  auto bytes = hex(text);
  std::copy(bytes.begin(), bytes.end(), secret.begin());
  return secret;
}

query::ClientAddress v4(std::uint32_t address)
{
  query::ClientAddress client;
  client.v4 = address;
  return client;
}

const auto kClientCookie = hex("2464c4abcf10c957");
const query::ClientAddress kClient = v4(0xC6336464); // 198.51.100.100
constexpr std::int64_t kNow = 1559731985; // RFC 9018 appendix A.1

std::string tempFile(const std::string& text)
{
  char path[] = "/tmp/shun-cookie-XXXXXX";
  int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  REQUIRE(write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  close(fd);
  return path;
}

} // namespace

TEST_CASE("cookies: the server cookie of RFC 9018 appendix A.1 (SipHash-2-4 through OpenSSL)")
{
  query::ServerCookies cookies({ secretOf("e5e973e5a6b2a43f48e7dc849e37bfcf") });
  std::uint8_t out[16];
  REQUIRE(cookies.make(kClientCookie.data(), kClient, kNow, out));
  CHECK(std::vector<std::uint8_t>(out, out + 16) == hex("010000005cf79f111f8130c3eee29480"));
  CHECK(cookies.verify(kClientCookie.data(), out, 16, kClient, kNow + 10));
}

TEST_CASE("cookies: a cookie is bound to its client cookie, address, secret and time")
{
  query::ServerCookies cookies({ secretOf("000102030405060708090a0b0c0d0e0f") });
  std::uint8_t out[16];
  REQUIRE(cookies.make(kClientCookie.data(), kClient, kNow, out));
  CHECK(cookies.verify(kClientCookie.data(), out, 16, kClient, kNow));
  auto otherClientCookie = kClientCookie;
  otherClientCookie[7] ^= 1;
  CHECK_FALSE(cookies.verify(otherClientCookie.data(), out, 16, kClient, kNow));
  CHECK_FALSE(cookies.verify(kClientCookie.data(), out, 16, v4(0xC6336465), kNow));
  query::ClientAddress six;
  six.isV6 = true;
  six.v6 = 0xC6336464;
  CHECK_FALSE(cookies.verify(kClientCookie.data(), out, 16, six, kNow));
  for (std::size_t byte : { 0, 1, 4, 7, 8, 15 }) {
    std::uint8_t changed[16];
    std::copy(out, out + 16, changed);
    changed[byte] ^= 0x10;
    CHECK_FALSE(cookies.verify(kClientCookie.data(), changed, 16, kClient, kNow));
  }
  CHECK_FALSE(cookies.verify(kClientCookie.data(), out, 8, kClient, kNow)); // not an RFC 9018 length
  query::ServerCookies other({ secretOf("ff0102030405060708090a0b0c0d0e0f") });
  CHECK_FALSE(other.verify(kClientCookie.data(), out, 16, kClient, kNow));
}

TEST_CASE("cookies: valid for an hour, up to five minutes early, renewed after half an hour")
{
  query::ServerCookies cookies({ query::randomCookieSecret() });
  std::uint8_t out[16];
  REQUIRE(cookies.make(kClientCookie.data(), kClient, kNow, out));
  CHECK(cookies.verify(kClientCookie.data(), out, 16, kClient, kNow + 3600));
  CHECK_FALSE(cookies.verify(kClientCookie.data(), out, 16, kClient, kNow + 3601));
  CHECK(cookies.verify(kClientCookie.data(), out, 16, kClient, kNow - 300));
  CHECK_FALSE(cookies.verify(kClientCookie.data(), out, 16, kClient, kNow - 301));
  CHECK_FALSE(query::ServerCookies::wantsRenewal(out, kNow + 1800));
  CHECK(query::ServerCookies::wantsRenewal(out, kNow + 1801));
}

TEST_CASE("cookies: after a rotation the previous secret's cookies stay valid, new ones use the new secret")
{
  auto oldSecret = query::randomCookieSecret(), newSecret = query::randomCookieSecret();
  REQUIRE(oldSecret != newSecret);
  query::ServerCookies before({ oldSecret });
  std::uint8_t old[16], fresh[16];
  REQUIRE(before.make(kClientCookie.data(), kClient, kNow, old));
  query::ServerCookies after({ newSecret, oldSecret });
  CHECK(after.verify(kClientCookie.data(), old, 16, kClient, kNow + 60));
  REQUIRE(after.make(kClientCookie.data(), kClient, kNow, fresh));
  CHECK_FALSE(before.verify(kClientCookie.data(), fresh, 16, kClient, kNow));
  query::ServerCookies later({ newSecret });
  CHECK(later.verify(kClientCookie.data(), fresh, 16, kClient, kNow));
  CHECK_FALSE(later.verify(kClientCookie.data(), old, 16, kClient, kNow));
  CHECK_THROWS(query::ServerCookies(std::vector<query::CookieSecret> {}));
}

TEST_CASE("cookies: a rotation of the shared secrets keeps the previous one valid until the next rotation")
{
  auto first = query::randomCookieSecret(), second = query::randomCookieSecret(),
       third = query::randomCookieSecret();
  query::SharedCookieSecrets shared;
  CHECK(shared.empty());
  CHECK_THROWS(query::ServerCookies(shared));
  shared.set({ first });
  query::ServerCookies worker(shared); // made before the rotations: follows them
  std::uint8_t old[16], fresh[16], newest[16];
  REQUIRE(worker.make(kClientCookie.data(), kClient, kNow, old));

  CHECK(shared.rotate({ first }) == query::SharedCookieSecrets::Change::None);
  CHECK(shared.rotate({ second }) == query::SharedCookieSecrets::Change::Rotated);
  CHECK(worker.verify(kClientCookie.data(), old, 16, kClient, kNow + 60));
  REQUIRE(worker.make(kClientCookie.data(), kClient, kNow, fresh));
  CHECK(query::ServerCookies({ second }).verify(kClientCookie.data(), fresh, 16, kClient, kNow));
  // The file read again unchanged (one line) does not forget the previous secret.
  CHECK(shared.rotate({ second }) == query::SharedCookieSecrets::Change::None);
  CHECK(worker.verify(kClientCookie.data(), old, 16, kClient, kNow + 60));

  CHECK(shared.rotate({ third }) == query::SharedCookieSecrets::Change::Rotated);
  REQUIRE(worker.make(kClientCookie.data(), kClient, kNow, newest));
  CHECK(worker.verify(kClientCookie.data(), newest, 16, kClient, kNow));
  CHECK(worker.verify(kClientCookie.data(), fresh, 16, kClient, kNow));
  CHECK_FALSE(worker.verify(kClientCookie.data(), old, 16, kClient, kNow)); // two rotations ago
}

TEST_CASE("cookies: a secret file naming the previous secret sets it, as written")
{
  auto first = query::randomCookieSecret(), second = query::randomCookieSecret(),
       other = query::randomCookieSecret();
  query::SharedCookieSecrets shared;
  shared.set({ first });
  query::ServerCookies worker(shared);
  std::uint8_t old[16];
  REQUIRE(worker.make(kClientCookie.data(), kClient, kNow, old));
  CHECK(shared.rotate({ second, other }) == query::SharedCookieSecrets::Change::Rotated);
  CHECK_FALSE(worker.verify(kClientCookie.data(), old, 16, kClient, kNow));
  CHECK(shared.rotate({ second, first }) == query::SharedCookieSecrets::Change::PreviousReplaced);
  CHECK(worker.verify(kClientCookie.data(), old, 16, kClient, kNow));
  CHECK_THROWS(shared.rotate({}));
  CHECK_THROWS(query::ServerCookies({ first, second, other }));
}

TEST_CASE("cookies: the secret file holds one or two secrets of 32 hex digits")
{
  auto path = tempFile("# current, then previous\n000102030405060708090A0B0C0D0E0F\n\n"
                       "  ffeeddccbbaa99887766554433221100  \n");
  auto secrets = query::readCookieSecrets(path);
  REQUIRE(secrets.size() == 2);
  CHECK(secrets[0] == secretOf("000102030405060708090a0b0c0d0e0f"));
  CHECK(secrets[1] == secretOf("ffeeddccbbaa99887766554433221100"));
  std::remove(path.c_str());
  for (const char* bad : { "", "# nothing\n", "0001\n", "000102030405060708090a0b0c0d0e0g\n",
           "000102030405060708090a0b0c0d0e0f00\n",
           "000102030405060708090a0b0c0d0e0f\n000102030405060708090a0b0c0d0e0f\n000102030405060708090a0b0c0d0"
           "e0f\n" }) {
    auto badPath = tempFile(bad);
    CHECK_THROWS_AS(query::readCookieSecrets(badPath), std::runtime_error);
    std::remove(badPath.c_str());
  }
  CHECK_THROWS_WITH(query::readCookieSecrets("/nonexistent/secret"), Catch::Contains("/nonexistent/secret"));
}

namespace {

std::size_t gOpenSslAllocations = 0;

void* countedMalloc(std::size_t size, const char*, int)
{
  ++gOpenSslAllocations;
  return std::malloc(size);
}

void* countedRealloc(void* memory, std::size_t size, const char*, int)
{
  ++gOpenSslAllocations;
  return std::realloc(memory, size);
}

void countedFree(void* memory, const char*, int)
{
  std::free(memory);
}

} // namespace

// Run in a fresh process by the test below: OpenSSL's state is per process, and other tests here use it.
// OpenSSL takes allocation hooks only before its first allocation: they count what it sets up.
TEST_CASE("fresh process: cookies: OpenSSL allocates nothing before the first cookie", "[.]")
{
  REQUIRE(CRYPTO_set_mem_functions(countedMalloc, countedRealloc, countedFree) == 1);
  query::ServerCookies cookies({ secretOf("000102030405060708090a0b0c0d0e0f") });
  query::randomCookieSecret();
  CHECK_FALSE(cookies.ready());
  CHECK(gOpenSslAllocations == 0);
  std::uint8_t out[16];
  REQUIRE(cookies.make(kClientCookie.data(), kClient, kNow, out));
  CHECK(cookies.ready());
  CHECK(gOpenSslAllocations > 0);
  std::size_t afterFirst = gOpenSslAllocations;
  REQUIRE(cookies.make(kClientCookie.data(), kClient, kNow + 1, out));
  CHECK(cookies.verify(kClientCookie.data(), out, 16, kClient, kNow + 1));
  CHECK(gOpenSslAllocations == afterFirst); // later cookies allocate nothing
  CHECK(cookies.failures() == 0);
}

TEST_CASE("cookies: a server that never sees a cookie never sets up OpenSSL's SipHash")
{
  std::string command
      = "/proc/" + std::to_string(getpid()) + "/exe 'fresh process: cookies*' >/dev/null 2>&1";
  CHECK(std::system(command.c_str()) == 0);
}
