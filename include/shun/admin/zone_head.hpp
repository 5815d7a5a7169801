#pragma once

#include <string>

namespace shun::admin {

/// The head of a zone's data file (its first 64 KiB), where its "#@selfremoval" and "#@code" lines
/// belong: zones may be huge. A missing file reads as empty; other read errors throw std::runtime_error.
std::string readZoneHead(const std::string& dataFile);

} // namespace shun::admin
