#include "query/keys.hpp"
#include "query/resolve.hpp"

namespace shun::query::detail {
namespace {

using store::AclAction;
using wire::dns::kTypeA;
using wire::dns::kTypeAny;
using wire::dns::kTypeTxt;

/// What "$" stands for in a template, formatted only if a template needs it.
struct KeySource {
  enum class Kind : std::uint8_t { Ip4, Ip6, Name } kind;
  store::Ip4 ip4 = 0;
  store::Ip6 ip6 = 0;
  std::string_view name;
};

KeySource clientKey(const ClientAddress& client) noexcept
{
  return client.isV6 ? KeySource { KeySource::Kind::Ip6, 0, client.v6, {} }
                     : KeySource { KeySource::Kind::Ip4, client.v4, 0, {} };
}

std::string_view formatKey(AnswerPlan& plan, const KeySource& source) noexcept
{
  constexpr std::size_t kMaxKey = 254;
  char* room = plan.keyRoom(kMaxKey);
  if (!room)
    return {};
  switch (source.kind) {
  case KeySource::Kind::Ip4:
    return plan.commitKey(formatIp4(source.ip4, room));
  case KeySource::Kind::Ip6:
    return plan.commitKey(formatIp6(source.ip6, room));
  case KeySource::Kind::Name:
    break;
  }
  return plan.commitKey(formatName(source.name, room, kMaxKey));
}

std::uint32_t datasetTtl(const store::Dataset& dataset, std::int64_t now) noexcept
{
  return clampTtl(dataset.ttl != 0 ? dataset.ttl : kDefaultTtl, dataset.timestampExpires, now);
}

void addRr(Lookup& lookup, std::uint16_t type, std::uint32_t ttl, RdataKind kind, const void* data,
    std::size_t length, std::string_view key, bool fromValue) noexcept
{
  PlannedRr* rr = lookup.plan.add();
  if (!rr)
    return;
  *rr = PlannedRr { type, wire::dns::kClassIn, ttl, kind, fromValue, static_cast<std::uint16_t>(length), data,
    nullptr, key.data(), static_cast<std::uint16_t>(key.size()) };
}

// Plans the A/TXT RRs of one value. key: "$" text, formatted on first use.
void addValue(Lookup& lookup, const store::CompiledValue& value, std::uint32_t ttl, const KeySource& source,
    std::string_view& key) noexcept
{
  ttl = clampTtl(value.ttl != 0 ? value.ttl : ttl, value.expires, lookup.now);
  if (lookup.qtype == kTypeA || lookup.qtype == kTypeAny)
    addRr(lookup, kTypeA, ttl, RdataKind::Raw, value.aRdata, 4, {}, true);
  if ((lookup.qtype == kTypeTxt || lookup.qtype == kTypeAny) && value.hasTxt) {
    if (value.txtHasKey && key.data() == nullptr)
      key = formatKey(lookup.plan, source);
    auto kind = value.txtHasKey ? RdataKind::Template : RdataKind::Text;
    addRr(lookup, kTypeTxt, ttl, kind, value.txt.data(), value.txt.size(), key, true);
  }
}

// A key was found with this payload: plans its live values; expired ones are as if absent.
void addPayload(
    Lookup& lookup, const store::Dataset& dataset, std::uint32_t payload, const KeySource& source) noexcept
{
  if (payload == store::kNoPayload || payload >= dataset.sets.size())
    return;
  std::uint32_t ttl = datasetTtl(dataset, lookup.now);
  std::string_view key;
  for (store::ValueId id : dataset.sets.set(payload)) {
    if (id >= dataset.values.size())
      continue;
    const store::CompiledValue& value = dataset.values.compiled(id);
    if (value.expires != 0 && lookup.now >= value.expires)
      continue;
    lookup.exists = true;
    addValue(lookup, value, ttl, source, key);
  }
}

// A valid key under an "always listed" acl: the acl's value, "$" = the client.
void addAlways(Lookup& lookup, const store::Dataset& dataset) noexcept
{
  lookup.exists = true;
  std::string_view key;
  addValue(lookup, *lookup.acl.value, datasetTtl(dataset, lookup.now), clientKey(lookup.client), key);
}

bool dataHidden(const Lookup& lookup) noexcept
{
  return lookup.acl.action == AclAction::Empty;
}

void lookupIp4(Lookup& lookup, const store::Dataset& dataset, const Ip4Key& key) noexcept
{
  if (key.shape == KeyShape::None || dataHidden(lookup))
    return;
  if (key.shape == KeyShape::Partial) {
    lookup.exists = lookup.exists || dataset.anyIp4Within(key.first, key.last);
  } else if (lookup.acl.action == AclAction::Always) {
    addAlways(lookup, dataset);
  } else {
    store::Ip4Hit hit = dataset.findIp4(key.first); // an overlay's tables have the dataset's TTLs
    addPayload(lookup, *hit.tables, hit.payload, KeySource { KeySource::Kind::Ip4, key.first, 0, {} });
  }
}

void lookupIp4Dataset(Lookup& lookup, const store::Dataset& dataset, std::string_view name) noexcept
{
  Ip4Key key = ip4Key(name);
  if (key.shape != KeyShape::None) {
    lookupIp4(lookup, dataset, key);
    return;
  }
  // 6to4 and v4-mapped IPv6 names are IPv4 keys too (rbldnsd dntoip()).
  Ip6Key v6 = ip6Key(name);
  if (v6.shape == KeyShape::None)
    return;
  lookupIp4(lookup, dataset, mappedIp4(v6));
  lookupIp4(lookup, dataset, sixToFourIp4(v6));
}

void lookupIp6Dataset(Lookup& lookup, const store::Dataset& dataset, std::string_view name) noexcept
{
  Ip6Key key = ip6Key(name);
  if (key.shape == KeyShape::None || dataHidden(lookup))
    return;
  if (key.shape == KeyShape::Partial) {
    lookup.exists = lookup.exists || dataset.anyIp6Within(key.first, key.last);
  } else if (lookup.zone.hasIp4 && isMapped(key.first)) {
    return; // answered by the zone's IPv4 datasets
  } else if (lookup.acl.action == AclAction::Always) {
    addAlways(lookup, dataset);
  } else {
    store::Ip4Hit hit = dataset.findIp6(key.first); // an overlay's tables have the dataset's TTLs
    addPayload(lookup, *hit.tables, hit.payload, KeySource { KeySource::Kind::Ip6, 0, key.first, {} });
  }
}

void lookupNames(Lookup& lookup, const store::Dataset& dataset, std::string_view name) noexcept
{
  if (name.empty() || dataHidden(lookup))
    return;
  if (lookup.acl.action == AclAction::Always) {
    addAlways(lookup, dataset);
    return;
  }
  store::NameHit hit = dataset.findName(name); // an overlay's tables have the dataset's TTLs
  if (hit.payload != store::kNoPayload)
    addPayload(lookup, *hit.tables, hit.payload, KeySource { KeySource::Kind::Name, 0, 0, hit.listedName });
  if (!lookup.exists)
    lookup.exists = dataset.hasNameDescendant(name);
}

// Generic data is answered as usual under every acl action (rbldnsd's manpage; its code disagrees).
void lookupGeneric(Lookup& lookup, const store::Dataset& dataset, std::string_view name) noexcept
{
  auto records = dataset.generic.find(name);
  std::uint32_t ttl = datasetTtl(dataset, lookup.now);
  for (const store::GenericRecord& record : records) {
    lookup.exists = true;
    if (record.type != lookup.qtype && lookup.qtype != kTypeAny)
      continue;
    std::uint32_t recordTtl
        = clampTtl(record.ttl != 0 ? record.ttl : ttl, dataset.timestampExpires, lookup.now);
    addRr(
        lookup, record.type, recordTtl, RdataKind::Raw, record.rdata.data(), record.rdata.size(), {}, false);
  }
  if (records.empty() && !lookup.exists)
    lookup.exists = dataset.generic.hasDescendant(name);
}

} // namespace

void lookupDataset(Lookup& lookup, const store::Dataset& dataset, std::string_view name) noexcept
{
  switch (dataset.type) {
  case store::DatasetType::Ip4Set:
  case store::DatasetType::Ip4TSet:
  case store::DatasetType::Ip4Trie:
    lookupIp4Dataset(lookup, dataset, name);
    break;
  case store::DatasetType::Ip6Trie:
  case store::DatasetType::Ip6TSet:
    lookupIp6Dataset(lookup, dataset, name);
    break;
  case store::DatasetType::DnSet:
    lookupNames(lookup, dataset, name);
    break;
  case store::DatasetType::Generic:
    lookupGeneric(lookup, dataset, name);
    break;
  case store::DatasetType::Combined:
  case store::DatasetType::Acl:
    break; // combined is routed by resolve(); acl is not data
  }
}

} // namespace shun::query::detail
