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

std::vector<std::string> keysAtLines(
    const std::string& file, bool journal, const std::vector<std::uint32_t>& lines, const LineLimits& limits)
{
  std::vector<std::string> keys(lines.size());
  if (lines.empty())
    return keys;
  // The lines wanted, ascending: the file is read once, each line number compared with the next wanted (a
  // hash lookup for each of a 10M-line file's lines cost a tenth of its load).
  std::vector<std::uint32_t> wanted = lines;
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  std::vector<std::string> found(wanted.size());
  LineReader reader;
  std::string error, text;
  if (!reader.open(file, limits, error))
    return keys;
  std::string_view line;
  std::size_t next = 0;
  for (std::uint32_t number = 1; (journal || next < wanted.size()) && reader.next(line); ++number) {
    if (journal) // blocks of records: decoded whole below
      text.append(line).push_back('\n');
    else if (number == wanted[next])
      found[next++] = keyOf(line);
  }
  if (journal) {
    auto records = listing::decodeJournal(text).records;
    for (std::size_t i = 0; i < wanted.size(); ++i)
      if (wanted[i] >= 1 && wanted[i] <= records.size())
        found[i] = records[wanted[i] - 1].key;
  }
  for (std::size_t i = 0; i < lines.size(); ++i)
    keys[i] = found[static_cast<std::size_t>(
        std::lower_bound(wanted.begin(), wanted.end(), lines[i]) - wanted.begin())];
  return keys;
}

} // namespace shun::zone
