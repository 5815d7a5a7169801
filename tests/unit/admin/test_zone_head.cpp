#include "shun/admin/zone_head.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

TEST_CASE("zone head: the first 64 KiB of a data file, and nothing for a missing one")
{
  auto path = (std::filesystem::temp_directory_path() / "shun-unit-zone-head.txt").string();
  {
    std::ofstream out(path);
    out << "#@selfremoval yes\n" << std::string(70000, 'x');
  }
  std::string head = shun::admin::readZoneHead(path);
  CHECK(head.size() == 65536);
  CHECK(head.starts_with("#@selfremoval yes\n"));
  std::filesystem::remove(path);
  CHECK(shun::admin::readZoneHead(path).empty());
}
