#include "store/name_set_runs.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

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

TEST_CASE("dnset: keys front-coded by putKey read back whole, with and without their implicit end")
{
  std::mt19937 random(11);
  auto key = [&] {
    std::string text;
    for (std::size_t n = 1 + random() % 39; text.size() < n;) // a key "\0" would be an empty label
      text.push_back(random() % 4 == 0 ? '\0' : "abc"[random() % 3]);
    text.push_back('\0');
    return random() % 20 == 0 ? std::string() : text; // the apex's empty key too
  };
  std::vector<std::string> keys(2000);
  std::generate(keys.begin(), keys.end(), key);
  for (bool implicitEnd : { false, true }) {
    detail::PageArray<char> bytes;
    std::string previous;
    for (const std::string& next : keys) {
      detail::putKey(bytes, previous, next, implicitEnd);
      previous = next;
    }
    const char* in = bytes.begin();
    char read[detail::kMaxNameKey];
    for (const std::string& expected : keys) {
      std::size_t length = implicitEnd ? detail::getBlockKey(in, read) : detail::getKey(in, read);
      REQUIRE(std::string(read, length) == expected);
    }
    CHECK(in == bytes.end());
  }
}
