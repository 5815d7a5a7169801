#include "shun/listing/listing.hpp"

#include <catch2/catch.hpp>

using namespace shun::listing;

namespace {

Listing parsed(std::string_view text)
{
  std::string error;
  auto listing = parseMetadata(text, error);
  INFO(error);
  REQUIRE(listing);
  return *listing;
}

std::string failure(std::string_view text)
{
  std::string error;
  auto listing = parseMetadata(text, error);
  CHECK_FALSE(listing);
  return error;
}

} // namespace

TEST_CASE("listing: UTC times parse and format both ways")
{
  CHECK(parseUtcTime("1970-01-01T00:00:00Z") == 0);
  CHECK(parseUtcTime("2026-11-20T10:00:00Z") == 1795168800);
  CHECK(parseUtcTime("2000-02-29T23:59:59Z") == 951868799);
  CHECK(parseUtcTime("2106-02-07T06:28:16Z") == 4294967296LL); // past 32-bit time
  CHECK(formatUtcTime(1795168800) == "2026-11-20T10:00:00Z");
  CHECK(formatUtcTime(-1) == "1969-12-31T23:59:59Z");
  for (std::int64_t t : { 0LL, 86399LL, 951868799LL, 4102444800LL, 253402300799LL })
    CHECK(parseUtcTime(formatUtcTime(t)) == t);
}

TEST_CASE("listing: malformed UTC times are rejected")
{
  for (const char* bad : { "", "2026-11-20", "2026-11-20T10:00:00", "2026-11-20 10:00:00Z",
           "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-11-31T00:00:00Z", "2026-11-20T24:00:00Z",
           "2026-11-20T10:60:00Z", "2026-11-2OT10:00:00Z", "2026-11-20T10:00:00Zx" })
    CHECK_FALSE(parseUtcTime(bad));
}

TEST_CASE("listing: every known key is parsed into its field")
{
  Listing l
      = parsed(" added=2026-11-20T10:00:00Z expires=2026-11-27T10:00:00Z ttl=300 source=spamtrap by=alice "
               "reason=\"open relay\" evidence=\"12 trap hits\" count=3 first=2026-01-01T00:00:00Z");
  CHECK(l.added == 1795168800);
  CHECK(l.expires == 1795168800 + 7 * 86400);
  CHECK(l.ttl == 300);
  CHECK(l.source == "spamtrap");
  CHECK(l.by == "alice");
  CHECK(l.reason == "open relay");
  CHECK(l.evidence == "12 trap hits");
  CHECK(l.timesListed == 3);
  CHECK(l.firstAdded == *parseUtcTime("2026-01-01T00:00:00Z"));
  CHECK(l.extra.empty());
}

TEST_CASE("listing: ttl accepts rbldnsd time units")
{
  CHECK(parsed("ttl=30s").ttl == 30);
  CHECK(parsed("ttl=5m").ttl == 300);
  CHECK(parsed("ttl=2h").ttl == 7200);
  CHECK(parsed("ttl=1d").ttl == 86400);
  CHECK(parsed("ttl=1w").ttl == 604800);
  CHECK(parsed("ttl=1h30m").ttl == 5400);
  CHECK(failure("ttl=5x") == "ttl: bad number \"5x\"");
  CHECK(failure("ttl=") == "ttl: bad number \"\"");
  CHECK(failure("ttl=99999999999") == "ttl: bad number \"99999999999\"");
}

TEST_CASE("listing: durations sum units in either case; a bare tail after a unit is seconds or refused")
{
  CHECK(parseDuration("90") == 90u);
  CHECK(parseDuration("1W2d3H4m5S") == 604800u + 2 * 86400 + 3 * 3600 + 4 * 60 + 5);
  CHECK(parseDuration("1h30") == 3630u); // rbldnsd reads zone files this way
  CHECK_FALSE(parseDuration("1h30", BareTail::Refused));
  CHECK(parseDuration("30", BareTail::Refused) == 30u);
  CHECK(parseDuration("4294967295") == 4294967295u);
  CHECK_FALSE(parseDuration("4294967296"));
  CHECK_FALSE(parseDuration("7102w"));
  for (const char* bad : { "", "m", "-5", "5 m", "5y", "1h+5m" })
    CHECK_FALSE(parseDuration(bad));
}

TEST_CASE("listing: quoted values unescape \\\" and \\\\")
{
  Listing l = parsed(R"(reason="say \"hi\" to C:\\temp" evidence="")");
  CHECK(l.reason == R"(say "hi" to C:\temp)");
  CHECK(l.evidence.empty());
}

TEST_CASE("listing: unknown keys are kept in order")
{
  Listing l = parsed("zeta=1 ticket=\"T 42\" alpha=x");
  REQUIRE(l.extra.size() == 3);
  CHECK(l.extra[0] == std::pair<std::string, std::string>("zeta", "1"));
  CHECK(l.extra[1] == std::pair<std::string, std::string>("ticket", "T 42"));
  CHECK(l.extra[2] == std::pair<std::string, std::string>("alpha", "x"));
}

TEST_CASE("listing: malformed metadata gives a one-line reason")
{
  CHECK(failure("added") == "expected key=value, got \"added\"");
  CHECK(failure("reason=\"open") == "unterminated quoted value");
  CHECK(failure("reason=\"a\"b") == "text after closing quote");
  CHECK(failure("added=yesterday") == "added: bad time \"yesterday\" (want YYYY-MM-DDTHH:MM:SSZ)");
  CHECK(failure("by=a by=b") == "duplicate key \"by\"");
  CHECK(failure("=x") == "bad key \"\"");
  CHECK(failure("count=-1") == "count: bad number \"-1\"");
}

TEST_CASE("listing: empty metadata is an empty listing")
{
  CHECK(parsed("") == Listing {});
  CHECK(parsed("   \t ") == Listing {});
}

TEST_CASE("listing: formatMetadata round-trips every field")
{
  Listing l;
  l.added = 1795168800;
  l.expires = 1795773600;
  l.ttl = 300;
  l.source = "spamtrap";
  l.by = "alice";
  l.reason = "said \"hi\"\\ at\tnoon\nand left";
  l.evidence = "12 trap hits";
  l.timesListed = 4;
  l.firstAdded = 1700000000;
  l.extra = { { "ticket", "" }, { "note", "\"quoted start" }, { "x", "a=b" } };
  std::string line = formatMetadata(l);
  CHECK(line.rfind(
            "#@ added=2026-11-20T10:00:00Z expires=2026-11-27T10:00:00Z ttl=300 source=spamtrap by=alice", 0)
      == 0);
  CHECK(line.find('\n') == std::string::npos);
  CHECK(parsed(std::string_view(line).substr(2)) == l);
}

TEST_CASE("listing: an empty listing formats as a bare #@")
{
  CHECK(formatMetadata(Listing {}) == "#@");
}

TEST_CASE("ttl: seconds as in zone files, or a duration, up to 2^31-1")
{
  CHECK(parseTtl("300") == 300U);
  CHECK(parseTtl("5m") == 300U);
  CHECK(parseTtl("1h30m") == 5400U);
  CHECK(parseTtl("0") == 0U);
  CHECK(parseTtl("2147483647") == 2147483647U);
  CHECK_FALSE(parseTtl("2147483648"));
  CHECK_FALSE(parseTtl("5x"));
  CHECK_FALSE(parseTtl("1h30"));
  CHECK_FALSE(parseTtl(""));
}
