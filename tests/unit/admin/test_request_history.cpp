#include "admin/request_history.hpp"
#include "admin/safe_file.hpp"
#include "shun/admin/editor.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <fstream>

using namespace shun::admin;

namespace {

constexpr std::int64_t kNow = 1'795'000'000;
constexpr std::int64_t kDay = 86400;

using shuntest::TempDir;

std::string line(std::int64_t time, const std::string& key, const std::string& outcome)
{
  return formatRequest({ time, key, "198.51.100.1", outcome });
}

// The owner the files of a zone we own get: ours.
FileOwner ours()
{
  return { ::geteuid(), ::getegid(), 0644 };
}

} // namespace

TEST_CASE("request history: only appended lines are read, and a replaced log is read again")
{
  TempDir dir;
  std::string log = dir.file("bl.requests");
  appendDurably(log, line(kNow, "192.0.2.7", "granted") + line(kNow, "192.0.2.8", "refused-limit"), ours());
  RequestHistory history;
  history.refresh(log);
  CHECK(history.granted("192.0.2.7").size() == 1);
  CHECK(history.granted("192.0.2.8").empty());
  appendDurably(log, line(kNow + 1, "192.0.2.7", "granted") + "2026-11-20T10:00:00Z 192.0.2.9 x gra", ours());
  history.refresh(log);
  CHECK(history.granted("192.0.2.7").size() == 2);
  appendDurably(log, "nted\n", ours()); // the torn last line is completed
  history.refresh(log);
  CHECK(history.granted("192.0.2.9").size() == 1);
  CHECK(history.grantedSince(kNow + 1) == 2);
  replaceAtomically(log, line(kNow, "192.0.2.1", "approved"), ours());
  history.refresh(log);
  CHECK(history.keys() == 1);
  CHECK(history.granted("192.0.2.1").size() == 1);
  history.forget(kNow + 1);
  CHECK(history.keys() == 0);
}

TEST_CASE("request history: a log past its size is rotated, keeping recent grants and pending requests")
{
  TempDir dir;
  std::string log = dir.file("bl.requests");
  std::string text = line(kNow - 40 * kDay, "192.0.2.1", "granted")
      + line(kNow - kDay, "192.0.2.2", "granted") + line(kNow - 50 * kDay, "192.0.2.3", "queued")
      + line(kNow - 50 * kDay, "192.0.2.4", "queued") + line(kNow - 49 * kDay, "192.0.2.4", "denied");
  for (int index = 0; index < 1000; ++index)
    text += line(kNow - kDay, "203.0.113.9", "not-listed");
  appendDurably(log, text, ours());
  CHECK_FALSE(rotateRequests(log, text.size(), kNow - 30 * kDay, ours()));
  CHECK(rotateRequests(log, 4096, kNow - 30 * kDay, ours()));
  CHECK(readFileOrEmpty(log + ".1") == text);
  auto kept = parseRequests(readFileOrEmpty(log));
  REQUIRE(kept.size() == 2);
  CHECK(kept[0].key == "192.0.2.2");
  CHECK(kept[1].key == "192.0.2.3");
  CHECK(pendingRequests(kept).size() == 1);
}

TEST_CASE("self-removal: past the zone's hourly budget a request is queued, not granted")
{
  TempDir dir;
  ZoneTarget target { "bl.example", dir.file("bl.zone"), shun::store::DatasetType::Ip4Set };
  std::ofstream(target.dataFile)
      << "#@selfremoval allowed=yes max=1 budget=2\n192.0.2.1\n192.0.2.2\n192.0.2.3\n";
  ZoneEditor editor(target);
  CHECK(editor.selfRemove("192.0.2.1", "198.51.100.1", true, kNow).logged == "granted");
  CHECK(editor.selfRemove("192.0.2.2", "198.51.100.2", true, kNow + 1).logged == "granted");
  EditResult queued = editor.selfRemove("192.0.2.3", "198.51.100.3", true, kNow + 2);
  CHECK(queued.logged == "queued");
  CHECK(queued.outcome == Outcome::Refused);
  CHECK(editor.selfRemove("192.0.2.3", "198.51.100.3", true, kNow + 3601).logged == "granted"); // an hour on
}

TEST_CASE(
    "self-removal: a requests log past 4 MiB is rotated by the next request, and its grants still count")
{
  TempDir dir;
  ZoneTarget target { "bl.example", dir.file("bl.zone"), shun::store::DatasetType::Ip4Set };
  std::ofstream(target.dataFile) << "#@selfremoval allowed=yes max=1 per=30d\n192.0.2.1\n192.0.2.2\n";
  std::string text = line(kNow - kDay, "192.0.2.2", "granted");
  while (text.size() <= (std::size_t { 4 } << 20))
    text += line(kNow - kDay, "203.0.113.9", "not-listed");
  appendDurably(target.dataFile + ".requests", text, ours());
  ZoneEditor editor(target);
  CHECK(editor.selfRemove("192.0.2.1", "198.51.100.1", true, kNow).logged == "granted");
  CHECK(readFileOrEmpty(target.dataFile + ".requests.1") == text);
  CHECK(readFileOrEmpty(target.dataFile + ".requests").size() < 200);
  CHECK(editor.selfRemove("192.0.2.2", "198.51.100.1", true, kNow + 1).logged == "refused-limit");
}
