// The names part of store::Overlay: a dnset's changed names consulted before its immutable NameSet.
#include "name_key.hpp"
#include "shun/store/overlay.hpp"

#include <algorithm>

namespace shun::store {
namespace {

using State = Overlay::NameShape::State;

// The wire form of a reversed key ("com\0example\0" -> "\7example\3com").
std::string keyToWireName(std::string_view key)
{
  std::string wire;
  for (std::size_t end = key.size(); end > 0;) {
    std::size_t start = end - 1;
    while (start > 0 && key[start - 1] != '\0')
      --start;
    wire.push_back(static_cast<char>(end - 1 - start));
    wire.append(key.substr(start, end - 1 - start));
    end = start;
  }
  return wire;
}

// True if the overlay's version of a shape is listed (has a payload).
bool listed(const Overlay::NameShape& shape)
{
  return shape.state == State::Listed && shape.hit.payload != kNoPayload;
}

} // namespace

std::string Overlay::nameKey(std::string_view wireName)
{
  char key[detail::kMaxNameKey];
  std::size_t length = detail::reversedKey(wireName, key);
  return length == detail::kBadName ? std::string() : std::string(key, length);
}

const Overlay::NameChange* Overlay::nameChangeAt(std::string_view key) const noexcept
{
  auto at = std::lower_bound(d_names.begin(), d_names.end(), key,
      [](const NameChange& change, std::string_view k) { return change.key < k; });
  return at != d_names.end() && at->key == key ? &*at : nullptr;
}

NameHit Overlay::findName(std::string_view wireName) const noexcept
{
  const Dataset* base = d_base.get();
  char key[detail::kMaxNameKey];
  std::size_t length = detail::reversedKey(wireName, key);
  if (length == detail::kBadName)
    return { base, kNoPayload, {} };
  BaseWildcard wildcard; // the base's closest wildcard not yet known to be hidden
  const NameChange* own = nameChangeAt({ key, length });
  if (own && own->exact.state != State::Unchanged) {
    if (own->exact.state == State::Listed)
      return { own->exact.hit.tables, own->exact.hit.payload, wireName };
    if (own->exact.state == State::Excluded)
      return { base, kNoPayload, wireName };
    wildcard = own->above; // removed: the base's exact entry is hidden
  } else {
    NameSet::Hit hit = base->names.find(wireName);
    if (hit.listedName.data() && hit.listedName.size() == wireName.size())
      return { base, hit.payload, hit.listedName };
    if (hit.listedName.data())
      wildcard = { { base, hit.payload }, static_cast<std::uint16_t>(hit.listedName.size()), true };
  }
  // The ancestors, closest first: a changed wildcard there decides before the base's farther one.
  for (std::size_t cut = length; cut > 0;) {
    do
      --cut;
    while (cut > 0 && key[cut - 1] != '\0');
    bool baseHere = wildcard.found && wildcard.suffix == cut;
    const NameChange* change = nameChangeAt({ key, cut });
    if (change && change->subdomains.state != State::Unchanged) {
      std::string_view listedName = wireName.substr(wireName.size() - cut);
      if (change->subdomains.state == State::Listed)
        return { change->subdomains.hit.tables, change->subdomains.hit.payload, listedName };
      if (change->subdomains.state == State::Excluded)
        return { base, kNoPayload, listedName };
      if (baseHere)
        wildcard = change->above; // the base's wildcard here is hidden: the next one above it decides
      continue;
    }
    if (baseHere)
      return { wildcard.hit.tables, wildcard.hit.payload, wireName.substr(wireName.size() - cut) };
  }
  return { base, kNoPayload, {} };
}

bool Overlay::hasNameDescendant(std::string_view wireName) const noexcept
{
  // The base's listed descendants are still listed unless a change removed them (hidesListed: the base
  // cannot say whether it has others, so they are assumed until the merge); the overlay may add some.
  if (d_base->names.hasDescendant(wireName))
    return true;
  char key[detail::kMaxNameKey];
  std::size_t length = detail::reversedKey(wireName, key);
  if (length == detail::kBadName)
    return false;
  std::string_view prefix(key, length);
  auto at = std::lower_bound(d_names.begin(), d_names.end(), prefix,
      [](const NameChange& change, std::string_view k) { return change.key < k; });
  for (; at != d_names.end() && at->key.substr(0, length) == prefix; ++at)
    if ((at->key.size() > length && listed(at->exact)) || listed(at->subdomains))
      return true;
  return false;
}

void Overlay::forEachName(const std::function<void(std::string_view, NameMatch, bool, Ip4Hit)>& visit) const
{
  const Dataset* base = d_base.get();
  auto emitShape = [&](const std::string& wire, NameMatch match, const NameShape& shape) {
    if (shape.state == State::Listed || shape.state == State::Excluded)
      visit(wire, match, shape.state == State::Excluded || shape.hit.payload == kNoPayload, shape.hit);
  };
  struct Entry {
    bool present = false, exclusion = false;
    std::uint32_t payload = kNoPayload;
  };
  std::string pendingKey, pendingWire; // the base's name being gathered (both shapes come together)
  Entry pending[2];
  std::size_t next = 0;
  auto flush = [&](bool any) { // any: a base name is pending; else every change left is emitted
    for (; next < d_names.size() && (!any || d_names[next].key < pendingKey); ++next) {
      std::string wire = keyToWireName(d_names[next].key);
      emitShape(wire, NameMatch::Exact, d_names[next].exact);
      emitShape(wire, NameMatch::Subdomains, d_names[next].subdomains);
    }
    if (!any)
      return;
    const NameChange* change
        = next < d_names.size() && d_names[next].key == pendingKey ? &d_names[next] : nullptr;
    const NameShape* shapes[2]
        = { change ? &change->exact : nullptr, change ? &change->subdomains : nullptr };
    for (int i = 0; i < 2; ++i) {
      auto match = i == 0 ? NameMatch::Exact : NameMatch::Subdomains;
      if (shapes[i] && shapes[i]->state != State::Unchanged)
        emitShape(pendingWire, match, *shapes[i]);
      else if (pending[i].present)
        visit(pendingWire, match, pending[i].exclusion, { base, pending[i].payload });
    }
    next += change ? 1 : 0;
    pending[0] = pending[1] = {};
  };
  base->names.forEach([&](std::string_view wire, NameMatch match, bool exclusion, std::uint32_t payload) {
    char key[detail::kMaxNameKey];
    std::string_view entryKey(key, detail::reversedKey(wire, key));
    if (entryKey != pendingKey || !(pending[0].present || pending[1].present)) {
      if (pending[0].present || pending[1].present)
        flush(true);
      pendingKey.assign(entryKey);
      pendingWire.assign(wire);
    }
    pending[match == NameMatch::Exact ? 0 : 1] = { true, exclusion, payload };
  });
  if (pending[0].present || pending[1].present)
    flush(true);
  flush(false); // the changes after the base's last name
}

NameHit Dataset::overlaidFindName(std::string_view wireName) const noexcept
{
  return overlay->findName(wireName);
}

bool Dataset::overlaidHasNameDescendant(std::string_view wireName) const noexcept
{
  return overlay->hasNameDescendant(wireName);
}

void Dataset::forEachName(const std::function<void(std::string_view, NameMatch, bool, Ip4Hit)>& visit) const
{
  if (overlay) {
    overlay->forEachName(visit);
    return;
  }
  names.forEach([&](std::string_view wire, NameMatch match, bool exclusion, std::uint32_t payload) {
    visit(wire, match, exclusion, { this, payload });
  });
}

} // namespace shun::store
