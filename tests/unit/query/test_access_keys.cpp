// Keyed zones: "<ip>.<key>.<zone>" queries, answered by the fast path and the general path alike.
#include "fixture.hpp"
#include "query/fast_path.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>

using namespace shun;
using namespace shun::testing;
using store::AccessCheck;

namespace {

const std::string kKey = "k7f3q9zr2m5x8c1v4b6n0aslwedtyu";
const std::string kRevoked = std::string(26, 'r');
const std::string kExpired = std::string(27, 'e');
const std::string kQuota = std::string(28, 'q');

std::shared_ptr<const store::Snapshot> keyedSnapshot()
{
  auto snapshot = std::make_shared<store::Snapshot>();
  auto set = own(*snapshot,
      ipDataset(store::DatasetType::Ip4Set,
          { { "127.0.0.2", listed(0x7f000002, "test point") },
              { "10.0.0.0/24", listed(0x7f000002, "see $") } },
          900));
  store::Zone& open = addZone(*snapshot, "open.example");
  open.datasets = { { {}, set } };
  open.hasIp4 = true;
  store::Zone& zone = addZone(*snapshot, "bl.example");
  zone.datasets = { { {}, set } };
  zone.ns = ns({ "ns1.bl.example" });
  zone.hasIp4 = true;
  snapshot->index();
  std::vector<listing::AccessKeyRecord> records { { "partner", kKey, 0, 0, false, { "bl.example" } },
    { "gone", kRevoked, 0, 0, true, { "bl.example" } }, { "old", kExpired, 1000, 0, false, { "bl.example" } },
    { "small", kQuota, 0, 2, false, { "bl.example" } } };
  return store::withAccessKeys(snapshot,
      std::make_shared<store::AccessKeySet>(records, std::vector<std::string> { "bl.example" }, nullptr));
}

std::string upper(std::string text)
{
  for (char& c : text)
    c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  return text;
}

} // namespace

TEST_CASE("keyed zone: a valid key in any case answers as the unkeyed zone would, on the fast path")
{
  auto snapshot = keyedSnapshot();
  for (const std::string& key : { kKey, upper(kKey) }) {
    auto query = makeQuery(QuerySpec("5.0.0.10." + key + ".bl.example"));
    std::vector<std::uint8_t> out(65535);
    auto fast = query::detail::answerPlainIp4(query, *snapshot, 2000, query::Transport::Udp, {}, out);
    REQUIRE(fast);
    CHECK(fast->validKey());
    CHECK(fast->accessLabel == 12 + 9);
    auto a = ask(*snapshot, QuerySpec("5.0.0.10." + key + ".bl.example"), 2000);
    CHECK(a.result.rcode == 0);
    CHECK(a.result.listed);
    CHECK(a.result.validKey());
    REQUIRE(a.response.answer.size() == 1);
    CHECK(a.response.answer[0].find("\tA\t127.0.0.2") != std::string::npos);
    CHECK(a.response.authority[0].find("bl.example.") == 0);
  }
  auto txt = ask(*snapshot, QuerySpec("5.0.0.10." + kKey + ".bl.example", 16), 2000);
  REQUIRE(txt.response.answer.size() == 1);
  CHECK(txt.response.answer[0].find("\"see 10.0.0.5\"") != std::string::npos);
  auto miss = ask(*snapshot, QuerySpec("1.0.0.11." + kKey + ".bl.example"), 2000);
  CHECK(miss.result.rcode == 3);
  CHECK(miss.result.validKey());
}

TEST_CASE("keyed zone: RFC 5782 test points answer under a key, not without one")
{
  auto snapshot = keyedSnapshot();
  auto point = ask(*snapshot, QuerySpec("2.0.0.127." + kKey + ".bl.example"), 2000);
  CHECK(point.result.rcode == 0);
  CHECK(point.result.listed);
  CHECK(ask(*snapshot, QuerySpec("1.0.0.127." + kKey + ".bl.example"), 2000).result.rcode == 3);
  auto bare = ask(*snapshot, QuerySpec("2.0.0.127.bl.example"), 2000);
  CHECK(bare.result.rcode == 5);
  CHECK(bare.result.access == AccessCheck::Malformed);
}

TEST_CASE("keyed zone: <key>.<zone> is NODATA with the SOA, the apex answers as before")
{
  auto snapshot = keyedSnapshot();
  for (std::uint16_t type : { 1, 16, 6, 2 }) {
    auto a = ask(*snapshot, QuerySpec(upper(kKey) + ".bl.example", type), 2000);
    CHECK(a.result.rcode == 0);
    CHECK(a.response.answer.empty());
    REQUIRE(a.response.authority.size() == 1);
    CHECK(a.response.authority[0].find("\tSOA\t") != std::string::npos);
  }
  CHECK(ask(*snapshot, QuerySpec("bl.example", 6), 2000).response.answer.size() == 1);
  CHECK(ask(*snapshot, QuerySpec("0.10." + kKey + ".bl.example"), 2000).result.rcode
      == 0); // empty non-terminal
}

TEST_CASE("keyed zone: unknown, malformed, revoked, expired and wrong-zone keys are REFUSED and say so")
{
  auto snapshot = keyedSnapshot();
  struct Case {
    std::string key;
    AccessCheck check;
  };
  for (const Case& c : { Case { std::string(30, 'u'), AccessCheck::Unknown },
           Case { "short", AccessCheck::Malformed }, Case { std::string(63, 'x'), AccessCheck::Unknown },
           Case { "bad_key-with-symbols-long-enough", AccessCheck::Malformed },
           Case { kRevoked, AccessCheck::Revoked }, Case { kExpired, AccessCheck::Expired } }) {
    INFO(c.key);
    auto a = ask(*snapshot, QuerySpec("5.0.0.10." + c.key + ".bl.example"), 2000);
    CHECK(a.result.rcode == 5);
    CHECK(a.result.access == c.check);
    CHECK_FALSE(a.result.validKey());
    CHECK(a.response.answer.empty());
  }
  CHECK(ask(*snapshot, QuerySpec("5.0.0.10." + kExpired + ".bl.example"), 999).result.rcode == 0);
  // The unkeyed zone is untouched: a long label there is just a name.
  CHECK(ask(*snapshot, QuerySpec("5.0.0.10." + kKey + ".open.example"), 2000).result.access
      == AccessCheck::None);
  CHECK(ask(*snapshot, QuerySpec("5.0.0.10.open.example"), 2000).result.listed);
}

TEST_CASE("keyed zone: --key-refusal answers 127.255.255.x with a TXT saying why")
{
  auto snapshot = keyedSnapshot();
  query::AnswerOptions options;
  options.accessRefusal = 254;
  auto a = ask(*snapshot, QuerySpec("5.0.0.10." + kRevoked + ".bl.example", 255), 2000, query::Transport::Udp,
      options);
  CHECK(a.result.rcode == 0);
  CHECK_FALSE(a.result.listed);
  REQUIRE(a.response.answer.size() == 2);
  CHECK(a.response.answer[0].find("\tA\t127.255.255.254") != std::string::npos);
  CHECK(a.response.answer[1].find("\"access key revoked\"") != std::string::npos);
  auto aaaa = ask(
      *snapshot, QuerySpec("5.0.0.10." + kRevoked + ".bl.example", 28), 2000, query::Transport::Udp, options);
  CHECK(aaaa.result.rcode == 0);
  CHECK(aaaa.response.answer.empty());
}

TEST_CASE("keyed zone: a key over its daily quota is refused and counted until the next day")
{
  auto snapshot = keyedSnapshot();
  std::int64_t now = 86400 * 3;
  for (int i = 0; i < 2; ++i)
    CHECK(ask(*snapshot, QuerySpec("5.0.0.10." + kQuota + ".bl.example"), now).result.validKey());
  auto over = ask(*snapshot, QuerySpec("5.0.0.10." + kQuota + ".bl.example"), now);
  CHECK(over.result.rcode == 5);
  CHECK(over.result.access == AccessCheck::OverQuota);
  REQUIRE(over.result.accessKey);
  CHECK(over.result.accessKey->counters->answered == 2);
  CHECK(over.result.accessKey->counters->refused[static_cast<std::size_t>(AccessCheck::OverQuota)] == 1);
  CHECK(ask(*snapshot, QuerySpec("5.0.0.10." + kQuota + ".bl.example"), now + 86400).result.validKey());
}

TEST_CASE("keyed zone: the fast path echoes the question of every key length byte for byte")
{
  // Keys of 26..63 characters make questions of about 60 to 110 bytes, on both sides of memcpy's 64-byte
  // step (a block copy of long questions was tried there).
  auto snapshot = std::make_shared<store::Snapshot>();
  auto set = own(*snapshot,
      ipDataset(store::DatasetType::Ip4Set, { { "10.0.0.0/24", listed(0x7f000002, "see $") } }, 900));
  store::Zone& zone = addZone(*snapshot, "bl.example");
  zone.datasets = { { {}, set } };
  zone.ns = ns({ "ns1.bl.example" });
  zone.hasIp4 = true;
  snapshot->index();
  std::vector<listing::AccessKeyRecord> records;
  std::vector<std::string> keys;
  for (std::size_t length = listing::kMinAccessKey; length <= listing::kMaxAccessKey; ++length) {
    std::string key;
    for (std::size_t i = 0; i < length; ++i)
      key += "abcdefghijklmnopqrstuvwxyz0123456789"[(i * 7 + length) % 36];
    keys.push_back(key);
    records.push_back({ "k" + std::to_string(length), key, 0, 0, false, { "bl.example" } });
  }
  auto keyed = store::withAccessKeys(snapshot,
      std::make_shared<store::AccessKeySet>(records, std::vector<std::string> { "bl.example" }, nullptr));
  for (const std::string& key : keys)
    for (const std::string& name : { "5.0.0.10." + upper(key) + ".bl.example",
             "1.2.3.4." + key + ".BL.example", "200.200.200.200." + key + ".bl.example" })
      for (std::uint16_t qtype : { 1, 16 }) {
        INFO(name << " type " << qtype);
        auto query = makeQuery(QuerySpec(name, qtype));
        std::vector<std::uint8_t> out(65535, 0xee);
        auto fast = query::detail::answerPlainIp4(query, *keyed, 2000, query::Transport::Udp, {}, out);
        REQUIRE(fast);
        CHECK(fast->validKey());
        std::size_t questionEnd = query.size(); // no EDNS: the query is header and question
        CHECK(std::equal(query.begin() + 12, query.end(), out.begin() + 12));
        CHECK(out[questionEnd] != 0xee); // the answer or authority follows at once
        auto a = ask(*keyed, QuerySpec(name, qtype), 2000);
        CHECK(a.result.length == fast->length);
      }
}

TEST_CASE("keyed zone: a label byte past the longest key after the address is left to the general path")
{
  auto snapshot = keyedSnapshot();
  // 5.0.0.10, then a compression pointer (0xC0 0x0C) where a key label would start.
  auto query = makeQuery(QuerySpec("5.0.0.10.bl.example"));
  std::size_t address = 12 + 2 + 2 + 2 + 3;
  query.resize(address);
  for (std::uint8_t byte : { 0xC0, 0x0C, 0x00, 0x01, 0x00, 0x01 })
    query.push_back(byte);
  std::vector<std::uint8_t> out(65535);
  CHECK_FALSE(query::detail::answerPlainIp4(query, *snapshot, 2000, query::Transport::Udp, {}, out));
  // 64 bytes of label length over a long enough packet: not a key, not answered here either.
  query.resize(address);
  query.push_back(64);
  query.insert(query.end(), 64, 'k');
  for (const char* label : { "\x02"
                             "bl",
           "\x07"
           "example" })
    query.insert(query.end(), label, label + std::strlen(label));
  for (std::uint8_t byte : { 0x00, 0x00, 0x01, 0x00, 0x01 })
    query.push_back(byte);
  CHECK_FALSE(query::detail::answerPlainIp4(query, *snapshot, 2000, query::Transport::Udp, {}, out));
}
