#include "query/fixture.hpp"

namespace shun::testing {

namespace {

store::GenericRecord record(
    std::string_view owner, std::uint16_t type, std::string rdata, std::uint32_t ttl = 0)
{
  return store::GenericRecord { wireName(owner), type, ttl, std::move(rdata) };
}

store::Value expiring(std::uint32_t a, std::int64_t expires)
{
  store::Value value = listed(a, "Expiring $");
  value.expires = expires;
  return value;
}

} // namespace

std::shared_ptr<store::Snapshot> demoSnapshot()
{
  auto snapshot = std::make_shared<store::Snapshot>();
  using store::DatasetType;
  const store::Dataset* set4 = own(*snapshot,
      ipDataset(DatasetType::Ip4Set,
          {
              { "127.0.0.2", listed(0x7f000002, "Listed: $ see https://bl.example/$") },
              { "127.0.0.4", listed(0x7f000004, "", false) },
              { "127.0.0.5", expiring(0x7f000005, 2000) },
              { "127.0.0.6", expiring(0x7f000006, 500) },
              { "10.0.0.0/8", listed(0x7f000003, "Range 10/8") },
              { "10.1.0.0/16", {}, true },
              { "192.0.2.0/24", listed(0x7f000002, "first") },
              { "192.0.2.0/24", listed(0x7f00000a, "second") },
          }));
  const store::Dataset* trie6 = own(
      *snapshot, ipDataset(DatasetType::Ip6Trie, { { "2001:db8::/32", listed(0x7f000002, "v6 $") } }, 600));
  const store::Dataset* generic = own(*snapshot,
      genericDataset({
          record("", 1, std::string("\x7f\0\0\x08", 4)),
          record("www", 1, std::string("\x7f\0\0\x09", 4), 60),
          record("www", 16, std::string("\x05hello", 6), 60),
      }));
  auto combined = std::make_unique<store::Dataset>();
  combined->type = DatasetType::Combined;
  combined->children.push_back(store::SubDataset { { wireName("dn") },
      nameDataset({
          { "example.com", listed(0x7f000002, "Domain $ listed") },
          { "*.wild.test", listed(0x7f000003, "Wild $") },
          { "!bad.wild.test", {} },
      }) });
  combined->children.push_back(store::SubDataset { { wireName("deep.sub") },
      ipDataset(DatasetType::Ip4Trie, { { "127.0.0.2", listed(0x7f000002, "Deep") } }) });
  const store::Dataset* combinedSet = own(*snapshot, std::move(combined));

  store::Zone& zone = addZone(*snapshot, "bl.example");
  zone.hasIp4 = zone.hasIp6 = true;
  for (const store::Dataset* dataset : { set4, trie6, generic, combinedSet })
    zone.datasets.push_back(store::ZoneDataset { "", dataset });

  const store::Dataset* other
      = own(*snapshot, ipDataset(DatasetType::Ip4Trie, { { "127.0.0.2", listed(0x7f000002, "Other") } }));
  store::Zone& bare = addZone(*snapshot, "other.example", false, false);
  bare.hasIp4 = true;
  bare.datasets.push_back(store::ZoneDataset { "", other });
  return snapshot;
}

} // namespace shun::testing
