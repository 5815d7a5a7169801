#include "shun/zone/gzip.hpp"

#include <catch2/catch.hpp>

using namespace shun::zone;

TEST_CASE("gzip: text compressed and decompressed again is the same, members concatenate")
{
  std::string text = "192.0.2.1\n192.0.2.2 :3:Listed\n";
  std::string packed = gzip(text);
  CHECK(isGzip(packed));
  CHECK_FALSE(isGzip(text));
  std::string error;
  CHECK(gunzip(packed, {}, error) == text);
  CHECK(gunzip(packed + gzip("198.51.100.1\n"), {}, error) == text + "198.51.100.1\n"); // as gzip(1) reads
  CHECK(error.empty());
}

TEST_CASE("gzip: text after the gzip stream is an error, not ignored")
{
  std::string error;
  CHECK_FALSE(gunzip(gzip("192.0.2.1\n") + "198.51.100.7\n", {}, error));
  CHECK(error.find("data after the end of the gzip stream") != std::string::npos);
}

TEST_CASE("gzip: a truncated or corrupt stream is an error")
{
  std::string packed = gzip(std::string(10000, 'a'));
  std::string error;
  CHECK_FALSE(gunzip(packed.substr(0, packed.size() - 4), {}, error));
  CHECK(error.find("cut short") != std::string::npos);
  packed[packed.size() / 2] ^= 0x55;
  CHECK_FALSE(gunzip(packed, {}, error));
}

TEST_CASE("gzip: a bomb passes the ratio or the size limit and stops there")
{
  std::string bomb = gzip(std::string(std::size_t { 32 } << 20, '\0'));
  std::string error;
  CHECK_FALSE(gunzip(bomb, { std::uint64_t { 1 } << 40, 100 }, error));
  CHECK(error.find("gzip-max-ratio") != std::string::npos);
  CHECK_FALSE(gunzip(bomb, { std::uint64_t { 1 } << 20, 100000 }, error));
  CHECK(error.find("gzip-max-bytes") != std::string::npos);
  CHECK(
      gunzip(bomb, { std::uint64_t { 1 } << 40, 100000 }, error).value().size() == std::size_t { 32 } << 20);
}
