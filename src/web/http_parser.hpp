#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

namespace shun::web {

/// One HTTP/1.x request as read from a connection.
struct HttpRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers; ///< names lower-cased; a repeated header keeps the first
  std::string body;
  bool keepAlive = false; ///< HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with "keep-alive"
};

/// What parseHttpRequest found at the start of a buffer.
struct HttpParse {
  enum class State { Incomplete, Complete, Bad };
  State state = State::Incomplete;
  std::size_t consumed = 0; ///< bytes of the buffer the request took (Complete only)
  int status = 0; ///< Bad: the status to answer before closing (400, 413, 431, 501, 505)
  HttpRequest request;
};

/// Parses the first request of buffer (pipelined requests follow it). Strict where a lenient parser
/// could be smuggled past: no Transfer-Encoding, one Content-Length, no folded or blank-named headers.
/// Bad once the head passes maxHead bytes or the body maxBody.
HttpParse parseHttpRequest(std::string_view buffer, std::size_t maxHead, std::size_t maxBody);

} // namespace shun::web
