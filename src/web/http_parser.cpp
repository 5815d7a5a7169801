#include "web/http_parser.hpp"

#include <algorithm>
#include <cctype>

namespace shun::web {
namespace {

HttpParse bad(int status)
{
  HttpParse parse;
  parse.state = HttpParse::State::Bad;
  parse.status = status;
  return parse;
}

std::string lower(std::string_view text)
{
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view trim(std::string_view text)
{
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

bool isToken(std::string_view text)
{
  static constexpr std::string_view kExtra = "!#$%&'*+-.^_`|~";
  return !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) {
    return std::isalnum(c) || kExtra.find(static_cast<char>(c)) != std::string_view::npos;
  });
}

// Splits the head (without its blank line) into lines ending in CRLF or LF.
std::string_view nextLine(std::string_view& head)
{
  auto end = head.find('\n');
  std::string_view line = head.substr(0, end);
  head = end == std::string_view::npos ? std::string_view {} : head.substr(end + 1);
  if (!line.empty() && line.back() == '\r')
    line.remove_suffix(1);
  return line;
}

// "GET /path HTTP/1.1": 0 when good, else the status to answer.
int parseRequestLine(std::string_view line, HttpRequest& request, bool& http11)
{
  auto first = line.find(' ');
  auto second = first == std::string_view::npos ? first : line.find(' ', first + 1);
  if (second == std::string_view::npos || line.find(' ', second + 1) != std::string_view::npos)
    return 400;
  request.method = std::string(line.substr(0, first));
  request.target = std::string(line.substr(first + 1, second - first - 1));
  std::string_view version = line.substr(second + 1);
  if (!isToken(request.method) || request.target.empty())
    return 400;
  if (version != "HTTP/1.1" && version != "HTTP/1.0")
    return version.starts_with("HTTP/") ? 505 : 400;
  http11 = version == "HTTP/1.1";
  return 0;
}

int parseHeaders(std::string_view head, HttpRequest& request)
{
  while (!head.empty()) {
    std::string_view line = nextLine(head);
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
      return 400; // obsolete line folding
    auto colon = line.find(':');
    if (colon == std::string_view::npos || !isToken(line.substr(0, colon)))
      return 400;
    std::string name = lower(line.substr(0, colon));
    std::string value(trim(line.substr(colon + 1)));
    auto [found, inserted] = request.headers.emplace(name, value);
    if (!inserted && name == "content-length" && found->second != value)
      return 400;
  }
  return 0;
}

} // namespace

HttpParse parseHttpRequest(std::string_view buffer, std::size_t maxHead, std::size_t maxBody)
{
  auto blank = buffer.find("\r\n\r\n");
  std::size_t bodyStart = blank == std::string_view::npos ? blank : blank + 4;
  if (auto lf = buffer.find("\n\n");
      lf != std::string_view::npos && (blank == std::string_view::npos || lf < blank))
    bodyStart = lf + 2;
  if (bodyStart == std::string_view::npos)
    return buffer.size() > maxHead ? bad(431) : HttpParse {};
  if (bodyStart > maxHead)
    return bad(431);
  HttpParse parse;
  std::string_view head = buffer.substr(0, bodyStart);
  while (head.ends_with('\n') || head.ends_with('\r'))
    head.remove_suffix(1);
  bool http11 = false;
  if (int status = parseRequestLine(nextLine(head), parse.request, http11))
    return bad(status);
  if (int status = parseHeaders(head, parse.request))
    return bad(status);
  auto& headers = parse.request.headers;
  if (headers.count("transfer-encoding"))
    return bad(501); // nothing here needs a chunked body; refusing it closes a smuggling path
  std::size_t length = 0;
  if (auto found = headers.find("content-length"); found != headers.end()) {
    const std::string& text = found->second;
    if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos)
      return bad(400);
    length = std::stoul(text);
  }
  if (length > maxBody)
    return bad(413);
  if (buffer.size() - bodyStart < length)
    return {};
  std::string connection = headers.count("connection") ? lower(headers["connection"]) : "";
  parse.request.keepAlive = http11 ? connection != "close" : connection == "keep-alive";
  parse.request.body = std::string(buffer.substr(bodyStart, length));
  parse.consumed = bodyStart + length;
  parse.state = HttpParse::State::Complete;
  return parse;
}

} // namespace shun::web
