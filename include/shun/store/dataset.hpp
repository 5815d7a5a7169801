#pragma once

#include "shun/listing/listing.hpp"
#include "shun/store/dataset_type.hpp"
#include "shun/store/generic.hpp"
#include "shun/store/ip_map.hpp"
#include "shun/store/name_set.hpp"
#include "shun/store/value.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
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
  Ip4Map ip4; ///< ip4set, ip4tset, ip4trie, acl (IPv4 clients)
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
};

} // namespace shun::store
