#include "shun/listing/listing.hpp"
#include "zone/dataset_loader.hpp"
#include "zone/text.hpp"

#include <algorithm>
#include <cstdio>

namespace shun::zone {
namespace {

bool equalsNoCase(std::string_view a, std::string_view b)
{
  return a.size() == b.size()
      && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return (x | 0x20) == (y | 0x20); });
}

// An absolute domain name in wire form with the root label.
std::optional<std::string> absoluteName(std::string_view text)
{
  auto wire = nameToWire(text);
  if (!wire)
    return std::nullopt;
  wire->push_back('\0');
  return wire;
}

// "yyyy:mm:dd[:hh[:mi[:ss]]]" with ':' or '-' separators, or the same digits run together; "0"/"-" = none.
std::optional<std::int64_t> parseStamp(std::string_view text)
{
  if (text == "0" || text == "-")
    return 0;
  unsigned fields[6] {};
  unsigned count = 0;
  bool separated = text.find_first_of(":-") != std::string_view::npos;
  static constexpr std::size_t kWidths[] = { 4, 2, 2, 2, 2, 2 };
  while (!text.empty() && count < 6) {
    std::size_t width = separated ? std::min(text.find_first_of(":-"), text.size()) : kWidths[count];
    auto number = parseNumber(text.substr(0, width));
    if (!number || (!separated && text.size() < width))
      return std::nullopt;
    fields[count++] = *number;
    text.remove_prefix(std::min(width + (separated ? 1 : 0), text.size()));
  }
  if (count < 3 || !text.empty())
    return std::nullopt;
  char iso[64];
  std::snprintf(iso, sizeof iso, "%04u-%02u-%02uT%02u:%02u:%02uZ", fields[0], fields[1], fields[2], fields[3],
      fields[4], fields[5]);
  return listing::parseUtcTime(iso); // no 2038 limit, unlike rbldnsd
}

} // namespace

void DatasetLoader::special(std::string_view text, std::uint32_t number)
{
  std::string_view args = text;
  std::string_view keyword = nextWord(args);
  bool ok = true;
  bool generic = d_dataset.type == store::DatasetType::Generic;
  if (equalsNoCase(keyword, "SOA"))
    ok = soaSpecial(args, number);
  else if (equalsNoCase(keyword, "NS") || equalsNoCase(keyword, "NAMESERVER"))
    ok = nsSpecial(args, number);
  else if (equalsNoCase(keyword, "TTL")) {
    auto ttl = listing::parseDuration(args);
    ok = ttl.has_value();
    if (ok) {
      d_dataset.ttl = clampTtl(*ttl); // not positional for sets: the last one applies to all entries
      d_genericTtl = d_dataset.ttl; // generic captures it per record
      d_ttlSeen = true;
    }
  } else if (equalsNoCase(keyword, "MAXRANGE4"))
    ok = maxRangeSpecial(args);
  else if (equalsNoCase(keyword, "TIMESTAMP"))
    ok = timestampSpecial(args, number);
  else if (keyword.size() == 1 && keyword[0] >= '0' && keyword[0] <= '9') {
    std::string& var = d_vars[static_cast<std::size_t>(keyword[0] - '0')];
    if (var.empty() && !generic)
      var.assign(args); // the first definition wins
  } else if (keyword == "=") {
    if (!d_hasBaseTemplate && !generic) {
      d_baseTemplate.assign(args);
      d_hasBaseTemplate = true;
    }
  } else if (equalsNoCase(keyword, "DATASET")) {
    report(number, "$DATASET is only valid in a combined dataset");
    return;
  } else {
    report(number, "invalid or unrecognized special entry $" + std::string(keyword));
    return;
  }
  if (!ok)
    report(number, "invalid $" + std::string(keyword) + " line");
}

bool DatasetLoader::soaSpecial(std::string_view args, std::uint32_t number)
{
  if (d_dataset.type == store::DatasetType::Acl) {
    report(number, "$SOA is not allowed in an acl dataset");
    return true;
  }
  store::SoaData soa;
  auto ttl = listing::parseDuration(nextWord(args));
  auto mname = absoluteName(nextWord(args));
  auto rname = absoluteName(nextWord(args));
  auto serial = parseNumber(nextWord(args));
  std::uint32_t* times[] = { &soa.refresh, &soa.retry, &soa.expire, &soa.minimum };
  for (std::uint32_t* field : times) {
    auto time = listing::parseDuration(nextWord(args));
    if (!time)
      return false;
    *field = *time;
  }
  if (!ttl || !mname || !rname || !serial || !args.empty() || mname->size() == 1)
    return false;
  if (d_dataset.soa)
    return true; // the first $SOA of a dataset wins
  soa.ttl = *ttl ? clampTtl(*ttl) : 0;
  soa.mname = std::move(*mname);
  soa.rname = std::move(*rname);
  soa.serial = *serial;
  d_dataset.soa = std::move(soa);
  return true;
}

bool DatasetLoader::nsSpecial(std::string_view args, std::uint32_t number)
{
  if (d_dataset.type == store::DatasetType::Acl) {
    report(number, "$NS is not allowed in an acl dataset");
    return true;
  }
  auto ttl = listing::parseDuration(nextWord(args));
  if (!ttl)
    return false;
  store::NsData ns;
  ns.ttl = *ttl ? clampTtl(*ttl) : 0;
  while (!args.empty()) {
    std::string_view word = nextWord(args);
    if (word.front() == '-')
      continue; // "-name" is commented out
    auto name = absoluteName(word);
    if (!name || name->size() == 1)
      return false;
    if (std::find(ns.names.begin(), ns.names.end(), *name) == ns.names.end())
      ns.names.push_back(std::move(*name));
  }
  if (ns.names.size() > 32) {
    report(number, "more than 32 NS names, the rest are ignored", false);
    ns.names.resize(32);
  }
  if (!d_dataset.ns)
    d_dataset.ns = std::move(ns); // the first $NS of a dataset wins
  return true;
}

bool DatasetLoader::maxRangeSpecial(std::string_view args)
{
  std::uint64_t addresses = 0;
  if (!args.empty() && args.front() == '/') {
    auto length = parseNumber(args.substr(1));
    if (!length || *length > 32)
      return false;
    addresses = std::uint64_t { 1 } << (32 - *length);
  } else {
    auto count = parseNumber(args);
    if (!count || *count == 0)
      return false;
    addresses = *count;
  }
  d_maxRange4 = std::min(d_maxRange4, addresses); // it may only be lowered
  return true;
}

bool DatasetLoader::timestampSpecial(std::string_view args, std::uint32_t number)
{
  auto stamp = parseStamp(nextWord(args));
  if (!stamp)
    return false;
  std::int64_t expires = 0;
  if (!args.empty()) {
    std::string_view word = nextWord(args);
    if (word.front() == '+') {
      auto offset = listing::parseDuration(word.substr(1));
      if (!offset || !*stamp)
        return false;
      expires = *stamp + *offset;
    } else {
      auto absolute = parseStamp(word);
      if (!absolute)
        return false;
      expires = *absolute;
    }
  }
  if (!args.empty())
    return false;
  if (d_options.now && *stamp > d_options.now) {
    fail(number, "$TIMESTAMP " + listing::formatUtcTime(*stamp) + " is in the future: data not loaded");
    return true;
  }
  if (expires && (!d_dataset.timestampExpires || expires < d_dataset.timestampExpires))
    d_dataset.timestampExpires = expires;
  return true;
}

} // namespace shun::zone
