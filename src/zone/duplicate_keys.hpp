#pragma once

#include "zone/line_reader.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace shun::zone {

/// The key each of lines (1-based numbers, any order) begins with in file ("1.2.3.0/24", "!2001:db8::1",
/// "example.com"), read again from the file, for rbldnsd's "duplicated entry for KEY" warning: the
/// builders report only a duplicate's line, so a load keeps no key text per entry. For a journal the
/// numbers count its records. "" where the file no longer has such a line.
std::vector<std::string> keysAtLines(
    const std::string& file, bool journal, const std::vector<std::uint32_t>& lines, const LineLimits& limits);

} // namespace shun::zone
