#include "server/journal_watch.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <poll.h>
#include <unistd.h>

using shun::server::JournalWatch;

namespace {

struct Dir : shuntest::TempDir {
  void append(const std::string& name, const std::string& text) const
  {
    std::ofstream(file(name), std::ios::app) << text;
  }
};

// Waits up to a second for the watch to have events, then drains them.
bool newsWithin(JournalWatch& watch)
{
  pollfd fd { watch.fd(), POLLIN, 0 };
  return ::poll(&fd, 1, 1000) > 0 && watch.drain();
}

} // namespace

TEST_CASE("journal watch: an append to a journal is news, another file in its directory is not")
{
  Dir dir;
  JournalWatch watch({ dir.file("bl.zone.journal") });
  REQUIRE(watch.ok());
  dir.append("bl.zone", "192.0.2.1\n");
  CHECK_FALSE(newsWithin(watch));
  dir.append("bl.zone.journal", "#@ added=1\n");
  CHECK(newsWithin(watch));
  CHECK_FALSE(watch.drain()); // drained
}

TEST_CASE("journal watch: a journal replaced by rename (shunctl expire) is news")
{
  Dir dir;
  JournalWatch watch({ dir.file("bl.zone.journal") });
  dir.append("bl.zone.journal.tmp", "");
  newsWithin(watch);
  std::rename(dir.file("bl.zone.journal.tmp").c_str(), dir.file("bl.zone.journal").c_str());
  CHECK(newsWithin(watch));
}

TEST_CASE("journal watch: a directory that cannot be watched leaves the caller polling")
{
  JournalWatch watch({ "/nonexistent-shun-dir/bl.zone.journal" });
  CHECK_FALSE(watch.ok());
  CHECK_FALSE(watch.problem().empty());
}
