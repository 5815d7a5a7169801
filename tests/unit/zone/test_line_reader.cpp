#include "shun/zone/gzip.hpp"
#include "zone/line_reader.hpp"
#include "zone_test_util.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sys/stat.h>

using namespace shun::zone;

namespace {

std::vector<std::string> readAll(
    const std::string& path, const LineLimits& limits, std::string& error, std::vector<bool>* cut = nullptr)
{
  LineReader reader;
  std::vector<std::string> lines;
  if (!reader.open(path, limits, error))
    return lines;
  std::string_view line;
  while (reader.next(line)) {
    lines.emplace_back(line);
    if (cut)
      cut->push_back(reader.tooLong());
  }
  error = reader.error();
  return lines;
}

} // namespace

TEST_CASE("line reader: plain and gzip files give the same lines, CRLF and a last line without newline")
{
  zonetest::TempDir dir;
  std::string text = "a\r\nb\n\nlast";
  std::string error;
  std::vector<std::string> expected { "a", "b", "", "last" };
  CHECK(readAll(dir.write("plain", text), {}, error) == expected);
  CHECK(readAll(dir.write("packed", gzip(text)), {}, error) == expected);
  CHECK(error.empty());
  LineLimits raw;
  raw.gunzip = false; // -C: the compressed bytes are lines too
  CHECK(readAll(dir.write("packed", gzip(text)), raw, error) != expected);
}

TEST_CASE("line reader: a line over the limit comes back as a short prefix, the next line intact")
{
  zonetest::TempDir dir;
  LineLimits limits;
  limits.maxLine = 1000;
  std::string huge(3u << 20, 'x'); // longer than the buffer too
  std::string error;
  std::vector<bool> cut;
  auto lines = readAll(dir.write("long", "first\n" + huge + "\nafter\n" + huge), limits, error, &cut);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "first");
  CHECK(lines[1].size() == 64);
  CHECK(lines[2] == "after");
  CHECK(cut == std::vector<bool> { false, true, false, true });
  std::string medium(1500, 'y'); // over the limit, but within the buffer
  cut.clear();
  lines = readAll(dir.write("medium", medium + "\nafter\n"), limits, error, &cut);
  REQUIRE(lines.size() == 2);
  CHECK(cut == std::vector<bool> { true, false });
  CHECK(lines[1] == "after");
}

TEST_CASE("line reader: a FIFO or a device is refused at open, without blocking")
{
  zonetest::TempDir dir;
  std::string fifo = dir.path() + "/fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  LineReader reader;
  std::string error;
  CHECK_FALSE(reader.open(fifo, {}, error));
  CHECK(error.find("not a regular file") != std::string::npos);
  LineReader zero;
  CHECK_FALSE(zero.open("/dev/zero", {}, error));
}

TEST_CASE("line reader: text after a gzip stream and a bomb are read errors")
{
  zonetest::TempDir dir;
  std::string error;
  auto lines = readAll(dir.write("tail", gzip("192.0.2.1\n") + "198.51.100.7\n"), {}, error);
  CHECK(error.find("data after the end of the gzip stream") != std::string::npos);
  LineLimits limits;
  limits.inflate.maxRatio = 50;
  readAll(dir.write("bomb", gzip(std::string(8u << 20, '\n'))), limits, error);
  CHECK(error.find("gzip-max-ratio") != std::string::npos);
}

TEST_CASE(
    "line reader: a small plain file read with a buffer of its size gives every line, even appended ones")
{
  zonetest::TempDir dir;
  LineLimits limits;
  limits.maxLine = 16; // a buffer of the file's size, not of the limit
  std::string text;
  for (int i = 0; i < 500; ++i)
    text += "line" + std::to_string(i) + "\n";
  std::string path = dir.write("small", text);
  LineReader reader;
  std::string error;
  REQUIRE(reader.open(path, limits, error));
  std::ofstream(path, std::ios::binary | std::ios::app) << "appended after open\nlast";
  std::vector<std::string> lines;
  std::string_view line;
  while (reader.next(line))
    lines.emplace_back(line);
  CHECK(reader.error().empty());
  REQUIRE(lines.size() == 502);
  CHECK(lines[0] == "line0");
  CHECK(lines[499] == "line499");
  CHECK(lines[500] == "appended after open"); // over the limit: cut to its prefix, here all of it
  CHECK(lines[501] == "last");
}

TEST_CASE("line reader: lines up to the limit come back whole across the 64 KiB reads, plain and gzip")
{
  // The reader fills at most 64 KiB a read: lines that straddle reads, and lines as long as the limit
  // (longer than one read), must still come back whole.
  zonetest::TempDir dir;
  std::vector<std::string> expected;
  std::string text;
  for (std::size_t i = 0; text.size() < (600u << 10); ++i) {
    std::size_t length = i % 50 == 7 ? 65536 : (i * 7919) % 300;
    expected.push_back(std::string(length, static_cast<char>('a' + i % 26)));
    text += expected.back() + "\n";
  }
  std::string error;
  CHECK(readAll(dir.write("plain", text), {}, error) == expected);
  CHECK(error.empty());
  CHECK(readAll(dir.write("packed", gzip(text)), {}, error) == expected);
  CHECK(error.empty());
}

// skip(n) then next() must give the line next() gives after n calls, over block and read boundaries, lines
// over the limit, CRLF and a last line without '\n', plain and gzip.
TEST_CASE("line reader: skipping lines counts them as next() does, to the same next line")
{
  zonetest::TempDir dir;
  LineLimits limits;
  limits.maxLine = 3000;
  std::string text;
  for (int i = 0; i < 40000; ++i) {
    text += std::to_string(i);
    if (i % 997 == 0)
      text += std::string(5000 + i % 3000, 'x'); // over the limit: one line, read as its prefix
    text += i % 7 == 0 ? "\r\n" : "\n";
  }
  text += "last";
  std::string error;
  for (const std::string& path : { dir.write("plain", text), dir.write("packed", gzip(text)) }) {
    INFO(path);
    auto all = readAll(path, limits, error);
    REQUIRE(all.size() == 40001);
    LineReader reader;
    REQUIRE(reader.open(path, limits, error));
    std::size_t at = 0; // lines consumed
    std::string_view line;
    for (std::size_t step : { 0, 1, 5, 300, 4093, 12000, 1, 0, 9000, 14591 }) {
      CHECK(reader.skip(step) == step);
      at += step;
      REQUIRE(reader.next(line));
      CHECK(std::string(line) == all[at]);
      CHECK(reader.tooLong() == (all[at].size() == 64)); // the prefix of a long line
      ++at;
    }
    CHECK(at == all.size());
    CHECK(reader.skip(5) == 0);
    LineReader again;
    REQUIRE(again.open(path, limits, error));
    CHECK(again.skip(100000) == all.size()); // the last line without '\n' counts
    CHECK(again.error().empty());
  }
}
