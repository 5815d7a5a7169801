#include "web/http_parser.hpp"

#include <catch2/catch.hpp>

using namespace shun::web;
using State = HttpParse::State;

TEST_CASE("http parser: pipelined requests are parsed one after another")
{
  std::string buffer
      = "GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /remove HTTP/1.1\r\nContent-Length: 3\r\n\r\nk=vGET /c";
  auto first = parseHttpRequest(buffer, 8192, 4096);
  REQUIRE(first.state == State::Complete);
  CHECK(first.request.method == "GET");
  CHECK(first.request.target == "/a");
  CHECK(first.request.keepAlive);
  CHECK(first.request.headers.at("host") == "x");
  buffer.erase(0, first.consumed);
  auto second = parseHttpRequest(buffer, 8192, 4096);
  REQUIRE(second.state == State::Complete);
  CHECK(second.request.body == "k=v");
  buffer.erase(0, second.consumed);
  CHECK(parseHttpRequest(buffer, 8192, 4096).state == State::Incomplete);
}

TEST_CASE("http parser: a body not yet received is incomplete")
{
  CHECK(parseHttpRequest("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc", 8192, 4096).state
      == State::Incomplete);
}

TEST_CASE("http parser: smuggling shapes are refused")
{
  auto status = [](const std::string& text) {
    auto parse = parseHttpRequest(text, 8192, 4096);
    return parse.state == State::Bad ? parse.status : 0;
  };
  CHECK(status("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") == 501);
  CHECK(status("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab") == 400);
  CHECK(status("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") == 400);
  CHECK(status("POST / HTTP/1.1\r\nContent-Length : 1\r\n\r\na") == 400);
  CHECK(status("GET / HTTP/1.1\r\nX: a\r\n folded\r\n\r\n") == 400);
  CHECK(status("GET / HTTP/2.0\r\n\r\n") == 505);
  CHECK(status("GET /  HTTP/1.1\r\n\r\n") == 400);
  CHECK(status("POST / HTTP/1.1\r\nContent-Length: 5000\r\n\r\n") == 413);
  CHECK(status("GET / HTTP/1.1\r\nX: " + std::string(9000, 'a') + "\r\n\r\n") == 431);
  CHECK(status("GET / HTTP/1.1\r\nX: " + std::string(9000, 'a')) == 431);
}

TEST_CASE("http parser: keep-alive follows the version and the Connection header")
{
  CHECK_FALSE(parseHttpRequest("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n", 8192, 4096).request.keepAlive);
  CHECK_FALSE(parseHttpRequest("GET / HTTP/1.0\r\n\r\n", 8192, 4096).request.keepAlive);
  CHECK(parseHttpRequest("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 8192, 4096).request.keepAlive);
  CHECK(parseHttpRequest("GET / HTTP/1.1\n\n", 8192, 4096).state == State::Complete);
}
