#include "shun/store/name_set.hpp"

#include "name_key.hpp"

#include <algorithm>

namespace shun::store {
namespace {

using detail::kBadName;
using detail::kMaxNameKey;
using detail::reversedKey;

// How many entries below a name hasDescendant looks at before assuming one of them is listed.
constexpr std::size_t kDescendantScanLimit = 64;
constexpr std::size_t kNotFound = static_cast<std::size_t>(-1);

std::size_t hashKey(std::string_view key, NameMatch match) noexcept
{
  std::size_t hash = std::hash<std::string_view> {}(key);
  return match == NameMatch::Subdomains ? hash ^ 0x9e3779b97f4a7c15ULL : hash;
}

} // namespace

void NameSetBuilder::add(const WireName& name, NameMatch match, ValueId value, bool exclusion)
{
  d_entries.push_back({ name, match, exclusion, value });
}

void NameSetBuilder::eraseIf(const std::function<bool(const WireName&, NameMatch)>& matches)
{
  std::erase_if(d_entries, [&](const Entry& entry) { return matches(entry.name, entry.match); });
}

NameSet NameSetBuilder::build(ValueSets& sets)
{
  struct Keyed {
    std::string key;
    std::uint32_t index;
  };
  std::vector<Keyed> keyed;
  keyed.reserve(d_entries.size());
  char buffer[kMaxNameKey];
  for (std::uint32_t i = 0; i < d_entries.size(); ++i) {
    std::size_t length = reversedKey(d_entries[i].name, buffer);
    if (length != kBadName)
      keyed.push_back({ std::string(buffer, length), i });
  }
  std::stable_sort(keyed.begin(), keyed.end(), [&](const Keyed& a, const Keyed& b) {
    if (a.key != b.key)
      return a.key < b.key;
    return d_entries[a.index].match < d_entries[b.index].match;
  });

  NameSet set;
  std::vector<ValueId> values;
  for (std::size_t i = 0; i < keyed.size();) {
    const Entry& head = d_entries[keyed[i].index];
    bool excluded = false;
    values.clear();
    std::size_t end = i;
    for (; end < keyed.size() && keyed[end].key == keyed[i].key
         && d_entries[keyed[end].index].match == head.match;
         ++end) {
      const Entry& e = d_entries[keyed[end].index];
      excluded |= e.exclusion;
      if (!e.exclusion && std::find(values.begin(), values.end(), e.value) == values.end())
        values.push_back(e.value);
    }
    NameSet::Entry entry;
    entry.keyOffset = static_cast<std::uint32_t>(set.d_keys.size());
    entry.keyLength = static_cast<std::uint32_t>(keyed[i].key.size());
    entry.payload = excluded ? NameSet::kNoPayloadName : sets.intern(values);
    entry.match = head.match;
    set.d_keys += keyed[i].key;
    set.d_wireNames += head.name; // a reversed key is as long as its wire name
    set.d_entries.push_back(entry);
    i = end;
  }
  d_entries.clear();
  set.buildIndex();
  return set;
}

void NameSet::buildIndex()
{
  std::size_t slots = 16;
  while (slots < 2 * d_entries.size()) // at most half full: short probe runs
    slots *= 2;
  d_slots.assign(slots, 0);
  for (std::size_t i = 0; i < d_entries.size(); ++i) {
    const Entry& entry = d_entries[i];
    std::size_t slot = hashKey({ d_keys.data() + entry.keyOffset, entry.keyLength }, entry.match);
    while (d_slots[slot & (slots - 1)] != 0)
      ++slot;
    d_slots[slot & (slots - 1)] = static_cast<std::uint32_t>(i + 1);
  }
}

std::size_t NameSet::indexOf(std::string_view key, NameMatch match) const noexcept
{
  if (d_slots.empty())
    return kNotFound;
  std::size_t mask = d_slots.size() - 1;
  for (std::size_t slot = hashKey(key, match);; ++slot) {
    std::uint32_t stored = d_slots[slot & mask];
    if (stored == 0)
      return kNotFound;
    if (matchesAt(stored - 1, key, match))
      return stored - 1;
  }
}

std::size_t NameSet::lowerBound(std::string_view key, NameMatch match) const noexcept
{
  auto it = std::lower_bound(d_entries.begin(), d_entries.end(), std::pair(key, match),
      [this](const Entry& entry, const std::pair<std::string_view, NameMatch>& wanted) {
        std::string_view entryKey(d_keys.data() + entry.keyOffset, entry.keyLength);
        int order = entryKey.compare(wanted.first);
        return order != 0 ? order < 0 : entry.match < wanted.second;
      });
  return static_cast<std::size_t>(it - d_entries.begin());
}

bool NameSet::matchesAt(std::size_t index, std::string_view key, NameMatch match) const noexcept
{
  if (index >= d_entries.size())
    return false;
  const Entry& entry = d_entries[index];
  return entry.match == match && std::string_view(d_keys.data() + entry.keyOffset, entry.keyLength) == key;
}

std::string_view NameSet::listedName(std::size_t index) const noexcept
{
  const Entry& entry = d_entries[index];
  return { d_wireNames.data() + entry.keyOffset, entry.keyLength };
}

NameSet::Hit NameSet::find(std::string_view wireName) const noexcept
{
  char key[kMaxNameKey];
  std::size_t length = reversedKey(wireName, key);
  if (length == kBadName || d_entries.empty())
    return {};
  std::string_view full(key, length);
  std::size_t exact = indexOf(full, NameMatch::Exact);
  if (exact != kNotFound)
    return { d_entries[exact].payload, listedName(exact) };
  // The closest wildcard decides: try the parent, then the grandparent, ... (their keys are prefixes).
  for (std::size_t cut = length; cut > 0;) {
    do
      --cut;
    while (cut > 0 && key[cut - 1] != '\0');
    std::string_view ancestor(key, cut);
    std::size_t wildcard = indexOf(ancestor, NameMatch::Subdomains);
    if (wildcard != kNotFound)
      return { d_entries[wildcard].payload, listedName(wildcard) };
  }
  return {};
}

bool NameSet::hasDescendant(std::string_view wireName) const noexcept
{
  char key[kMaxNameKey];
  std::size_t length = reversedKey(wireName, key);
  if (length == kBadName)
    return false;
  std::string_view prefix(key, length);
  std::size_t scanned = 0;
  for (std::size_t i = lowerBound(prefix, NameMatch::Exact); i < d_entries.size(); ++i) {
    const Entry& entry = d_entries[i];
    std::string_view entryKey(d_keys.data() + entry.keyOffset, entry.keyLength);
    if (entryKey.substr(0, length) != prefix)
      break;
    bool below = entryKey.size() > length || entry.match == NameMatch::Subdomains;
    if (below && (entry.payload != kNoPayloadName || ++scanned > kDescendantScanLimit))
      return true;
  }
  return false;
}

void NameSet::forEach(
    const std::function<void(std::string_view, NameMatch, bool, std::uint32_t)>& visit) const
{
  for (std::size_t i = 0; i < d_entries.size(); ++i)
    visit(listedName(i), d_entries[i].match, d_entries[i].payload == kNoPayloadName, d_entries[i].payload);
}

std::size_t NameSet::size() const noexcept
{
  return d_entries.size();
}

std::size_t NameSet::memoryBytes() const noexcept
{
  return d_keys.capacity() + d_wireNames.capacity() + d_entries.capacity() * sizeof(Entry)
      + d_slots.capacity() * sizeof(std::uint32_t);
}

} // namespace shun::store
