#pragma once

#include <string>
#include <string_view>

namespace shuntest {

/// "a.b" -> "\1a\1b": a relative name in wire form, written apart from the loader's nameToWire so that tests
/// do not check that code against itself.
inline std::string wireName(std::string_view dotted)
{
  std::string wire;
  while (!dotted.empty()) {
    auto dot = dotted.find('.');
    std::string_view label = dotted.substr(0, dot);
    wire.push_back(static_cast<char>(label.size()));
    wire.append(label);
    dotted = dot == std::string_view::npos ? std::string_view() : dotted.substr(dot + 1);
  }
  return wire;
}

} // namespace shuntest
