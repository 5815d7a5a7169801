#include "web/http_response.hpp"

namespace shun::web {
namespace {

const char* reasonPhrase(int status)
{
  switch (status) {
  case 200:
    return "OK";
  case 202:
    return "Accepted";
  case 400:
    return "Bad Request";
  case 403:
    return "Forbidden";
  case 404:
    return "Not Found";
  case 405:
    return "Method Not Allowed";
  case 413:
    return "Content Too Large";
  case 415:
    return "Unsupported Media Type";
  case 429:
    return "Too Many Requests";
  case 431:
    return "Request Header Fields Too Large";
  case 501:
    return "Not Implemented";
  case 503:
    return "Service Unavailable";
  case 505:
    return "HTTP Version Not Supported";
  default:
    return status < 500 ? "Client Error" : "Server Error";
  }
}

} // namespace

std::string formatHttpResponse(const Response& response, bool head, bool close)
{
  std::string out
      = "HTTP/1.1 " + std::to_string(response.status) + ' ' + reasonPhrase(response.status) + "\r\n";
  out += "Content-Type: " + response.contentType + "\r\n";
  out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  out += "X-Content-Type-Options: nosniff\r\n";
  out += "Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; form-action 'self'\r\n";
  out += "Cache-Control: no-store\r\n";
  if (close)
    out += "Connection: close\r\n";
  out += "\r\n";
  if (!head)
    out += response.body;
  return out;
}

} // namespace shun::web
