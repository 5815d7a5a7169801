#include "web/form_token.hpp"

#include <charconv>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdexcept>

namespace shun::web {

FormTokens::FormTokens()
{
  if (RAND_bytes(d_secret.data(), static_cast<int>(d_secret.size())) != 1)
    throw std::runtime_error("--http: no random bytes for the form tokens");
}

std::string FormTokens::mac(std::int64_t issued, const std::string& zone, const std::string& key) const
{
  // NUL separators: no zone/key pair can be spelled as another.
  std::string message = std::to_string(issued) + '\0' + zone + '\0' + key;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), d_secret.data(), static_cast<int>(d_secret.size()),
      reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int index = 0; index < length; ++index) {
    hex += kHex[digest[index] >> 4];
    hex += kHex[digest[index] & 15];
  }
  return hex;
}

std::string FormTokens::issue(const std::string& zone, const std::string& key, std::int64_t now) const
{
  return std::to_string(now) + '.' + mac(now, zone, key);
}

bool FormTokens::valid(
    const std::string& token, const std::string& zone, const std::string& key, std::int64_t now) const
{
  auto dot = token.find('.');
  std::int64_t issued = 0;
  if (dot == std::string::npos)
    return false;
  auto [end, error] = std::from_chars(token.data(), token.data() + dot, issued);
  if (error != std::errc() || end != token.data() + dot || issued > now + 60 || now - issued > kLifetime)
    return false;
  std::string expected = mac(issued, zone, key);
  std::string given = token.substr(dot + 1);
  return given.size() == expected.size() && CRYPTO_memcmp(given.data(), expected.data(), given.size()) == 0;
}

} // namespace shun::web
