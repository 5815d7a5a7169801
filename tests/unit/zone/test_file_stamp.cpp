#include "zone/file_stamp.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <unistd.h>

using namespace shun;

namespace {

struct TempFile {
  std::string path = "/tmp/shun-stamp-" + std::to_string(::getpid()) + ".zone";
  ~TempFile() { std::remove(path.c_str()); }
  void write(const std::string& text) const
  {
    std::ofstream file(path + ".new");
    file << text;
    file.close();
    std::rename((path + ".new").c_str(), path.c_str());
  }
};

std::vector<zone::ZoneSpec> specFor(const std::string& path)
{
  zone::ZoneSpec spec;
  spec.zone = "bl.example";
  spec.type = "ip4set";
  spec.files = { path };
  return { spec };
}

} // namespace

TEST_CASE("file stamps: an unchanged file gives equal stamps")
{
  TempFile file;
  file.write("127.0.0.2\n");
  CHECK(zone::stampFiles(specFor(file.path)) == zone::stampFiles(specFor(file.path)));
}

TEST_CASE("file stamps: a file replaced by rename with the same size is seen as changed")
{
  TempFile file;
  file.write("127.0.0.2\n");
  auto before = zone::stampFiles(specFor(file.path));
  file.write("127.0.0.3\n");
  CHECK(zone::stampFiles(specFor(file.path)) != before);
}

TEST_CASE("file stamps: a vanished file is a change, and its stamp says missing")
{
  TempFile file;
  file.write("127.0.0.2\n");
  auto before = zone::stampFiles(specFor(file.path));
  std::remove(file.path.c_str());
  auto after = zone::stampFiles(specFor(file.path));
  CHECK(after != before);
  REQUIRE(after.size() == 1);
  CHECK_FALSE(after[0].exists);
}
