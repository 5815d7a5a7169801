#pragma once

#include "zone/text.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shun::zone {

/// Which of a dnset key's three spellings a journal key is: "name" (the exact name), "*.name" (the names
/// below) or ".name" (both). Two spellings of one name are two journal keys whose records both apply.
enum NameKeyForm : std::uint8_t { kFormExact = 1, kFormSubdomains = 2, kFormBoth = 4 };

/// A dnset journal key: its name in wire form and its spelling.
struct NameKey {
  std::string wire;
  NameKeyForm form;
  bool exact() const { return form != kFormSubdomains; }
  bool subdomains() const { return form != kFormExact; }
};

/// The name and spelling of a dnset key as journal_apply forgets it; nullopt if the name is not valid.
inline std::optional<NameKey> parseNameKey(std::string_view key)
{
  bool wildcard = key.rfind("*.", 0) == 0, both = !wildcard && key.rfind('.', 0) == 0;
  auto wire = nameToWire(key.substr(wildcard ? 2 : both ? 1 : 0));
  if (!wire)
    return std::nullopt;
  return NameKey { std::move(*wire), wildcard ? kFormSubdomains : both ? kFormBoth : kFormExact };
}

} // namespace shun::zone
