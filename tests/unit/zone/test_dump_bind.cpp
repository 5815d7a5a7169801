#include "zone_test_util.hpp"

#include <catch2/catch.hpp>
#include <sstream>

using namespace zonetest;

namespace {

std::string dump(const shun::zone::LoadResult& result, std::int64_t now = 0)
{
  std::ostringstream out;
  shun::zone::dumpBind(*result.snapshot, out, now);
  return out.str();
}

} // namespace

TEST_CASE("dumpBind: SOA, NS and ip4set ranges as octet wildcards with excluded holes")
{
  TempDir dir;
  auto result = loadOne(dir, "ip4set",
      "$SOA 3600 ns1.bl.example. hostmaster.bl.example. 42 600 300 86400 300\n$NS 3600 ns1.bl.example\n"
      ":3:listed $\n10.1.0.0/22\n!10.1.2.0/24\n13.1.1.252-13.1.2.0 :4:\n!13.1.1.254\n");
  CHECK(dump(result)
      == "$ORIGIN\tbl.example.\n@\t3600\tSOA\tns1.bl.example.\thostmaster.bl.example.\t(42 600 300 86400 "
         "300)\n"
         "\t3600\tNS\tns1.bl.example.\n$TTL 2100\n"
         "*.0.1.10\tA\t127.0.0.3\n\tTXT\t\"listed 10.1.0.0\"\n"
         "*.1.1.10\tA\t127.0.0.3\n\tTXT\t\"listed 10.1.1.0\"\n"
         "*.3.1.10\tA\t127.0.0.3\n\tTXT\t\"listed 10.1.3.0\"\n"
         "252.1.1.13\tA\t127.0.0.4\n253.1.1.13\tA\t127.0.0.4\n255.1.1.13\tA\t127.0.0.4\n0.2.1.13\tA\t127.0.0."
         "4\n");
}
