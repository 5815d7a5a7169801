#include "web/text.hpp"

#include <catch2/catch.hpp>

using namespace shun::web;

TEST_CASE("web: HTML escaping neutralises markup and attribute quotes")
{
  CHECK(htmlEscape("<script>alert('x')</script>") == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
  CHECK(htmlEscape("a & \"b\"") == "a &amp; &quot;b&quot;");
  CHECK(htmlEscape("plain text") == "plain text");
}

TEST_CASE("web: URL decoding handles escapes and rejects bad or NUL escapes")
{
  CHECK(urlDecode("192.0.2.7") == "192.0.2.7");
  CHECK(urlDecode("a%20b+c") == "a b c");
  CHECK_FALSE(urlDecode("%4").has_value());
  CHECK_FALSE(urlDecode("%zz").has_value());
  CHECK_FALSE(urlDecode("a%00b").has_value());
}

TEST_CASE("web: form bodies parse into fields; a malformed field fails the whole form")
{
  auto form = parseForm("key=192.0.2.7&zone=bl.example&&empty=");
  REQUIRE(form);
  CHECK((*form)["key"] == "192.0.2.7");
  CHECK((*form)["zone"] == "bl.example");
  CHECK((*form)["empty"].empty());
  CHECK_FALSE(parseForm("key=%G1").has_value());
}

TEST_CASE("web: lookup keys are one address or a domain name, in canonical form")
{
  auto v4 = parseLookupKey("192.0.2.7");
  REQUIRE(v4);
  CHECK(v4->family == LookupKey::Family::Ip4);
  CHECK(v4->ip4 == 0xc0000207);
  auto v6 = parseLookupKey("2001:DB8:0:0::1");
  REQUIRE(v6);
  CHECK(v6->family == LookupKey::Family::Ip6);
  CHECK(v6->text == "2001:db8::1");
  auto name = parseLookupKey("Mail.Example.COM.");
  REQUIRE(name);
  CHECK(name->family == LookupKey::Family::Name);
  CHECK(name->text == "mail.example.com");
}

TEST_CASE("web: malformed lookup keys are rejected")
{
  for (const char* bad :
      { "", "192.0.2.0/24", "bad..name", "<script>", "a b.example", "-x.example/", "example.com/../etc" })
    CHECK_FALSE(parseLookupKey(bad).has_value());
  CHECK_FALSE(parseLookupKey(std::string(64, 'a') + ".example").has_value());
  CHECK_FALSE(parseLookupKey(std::string(300, 'a')).has_value());
}
