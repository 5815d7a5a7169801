#pragma once

#include "shun/listing/journal.hpp"
#include "zone_test_util.hpp"

#include <cstdio>
#include <fstream>
#include <string>

namespace zonetest {

/// An added key as shunctl journals it.
inline shun::listing::JournalRecord journalAdd(const std::string& key)
{
  shun::listing::JournalRecord record;
  record.key = key;
  record.entryLine = key;
  record.listing.added = 1'795'000'000;
  record.listing.reason = "test";
  return record;
}

/// Appends bytes to a file, as shunctl appends a journal block.
inline void appendTo(const std::string& path, const std::string& bytes)
{
  std::ofstream(path, std::ios::binary | std::ios::app) << bytes;
}

/// Replaces a file by rename (a new inode), as rsync or `shunctl expire` do.
inline void replaceFile(const TempDir& dir, const std::string& name, const std::string& content)
{
  dir.write(name + ".new", content);
  std::rename((dir.path() + "/" + name + ".new").c_str(), (dir.path() + "/" + name).c_str());
}

/// The dataset a snapshot holds for a "type:file" key, or nullptr.
inline const shun::store::Dataset* datasetFor(const shun::store::Snapshot& snapshot, const std::string& key)
{
  for (const auto& dataset : snapshot.datasets)
    if (dataset->spec == key)
      return dataset.get();
  return nullptr;
}

} // namespace zonetest
