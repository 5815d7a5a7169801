#include "zone/duplicate_keys.hpp"

#include "shun/listing/journal.hpp"
#include "zone/text.hpp"

#include <algorithm>
#include <unordered_map>

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
  std::uint32_t last = *std::max_element(lines.begin(), lines.end());
  std::unordered_map<std::uint32_t, std::string> found;
  for (std::uint32_t line : lines)
    found.emplace(line, std::string());
  LineReader reader;
  std::string error, text;
  if (!reader.open(file, limits, error))
    return keys;
  std::string_view line;
  for (std::uint32_t number = 1; reader.next(line); ++number) {
    if (journal) { // blocks of records: decoded whole below
      text.append(line).push_back('\n');
      continue;
    }
    if (auto at = found.find(number); at != found.end())
      at->second = keyOf(line);
    if (number >= last)
      break;
  }
  if (journal) {
    auto records = listing::decodeJournal(text).records;
    for (auto& [number, key] : found)
      if (number >= 1 && number <= records.size())
        key = records[number - 1].key;
  }
  for (std::size_t i = 0; i < lines.size(); ++i)
    keys[i] = found[lines[i]];
  return keys;
}

} // namespace shun::zone
