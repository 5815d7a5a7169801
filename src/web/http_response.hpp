#pragma once

#include "web/handlers.hpp"

#include <string>

namespace shun::web {

/// The bytes of response on the wire: status line, the headers every page carries, Content-Length, and the
/// body unless head (a HEAD request). close adds "Connection: close".
std::string formatHttpResponse(const Response& response, bool head, bool close);

} // namespace shun::web
