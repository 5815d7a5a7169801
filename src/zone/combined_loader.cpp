#include "zone/dataset_loader.hpp"
#include "zone/text.hpp"

#include <algorithm>

namespace shun::zone {
namespace {

bool keywordIs(std::string_view keyword, std::string_view expected)
{
  return keyword.size() == expected.size()
      && std::equal(keyword.begin(), keyword.end(), expected.begin(),
          [](char x, char y) { return (x | 0x20) == (y | 0x20); });
}

} // namespace

// Common section: $SOA/$NS (always the base zone's), $TTL/$n/$= (copied into each section when it starts).
// A section ($DATASET) takes every other line.
void DatasetLoader::combinedLine(std::string_view text, std::uint32_t number, bool isSpecial)
{
  DatasetLoader* section = d_combined->current;
  if (isSpecial) {
    std::string_view body = text.substr(text.front() == '$' ? 1 : 2);
    std::string_view args = body;
    std::string_view keyword = nextWord(args);
    if (keywordIs(keyword, "DATASET"))
      startSubDataset(args, number);
    else if (keywordIs(keyword, "SOA") || keywordIs(keyword, "NS") || keywordIs(keyword, "NAMESERVER")
        || !section)
      special(body, number);
    else
      section->line(text, number);
    d_failed = d_failed || (section && section->failed());
    return;
  }
  if (section) {
    section->line(text, number);
    d_failed = d_failed || section->failed();
    return;
  }
  if (text.front() == '#' || text.front() == ';')
    return;
  fail(0, "data before the first $DATASET (line " + std::to_string(number) + ")");
}

void DatasetLoader::startSubDataset(std::string_view args, std::uint32_t number)
{
  std::string_view spec = nextWord(args);
  std::string_view typeName = spec.substr(0, spec.find(':'));
  auto type = store::datasetTypeFromName(typeName);
  if (!type || *type == store::DatasetType::Combined || *type == store::DatasetType::Acl) {
    report(number, "$DATASET: invalid dataset type \"" + std::string(typeName) + "\"");
    d_combined->current = nullptr;
    return;
  }
  std::vector<store::WireName> subzones;
  while (!args.empty()) {
    std::string_view word = nextWord(args);
    auto subzone = word == "@" ? std::optional<std::string>("") : nameToWire(word);
    if (!subzone) {
      report(number, "$DATASET: invalid subzone \"" + std::string(word) + "\"");
      d_combined->current = nullptr;
      return;
    }
    if (std::find(subzones.begin(), subzones.end(), *subzone) == subzones.end())
      subzones.push_back(std::move(*subzone));
  }
  if (subzones.empty()) {
    report(number, "$DATASET: no subzone given (use @ for the base zone)");
    d_combined->current = nullptr;
    return;
  }
  if (d_combined->current)
    d_combined->current->endFile();
  auto child = std::make_unique<store::Dataset>();
  child->type = *type;
  child->spec = std::string(spec);
  child->files = d_dataset.files;
  auto loader = std::make_unique<DatasetLoader>(*child, d_options, d_diagnostics);
  loader->d_vars = d_vars; // the common section's values are the section's starting point
  loader->d_baseTemplate = d_baseTemplate;
  loader->d_hasBaseTemplate = d_hasBaseTemplate;
  loader->d_ttlSeen = d_ttlSeen;
  loader->d_dataset.ttl = d_dataset.ttl;
  loader->d_genericTtl = d_genericTtl;
  loader->d_maxRange4 = d_maxRange4;
  loader->beginFile(d_file, d_fileName);
  d_combined->current = loader.get();
  d_combined->loaders.push_back(std::move(loader));
  d_dataset.children.push_back({ std::move(subzones), std::move(child) });
}

void DatasetLoader::finishCombined()
{
  for (auto& loader : d_combined->loaders) {
    loader->finish();
    loader->summarizeSuppressed();
    loader->d_dataset.newestMtime = d_dataset.newestMtime;
    d_failed = d_failed || loader->failed();
  }
  d_combined.reset();
}

} // namespace shun::zone
