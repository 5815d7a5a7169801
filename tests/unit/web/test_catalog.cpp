#include "web/catalog.hpp"

#include <catch2/catch.hpp>

using namespace shun::web;

TEST_CASE("catalog: every message exists in both languages, with the same placeholders")
{
  for (std::size_t i = 0; i < static_cast<std::size_t>(Msg::Count); ++i) {
    INFO("message " << i);
    auto english = catalog(Lang::En)[i], japanese = catalog(Lang::Ja)[i];
    CHECK_FALSE(english.empty());
    CHECK_FALSE(japanese.empty());
    for (const char* slot : { "{0}", "{1}", "{2}", "{3}" })
      CHECK(
          (english.find(slot) == std::string_view::npos) == (japanese.find(slot) == std::string_view::npos));
    CHECK(english.find_first_of("<>&") == std::string_view::npos);
  }
}

TEST_CASE("catalog: format fills numbered slots in the language's order")
{
  CHECK(format(Lang::En, Msg::RemovalButton, { "192.0.2.7", "bl.example" })
      == "Remove 192.0.2.7 from bl.example");
  CHECK(format(Lang::Ja, Msg::RemovalButton, { "192.0.2.7", "bl.example" })
      == "bl.example から 192.0.2.7 を削除する");
}

TEST_CASE("catalog: ?lang= wins, then the best Accept-Language, and anything unknown is English")
{
  CHECK(chooseLanguage("ja", "en") == Lang::Ja);
  CHECK(chooseLanguage("en", "ja") == Lang::En);
  CHECK(chooseLanguage("fr", "ja") == Lang::En);
  CHECK(chooseLanguage("", "ja-JP,ja;q=0.9,en;q=0.8") == Lang::Ja);
  CHECK(chooseLanguage("", "en-US,en;q=0.9,ja;q=0.8") == Lang::En);
  CHECK(chooseLanguage("", "fr-FR, ja;q=0.5, en;q=0.3") == Lang::Ja);
  CHECK(chooseLanguage("", "ja;q=0, en;q=0.1") == Lang::En);
  CHECK(chooseLanguage("", "ja;q=0") == Lang::En);
  CHECK(chooseLanguage("", "de, fr") == Lang::En);
  CHECK(chooseLanguage("", "") == Lang::En);
  CHECK(chooseLanguage("", "JA") == Lang::Ja);
  CHECK(chooseLanguage("", "jav") == Lang::En); // Javanese is not Japanese
}

TEST_CASE("catalog: relative times in the reader's language, rounded down to the largest unit")
{
  constexpr std::int64_t now = 1'795'000'000;
  CHECK(relativeTime(Lang::En, now + 6 * 86400 + 3600, now) == "in 6 days");
  CHECK(relativeTime(Lang::Ja, now + 6 * 86400 + 3600, now) == "6 日後");
  CHECK(relativeTime(Lang::En, now - 3 * 3600 - 59, now) == "3 hours ago");
  CHECK(relativeTime(Lang::Ja, now - 3 * 3600, now) == "3 時間前");
  CHECK(relativeTime(Lang::En, now - 36 * 3600, now) == "36 hours ago");
  CHECK(relativeTime(Lang::En, now + 60, now) == "in 1 minute");
  CHECK(relativeTime(Lang::En, now + 10, now) == "just now");
  CHECK(durationText(Lang::En, 2100) == "35 minutes");
  CHECK(durationText(Lang::Ja, 30 * 86400) == "30 日");
  CHECK(durationText(Lang::En, 1) == "1 second");
}

TEST_CASE("catalog: cutting keeps whole UTF-8 characters and marks the cut with an ellipsis")
{
  CHECK(cutText("short", 10) == "short");
  CHECK(cutText("abcdefghij", 4) == "abcd…");
  CHECK(cutText("日本語", 4) == "日…"); // 3 bytes a character: the second does not fit
  CHECK(cutText("日本語", 9) == "日本語");
}
