#include "temp_dir.hpp"
#include "web/handlers.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <unistd.h>

using namespace shun;
using namespace shun::web;

namespace {

constexpr std::int64_t kNow = 1795000000; // 2026-11-18T11:06:40Z

const std::string kLongHelp(700, 'x');

// An IPv4 zone and a name zone with guidance, a contact, a range, the test point and a wildcard.
struct PageFixture {
  shuntest::TempDir temp;
  std::string dir { temp.path() };
  std::shared_ptr<const store::Snapshot> snapshot;
  std::vector<zone::ZoneSpec> specs;
  PageFixture()
  {
    std::ofstream(dir + "/bl")
        << "#@selfremoval allowed=yes max=2 per=30d\n#@contact abuse@bl.example\n"
        << "#@code 127.0.0.2 Spam trap hits meaning.ja=\"スパムトラップ\" help=\"Fix <b>it</b>\" "
           "help.ja=\"直してください\"\n#@code 127.0.0.3 Long help=\""
        << kLongHelp << "\"\n:127.0.0.2:see $\n"
        << "#@ added=2026-11-15T11:06:40Z expires=2026-11-24T12:06:40Z reason=\"trap\"\n"
        << "192.0.2.7\n192.0.3.0/24\n127.0.0.2\n198.51.100.1 :3:long\n";
    std::ofstream(dir + "/dbl") << "#@selfremoval allowed=yes\n:127.0.1.2:Domain $ listed\n*.spam.example\n"
                                << "own.example\n";
    specs = { zone::parseZoneSpec("bl.example:ip4set:" + dir + "/bl"),
      zone::parseZoneSpec("dbl.example:dnset:" + dir + "/dbl") };
    zone::LoadOptions options;
    options.now = kNow;
    auto result = zone::loadSnapshot(specs, options);
    REQUIRE(result.snapshot);
    snapshot = result.snapshot;
  }
  Handlers handlers()
  {
    WebSources sources;
    sources.snapshot = [this] { return snapshot; };
    sources.zones = specs;
    return Handlers(std::move(sources));
  }
};

std::string page(Handlers& handlers, const std::string& target, const std::string& language = "")
{
  Request request { "GET", target, "", "198.51.100.1", {} };
  if (!language.empty())
    request.headers["accept-language"] = language;
  auto response = handlers.handle(request, kNow, 0);
  REQUIRE(response.status == 200);
  return response.body;
}

bool has(const std::string& text, const std::string& part)
{
  return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("page: a listed key says so in plain words, relative and UTC times, guidance and a form")
{
  PageFixture fixture;
  auto handlers = fixture.handlers();
  std::string html = page(handlers, "/lookup/192.0.2.7");
  CHECK(has(html, "<html lang=\"en\">"));
  CHECK(has(html, "192.0.2.7 is on the list bl.example."));
  CHECK(has(html, "3 days ago"));
  CHECK(has(html, "in 6 days"));
  CHECK(has(html, "(2026-11-24 12:06 UTC)"));
  CHECK(has(html, "Fix &lt;b&gt;it&lt;/b&gt;"));
  CHECK(has(html, "2 of 2 removals left in 30 days"));
  CHECK(has(html, "action=\"/remove\""));
  CHECK(has(html, "up to 35 minutes"));
  CHECK(has(html, "<a href=\"mailto:abuse@bl.example\">abuse@bl.example</a>"));
  CHECK(html.size() < 20 * 1024);
}

TEST_CASE("page: Japanese by Accept-Language or ?lang=, with the zone's Japanese texts")
{
  PageFixture fixture;
  auto handlers = fixture.handlers();
  std::string html = page(handlers, "/lookup/192.0.2.7", "ja,en;q=0.5");
  CHECK(has(html, "<html lang=\"ja\">"));
  CHECK(has(html, "192.0.2.7 はリスト bl.example に掲載されています。"));
  CHECK(has(html, "スパムトラップ"));
  CHECK(has(html, "直してください"));
  CHECK(has(html, "6 日後"));
  CHECK(has(page(handlers, "/lookup/192.0.2.7?lang=ja"), "<html lang=\"ja\">"));
  CHECK(has(page(handlers, "/lookup/192.0.2.7?lang=xx", "ja"), "<html lang=\"en\">"));
  CHECK(has(page(handlers, "/", "ja"), "リストの運営者への連絡先"));
}

TEST_CASE("page: nothing refused is offered: range members and the test point get reasons, not forms")
{
  PageFixture fixture;
  auto handlers = fixture.handlers();
  std::string range = page(handlers, "/lookup/192.0.3.9");
  CHECK(has(range, "as part of a larger address range"));
  CHECK_FALSE(has(range, "action=\"/remove\""));
  CHECK(has(range, "only the list operator can remove"));
  std::string test = page(handlers, "/lookup/127.0.0.2");
  CHECK(has(test, "Test point."));
  CHECK(has(test, "RFC 5782"));
  CHECK_FALSE(has(test, "action=\"/remove\""));
  CHECK(has(page(handlers, "/api/v1/lookup/192.0.3.9"), "\"self_removal\":false"));
}

TEST_CASE("page: a wildcard listing is shown as such, for a name below it and for its own name")
{
  PageFixture fixture;
  auto handlers = fixture.handlers();
  std::string below = page(handlers, "/lookup/mail.spam.example");
  CHECK(has(below, "by the wildcard entry *.spam.example"));
  CHECK_FALSE(has(below, "action=\"/remove\""));
  std::string own = page(handlers, "/lookup/spam.example"); // the name the wildcard's TXT link names
  CHECK(has(own, "every name below it is, by the wildcard entry *.spam.example"));
  CHECK(has(page(handlers, "/api/v1/lookup/spam.example"), "\"names_below_listed\":true"));
  CHECK(has(page(handlers, "/lookup/own.example"), "action=\"/remove\""));
}

TEST_CASE("page: over-long guidance is cut with an ellipsis on the page and whole in the JSON")
{
  PageFixture fixture;
  auto handlers = fixture.handlers();
  std::string html = page(handlers, "/lookup/198.51.100.1");
  CHECK(has(html, std::string(kMaxHelpBytes, 'x') + "…"));
  CHECK_FALSE(has(html, std::string(kMaxHelpBytes + 1, 'x')));
  CHECK(has(page(handlers, "/api/v1/lookup/198.51.100.1"), "\"help\":\"" + kLongHelp + "\""));
}

TEST_CASE("page: a removal that would be refused is answered with its reason, in the reader's language")
{
  PageFixture fixture;
  auto handlers = fixture.handlers();
  Request post { "POST", "/remove", "key=192.0.3.9&zone=bl.example", "198.51.100.1", {} };
  post.headers["content-type"] = "application/x-www-form-urlencoded";
  auto refused = handlers.handle(post, kNow, 0); // no token: the page offered no form
  CHECK(refused.status == 403);
  CHECK(has(refused.body, "larger entry"));
  post.body += "&lang=ja";
  auto japanese = handlers.handle(post, kNow, 0);
  CHECK(has(japanese.body, "<html lang=\"ja\">"));
  CHECK(has(japanese.body, "より大きな項目の一部"));
}
