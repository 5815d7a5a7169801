#include "shun/listing/ip_text.hpp"
#include "shun/listing/journal.hpp"
#include "zone/change_set_parts.hpp"
#include "zone/dataset_loader.hpp"
#include "zone/name_key_form.hpp"
#include "zone/text.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <set>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_map>

namespace shun::zone {
namespace {

using store::DatasetType;

bool journalled(DatasetType type)
{
  return type == DatasetType::Ip4Set || type == DatasetType::Ip4Trie || type == DatasetType::Ip4TSet
      || type == DatasetType::Ip6Trie || type == DatasetType::Ip6TSet || type == DatasetType::DnSet;
}

// The journal's bytes; nullopt if it is missing. A journal that is not a regular file (a planted FIFO
// would block the reload thread) is refused with error set.
std::optional<std::string> readJournal(const std::string& path, std::string& error)
{
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    if (errno != ENOENT)
      error = std::string("cannot open: ") + std::strerror(errno);
    return std::nullopt;
  }
  std::string text;
  struct stat info { };
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    error = "not a regular file";
    ::close(fd);
    return std::nullopt;
  }
  char buffer[65536];
  for (ssize_t got; (got = ::read(fd, buffer, sizeof buffer)) != 0;) {
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0) {
      error = std::string("read error: ") + std::strerror(errno);
      break;
    }
    text.append(buffer, static_cast<std::size_t>(got));
  }
  ::close(fd);
  return error.empty() ? std::optional(std::move(text)) : std::nullopt;
}

} // namespace

void DatasetLoader::applyJournal(const std::string& journalPath, JournalRead* read)
{
  if (!journalled(d_dataset.type))
    return;
  std::string error;
  auto text = readJournal(journalPath, error);
  if (!error.empty()) {
    std::string dataFileName = d_fileName;
    d_fileName = journalPath;
    report(0, error);
    d_fileName = dataFileName;
  }
  if (text && read && read->limit < text->size())
    text->resize(read->limit); // a change set ends there; what follows is the next one
  if (!text || text->empty())
    return;
  listing::JournalContents journal = listing::decodeJournal(*text);
  if (read) {
    read->committed = journal.committedBytes;
    std::size_t from = journal.committedBytes - std::min(journal.committedBytes, JournalRead::kCheckedBytes);
    read->lastBytes = text->substr(from, journal.committedBytes - from);
  }
  std::string dataFileName = d_fileName;
  d_fileName = journalPath;
  beginOrigins(journalPath); // journalled entries come after the file's, and warnings name the journal
  if (journal.tornTail && !(read && read->limit != JournalRead::kAll))
    report(0, "ignored what follows the last complete change (an interrupted write)", false);
  // The records before the damage are applied (what -q serves); the error keeps a reload from replacing
  // the last good version, and shunctl refuses to write until the operator moves the journal aside.
  if (journal.corrupt())
    report(0, "corrupt journal at " + journal.error + "; later changes are not applied");
  // The last record of a key decides: it replaces (or removes) that key's entries in the data file.
  std::unordered_map<std::string, std::size_t> last;
  for (std::size_t i = 0; i < journal.records.size(); ++i)
    last[journal.records[i].key] = i;
  forgetKeys(last);
  std::uint32_t number = 0;
  for (std::size_t i = 0; i < journal.records.size(); ++i) {
    const listing::JournalRecord& record = journal.records[i];
    ++number;
    if (last[record.key] != i || record.kind != listing::JournalRecord::Kind::Add)
      continue;
    metadata(record.listing, number);
    line(record.entryLine, number);
  }
  d_fileName = dataFileName;
}

// Erases the entries already loaded for every journalled key (parsed as the dataset's loader does).
void DatasetLoader::forgetKeys(const std::unordered_map<std::string, std::size_t>& keys)
{
  std::set<std::pair<store::Ip6, store::Ip6>> ranges; // IPv4 ranges use the low 32 bits
  std::set<std::pair<std::string, store::NameMatch>> names;
  for (const auto& [record, index] : keys) {
    // An exclusion's record replaces what the file has at its key too (rbldnsd: an exclusion at an
    // address wipes every entry there), as shunctl's ManagedZone renders it.
    std::string_view key = record;
    if (key.starts_with('!'))
      key.remove_prefix(1);
    if (d_dataset.type == DatasetType::DnSet) {
      auto name = parseNameKey(key);
      if (name)
        d_journalNameForms[name->wire] |= name->form; // a change set must not mix spellings of a name
      if (name && name->exact())
        names.emplace(name->wire, store::NameMatch::Exact);
      if (name && name->subdomains())
        names.emplace(name->wire, store::NameMatch::Subdomains);
    } else if (d_dataset.type == DatasetType::Ip6Trie || d_dataset.type == DatasetType::Ip6TSet) {
      listing::Ip6Prefix prefix;
      store::Ip6 slash64 = 0;
      d_irregularIpKeys |= !regularIp6Key(record);
      if (!listing::parseIp6Cidr(key, false, prefix))
        ranges.emplace(prefix.first, listing::ip6Last(prefix.first, prefix.length));
      else if (!listing::parseIp6Slash64(key, slash64))
        ranges.emplace(slash64, listing::ip6Last(slash64, 64));
    } else {
      store::Ip4 first = 0;
      unsigned length = 0;
      d_irregularIpKeys |= !regularIp4Key(record, d_dataset.type);
      if (!listing::parseIp4Cidr(key, false, first, length))
        ranges.emplace(first, listing::ip4Last(first, length));
    }
  }
  if (!names.empty())
    d_names.eraseIf([&](const store::WireName& name, store::NameMatch match) {
      return names.count({ name, match }) != 0;
    });
  if (ranges.empty())
    return;
  if (d_ip4)
    d_ip4->eraseIf([&](store::Ip4 first, store::Ip4 last) { return ranges.count({ first, last }) != 0; });
  d_ip6.eraseIf([&](store::Ip6 first, store::Ip6 last) { return ranges.count({ first, last }) != 0; });
  std::erase_if(d_deferred, [&](const Deferred& entry) {
    return ranges.count({ entry.first, entry.last }) != 0;
  });
}

} // namespace shun::zone
