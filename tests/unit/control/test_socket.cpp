#include "shun/config/error.hpp"
#include "shun/control/control.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

using namespace shun::control;

TEST_CASE("control socket: a request is answered through the socket, mode 0660, and removed at the end")
{
  shuntest::TempDir directory;
  REQUIRE_FALSE(directory.path().empty());
  auto path = directory.file("control");
  {
    Server server(path, false, 0, 0);
    Sources sources;
    sources.status = [] { return Status { .version = "9.9", .started = 10, .now = 70 }; };
    sources.reload = [](double) { return true; };
    server.start(sources);
    struct stat info { };
    REQUIRE(::stat(path.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0660);
    std::string error;
    auto reply = ask(path, Request {}, 5, error);
    REQUIRE(reply);
    CHECK(reply->rfind("ok\nshund 9.9, up 1m 0s\n", 0) == 0);
    server.stop();
  }
  CHECK(::access(path.c_str(), F_OK) != 0);
}

TEST_CASE("control socket: no server answers: nullopt with the path and the reason")
{
  std::string error;
  CHECK_FALSE(ask("/nonexistent/shun/control", Request {}, 1, error));
  CHECK(error.find("/nonexistent/shun/control") == 0);
}

TEST_CASE("control socket: an unusable path is a configuration error naming --control")
{
  CHECK_THROWS_AS(Server("/nonexistent/dir/control", false, 0, 0), shun::config::ConfigError);
  CHECK_THROWS_WITH(Server(std::string(200, 'x'), false, 0, 0), Catch::Contains("--control"));
}
