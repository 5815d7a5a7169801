#include "store/name_set_runs.hpp"

#include <catch2/catch.hpp>
#include <random>
#include <string>

using namespace shun::store;

TEST_CASE("dnset: commonPrefix counts the shared bytes wherever the first difference lies")
{
  for (std::size_t length = 0; length <= 40; ++length) {
    std::string a(length, 'k');
    for (std::size_t at = 0; at <= length; ++at) {
      std::string b = a;
      if (at < length)
        b[at] = 'x';
      CHECK(detail::commonPrefix(a, b) == at);
      CHECK(detail::commonPrefix(b, a) == at);
      CHECK(detail::commonPrefix(a.substr(0, at), a) == at); // one a prefix of the other
    }
  }
}

TEST_CASE("dnset: putKeyShared writes the bytes putKey writes when told the shared count")
{
  std::mt19937 random(11);
  auto key = [&] {
    std::string text;
    for (std::size_t n = random() % 40; text.size() < n;)
      text.push_back(random() % 4 == 0 ? '\0' : "abc"[random() % 3]);
    text.push_back('\0');
    return random() % 20 == 0 ? std::string() : text; // the apex's empty key too
  };
  std::string previous = key();
  for (int i = 0; i < 2000; ++i) {
    std::string next = key();
    for (bool implicitEnd : { false, true }) {
      detail::PageArray<char> expected, got;
      detail::putKey(expected, previous, next, implicitEnd);
      detail::putKeyShared(got, next, detail::commonPrefix(previous, next), implicitEnd);
      REQUIRE(std::string(got.begin(), got.end()) == std::string(expected.begin(), expected.end()));
    }
    previous = next;
  }
}
