#include "shun/store/ip4_range_layer.hpp"
#include "zone/dataset_loader.hpp"
#include "zone/duplicate_keys.hpp"
#include "zone/line_reader.hpp"

#include <algorithm>
#include <sys/stat.h>

namespace shun::zone {
namespace {

std::int64_t modificationTime(const std::string& file)
{
  struct stat info { };
  return ::stat(file.c_str(), &info) == 0 ? static_cast<std::int64_t>(info.st_mtime) : 0;
}

// Reads one file into the loader; false if it could not be read.
void readFile(DatasetLoader& loader, std::uint32_t index, const std::string& file, const LineLimits& limits)
{
  loader.beginFile(index, file);
  LineReader reader;
  std::string error;
  if (!reader.open(file, limits, error)) {
    loader.fail(0, error);
    return;
  }
  std::uint32_t number = 0;
  std::string_view line;
  while (!loader.failed() && reader.next(line)) {
    if (reader.tooLong())
      loader.lineTooLong(line, ++number, limits.maxLine);
    else
      loader.line(line, ++number);
  }
  if (!reader.error().empty())
    loader.fail(number + 1, reader.error());
  loader.endFile();
}

} // namespace

void DatasetLoader::finish()
{
  if (d_combined)
    finishCombined();
  for (const Deferred& entry : d_deferred) { // tsets: one value for the whole dataset, plus metadata
    store::Value value = d_default;
    if (entry.listing) {
      value.listing = entry.listing;
      value.expires = d_dataset.listings[entry.listing].expires;
      value.ttl = d_dataset.listings[entry.listing].ttl;
    }
    store::ValueId id = entry.exclusion ? 0 : d_dataset.values.intern(value);
    if (d_ip4)
      d_ip4->add(static_cast<store::Ip4>(entry.first), static_cast<store::Ip4>(entry.last), entry.priority,
          id, entry.exclusion, entry.origin);
    else
      d_ip6.add(entry.first, entry.last, entry.priority, id, entry.exclusion, entry.origin);
  }
  d_deferred.clear();
  if (d_tsetStreamed)
    d_ip6.replaceValue(kTSetValue, d_dataset.values.intern(d_default));
  buildMaps();
  d_dataset.values.finalize(d_vars, d_baseTemplate, d_hasBaseTemplate);
  recordLineContext();
  if (d_dataset.type == store::DatasetType::Acl) {
    d_dataset.aclActions.assign(d_dataset.values.size(), store::AclAction::Always);
    for (store::ValueId id = 0; id < d_dataset.values.size(); ++id)
      for (auto action : { store::AclAction::Ignore, store::AclAction::Refuse, store::AclAction::Empty,
               store::AclAction::Pass })
        if (d_dataset.values.value(id).a == 0
            && d_dataset.values.value(id).txt == aclKeywordValue(action).txt)
          d_dataset.aclActions[id] = action;
  }
  if (!d_ttlSeen || d_dataset.ttl == 0)
    d_dataset.ttl = d_options.defaultTtl;
  if (d_dataset.soa && d_dataset.soa->ttl == 0)
    d_dataset.soa->ttl = d_dataset.ttl;
  if (d_dataset.ns && d_dataset.ns->ttl == 0)
    d_dataset.ns->ttl = d_dataset.ttl;
}

// What a change set's lines are parsed with (zone::applyChangeSet): the state the journal of the only
// file was read in. With more files, later files' entries come after the journal: not recorded.
void DatasetLoader::recordLineContext()
{
  using store::DatasetType;
  DatasetType type = d_dataset.type;
  if (d_dataset.files.size() != 1
      || (type != DatasetType::Ip4Set && type != DatasetType::Ip4Trie && type != DatasetType::Ip4TSet
          && type != DatasetType::Ip6Trie && type != DatasetType::Ip6TSet && type != DatasetType::DnSet))
    return;
  auto context = std::make_shared<store::LineContext>();
  context->defaultValue = d_default;
  context->vars = d_vars;
  context->baseTemplate = d_baseTemplate;
  context->hasBaseTemplate = d_hasBaseTemplate;
  context->journalNameForms = std::move(d_journalNameForms);
  context->irregularIpKeys = d_irregularIpKeys;
  d_dataset.lineContext = std::move(context);
}

void DatasetLoader::seedLineContext(const store::LineContext& context)
{
  d_default = context.defaultValue;
  d_defaultSeen = true;
  d_defaultId.reset();
  d_lastId.reset();
  d_vars = context.vars;
  d_baseTemplate = context.baseTemplate;
  d_hasBaseTemplate = context.hasBaseTemplate;
}

void DatasetLoader::buildMaps()
{
  std::vector<std::uint32_t> dropped;
  using store::DatasetType;
  DatasetType type = d_dataset.type;
  bool ip4Type = type == DatasetType::Ip4Set || type == DatasetType::Ip4Trie || type == DatasetType::Ip4TSet;
  bool rangeLayer = ip4Type && d_dataset.files.size() <= 1; // a change set's part has no file
  if (d_ip4)
    d_dataset.ip4 = d_ip4->build(d_dataset.sets, dropped, rangeLayer ? &d_dataset.ip4RangeEntries : nullptr);
  if (rangeLayer)
    d_dataset.ip4LongRanges = store::longIp4Ranges(d_dataset.ip4RangeEntries);
  if (type == DatasetType::Ip6Trie || type == DatasetType::Ip6TSet || type == DatasetType::Acl)
    d_dataset.ip6 = d_ip6.build(d_dataset.sets, dropped);
  if (type == DatasetType::DnSet)
    d_dataset.names = d_names.build(d_dataset.sets);
  if (type == DatasetType::Generic)
    d_dataset.generic = store::GenericRecords(std::move(d_records));
  reportDuplicates(dropped);
  d_ip4.reset();
}

// rbldnsd's words, "duplicated entry for KEY" (its own test suite looks for them), at the duplicate's
// file:line; the key is read again from there, once per file that has any.
void DatasetLoader::reportDuplicates(const std::vector<std::uint32_t>& dropped)
{
  std::vector<std::vector<std::uint32_t>> lines(d_originFiles.size());
  for (std::uint32_t origin : dropped) {
    auto after = std::partition_point(d_originFiles.begin(), d_originFiles.end(),
        [&](const OriginFile& file) { return file.base < origin; });
    auto index = static_cast<std::size_t>(std::prev(after) - d_originFiles.begin());
    lines[index].push_back(origin - d_originFiles[index].base);
  }
  LineLimits limits { d_options.gunzip, d_options.maxLineLength,
    { d_options.gzipMaxBytes, d_options.gzipMaxRatio } };
  for (std::size_t index = 0; index < lines.size(); ++index) {
    if (lines[index].empty())
      continue;
    const std::string& name = d_originFiles[index].name;
    bool journal = !d_dataset.files.empty() && name == d_dataset.files[0] + ".journal";
    auto keys = keysAtLines(name, journal, lines[index], limits);
    for (std::size_t i = 0; i < keys.size(); ++i)
      d_diagnostics.push_back({ name, lines[index][i],
          keys[i].empty() ? "duplicated entry" : "duplicated entry for " + keys[i], false });
  }
}

void loadDataset(store::Dataset& dataset, const LoadOptions& options, std::vector<Diagnostic>& diagnostics,
    JournalRead* journal)
{
  for (const std::string& file : dataset.files)
    dataset.newestMtime = std::max(dataset.newestMtime, modificationTime(file));
  if (!dataset.files.empty()) // a journalled change is new data too (SOA serial 0)
    dataset.newestMtime = std::max(dataset.newestMtime, modificationTime(dataset.files[0] + ".journal"));
  LineLimits limits { options.gunzip, options.maxLineLength, { options.gzipMaxBytes, options.gzipMaxRatio } };
  bool failed = false;
  try {
    DatasetLoader loader(dataset, options, diagnostics);
    for (std::uint32_t i = 0; i < dataset.files.size() && !loader.failed(); ++i) {
      readFile(loader, i, dataset.files[i], limits);
      if (i == 0 && !loader.failed()) // shunctl journals changes to a dataset's first file
        loader.applyJournal(dataset.files[0] + ".journal", journal);
    }
    failed = loader.failed();
    if (!failed)
      loader.finish();
    loader.summarizeSuppressed();
  } catch (const std::exception& error) { // out of memory, a structure's size limit: a load error too
    diagnostics.push_back({ dataset.files.empty() ? "" : dataset.files[0], 0,
        std::string("cannot load the dataset: ") + error.what(), true });
    failed = true;
  }
  if (!failed)
    return;
  store::Dataset empty; // a dataset that failed to load serves nothing, as in rbldnsd
  empty.type = dataset.type;
  empty.spec = dataset.spec;
  empty.files = dataset.files;
  empty.newestMtime = dataset.newestMtime;
  empty.ttl = options.defaultTtl;
  empty.values.finalize({}, {}, false);
  dataset = std::move(empty);
}

} // namespace shun::zone
