#include "web/form_token.hpp"

#include <catch2/catch.hpp>

using namespace shun::web;

TEST_CASE("form tokens: valid for their zone and key within their lifetime, on their server only")
{
  FormTokens tokens;
  std::string token = tokens.issue("bl.example", "192.0.2.7", 1000000);
  CHECK(tokens.valid(token, "bl.example", "192.0.2.7", 1000000 + FormTokens::kLifetime));
  CHECK_FALSE(tokens.valid(token, "bl.example", "192.0.2.7", 1000001 + FormTokens::kLifetime));
  CHECK_FALSE(tokens.valid(token, "bl.example", "192.0.2.8", 1000000));
  CHECK_FALSE(tokens.valid(token, "other.example", "192.0.2.7", 1000000));
  CHECK_FALSE(FormTokens().valid(token, "bl.example", "192.0.2.7", 1000000)); // another process's secret
  std::string forged = token;
  forged.back() = forged.back() == '0' ? '1' : '0';
  CHECK_FALSE(tokens.valid(forged, "bl.example", "192.0.2.7", 1000000));
  CHECK_FALSE(tokens.valid("1000000", "bl.example", "192.0.2.7", 1000000));
  CHECK_FALSE(tokens.valid("", "bl.example", "192.0.2.7", 1000000));
  CHECK_FALSE(
      tokens.valid("9999999." + token.substr(token.find('.') + 1), "bl.example", "192.0.2.7", 1000000));
}
