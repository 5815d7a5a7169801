#pragma once

#include "shun/store/access_keys.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace shun::server {

/// The keyed zones' key file (--key-file), loaded at start and again whenever its stamp (inode, size,
/// mtime) changes; a file with an error keeps the previous keys. Reload thread only.
class AccessKeyLoader {
public:
  AccessKeyLoader(std::string path, std::vector<std::string> keyedZones);
  /// False when no zone is keyed (nothing to load or watch).
  bool enabled() const noexcept { return !d_zones.empty(); }
  const std::string& path() const noexcept { return d_path; }
  /// True if the file differs from what the last load() saw (one stat()).
  bool changed() const;
  /// Reads the file again, logging what it did; the keys served from now on (null when not enabled).
  std::shared_ptr<const store::AccessKeySet> load();
  std::shared_ptr<const store::AccessKeySet> current() const { return d_current; }

private:
  struct Stamp {
    std::uint64_t inode = 0, size = 0;
    std::int64_t mtime = 0; ///< nanoseconds
    bool exists = false;
    bool operator==(const Stamp&) const = default;
  };
  Stamp stamp() const;
  std::string d_path;
  std::vector<std::string> d_zones;
  Stamp d_loaded;
  bool d_everLoaded = false;
  std::shared_ptr<const store::AccessKeySet> d_current;
};

} // namespace shun::server
