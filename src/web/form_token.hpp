#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace shun::web {

/// CSRF tokens for the self-removal form: "<issued>.<HMAC-SHA256(secret, issued|zone|key) in hex>" with a
/// random secret per process (OpenSSL), so a token works only for the form it was rendered into, for
/// kLifetime seconds, and only on the server that issued it. Web thread only.
class FormTokens {
public:
  static constexpr std::int64_t kLifetime = 3600;
  /// A fresh random secret. Throws std::runtime_error if the system has no randomness to give.
  FormTokens();
  /// The token for the form removing key from zone, issued at now (unix seconds).
  std::string issue(const std::string& zone, const std::string& key, std::int64_t now) const;
  /// True if token was issued by this process for zone and key no more than kLifetime before now.
  bool valid(
      const std::string& token, const std::string& zone, const std::string& key, std::int64_t now) const;

private:
  std::string mac(std::int64_t issued, const std::string& zone, const std::string& key) const;
  std::array<unsigned char, 32> d_secret {};
};

} // namespace shun::web
