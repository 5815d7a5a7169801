#pragma once

#include "shun/listing/journal.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace shun::store {

/// One dataset's part of a zone change: the journal records that changed it, or a reload of its files.
struct DatasetChange {
  std::string dataset; ///< its spec, "type:file,file"
  bool incremental = false; ///< records are the whole change; false: its files were reloaded (AXFR)
  /// incremental: in journal order; one copy shared by the loader and each zone's history (a 100k-key
  /// batch is tens of MiB)
  std::shared_ptr<const std::vector<listing::JournalRecord>> records;
};

/// What took a zone from serial `from` to serial `to` (RFC 1982 serials).
struct ZoneChange {
  std::uint32_t from = 0;
  std::uint32_t to = 0;
  std::vector<DatasetChange> datasets;
  /// True if every part is a change set (an IXFR can be built from the records).
  bool incremental() const noexcept
  {
    for (const DatasetChange& change : datasets)
      if (!change.incremental)
        return false;
    return true;
  }
};

/// The last changes of a zone, oldest first (at most the loader's history limit). Immutable once published.
struct ZoneHistory {
  std::vector<std::shared_ptr<const ZoneChange>> changes;
};

} // namespace shun::store
