#pragma once

#include "shun/listing/listing.hpp"
#include "shun/store/dataset_type.hpp"
#include "shun/store/generic.hpp"
#include "shun/store/ip_map.hpp"
#include "shun/store/name_set.hpp"
#include "shun/store/value.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace shun::store {

/// What an acl entry does with a matching client.
enum class AclAction : std::uint8_t { Ignore, Refuse, Empty, Pass, Always };

/// SOA data from "$SOA" (names absolute, wire format with the root label).
struct SoaData {
  std::string mname, rname;
  std::uint32_t ttl = 0, serial = 0, refresh = 0, retry = 0, expire = 0, minimum = 0;
};

/// NS data from "$NS" (names absolute, wire format with the root label).
struct NsData {
  std::uint32_t ttl = 0;
  std::vector<std::string> names;
};

struct Dataset;
class Overlay;

/// A map payload with the dataset whose sets, values and listings it indexes: the dataset itself, or the
/// base an overlay lies on.
struct Ip4Hit {
  const Dataset* tables = nullptr;
  std::uint32_t payload = kNoPayload;
  bool operator==(const Ip4Hit&) const = default;
};

/// A NameSet hit with the dataset whose tables its payload indexes (Dataset::findName).
struct NameHit {
  const Dataset* tables = nullptr;
  std::uint32_t payload = kNoPayload; ///< kNoPayload: not listed (an exclusion when listedName is set)
  std::string_view listedName; ///< as NameSet::Hit::listedName; data() null: no entry decided
};

/// What a line appended after a dataset's only file (a journal entry) is parsed with: recorded when the
/// dataset is loaded, so that a change set is parsed exactly as a full load of file and journal would.
struct LineContext {
  Value defaultValue; ///< the default value in force at the end of the file (tsets: the dataset's value)
  std::vector<std::string> vars; ///< "$0".."$9"
  std::string baseTemplate; ///< "$="
  bool hasBaseTemplate = false;
  /// dnset: the spellings ("name", "*.name", ".name": bits 1, 2, 4) of each name (wire) the journal read
  /// with the file holds; records of two spellings of one name both apply.
  std::unordered_map<std::string, std::uint8_t> journalNameForms;
  /// IP types: the journal read with the file holds a key whose entries its range does not name alone
  /// (not "a.b.c.d", "a.b.c.d/len" or an IPv6 prefix as shunctl writes them, or an exclusion's "!key"):
  /// a change set's keys then cannot be matched to earlier journal entries by their range.
  bool irregularIpKeys = false;
};

/// A sub-dataset of a combined dataset, attached to one or more sub-zones ("" = the base zone).
struct SubDataset {
  std::vector<WireName> subzones;
  std::unique_ptr<Dataset> dataset;
};

/// One loaded dataset: immutable once built, shared by every zone that names it.
struct Dataset {
  DatasetType type = DatasetType::Ip4Set;
  std::string spec; ///< "type:file,file" as given on the command line.
  std::vector<std::string> files;
  std::int64_t newestMtime = 0; ///< newest file modification time (serial 0).

  ValueTable values;
  ValueSets sets;
  /// Journal changes on an immutable base (zone::applyChangeSet); null: none. When set, the maps, values,
  /// sets and listings here are empty: read IPv4 and name data through the functions below, which see
  /// base and overlay as one map (each hit names the tables its payload indexes).
  std::shared_ptr<const Overlay> overlay; // next to ip4: lookups read both
  Ip4Map ip4; ///< ip4set, ip4tset, ip4trie, acl (IPv4 clients)
  /// IPv4 types of one file: what ip4's ranges were built from (Ip4MapBuilder::build's rangeLayer), for
  /// an overlay that rebuilds them when a change set holds a range (a few per DNSBL: not the singles).
  std::vector<Ip4Entry> ip4RangeEntries;
  std::vector<std::uint32_t> ip4LongRanges; ///< those spanning a /16 or more (store::longIp4Ranges)
  Ip6Map ip6; ///< ip6trie, ip6tset, acl (IPv6 clients)
  NameSet names; ///< dnset
  GenericRecords generic; ///< generic
  std::vector<AclAction> aclActions; ///< acl: action per ValueId
  std::vector<SubDataset> children; ///< combined

  std::uint32_t ttl = 0; ///< "$TTL"; 0: server default.
  std::optional<SoaData> soa;
  std::optional<NsData> ns;
  std::int64_t timestampExpires = 0; ///< "$TIMESTAMP ... expires": not served after this; 0: never.
  std::vector<listing::Listing> listings { listing::Listing {} }; ///< [0] is "no metadata"

  /// Set for a loaded IPv4 dataset of one file: what a change set's lines are parsed with.
  std::shared_ptr<const LineContext> lineContext;

  /// ip4.find(ip), through the overlay when there is one.
  Ip4Hit findIp4(Ip4 ip) const noexcept
  {
    if (overlay) [[unlikely]]
      return overlaidFindIp4(ip);
    return { this, ip4.find(ip) };
  }
  /// ip4.anyWithin(first, last), through the overlay when there is one (empty non-terminals).
  bool anyIp4Within(Ip4 first, Ip4 last) const noexcept
  {
    if (overlay) [[unlikely]]
      return overlaidAnyIp4Within(first, last);
    return ip4.anyWithin(first, last);
  }
  /// ip4.forEach, through the overlay when there is one: visit(first, last, hit) by first address; a
  /// single address inside a range overrides it there (hit.payload kNoPayload: excluded). Only what
  /// intersects [first, last] (Ip4Map::forEach).
  void forEachIp4(
      const std::function<void(Ip4, Ip4, Ip4Hit)>& visit, Ip4 first = 0, Ip4 last = ~Ip4 {}) const;

  /// ip6.find(ip), through the overlay when there is one.
  Ip4Hit findIp6(Ip6 ip) const noexcept
  {
    if (overlay) [[unlikely]]
      return overlaidFindIp6(ip);
    return { this, ip6.find(ip) };
  }
  /// ip6.anyWithin(first, last), through the overlay when there is one.
  bool anyIp6Within(Ip6 first, Ip6 last) const noexcept
  {
    if (overlay) [[unlikely]]
      return overlaidAnyIp6Within(first, last);
    return ip6.anyWithin(first, last);
  }
  /// ip6.forEach, through the overlay when there is one: visit(first, last, hit), disjoint, by address.
  void forEachIp6(const std::function<void(Ip6, Ip6, Ip4Hit)>& visit) const;

  /// names.find(wireName), through the overlay when there is one.
  NameHit findName(std::string_view wireName) const noexcept
  {
    if (overlay) [[unlikely]]
      return overlaidFindName(wireName);
    NameSet::Hit hit = names.find(wireName);
    return { this, hit.payload == NameSet::kNoPayloadName ? kNoPayload : hit.payload, hit.listedName };
  }
  /// names.hasDescendant(wireName), through the overlay when there is one.
  bool hasNameDescendant(std::string_view wireName) const noexcept
  {
    if (overlay) [[unlikely]]
      return overlaidHasNameDescendant(wireName);
    return names.hasDescendant(wireName);
  }
  /// names.forEach, through the overlay when there is one: visit(name, match, exclusion, hit).
  void forEachName(const std::function<void(std::string_view, NameMatch, bool, Ip4Hit)>& visit) const;

private:
  NameHit overlaidFindName(std::string_view wireName) const noexcept;
  bool overlaidHasNameDescendant(std::string_view wireName) const noexcept;
  Ip4Hit overlaidFindIp4(Ip4 ip) const noexcept;
  bool overlaidAnyIp4Within(Ip4 first, Ip4 last) const noexcept;
  Ip4Hit overlaidFindIp6(Ip6 ip) const noexcept;
  bool overlaidAnyIp6Within(Ip6 first, Ip6 last) const noexcept;
};

} // namespace shun::store
