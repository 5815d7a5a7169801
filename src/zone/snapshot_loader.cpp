#include "shun/store/dataset_type.hpp"
#include "shun/zone/load.hpp"
#include "zone/dataset_loader.hpp"
#include "zone/snapshot_assembly.hpp"
#include "zone/text.hpp"

#include <algorithm>
#include <map>

namespace shun::zone {
namespace {

using store::DatasetType;

bool isIp4Type(DatasetType type)
{
  return type == DatasetType::Ip4Set || type == DatasetType::Ip4TSet || type == DatasetType::Ip4Trie;
}

bool isIp6Type(DatasetType type)
{
  return type == DatasetType::Ip6Trie || type == DatasetType::Ip6TSet;
}

void attachDataset(store::Zone& zone, const store::Dataset* dataset, std::int64_t& newest)
{
  if (dataset->type == DatasetType::Combined) {
    for (const store::SubDataset& child : dataset->children) {
      for (const store::WireName& subzone : child.subzones)
        zone.datasets.push_back({ subzone, child.dataset.get() });
      zone.hasIp4 = zone.hasIp4 || isIp4Type(child.dataset->type);
      zone.hasIp6 = zone.hasIp6 || isIp6Type(child.dataset->type);
    }
  } else {
    zone.datasets.push_back({ "", dataset });
    zone.hasIp4 = zone.hasIp4 || isIp4Type(dataset->type);
    zone.hasIp6 = zone.hasIp6 || isIp6Type(dataset->type);
  }
  if (!zone.soa && dataset->soa)
    zone.soa = dataset->soa; // the first dataset on the command line that has one
  if (!zone.ns && dataset->ns)
    zone.ns = dataset->ns;
  newest = std::max(newest, dataset->newestMtime);
}

} // namespace

std::string ZoneSpec::datasetKey() const
{
  std::string key = type + ":";
  for (std::size_t i = 0; i < files.size(); ++i)
    key += (i ? "," : "") + files[i];
  return key;
}

std::string Diagnostic::format() const
{
  std::string where = file;
  if (line)
    where += ":" + std::to_string(line);
  return (where.empty() ? "" : where + ": ") + (error ? "" : "warning: ") + message;
}

bool LoadResult::hasErrors() const
{
  return std::any_of(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) { return d.error; });
}

ZoneSpec parseZoneSpec(std::string_view argument)
{
  std::string quoted = "zone spec \"" + std::string(argument) + "\": ";
  std::size_t first = argument.find(':');
  std::size_t second = first == std::string_view::npos ? first : argument.find(':', first + 1);
  if (second == std::string_view::npos)
    throw config::ConfigError(quoted + "expected zone:type:file[,file...]");
  ZoneSpec spec;
  std::string_view zone = argument.substr(0, first);
  while (!zone.empty() && zone.back() == '.')
    zone.remove_suffix(1);
  auto wire = nameToWire(zone);
  if (!wire)
    throw config::ConfigError(quoted + "invalid zone name");
  spec.zone = wireToText(*wire);
  spec.type = std::string(argument.substr(first + 1, second - first - 1));
  if (!store::datasetTypeFromName(spec.type))
    throw config::ConfigError(quoted + "unknown dataset type \"" + spec.type + "\"");
  std::string_view files = argument.substr(second + 1);
  while (!files.empty()) {
    std::size_t end = std::min(files.find_first_of(",:"), files.size());
    if (end)
      spec.files.emplace_back(files.substr(0, end));
    files.remove_prefix(std::min(end + 1, files.size()));
  }
  if (spec.files.empty())
    throw config::ConfigError(quoted + "no data file given");
  if (spec.zone.empty() && spec.type != "acl")
    throw config::ConfigError(quoted + "an empty zone name is only valid for the global acl");
  return spec;
}

std::vector<const ZoneSpec*> distinctDatasets(const std::vector<ZoneSpec>& specs)
{
  std::vector<const ZoneSpec*> distinct;
  std::map<std::string, bool> seen;
  for (const ZoneSpec& spec : specs)
    if (seen.try_emplace(spec.datasetKey(), true).second)
      distinct.push_back(&spec);
  return distinct;
}

std::shared_ptr<store::Dataset> buildDataset(const ZoneSpec& spec, const LoadOptions& options,
    std::vector<Diagnostic>& diagnostics, JournalRead* journal)
{
  auto type = store::datasetTypeFromName(spec.type);
  if (!type)
    throw config::ConfigError("unknown dataset type \"" + spec.type + "\"");
  auto dataset = std::make_shared<store::Dataset>();
  dataset->type = *type;
  dataset->spec = spec.datasetKey();
  dataset->files = spec.files;
  loadDataset(*dataset, options, diagnostics, journal);
  return dataset;
}

std::shared_ptr<store::Snapshot> assembleSnapshot(
    const std::vector<ZoneSpec>& specs, const DatasetsByKey& byKey, std::int64_t now)
{
  auto snapshot = std::make_shared<store::Snapshot>();
  snapshot->builtAt = now;
  for (const ZoneSpec* spec : distinctDatasets(specs))
    snapshot->datasets.push_back(byKey.at(spec->datasetKey()));
  std::map<std::string, std::pair<std::size_t, std::int64_t>> zoneIndex; // name -> (zone, newest mtime)
  std::map<std::string, bool> hasData; // a zone needs a dataset other than its acl
  for (const ZoneSpec& spec : specs) {
    const store::Dataset* dataset = byKey.at(spec.datasetKey()).get();
    if (spec.zone.empty()) {
      if (snapshot->globalAcl && snapshot->globalAcl != dataset)
        throw config::ConfigError("more than one global acl");
      snapshot->globalAcl = dataset;
      continue;
    }
    auto [it, added] = zoneIndex.try_emplace(spec.zone, snapshot->zones.size(), 0);
    if (added) {
      store::Zone zone;
      zone.text = spec.zone;
      zone.name = *nameToWire(spec.zone) + '\0';
      snapshot->zones.push_back(std::move(zone));
    }
    store::Zone& zone = snapshot->zones[it->second.first];
    if (dataset->type == DatasetType::Acl) {
      if (zone.acl && zone.acl != dataset)
        throw config::ConfigError("zone " + spec.zone + ": more than one acl");
      zone.acl = dataset;
    } else {
      attachDataset(zone, dataset, it->second.second);
      hasData[spec.zone] = true;
    }
  }
  for (auto& [name, entry] : zoneIndex) {
    store::Zone& zone = snapshot->zones[entry.first];
    if (!hasData[name])
      throw config::ConfigError("zone " + name + ": missing data (an acl alone is not a zone)");
    if (zone.soa && zone.soa->serial == 0)
      zone.soa->serial = static_cast<std::uint32_t>(entry.second); // serial 0: newest data file
  }
  std::stable_sort(snapshot->zones.begin(), snapshot->zones.end(),
      [](const store::Zone& a, const store::Zone& b) { return a.name.size() > b.name.size(); });
  snapshot->index();
  return snapshot;
}

LoadResult loadSnapshot(const std::vector<ZoneSpec>& specs, const LoadOptions& options)
{
  LoadResult result;
  DatasetsByKey byKey;
  for (const ZoneSpec* spec : distinctDatasets(specs))
    byKey[spec->datasetKey()] = buildDataset(*spec, options, result.diagnostics, nullptr);
  result.snapshot = assembleSnapshot(specs, byKey, options.now);
  return result;
}

} // namespace shun::zone
