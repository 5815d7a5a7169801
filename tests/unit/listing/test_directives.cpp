#include "shun/listing/directives.hpp"

#include <catch2/catch.hpp>

using namespace shun::listing;
using Kind = Directive::Kind;

TEST_CASE("directives: entry metadata is the \"#@ \" line, parsed by parseMetadata")
{
  Directive directive = parseDirective("  #@ added=2026-11-20T10:00:00Z reason=\"trap hits\"");
  CHECK(directive.kind == Kind::Metadata);
  CHECK(directive.error.empty());
  CHECK(directive.metadata.reason == "trap hits");
  CHECK(parseDirective("#@ bogus").error != "");
}

TEST_CASE("directives: #@policy sets any subset of the escalation policy; a bad setting is an error")
{
  Directive directive = parseDirective("#@policy default=1d factor=3");
  CHECK(directive.kind == Kind::Policy);
  CHECK(directive.policy.defaultDuration == 86400);
  CHECK(directive.policy.factor == 3);
  CHECK(directive.policy.window == EscalationPolicy {}.window);
  CHECK(parseDirective("#@policy default=0").policy.defaultDuration == 0);
  CHECK(parseDirective("#@policy window=soon").error == "bad #@policy setting \"window=soon\"");
  CHECK(parseDirective("#@policy factor=-1").error != "");
}

TEST_CASE("directives: #@protect takes a key and an optional quoted reason")
{
  Directive directive = parseDirective("#@protect 192.0.2.0/24 reason=\"shared relay\"");
  CHECK(directive.kind == Kind::Protect);
  CHECK(directive.protect.key.text == "192.0.2.0/24");
  CHECK(directive.protect.reason == "shared relay");
  CHECK(parseDirective("#@protect example.com").protect.reason.empty());
  CHECK(parseDirective("#@protect 192.0.2.1/24").error == "#@protect: host bits set in 192.0.2.1/24");
}

TEST_CASE("directives: #@selfremoval fields, and a bad field is an error")
{
  Directive directive = parseDirective("#@selfremoval allowed=yes max=5 per=7d cooldown=1h");
  CHECK(directive.kind == Kind::SelfRemoval);
  CHECK(directive.selfRemoval == SelfRemovalPolicy { true, 5, 7 * std::int64_t { 86400 }, 3600 });
  CHECK(parseDirective("#@selfremoval allowed=maybe").error == "bad #@selfremoval field 'allowed=maybe'");
  CHECK(parseDirective("#@selfremoval max=x").error != "");
  CHECK(parseDirective("#@selfremoval allowed=yes").selfRemoval.budget == 20); // per zone per hour
  CHECK(parseDirective("#@selfremoval budget=0").selfRemoval.budget == 0);
  CHECK(parseDirective("#@selfremoval budget=5").selfRemoval.budget == 5);
  CHECK(parseDirective("#@selfremoval budget=-1").error != "");
}

TEST_CASE("directives: #@code names a code and its meaning")
{
  Directive directive = parseDirective("#@code 127.0.0.3   Spam source, see the FAQ");
  CHECK(directive.kind == Kind::Code);
  CHECK(directive.code.code == "127.0.0.3");
  CHECK(directive.code.meaning == "Spam source, see the FAQ");
  CHECK(parseDirective("#@code 127.0.0.3").error != "");
  CHECK_THAT(
      parseDirective("#@code spam Spam source").error, Catch::Contains("'spam' is not an answer code"));
  CHECK(parseDirective("#@code 2001:db8::1 Spam source").error != "");
}

TEST_CASE("directives: entries, plain comments and unknown #@ words are not directives")
{
  for (const char* line : { "192.0.2.7", "# comment", "#@", "#@unknown x=1", "#@policyx default=1d", "" })
    CHECK(parseDirective(line).kind == Kind::None);
}

TEST_CASE("directives: #@code takes guidance and per-language variants after its meaning")
{
  Directive directive = parseDirective("#@code 127.0.0.3 Spam source meaning.ja=\"スパム送信元\" help=\"Stop "
                                       "the \\\"spam\\\" first\" help.ja=\"先に\"");
  REQUIRE(directive.error == "");
  CHECK(directive.code.meaning == "Spam source");
  CHECK(directive.code.texts.at("meaning.ja") == "スパム送信元");
  CHECK(directive.code.texts.at("help") == "Stop the \"spam\" first");
  CHECK(directive.code.texts.at("help.ja") == "先に");
  CHECK(parseDirective("#@code 127.0.0.3 Spam help=\"no end").error != "");
  CHECK(parseDirective("#@code 127.0.0.3 Spam help=\"a\" color=\"red\"").error != "");
  CHECK(parseDirective("#@code 127.0.0.3 a=b is text").code.meaning == "a=b is text");
}

TEST_CASE("directives: #@contact takes an e-mail address or an http(s) URL")
{
  CHECK(parseDirective("#@contact abuse@example.net").contact == "abuse@example.net");
  CHECK(parseDirective("#@contact https://example.net/abuse").kind == Directive::Kind::Contact);
  CHECK(parseDirective("#@contact call us").error != "");
  CHECK(parseDirective("#@contact javascript:alert(1)").error != "");
}
