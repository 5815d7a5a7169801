#include "shun/listing/journal.hpp"
#include "zone/dataset_loader.hpp"
#include "zone_test_util.hpp"

#include <catch2/catch.hpp>
#include <sys/stat.h>

using namespace shun;

namespace {

listing::JournalRecord added(const std::string& key)
{
  listing::JournalRecord record;
  record.key = key;
  record.entryLine = key;
  record.listing.added = 1'795'000'000;
  return record;
}

bool anyContains(const std::vector<std::string>& messages, const std::string& part)
{
  for (const auto& message : messages)
    if (message.find(part) != std::string::npos)
      return true;
  return false;
}

} // namespace

TEST_CASE("load limits: a line over --max-line-length is a file:line error with a short quote")
{
  zonetest::TempDir dir;
  zone::LoadOptions options;
  options.maxLineLength = 300;
  auto result = zonetest::loadOne(
      dir, "ip4trie", "192.0.2.1\n" + std::string(5000, 'z') + "\n192.0.2.2\n", "bl.example", options);
  auto messages = zonetest::messages(result, dir);
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].rfind("data:2: line longer than 300 bytes", 0) == 0);
  CHECK(messages[0].size() < 200);
  CHECK(result.hasErrors());
}

TEST_CASE("load limits: diagnostics are capped per dataset and each quotes a bounded part of its line")
{
  zonetest::TempDir dir;
  std::string text;
  for (int i = 0; i < 1500; ++i)
    text += "192.0.2.1 :bad" + std::string(2000, 'q') + "\n";
  auto result = zonetest::loadOne(dir, "ip4trie", text);
  auto messages = zonetest::messages(result, dir);
  REQUIRE(messages.size() == 1001);
  CHECK(messages.back().find("and 500 more problems in this dataset") != std::string::npos);
  for (const auto& message : messages)
    CHECK(message.size() < 300);
  CHECK(result.hasErrors());
}

TEST_CASE("load limits: more lines than entries can name is a load error, not an exception")
{
  store::Dataset dataset;
  dataset.type = store::DatasetType::Ip4Trie;
  zone::LoadOptions options;
  std::vector<zone::Diagnostic> diagnostics;
  zone::DatasetLoader loader(dataset, options, diagnostics);
  loader.beginFile(0, "huge.zone");
  loader.line("192.0.2.1", 1);
  loader.line("192.0.2.2", 0x40000000);
  CHECK(loader.failed());
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].format().find("huge.zone:1073741824: too many lines") == 0);
}

TEST_CASE("load limits: a corrupt journal is an error naming its offset; the blocks before it apply")
{
  zonetest::TempDir dir;
  std::string good = listing::encodeJournalBlock({ added("198.51.100.1") });
  std::string bad = listing::encodeJournalBlock({ added("198.51.100.2") });
  bad[bad.find("198.51.100.2")] = '9';
  dir.write("data.journal", good + bad + listing::encodeJournalBlock({ added("198.51.100.3") }));
  auto result = zonetest::loadOne(dir, "ip4trie", "192.0.2.1\n");
  auto messages = zonetest::messages(result, dir);
  CHECK(anyContains(messages, "data.journal: corrupt journal at byte offset " + std::to_string(good.size())));
  CHECK(result.hasErrors());
}

TEST_CASE("load limits: a journal that is a FIFO is an error, not a hang")
{
  zonetest::TempDir dir;
  REQUIRE(::mkfifo((dir.path() + "/data.journal").c_str(), 0600) == 0);
  auto result = zonetest::loadOne(dir, "ip4trie", "192.0.2.1\n");
  CHECK(anyContains(zonetest::messages(result, dir), "data.journal: not a regular file"));
}
