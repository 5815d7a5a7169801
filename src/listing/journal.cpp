#include "shun/listing/journal.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <zlib.h>

namespace shun::listing {
namespace {

constexpr std::string_view kCommit = "#@commit ";
constexpr std::string_view kRemove = "#@remove ";
constexpr std::string_view kMetadata = "#@ ";

std::uint32_t checksum(std::string_view bytes)
{
  return static_cast<std::uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

std::string commitLine(std::size_t records, std::uint32_t crc)
{
  char line[64];
  std::snprintf(line, sizeof line, "#@commit records=%zu crc=%08x\n", records, crc);
  return line;
}

bool parseCommit(std::string_view line, std::size_t& records, std::uint32_t& crc)
{
  unsigned long count = 0;
  unsigned int value = 0;
  std::string copy(line);
  if (std::sscanf(copy.c_str(), "#@commit records=%lu crc=%8x", &count, &value) != 2)
    return false;
  records = count;
  crc = value;
  return true;
}

// Parses the records of one committed block (lines without the commit line).
bool parseBlock(std::string_view block, std::vector<JournalRecord>& out, std::string& error)
{
  std::optional<Listing> pending;
  while (!block.empty()) {
    auto end = block.find('\n');
    std::string_view line = block.substr(0, end);
    block = end == std::string_view::npos ? std::string_view {} : block.substr(end + 1);
    if (line.substr(0, kRemove.size()) == kRemove) {
      auto rest = line.substr(kRemove.size());
      auto space = rest.find(' ');
      JournalRecord record;
      record.kind = JournalRecord::Kind::Remove;
      record.key = std::string(rest.substr(0, space));
      if (space != std::string_view::npos) {
        auto listing = parseMetadata(rest.substr(space + 1), error);
        if (!listing)
          return false;
        record.listing = *listing;
      }
      out.push_back(std::move(record));
    } else if (line.substr(0, kMetadata.size()) == kMetadata) {
      pending = parseMetadata(line.substr(kMetadata.size()), error);
      if (!pending)
        return false;
    } else if (!line.empty()) {
      JournalRecord record;
      record.entryLine = std::string(line);
      record.key = std::string(line.substr(0, line.find_first_of(" \t")));
      if (pending)
        record.listing = std::move(*pending); // moved, not copied: a batch's records are many
      pending.reset();
      out.push_back(std::move(record));
    }
  }
  return true;
}

} // namespace

std::string encodeJournalBlock(const std::vector<JournalRecord>& records)
{
  std::string block;
  for (const JournalRecord& record : records) {
    if (record.kind == JournalRecord::Kind::Remove) {
      block += std::string(kRemove) + record.key;
      std::string metadata = formatMetadata(record.listing); // "#@ k=v ..."
      if (metadata.size() > kMetadata.size())
        block += " " + metadata.substr(kMetadata.size());
      block += '\n';
    } else {
      block += formatMetadata(record.listing) + '\n' + record.entryLine + '\n';
    }
  }
  return block + commitLine(records.size(), checksum(block));
}

std::string encodeJournal(const std::vector<JournalRecord>& records, std::size_t perBlock)
{
  perBlock = std::max<std::size_t>(perBlock, 1);
  std::string text;
  std::size_t start = 0;
  do {
    std::size_t end = std::min(records.size(), start + perBlock);
    text += encodeJournalBlock({ records.begin() + static_cast<std::ptrdiff_t>(start),
        records.begin() + static_cast<std::ptrdiff_t>(end) });
    start = end;
  } while (start < records.size());
  return text;
}

JournalContents decodeJournal(std::string_view text)
{
  JournalContents contents;
  std::size_t blockStart = 0;
  auto corrupt = [&](const std::string& why) {
    contents.error = "byte offset " + std::to_string(blockStart) + ": " + why;
  };
  for (std::size_t pos = 0; pos < text.size();) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos)
      break; // an unfinished last line cannot be a commit line
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.substr(0, kCommit.size()) != kCommit)
      continue;
    std::size_t count = 0;
    std::uint32_t crc = 0;
    std::string_view block = text.substr(blockStart, end - line.size() - blockStart);
    std::vector<JournalRecord>& records = contents.records; // parsed in place; a bad block's are cut off
    std::size_t before = records.size();
    std::string error;
    // A crash only ever cuts the end of the file: a complete commit line that does not match the bytes
    // before it means they were damaged or written after a torn block, and nothing after can be trusted.
    if (!parseCommit(line, count, crc))
      corrupt("unreadable commit line");
    else if (checksum(block) != crc)
      corrupt("the block does not match its checksum (damaged, or appended after an unfinished block)");
    else if (!parseBlock(block, records, error))
      corrupt("a record does not parse: " + error);
    else if (records.size() - before != count)
      corrupt("the block holds " + std::to_string(records.size() - before) + " records, its commit line says "
          + std::to_string(count));
    if (contents.corrupt()) {
      records.erase(records.begin() + static_cast<std::ptrdiff_t>(before), records.end());
      break;
    }
    blockStart = pos;
    contents.committedBytes = pos;
  }
  contents.tornTail = !contents.corrupt() && contents.committedBytes < text.size();
  return contents;
}

} // namespace shun::listing
