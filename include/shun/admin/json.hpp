#pragma once

#include <string>
#include <string_view>

namespace shun::admin {

/// A JSON string literal with its quotes, for shunctl --json and the web page's API: quotes and
/// backslashes escaped, control characters and <, > and & as \u00XX (safe even if a browser sniffs the
/// JSON as HTML).
std::string jsonString(std::string_view text);

} // namespace shun::admin
