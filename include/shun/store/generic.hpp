#pragma once

#include "shun/store/name_set.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace shun::store {

/// One record of a generic dataset: owner relative to the zone, type, TTL, wire RDATA.
struct GenericRecord {
  WireName name;
  std::uint16_t type = 0;
  std::uint32_t ttl = 0; ///< 0: dataset TTL.
  std::string rdata; ///< wire format, domain names uncompressed.
};

/// Immutable records of a generic dataset, sorted by owner. Lookups do not allocate.
class GenericRecords {
public:
  GenericRecords() = default;
  /// Takes records in file order; keeps that order within an owner.
  explicit GenericRecords(std::vector<GenericRecord> records);
  /// Every record owned by name (empty span: the name has none).
  std::span<const GenericRecord> find(std::string_view wireName) const noexcept;
  bool hasDescendant(std::string_view wireName) const noexcept;
  std::span<const GenericRecord> all() const noexcept { return d_records; }

private:
  std::vector<GenericRecord> d_records;
  std::vector<std::string> d_keys; ///< reversed-label sort key per record (see name_key.hpp)
};

} // namespace shun::store
