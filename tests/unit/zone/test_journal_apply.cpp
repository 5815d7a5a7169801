#include "incremental_test_util.hpp"
#include "shun/listing/journal.hpp"

#include <catch2/catch.hpp>

using namespace zonetest;
using shun::listing::JournalRecord;

namespace {

JournalRecord add(const std::string& key, const std::string& value = "", std::int64_t expires = 0)
{
  JournalRecord record;
  record.key = key;
  record.entryLine = value.empty() ? key : key + " " + value;
  record.listing.added = 1'795'000'000;
  record.listing.expires = expires;
  record.listing.reason = "journalled";
  return record;
}

JournalRecord removal(const std::string& key)
{
  JournalRecord record;
  record.kind = JournalRecord::Kind::Remove;
  record.key = key;
  return record;
}

} // namespace

TEST_CASE("journal: additions, replacements and removals apply on top of the data file")
{
  TempDir dir;
  dir.write("data.journal",
      shun::listing::encodeJournalBlock({ add("192.0.2.7"), add("192.0.2.8", ":3:"), removal("192.0.2.9") })
          + shun::listing::encodeJournalBlock({ add("198.51.100.0/24", ":4:"), removal("192.0.2.8") }));
  auto result
      = loadOne(dir, "ip4trie", ":127.0.0.2:Listed $\n192.0.2.8 :5:\n192.0.2.9\n198.51.100.0/24 :6:\n");
  CHECK(messages(result, dir).empty());
  const auto& dataset = firstDataset(result);
  CHECK(ip4Answers(dataset, ip4(192, 0, 2, 7)) == std::vector<std::uint32_t> { 0x7f000002 });
  CHECK(ip4Answers(dataset, ip4(192, 0, 2, 8)).empty());
  CHECK(ip4Answers(dataset, ip4(192, 0, 2, 9)).empty());
  CHECK(ip4Answers(dataset, ip4(198, 51, 100, 77)) == std::vector<std::uint32_t> { 0x7f000004 });
  auto values = valuesOf(dataset, dataset.ip4.find(ip4(192, 0, 2, 7)));
  REQUIRE(values.size() == 1);
  CHECK(values[0].txt == "Listed $"); // the data file's default value carries into the journal
  CHECK(dataset.listings.at(values[0].listing).reason == "journalled");
}

TEST_CASE("journal: a torn last block is ignored with a warning")
{
  TempDir dir;
  std::string complete = shun::listing::encodeJournalBlock({ add("192.0.2.7") });
  std::string torn = shun::listing::encodeJournalBlock({ add("192.0.2.12") });
  dir.write("data.journal", complete + torn.substr(0, torn.size() / 2));
  auto result = loadOne(dir, "ip4set", "127.0.0.2\n");
  const auto& dataset = firstDataset(result);
  CHECK_FALSE(result.hasErrors());
  CHECK(ip4Answers(dataset, ip4(192, 0, 2, 7)).size() == 1);
  CHECK(ip4Answers(dataset, ip4(192, 0, 2, 12)).empty());
  CHECK(messages(result, dir)
      == std::vector<std::string> {
          "data.journal: warning: ignored what follows the last complete change (an "
          "interrupted write)" });
}

TEST_CASE("journal: dnset and ip6trie keys are replaced by their canonical spelling")
{
  TempDir dir;
  dir.write(
      "data.journal", shun::listing::encodeJournalBlock({ removal(".spam.example"), add("*.new.example") }));
  auto names = loadOne(dir, "dnset", ".spam.example\nother.example\n");
  const auto& dataset = firstDataset(names);
  auto listed = [&](const char* wire, std::size_t size) {
    return dataset.names.find(std::string(wire, size)).payload != shun::store::NameSet::kNoPayloadName;
  };
  CHECK_FALSE(listed("\4spam\7example", 13));
  CHECK_FALSE(listed("\1a\4spam\7example", 15));
  CHECK(listed("\1a\3new\7example", 14));
  CHECK(listed("\5other\7example", 14));

  TempDir dir6;
  dir6.write("data.journal", shun::listing::encodeJournalBlock({ removal("2001:db8::/32") }));
  auto v6 = loadOne(dir6, "ip6trie", "2001:db8::/32\n2001:db9::/32\n");
  CHECK(firstDataset(v6).ip6.find(static_cast<shun::store::Ip6>(0x20010db8ULL) << 96)
      == shun::store::kNoPayload);
  CHECK(firstDataset(v6).ip6.find(static_cast<shun::store::Ip6>(0x20010db9ULL) << 96)
      != shun::store::kNoPayload);
}

TEST_CASE("journal: a one-file IP or dnset dataset keeps what its journal lines were parsed with, for "
          "change sets")
{
  TempDir dir;
  auto result
      = loadOne(dir, "ip4trie", "$0 zero\n$= base $=\n:127.0.0.3:first\n10.0.0.1\n:127.0.0.4:last $0\n");
  const auto& dataset = firstDataset(result);
  REQUIRE(dataset.lineContext);
  CHECK(dataset.lineContext->defaultValue.a == 0x7f000004);
  CHECK(dataset.lineContext->defaultValue.txt == "last $0");
  CHECK(dataset.lineContext->vars.at(0) == "zero");
  CHECK(dataset.lineContext->hasBaseTemplate);
  CHECK(dataset.lineContext->baseTemplate == "base $=");

  std::string second = dir.write("second", "10.0.0.2\n");
  auto two = shun::zone::loadSnapshot(
      { shun::zone::parseZoneSpec("bl.example:ip4trie:" + dir.path() + "/data," + second) }, {});
  CHECK_FALSE(firstDataset(two).lineContext); // later files' entries come after the journal
  CHECK(firstDataset(loadOne(dir, "ip6trie", "2001:db8::/32\n")).lineContext); // overlaid too
  CHECK_FALSE(firstDataset(loadOne(dir, "generic", "www A 127.0.0.2\n")).lineContext); // always rebuilt
  dir.write("data.journal",
      shun::listing::encodeJournalBlock({ journalAdd(".b.example"), journalAdd("c.example") }));
  auto names = loadOne(dir, "dnset", ":127.0.0.5:names\nexample.com\n");
  REQUIRE(firstDataset(names).lineContext);
  CHECK(firstDataset(names).lineContext->defaultValue.a == 0x7f000005);
  CHECK(firstDataset(names).lineContext->journalNameForms
      == std::unordered_map<std::string, std::uint8_t> { { "\1b\7example", 4 }, { "\1c\7example", 1 } });
}
