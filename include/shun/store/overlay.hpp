#pragma once

#include "shun/store/dataset.hpp"
#include "shun/store/ip4_range_layer.hpp"

#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace shun::store {

/// What one change set added: the values, sets and listings its entries index (a small Dataset used as
/// tables, with the base's TTL and $TIMESTAMP), and the names' keys that an Overlay's entries view.
/// Immutable once built; shared by every overlay that still holds one of its entries.
struct OverlayPart {
  Dataset tables;
  std::deque<std::string> nameKeys; ///< reversed keys ("com\0example\0"); a deque keeps them in place
};

/// Journalled changes laid over an immutable base dataset, answering exactly as a full load of the base's
/// file and journal would (zone::applyChangeSet builds one only where that is exact):
/// - single IPv4 addresses (ip4set, ip4trie, ip4tset): a changed address answers from the overlay (added)
///   or from the ranges alone (removed: the base's singles there are gone);
/// - IPv4 ranges: once a change set holds one, the ranges are an Ip4RangeLayer (the base's ranges with
///   windows around the changed keys rebuilt), and an address that no single decides answers from it (a
///   single address always decides over the ranges, except inside an ip4set's level-32 range, which the
///   overlay never changes);
/// - names (dnset): a changed shape of a name (`name`, `*.name`) answers from the overlay, and the closest
///   wildcard is the closest one of base and overlay that is not hidden, with rbldnsd's precedence (the
///   exact entry, then the closest `*.` ancestor; an exclusion decides as "not listed").
/// - IPv6 prefixes (ip6trie, ip6tset): a changed prefix is listed from the overlay or gone from the base,
///   and the longest prefix of base and overlay holding an address decides, as in the base's walk;
/// Every other key answers from the base. One exception until the overlay is merged: a name whose
/// every listed descendant the overlay removed still counts as having one (hasNameDescendant: NODATA
/// where a full load says NXDOMAIN; the names listed and their answers are exact). Each entry points at the
/// tables of the change set that made it, so a new overlay copies entries (a few words each) and shares the
/// parts: no value is copied again.
class Overlay {
public:
  /// One changed address: hit.payload kNoPayload: removed.
  struct Ip4Change {
    Ip4 ip;
    Ip4Hit hit;
  };
  /// One changed IPv6 prefix: hit.payload kNoPayload: removed (the base's prefix there is gone).
  struct Ip6Change {
    Ip6 first;
    unsigned length;
    Ip4Hit hit;
  };
  /// One shape of a changed name.
  struct NameShape {
    enum class State : std::uint8_t { Unchanged, Listed, Excluded, Removed };
    State state = State::Unchanged;
    Ip4Hit hit; ///< Listed: the payload and its tables
  };
  /// The base's closest `*.` ancestor strictly above a changed name (found when the change was applied).
  struct BaseWildcard {
    Ip4Hit hit; ///< payload kNoPayload with found: an excluded wildcard
    std::uint16_t suffix = 0; ///< its wire name is the last `suffix` bytes of the name
    bool found = false;
  };
  /// One changed name, by its reversed key.
  struct NameChange {
    std::string_view key; ///< in keyPart's nameKeys
    NameShape exact, subdomains;
    BaseWildcard above;
    const OverlayPart* keyPart = nullptr;
    std::uint8_t forms = 0; ///< the spellings of the name journalled since the file (zone::NameKeyForm)
    /// A shape the base lists with a value is removed: the names above may have lost their last listed
    /// descendant, which hasNameDescendant cannot see (it answers as if they had not).
    bool hidesListed = false;
  };

  /// Both change lists sorted (ip; key), one entry per address or name; parts keep the tables alive.
  /// ranges: null while the base's ranges stand.
  Overlay(std::shared_ptr<const Dataset> base, std::vector<std::shared_ptr<const OverlayPart>> parts,
      std::vector<Ip4Change> ip4, std::vector<NameChange> names,
      std::shared_ptr<const Ip4RangeLayer> ranges = nullptr, std::vector<Ip6Change> ip6 = {});

  /// The sort key of a wire name ("\3www\7example" -> "example\0www\0", lower-case); empty if malformed.
  static std::string nameKey(std::string_view wireName);

  const std::shared_ptr<const Dataset>& base() const noexcept { return d_base; }
  const std::vector<std::shared_ptr<const OverlayPart>>& parts() const noexcept { return d_parts; }
  std::span<const Ip4Change> ip4Changes() const noexcept { return d_ip4; }
  /// The rebuilt ranges, or null.
  const std::shared_ptr<const Ip4RangeLayer>& ranges() const noexcept { return d_ranges; }
  std::span<const NameChange> nameChanges() const noexcept { return d_names; }
  /// The changed IPv6 prefixes, longest first, then by address.
  std::span<const Ip6Change> ip6Changes() const noexcept { return d_ip6; }
  /// Changed addresses, prefixes and names.
  std::size_t size() const noexcept { return d_ip4.size() + d_ip6.size() + d_names.size(); }
  /// True if a change removes a name the base lists (NameChange::hidesListed): merge soon.
  bool hidesListedNames() const noexcept { return d_hidesListed; }
  /// The change at ip, or nullptr.
  const Ip4Change* ip4ChangeAt(Ip4 ip) const noexcept;
  /// The change of the name with this reversed key, or nullptr.
  const NameChange* nameChangeAt(std::string_view key) const noexcept;

  /// Dataset::findIp4.
  Ip4Hit findIp4(Ip4 ip) const noexcept;
  /// Dataset::anyIp4Within.
  bool anyIp4Within(Ip4 first, Ip4 last) const noexcept;
  /// Dataset::forEachIp4.
  void forEachIp4(const std::function<void(Ip4, Ip4, Ip4Hit)>& visit, Ip4 first, Ip4 last) const;

  /// Dataset::findIp6.
  Ip4Hit findIp6(Ip6 ip) const noexcept;
  /// Dataset::anyIp6Within.
  bool anyIp6Within(Ip6 first, Ip6 last) const noexcept;
  /// Dataset::forEachIp6.
  void forEachIp6(const std::function<void(Ip6, Ip6, Ip4Hit)>& visit) const;

  /// Dataset::findName.
  NameHit findName(std::string_view wireName) const noexcept;
  /// Dataset::hasNameDescendant.
  bool hasNameDescendant(std::string_view wireName) const noexcept;
  /// Dataset::forEachName.
  void forEachName(const std::function<void(std::string_view, NameMatch, bool, Ip4Hit)>& visit) const;

private:
  std::shared_ptr<const Dataset> d_base;
  std::vector<std::shared_ptr<const OverlayPart>> d_parts;
  std::vector<Ip4Change> d_ip4;
  std::vector<Ip4> d_ips; ///< the changed addresses, sorted: the base's singles there are hidden
  std::vector<NameChange> d_names;
  std::shared_ptr<const Ip4RangeLayer> d_ranges;
  std::vector<Ip6Change> d_ip6;
  /// What decides at ip: the hit, the prefix length (-1: none) and the last address it decides.
  struct Ip6Decision {
    Ip4Hit hit;
    int length;
    Ip6 last;
  };
  Ip6Decision decideIp6(Ip6 ip) const noexcept;
  bool d_hidesListed = false;
};

} // namespace shun::store
