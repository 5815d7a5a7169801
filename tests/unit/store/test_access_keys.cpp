#include "shun/store/access_keys.hpp"

#include <catch2/catch.hpp>

using namespace shun;
using store::AccessCheck;

namespace {

const std::string kKey = "k7f3q9zr2m5x8c1v4b6n0aslwedtyu"; // 30 characters
const std::string kOther = "zz0000000000000000000000000000000000000"; // 39 characters
constexpr std::int64_t kDay = 86400;

store::AccessKeySet keySet(const store::AccessKeySet* previous = nullptr, std::uint64_t quota = 0)
{
  std::vector<listing::AccessKeyRecord> records { { "p1", kKey, 10 * kDay, quota, false, { "bl.example" } },
    { "p2", kOther, 0, 0, true, { "bl.example" } },
    { "p3", std::string(26, 'c'), 0, 0, false, { "dbl.example" } } };
  return store::AccessKeySet(records, { "bl.example", "dbl.example" }, previous);
}

AccessCheck check(
    const store::AccessKeySet& keys, std::string label, std::int64_t now, std::string zone = "bl")
{
  const store::AccessKey* key = nullptr;
  std::uint64_t bit
      = keys.zoneBit(zone == "bl" ? std::string("\2bl\7example\0", 12) : std::string("\3dbl\7example\0", 13));
  return keys.check(label.data(), label.size(), bit, now, key);
}

} // namespace

TEST_CASE("access key set: a key matches in any case, others are unknown or malformed")
{
  auto keys = keySet();
  CHECK(check(keys, kKey, 0) == AccessCheck::Valid);
  std::string upper = kKey;
  for (char& c : upper)
    c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  CHECK(check(keys, upper, 0) == AccessCheck::Valid);
  std::string changed = kKey;
  changed.back() = 'a';
  CHECK(check(keys, changed, 0) == AccessCheck::Unknown);
  CHECK(check(keys, kKey.substr(0, 29), 0) == AccessCheck::Unknown);
  CHECK(check(keys, kKey + "a", 0) == AccessCheck::Unknown);
  CHECK(check(keys, "short", 0) == AccessCheck::Malformed);
  CHECK(check(keys, std::string(64, 'a'), 0) == AccessCheck::Malformed);
  CHECK(check(keys, kKey.substr(0, 29) + "-", 0) == AccessCheck::Malformed);
  CHECK(check(keys, std::string(26, 'c'), 0) == AccessCheck::WrongZone);
  CHECK(check(keys, std::string(26, 'c'), 0, "dbl") == AccessCheck::Valid);
}

TEST_CASE("access key set: revoked and expired keys are refused (injected clock)")
{
  auto keys = keySet();
  CHECK(check(keys, kOther, 0) == AccessCheck::Revoked);
  CHECK(check(keys, kKey, 10 * kDay - 1) == AccessCheck::Valid);
  CHECK(check(keys, kKey, 10 * kDay) == AccessCheck::Expired);
  CHECK(keys.zoneBit(std::string("\5other\7example\0", 15)) == 0);
}

TEST_CASE("access key set: a daily quota refuses past its count until the next UTC day")
{
  auto keys = keySet(nullptr, 3);
  const store::AccessKey* key = nullptr;
  std::int64_t now = 2 * kDay + 100;
  for (int i = 0; i < 3; ++i) {
    CHECK(check(keys, kKey, now) == AccessCheck::Valid);
    key = keys.find(kKey.data(), kKey.size());
    store::AccessKeySet::count(*key, AccessCheck::Valid, now);
  }
  CHECK(check(keys, kKey, now) == AccessCheck::OverQuota);
  store::AccessKeySet::count(*key, AccessCheck::OverQuota, now);
  CHECK(key->counters->answered == 3);
  CHECK(key->counters->refused[static_cast<std::size_t>(AccessCheck::OverQuota)] == 1);
  CHECK(check(keys, kKey, 3 * kDay) == AccessCheck::Valid);
}

TEST_CASE("access key set: a reloaded set keeps each id's counters")
{
  auto first = keySet();
  const store::AccessKey* key = first.find(kKey.data(), kKey.size());
  REQUIRE(key);
  store::AccessKeySet::count(*key, AccessCheck::Valid, 0);
  auto second = keySet(&first);
  CHECK(second.find(kKey.data(), kKey.size())->counters->answered == 1);
  CHECK(second.find(kKey.data(), kKey.size())->counters == key->counters);
}

TEST_CASE("access key set: many keys are all found")
{
  std::vector<listing::AccessKeyRecord> records;
  for (int i = 0; i < 1000; ++i) {
    std::string text = std::to_string(i * 7919);
    records.push_back({ "id" + std::to_string(i), std::string(30 - text.size(), 'q') + text, 0, 0, false,
        { "bl.example" } });
  }
  store::AccessKeySet keys(records, { "bl.example" }, nullptr);
  for (const auto& record : records)
    CHECK(keys.find(record.key.data(), record.key.size()) != nullptr);
  std::string missing(30, 'r');
  CHECK(keys.find(missing.data(), missing.size()) == nullptr);
}

TEST_CASE("access key set: a moved set still matches, refuses and counts its keys")
{
  auto source = keySet(nullptr, 5);
  store::AccessKeySet keys(std::move(source));
  CHECK(check(keys, kKey, 0) == AccessCheck::Valid);
  CHECK(check(keys, kOther, 0) == AccessCheck::Revoked);
  CHECK(check(keys, std::string(26, 'C'), 0, "dbl") == AccessCheck::Valid);
  CHECK(check(keys, std::string(30, 'r'), 0) == AccessCheck::Unknown);
  REQUIRE(keys.find(kKey.data(), kKey.size()));
  CHECK(keys.find(kKey.data(), kKey.size())->id == "p1");
}

TEST_CASE("access key set: keys sharing their home slot are each valid, and refused when they should be")
{
  // The same first 8 bytes pick the same slot: all but one are found past it (checkSlow's probe).
  std::vector<listing::AccessKeyRecord> records;
  for (char last = 'a'; last <= 'h'; ++last)
    records.push_back({ std::string("id") + last, std::string(31, 's') + last, 0, 0, last == 'h',
        { last == 'g' ? "dbl.example" : "bl.example" } });
  store::AccessKeySet keys(records, { "bl.example", "dbl.example" }, nullptr);
  for (char last = 'a'; last <= 'f'; ++last) {
    CHECK(check(keys, std::string(31, 's') + last, 0) == AccessCheck::Valid);
    CHECK(check(keys, std::string(31, 'S') + static_cast<char>(last - 32), 0) == AccessCheck::Valid);
  }
  CHECK(check(keys, std::string(31, 's') + 'g', 0) == AccessCheck::WrongZone);
  CHECK(check(keys, std::string(31, 's') + 'h', 0) == AccessCheck::Revoked);
  CHECK(check(keys, std::string(31, 's') + 'i', 0) == AccessCheck::Unknown);
}

TEST_CASE("access key set: every byte of a 26- to 63-character key counts")
{
  for (std::size_t length : { 26, 31, 32, 33, 47, 48, 49, 63 }) {
    std::string text;
    for (std::size_t i = 0; i < length; ++i)
      text += "abcdefghijklmnopqrstuvwxyz0123456789"[i * 7 % 36];
    store::AccessKeySet keys({ { "p", text, 0, 0, false, { "bl.example" } } }, { "bl.example" }, nullptr);
    CHECK(check(keys, text, 0) == AccessCheck::Valid);
    for (std::size_t at = 0; at < length; ++at) {
      std::string changed = text;
      changed[at] = changed[at] == '7' ? '8' : '7';
      CHECK(check(keys, changed, 0) == AccessCheck::Unknown);
    }
  }
}
