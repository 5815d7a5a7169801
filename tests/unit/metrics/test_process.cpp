#include "shun/metrics/process.hpp"

#include <catch2/catch.hpp>

using namespace shun::metrics;

TEST_CASE("process: /proc stat fields give CPU seconds, memory and the start time")
{
  // A command name with a space and a parenthesis: fields are counted after the last ')'.
  std::string stat = "4242 (shund (x) y) S 1 4242 4242 0 -1 4194560 500 0 0 0 250 150 0 0 20 0 9 0 1000 "
                     "104857600 2560 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 3 0 0 0 0 0";
  ProcessSample sample;
  REQUIRE(parseProcStat(stat, 100, 4096, 1700000000, sample));
  CHECK(sample.cpuSeconds == Approx(4.0));
  CHECK(sample.startTime == Approx(1700000010.0));
  CHECK(sample.virtualBytes == 104857600);
  CHECK(sample.residentBytes == 2560u * 4096u);
}

TEST_CASE("process: truncated stat text does not parse")
{
  ProcessSample sample;
  CHECK_FALSE(parseProcStat("4242 (shund) S 1 2 3", 100, 4096, 0, sample));
  CHECK_FALSE(parseProcStat("no parenthesis", 100, 4096, 0, sample));
}

TEST_CASE("process: this process has open descriptors, a limit and resident memory")
{
  auto sample = sampleProcess();
  REQUIRE(sample);
  CHECK(sample->openFds >= 3);
  CHECK(sample->maxFds >= sample->openFds);
  CHECK(sample->residentBytes > 0);
}
