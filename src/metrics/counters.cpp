#include "shun/metrics/counters.hpp"

namespace shun::metrics {

namespace {

// kLabelledQtypes as a switch: this runs for every query.
constexpr std::size_t slotOfQtype(std::uint16_t qtype) noexcept
{
  switch (qtype) {
  case 1:
    return 0;
  case 2:
    return 1;
  case 6:
    return 2;
  case 16:
    return 3;
  case 28:
    return 4;
  case 255:
    return 5;
  default:
    return kLabelledQtypes.size();
  }
}

constexpr bool switchFollowsTable() noexcept
{
  for (std::size_t slot = 0; slot < kLabelledQtypes.size(); ++slot)
    if (slotOfQtype(kLabelledQtypes[slot].first) != slot)
      return false;
  return true;
}
static_assert(switchFollowsTable(), "slotOfQtype must list kLabelledQtypes in order");

} // namespace

std::size_t qtypeSlot(std::uint16_t qtype) noexcept
{
  return slotOfQtype(qtype);
}

const char* qtypeSlotName(std::size_t slot) noexcept
{
  return slot < kLabelledQtypes.size() ? kLabelledQtypes[slot].second : "other";
}

ZoneCounters& ZoneCounters::operator+=(const ZoneCounters& other) noexcept
{
  queries += other.queries;
  ok += other.ok;
  nxdomain += other.nxdomain;
  bytesIn += other.bytesIn;
  bytesOut += other.bytesOut;
  return *this;
}

ZoneCounters& ZoneCounters::operator-=(const ZoneCounters& other) noexcept
{
  queries -= other.queries;
  ok -= other.ok;
  nxdomain -= other.nxdomain;
  bytesIn -= other.bytesIn;
  bytesOut -= other.bytesOut;
  return *this;
}

Counters& Counters::operator+=(const Counters& other) noexcept
{
  for (std::size_t transport = 0; transport < queries.size(); ++transport)
    for (std::size_t rcode = 0; rcode < kRcodes; ++rcode)
      queries[transport][rcode] += other.queries[transport][rcode];
  for (std::size_t slot = 0; slot < kQtypeSlots; ++slot)
    byQtype[slot] += other.byQtype[slot];
  listed += other.listed;
  unlisted += other.unlisted;
  truncated += other.truncated;
  malformed += other.malformed;
  dropped += other.dropped;
  bytesIn += other.bytesIn;
  bytesOut += other.bytesOut;
  for (std::size_t check = 0; check < access.size(); ++check)
    access[check] += other.access[check];
  for (std::size_t i = 0; i < limited.size(); ++i)
    limited[i] += other.limited[i];
  for (std::size_t i = 0; i < cookies.size(); ++i)
    cookies[i] += other.cookies[i];
  cookieFailures += other.cookieFailures;
  return *this;
}

std::uint64_t Counters::answered() const noexcept
{
  std::uint64_t sum = 0;
  for (const auto& byRcode : queries)
    for (auto count : byRcode)
      sum += count;
  return sum;
}

void WorkerCounters::count(query::Transport transport, const query::Result& result, std::size_t bytesIn,
    std::uint16_t zoneSlot) noexcept
{
  bump(d_bytesIn, bytesIn);
  if (result.malformed)
    bump(d_malformed, 1);
  if (result.cookie != query::CookieState::None) [[unlikely]] {
    bump(d_cookies[static_cast<std::size_t>(result.cookie)], 1);
    if (result.cookieFailed)
      bump(d_cookieFailures, 1);
  }
  if (result.length == 0) {
    bump(d_dropped, 1);
    return;
  }
  bump(d_queries[transport == query::Transport::Tcp ? 1 : 0][result.rcode & 0xf], 1);
  bump(d_byQtype[qtypeSlot(result.qtype)], 1);
  bump(d_bytesOut, result.length);
  if (result.access != store::AccessCheck::None)
    bump(d_access[static_cast<std::size_t>(result.access)], 1);
  if (result.truncated)
    bump(d_truncated, 1);
  if (result.listed)
    bump(d_listed, 1);
  else if (result.zone)
    bump(d_unlisted, 1);
  if (zoneSlot >= kMaxZoneSlots)
    return;
  ZoneCells& zone = d_zones[zoneSlot]; // a zone counts what it answered
  bump(zone.queries, 1);
  bump(zone.bytesIn, bytesIn);
  bump(zone.bytesOut, result.length);
  if (result.rcode == 0)
    bump(zone.ok, 1);
  else if (result.rcode == 3)
    bump(zone.nxdomain, 1);
}

Counters WorkerCounters::read() const noexcept
{
  auto get = [](const Cell& cell) { return cell.load(std::memory_order_relaxed); };
  Counters counters;
  for (std::size_t transport = 0; transport < d_queries.size(); ++transport)
    for (std::size_t rcode = 0; rcode < Counters::kRcodes; ++rcode)
      counters.queries[transport][rcode] = get(d_queries[transport][rcode]);
  for (std::size_t slot = 0; slot < kQtypeSlots; ++slot)
    counters.byQtype[slot] = get(d_byQtype[slot]);
  counters.listed = get(d_listed);
  counters.unlisted = get(d_unlisted);
  counters.truncated = get(d_truncated);
  counters.malformed = get(d_malformed);
  counters.dropped = get(d_dropped);
  counters.bytesIn = get(d_bytesIn);
  counters.bytesOut = get(d_bytesOut);
  for (std::size_t check = 0; check < d_access.size(); ++check)
    counters.access[check] = get(d_access[check]);
  for (std::size_t i = 0; i < d_limited.size(); ++i)
    counters.limited[i] = get(d_limited[i]);
  for (std::size_t i = 0; i < d_cookies.size(); ++i)
    counters.cookies[i] = get(d_cookies[i]);
  counters.cookieFailures = get(d_cookieFailures);
  return counters;
}

ZoneCounters WorkerCounters::readCells(const ZoneCells& cells) noexcept
{
  auto get = [](const Cell& cell) { return cell.load(std::memory_order_relaxed); };
  return { get(cells.queries), get(cells.ok), get(cells.nxdomain), get(cells.bytesIn), get(cells.bytesOut) };
}

ZoneCounters WorkerCounters::readZone(std::size_t slot) const noexcept
{
  return slot < kMaxZoneSlots ? readCells(d_zones[slot]) : ZoneCounters {};
}

// rbldnsd's "*" total counts every packet, bad ones included: what was answered plus what count() saw
// go unanswered (derived here rather than counted twice per query).
ZoneCounters WorkerCounters::readTotal() const noexcept
{
  Counters all = read();
  ZoneCounters total;
  total.queries = all.answered() + all.dropped - d_sendFailures.load(std::memory_order_relaxed);
  for (const auto& byRcode : all.queries) {
    total.ok += byRcode[0];
    total.nxdomain += byRcode[3];
  }
  total.bytesIn = all.bytesIn;
  total.bytesOut = all.bytesOut;
  return total;
}

std::uint16_t ZoneSlots::slotFor(const std::string& name)
{
  std::lock_guard lock(d_mutex);
  for (std::size_t slot = 0; slot < d_names.size(); ++slot)
    if (d_names[slot] == name)
      return static_cast<std::uint16_t>(slot);
  if (d_names.size() >= kMaxZoneSlots)
    return kNoZoneSlot;
  d_names.push_back(name);
  return static_cast<std::uint16_t>(d_names.size() - 1);
}

std::vector<std::string> ZoneSlots::names() const
{
  std::lock_guard lock(d_mutex);
  return d_names;
}

StatsReport sumZones(const std::vector<const WorkerCounters*>& workers, const ZoneSlots& slots)
{
  StatsReport report;
  auto names = slots.names();
  report.zones.resize(names.size());
  for (std::size_t slot = 0; slot < names.size(); ++slot) {
    report.zones[slot].first = names[slot];
    for (const auto* worker : workers)
      report.zones[slot].second += worker->readZone(slot);
  }
  for (const auto* worker : workers)
    report.total += worker->readTotal();
  return report;
}

StatsReport& StatsReport::operator-=(const StatsReport& baseline)
{
  for (std::size_t index = 0; index < zones.size() && index < baseline.zones.size(); ++index)
    zones[index].second -= baseline.zones[index].second;
  total -= baseline.total;
  return *this;
}

} // namespace shun::metrics
