#pragma once

#include "shun/store/dataset.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace shun::store {

/// Changes of single IPv4 addresses (journalled /32 keys) laid over an immutable base dataset, answering
/// exactly as a full load of the base's file and journal would: a changed address answers from the
/// overlay (added) or from the base's ranges alone (removed: the base's singles there are gone), every
/// other address from the base. zone::applyChangeSet builds it only where that is exact.
class Ip4Overlay {
public:
  /// One changed address: payload indexes the overlaid dataset's own sets; kNoPayload: removed.
  struct Change {
    Ip4 ip;
    std::uint32_t payload;
  };

  /// changes sorted by ip, one per address.
  Ip4Overlay(std::shared_ptr<const Dataset> base, std::vector<Change> changes);

  const std::shared_ptr<const Dataset>& base() const noexcept { return d_base; }
  std::span<const Change> changes() const noexcept { return d_changes; }
  /// The change at ip, or nullptr.
  const Change* changeAt(Ip4 ip) const noexcept;

  /// Dataset::findIp4 of self, the dataset this overlay belongs to.
  Ip4Hit find(const Dataset& self, Ip4 ip) const noexcept;
  /// Dataset::anyIp4Within.
  bool anyWithin(Ip4 first, Ip4 last) const noexcept;
  /// Dataset::forEachIp4 of self.
  void forEach(const Dataset& self, const std::function<void(Ip4, Ip4, Ip4Hit)>& visit) const;

private:
  std::shared_ptr<const Dataset> d_base;
  std::vector<Change> d_changes;
  std::vector<Ip4> d_ips; ///< the changed addresses, sorted: the base's singles there are hidden
};

} // namespace shun::store
