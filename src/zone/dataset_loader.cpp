#include "zone/dataset_loader.hpp"

#include "shun/listing/directives.hpp"
#include "shun/listing/ip_text.hpp"
#include "zone/text.hpp"

#include <algorithm>
#include <sys/stat.h>

namespace shun::zone {

using store::DatasetType;

namespace {

// Entries carry their origin (line) in 30 bits (store::Ip4Singles).
constexpr std::uint64_t kMaxOrigin = 0x3fffffff;
// A file of millions of bad lines must not cost gigabytes of messages: the first ones say enough.
constexpr std::size_t kMaxReports = 1000;
constexpr std::size_t kMaxMessage = 200;

// message cut to a bounded length: a bad line is quoted in it.
std::string bounded(std::string message)
{
  if (message.size() > kMaxMessage) {
    message.resize(kMaxMessage);
    message += "...";
  }
  return message;
}

} // namespace

DatasetLoader::DatasetLoader(
    store::Dataset& dataset, const LoadOptions& options, std::vector<Diagnostic>& diagnostics)
    : d_dataset(dataset)
    , d_options(options)
    , d_diagnostics(diagnostics)
{
  switch (dataset.type) {
  case DatasetType::Ip4Set:
    d_ip4 = std::make_unique<store::Ip4MapBuilder>(store::Overlap::UnionPerLevel);
    break;
  case DatasetType::Ip4TSet:
  case DatasetType::Ip4Trie:
  case DatasetType::Acl:
    d_ip4 = std::make_unique<store::Ip4MapBuilder>(store::Overlap::LongestPrefix);
    break;
  case DatasetType::Combined:
    d_combined = std::make_unique<Combined>();
    break;
  default:
    break;
  }
  if (dataset.type == DatasetType::Acl)
    d_default = aclKeywordValue(store::AclAction::Ignore);
}

DatasetLoader::~DatasetLoader() = default;

void DatasetLoader::report(std::uint32_t line, std::string message, bool error)
{
  if (++d_reported > kMaxReports) {
    ++d_suppressed;
    d_suppressedError = d_suppressedError || error;
    return;
  }
  d_diagnostics.push_back({ d_fileName, line, bounded(std::move(message)), error });
}

void DatasetLoader::summarizeSuppressed()
{
  if (d_suppressed)
    d_diagnostics.push_back(
        { d_fileName, 0, "and " + std::to_string(d_suppressed) + " more problems in this dataset, not shown",
            d_suppressedError });
  d_suppressed = 0;
}

void DatasetLoader::lineTooLong(std::string_view prefix, std::uint32_t number, std::size_t limit)
{
  report(number,
      "line longer than " + std::to_string(limit) + " bytes (--max-line-length), skipped: \""
          + std::string(prefix) + "...\"");
  if (d_pendingListing)
    takeListing();
}

void DatasetLoader::fail(std::uint32_t line, std::string message)
{
  d_reported = std::min(d_reported, kMaxReports - 1); // the reason a load failed is always shown
  report(line, std::move(message));
  d_failed = true;
}

void DatasetLoader::beginFile(std::uint32_t fileIndex, const std::string& fileName)
{
  d_file = fileIndex;
  d_fileName = fileName;
  beginOrigins(fileName);
  d_pendingListing = 0;
  d_lastId.reset();
  bool tset = d_dataset.type == DatasetType::Ip4TSet || d_dataset.type == DatasetType::Ip6TSet;
  if (!tset) { // rbldnsd resets the default value at every file, except for the tsets
    d_default
        = d_dataset.type == DatasetType::Acl ? aclKeywordValue(store::AclAction::Ignore) : store::Value {};
    d_defaultId.reset();
  }
  if (d_combined)
    d_combined->current = nullptr; // every file starts in the common section
}

void DatasetLoader::endFile()
{
  if (d_combined && d_combined->current)
    d_combined->current->endFile();
  if (d_pendingListing)
    report(d_pendingLine, "#@ metadata is not followed by an entry", false);
  d_pendingListing = 0;
}

// RFC 2181 section 8: a TTL is at most 2^31-1; a resolver treats a larger one as 0, so it is served as
// the largest valid TTL (rbldnsd serves it unchanged).
std::uint32_t DatasetLoader::clampTtl(std::uint32_t ttl) const
{
  constexpr std::uint32_t kMaxTtl = 0x7fffffff;
  if (d_options.minTtl && ttl < d_options.minTtl)
    ttl = d_options.minTtl;
  if (d_options.maxTtl && ttl > d_options.maxTtl)
    ttl = d_options.maxTtl;
  return std::min(ttl, kMaxTtl);
}

void DatasetLoader::beginOrigins(const std::string& fileName)
{
  d_originBase = d_originEnd;
  d_originFiles.push_back({ d_originBase, fileName });
}

std::uint32_t DatasetLoader::origin(std::uint32_t number)
{
  std::uint32_t origin = d_originBase + number;
  d_originEnd = std::max(d_originEnd, origin);
  return origin;
}

void DatasetLoader::line(std::string_view text, std::uint32_t number)
{
  if (d_originBase + std::uint64_t { number } > kMaxOrigin) {
    fail(number, "too many lines in one dataset (at most " + std::to_string(kMaxOrigin) + ")");
    return;
  }
  while (!text.empty() && isBlank(text.back()))
    text.remove_suffix(1);
  text = skipBlanks(text);
  if (text.empty())
    return;
  char first = text.front();
  bool isSpecial
      = first == '$' || (text.size() > 1 && text[1] == '$' && (first == '#' || first == ';' || first == ':'));
  if (d_combined) {
    combinedLine(text, number, isSpecial);
    return;
  }
  if (isSpecial)
    special(text.substr(first == '$' ? 1 : 2), number);
  else if (first == '#')
    metadataLine(text, number);
  else if (first == ';')
    return;
  else if (first == ':' && !(text.size() > 1 && text[1] == ':' && d_dataset.type != DatasetType::Generic))
    defaultLine(text, number);
  else if (first == '=' && d_dataset.type == DatasetType::Acl)
    defaultLine(text, number);
  else
    entryLine(text, number);
}

// "#@ key=value ..." describes the next entry. The other "#@" directives (shunctl's #@policy and
// #@protect, the page's #@selfremoval, #@code and #@contact) serve nothing: a malformed one is a warning,
// as its reader ignores it. Every other comment is ignored.
void DatasetLoader::metadataLine(std::string_view text, std::uint32_t number)
{
  if (text.size() < 2 || text[1] != '@')
    return;
  if (text.size() > 2 && !isBlank(text[2])) {
    listing::Directive directive = listing::parseDirective(text);
    if (directive.kind != listing::Directive::Kind::None && !directive.error.empty())
      report(number, directive.error, false);
    return;
  }
  std::string error;
  auto listing = listing::parseMetadata(text.substr(2), error);
  if (!listing) {
    report(number, "bad #@ metadata: " + error);
    return;
  }
  metadata(std::move(*listing), number);
}

void DatasetLoader::metadata(listing::Listing listing, std::uint32_t number)
{
  if (d_pendingListing)
    report(d_pendingLine, "#@ metadata is not followed by an entry", false);
  if (listing.ttl)
    listing.ttl = clampTtl(listing.ttl);
  d_dataset.listings.push_back(std::move(listing));
  d_pendingListing = static_cast<std::uint32_t>(d_dataset.listings.size() - 1);
  d_pendingLine = number;
}

std::uint32_t DatasetLoader::takeListing()
{
  std::uint32_t listing = d_pendingListing;
  d_pendingListing = 0;
  return listing;
}

void DatasetLoader::defaultLine(std::string_view text, std::uint32_t number)
{
  bool tset = d_dataset.type == DatasetType::Ip4TSet || d_dataset.type == DatasetType::Ip6TSet;
  if (d_dataset.type == DatasetType::Generic) {
    report(number, "invalid entry: generic datasets have no default value lines");
    return;
  }
  if (tset && d_defaultSeen)
    return; // only the first default line of a tset counts
  store::Value value
      = d_dataset.type == DatasetType::Acl ? aclKeywordValue(store::AclAction::Ignore) : store::Value {};
  bool ok = d_dataset.type == DatasetType::Acl ? aclValue(text, value)
                                               : parseValueText(text, value) == ValueParse::Ok;
  if (!ok) {
    report(number, "invalid default value \"" + std::string(text) + "\"");
    return;
  }
  if (value.txt.size() > 255) {
    value.txt.resize(255);
    report(number, "TXT template cut to 255 bytes", false);
  }
  d_default = std::move(value);
  d_defaultId.reset();
  d_lastId.reset();
  d_defaultSeen = true;
}

void DatasetLoader::entryLine(std::string_view text, std::uint32_t number)
{
  bool exclusion = text.front() == '!';
  if (exclusion)
    text = skipBlanks(text.substr(1));
  auto split = [&](std::size_t keyLength) {
    std::string_view rest = text.substr(keyLength);
    return std::pair(text.substr(0, keyLength), rest);
  };
  switch (d_dataset.type) {
  case DatasetType::Ip4Set:
  case DatasetType::Ip4Trie:
    ip4Entry(text, exclusion, number);
    break;
  case DatasetType::Ip4TSet:
    ip4TSetEntry(text.substr(0, listing::ip4KeyLength(text)), exclusion, number);
    break;
  case DatasetType::Ip6Trie: {
    auto [key, rest] = split(listing::ip6KeyLength(text));
    ip6TrieEntry(key, rest, exclusion, number);
    break;
  }
  case DatasetType::Ip6TSet:
    ip6TSetEntry(text.substr(0, listing::ip6KeyLength(text)), exclusion, number);
    break;
  case DatasetType::DnSet:
    dnsetEntry(text, exclusion, number);
    break;
  case DatasetType::Acl:
    aclEntry(text, exclusion, number);
    break;
  case DatasetType::Generic:
    if (exclusion)
      report(number, "invalid entry: generic datasets have no exclusions");
    else
      genericEntry(text, number);
    break;
  case DatasetType::Combined:
    break;
  }
  if (d_pendingListing)
    takeListing(); // a bad or excluded entry still consumes its metadata
}

// The value for the entry whose text after the key is rest: the default, or a parsed ":A:TXT", with the
// pending metadata applied. Unchanged values are reused without interning (plain lines do not allocate).
bool DatasetLoader::entryValue(std::string_view rest, std::uint32_t number, store::ValueId& id)
{
  std::uint32_t listingIndex = takeListing();
  rest = skipBlanks(rest);
  bool plain = rest.empty() || rest.front() == '#' || rest.front() == ';';
  if (!listingIndex && plain) {
    if (!d_defaultId)
      d_defaultId = d_dataset.values.intern(d_default);
    id = *d_defaultId;
    return true;
  }
  if (!listingIndex && d_lastId && rest == d_lastText) {
    id = *d_lastId;
    return true;
  }
  store::Value value = d_default;
  bool ok = d_dataset.type == DatasetType::Acl ? aclValue(rest, value)
                                               : parseValueText(rest, value) == ValueParse::Ok;
  if (!ok) {
    report(number, "invalid value \"" + std::string(rest) + "\"");
    return false;
  }
  if (value.txt.size() > 255) {
    value.txt.resize(255);
    report(number, "TXT template cut to 255 bytes", false);
  }
  if (listingIndex) {
    const listing::Listing& listing = d_dataset.listings[listingIndex];
    value.listing = listingIndex;
    value.expires = listing.expires;
    value.ttl = listing.ttl;
  }
  id = d_dataset.values.intern(value);
  if (!listingIndex) {
    d_lastText.assign(rest);
    d_lastId = id;
  }
  return true;
}

} // namespace shun::zone
