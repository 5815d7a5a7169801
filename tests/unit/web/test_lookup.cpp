#include "shun/listing/journal.hpp"
#include "shun/store/overlay.hpp"
#include "shun/zone/change_set.hpp"
#include "web/lookup.hpp"
#include "zone/zone_test_util.hpp"

#include <catch2/catch.hpp>

using namespace shun;

TEST_CASE("web lookup: a dataset with an overlay shows the overlay's values and metadata, and the base's")
{
  zonetest::TempDir dir;
  auto loaded = zonetest::loadOne(dir, "ip4trie", ":127.0.0.2:Listed $\n192.0.2.1\n192.0.2.2\n");
  std::shared_ptr<const store::Dataset> base(
      loaded.snapshot, loaded.snapshot->zones.at(0).datasets.at(0).dataset);
  listing::JournalRecord add, remove;
  add.key = "192.0.2.9";
  add.entryLine = "192.0.2.9 :127.0.0.4:added $";
  add.listing.reason = "journalled";
  remove.kind = listing::JournalRecord::Kind::Remove;
  remove.key = "192.0.2.2";
  std::vector<zone::Diagnostic> diagnostics;
  auto overlaid = zone::applyChangeSet(base, { add, remove }, {}, diagnostics);
  REQUIRE(overlaid);
  store::Snapshot snapshot;
  snapshot.zones = loaded.snapshot->zones;
  snapshot.zones.at(0).datasets.at(0).dataset = overlaid.get();
  auto verdict
      = [&](const char* key) { return web::lookupKey(snapshot, *web::parseLookupKey(key), 0).at(0); };

  auto added = verdict("192.0.2.9");
  REQUIRE(added.values.size() == 1);
  CHECK(added.values[0].code == "127.0.0.4");
  CHECK(added.values[0].txt == "added 192.0.2.9");
  CHECK(added.values[0].listing.reason == "journalled");
  auto kept = verdict("192.0.2.1");
  REQUIRE(kept.values.size() == 1);
  CHECK(kept.values[0].txt == "Listed 192.0.2.1");
  CHECK(verdict("192.0.2.2").values.empty());
  CHECK(store::zoneSize(snapshot.zones.at(0), 0).entries >= 2);
}
