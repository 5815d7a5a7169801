#include "shun/listing/key.hpp"
#include "shun/zone/records.hpp"
#include "zone/record_scope.hpp"
#include "zone/text.hpp"

#include <algorithm>
#include <iterator>

// IXFR's differences (RFC 1995 4), from the same records AXFR sends: each changed dataset's records
// around the changed keys, before and after, compared. A changed IPv4 key's window is widened to whole
// ranges of either version, so a range cut around a new single address (its wildcards expanded) is
// compared whole; only the windows are walked.
namespace shun::zone {
namespace {

class Collector : public RecordVisitor {
public:
  explicit Collector(std::vector<OwnedRecord>& out)
      : d_out(out)
  {
  }
  void record(const ZoneRecord& record) override
  {
    d_out.push_back({ std::string(record.owner), record.type, record.ttl, std::string(record.rdata) });
  }

private:
  std::vector<OwnedRecord>& d_out;
};

using Window = std::pair<store::Ip4, store::Ip4>;

std::vector<Window> merged(std::vector<Window> windows)
{
  std::sort(windows.begin(), windows.end());
  std::vector<Window> out;
  for (const Window& window : windows) {
    if (!out.empty() && std::uint64_t { out.back().second } + 1 >= window.first)
      out.back().second = std::max(out.back().second, window.second);
    else
      out.push_back(window);
  }
  return out;
}

// Widens windows until no range of either dataset crosses a window's edge. Each round walks the
// windows alone (Dataset::forEachIp4 of a window), so the cost follows the change, not the map.
std::vector<Window> closeUnderRanges(
    std::vector<Window> windows, const store::Dataset& a, const store::Dataset& b)
{
  windows = merged(std::move(windows));
  for (bool grew = true; grew;) {
    grew = false;
    std::vector<Window> wider = windows;
    for (const Window& window : windows)
      for (const store::Dataset* dataset : { &a, &b })
        dataset->forEachIp4(
            [&](store::Ip4 first, store::Ip4 last, store::Ip4Hit) {
              if (first != last && (first < window.first || last > window.second)) {
                wider.emplace_back(first, last);
                grew = true;
              }
            },
            window.first, window.second);
    windows = merged(std::move(wider));
  }
  return windows;
}

bool isIp4(store::DatasetType type)
{
  return type == store::DatasetType::Ip4Set || type == store::DatasetType::Ip4TSet
      || type == store::DatasetType::Ip4Trie;
}

// What the keys touch in this dataset; nullopt: all of it.
std::optional<RecordScope> scopeOf(
    const store::Dataset& before, const store::Dataset& after, const std::vector<std::string>& keys)
{
  bool names = before.type == store::DatasetType::DnSet;
  if ((!isIp4(before.type) && !names) || before.type != after.type)
    return std::nullopt;
  RecordScope scope;
  std::vector<Window> windows;
  for (const std::string& text : keys) {
    std::string error;
    auto key = listing::parseKey(text, error, { true, true, true });
    if (!key)
      return std::nullopt;
    if (names && key->family == listing::Key::Family::Name) {
      if (auto wire = nameToWire(key->name))
        scope.names.push_back(*wire);
    } else if (!names && key->family == listing::Key::Family::Ip4) {
      windows.emplace_back(key->v4First, key->v4Last);
    }
  }
  std::sort(scope.names.begin(), scope.names.end());
  if (!names)
    scope.ip4 = closeUnderRanges(windows, before, after);
  return scope;
}

} // namespace

std::optional<ZoneDifference> zoneDifference(const store::Zone& before, const store::Zone& after,
    const std::vector<std::string>& keys, std::int64_t now)
{
  if (before.datasets.size() != after.datasets.size())
    return std::nullopt;
  std::vector<OwnedRecord> old, current;
  Collector oldCollector(old), currentCollector(current);
  for (std::size_t i = 0; i < before.datasets.size(); ++i) {
    const store::ZoneDataset& a = before.datasets[i];
    const store::ZoneDataset& b = after.datasets[i];
    if (a.subzone != b.subzone)
      return std::nullopt;
    if (a.dataset == b.dataset)
      continue; // shared between the snapshots: unchanged
    auto scope = scopeOf(*a.dataset, *b.dataset, keys);
    forEachDatasetRecord(a, now, oldCollector, scope ? &*scope : nullptr);
    forEachDatasetRecord(b, now, currentCollector, scope ? &*scope : nullptr);
  }
  std::sort(old.begin(), old.end());
  std::sort(current.begin(), current.end());
  ZoneDifference difference;
  std::set_difference(
      old.begin(), old.end(), current.begin(), current.end(), std::back_inserter(difference.deleted));
  std::set_difference(
      current.begin(), current.end(), old.begin(), old.end(), std::back_inserter(difference.added));
  return difference;
}

} // namespace shun::zone
