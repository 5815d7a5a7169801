#include "zone/duplicate_keys.hpp"

#include "shun/listing/journal.hpp"
#include "zone/text.hpp"

#include <algorithm>

namespace shun::zone {
namespace {

// The key an entry line starts with: up to the first blank or comment ("!" and all).
std::string keyOf(std::string_view line)
{
  line = skipBlanks(line);
  std::size_t end = 0;
  while (end < line.size() && !isBlank(line[end]) && line[end] != '#' && line[end] != ';')
    ++end;
  if (end == 1 && line[0] == '!') { // "! 1.2.3.4": rbldnsd allows a blank after the mark
    std::string rest = keyOf(line.substr(1));
    return rest.empty() ? std::string() : "!" + rest;
  }
  return std::string(line.substr(0, end));
}

} // namespace

// The file is read a second time up to the last duplicate, which in a big list with a few duplicates is
// nearly all of it: with the wanted numbers sorted, the lines between them are only counted (skip).
std::vector<std::string> keysAtLines(
    const std::string& file, bool journal, const std::vector<std::uint32_t>& lines, const LineLimits& limits)
{
  std::vector<std::string> keys(lines.size());
  if (lines.empty())
    return keys;
  std::vector<std::uint32_t> wanted = lines;
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  std::vector<std::string> found(wanted.size());
  LineReader reader;
  std::string error, text;
  if (!reader.open(file, limits, error))
    return keys;
  std::size_t next = wanted.front() == 0 ? 1 : 0; // line 0 is never a line
  std::string_view line;
  if (!journal) {
    for (std::uint32_t number = 1; next < wanted.size(); number = wanted[next++] + 1) {
      if (reader.skip(wanted[next] - number) != wanted[next] - number || !reader.next(line))
        break;
      found[next] = keyOf(line);
    }
  } else { // blocks of records: decoded whole
    while (reader.next(line))
      text.append(line).push_back('\n');
    auto records = listing::decodeJournal(text).records;
    for (std::size_t i = 0; i < wanted.size(); ++i)
      if (wanted[i] >= 1 && wanted[i] <= records.size())
        found[i] = records[wanted[i] - 1].key;
  }
  for (std::size_t i = 0; i < lines.size(); ++i)
    keys[i] = found[std::lower_bound(wanted.begin(), wanted.end(), lines[i]) - wanted.begin()];
  return keys;
}

} // namespace shun::zone
