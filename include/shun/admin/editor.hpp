#pragma once

#include "shun/store/dataset.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace shun::admin {

/// The zone a writer works on: its name, the data file shunctl and the web page manage for it, and the
/// type of the dataset that file feeds.
struct ZoneTarget {
  std::string zone;
  std::string dataFile;
  store::DatasetType type = store::DatasetType::Ip4Trie;
};

/// What an edit, or one key of it, came to. The numbers are shunctl's exit codes (see exitCode).
enum class Outcome {
  Done = 0, ///< written (or, on a dry run, would be)
  Failed = 1, ///< I/O error or a zone file that does not parse
  BadArgument = 2, ///< malformed key, wrong family for the dataset, bad duration or code, bad import line
  Refused = 3, ///< a guard said no: RFC 5782 test point, protected key
  NotListed = 4, ///< remove: no entry for the key
};

/// shunctl's exit status for an outcome (0 done, 1 failed, 2 bad argument, 3 refused, 4 not listed).
int exitCode(Outcome outcome);

/// The outcome for one key or one imported line.
struct KeyResult {
  std::string key; ///< canonical spelling, or the text as given when it does not parse
  Outcome outcome = Outcome::Done;
  std::string reason; ///< one line, empty when Done
  std::string where; ///< "file:line" of an imported line, else empty
  std::int64_t expires = 0; ///< Done listings and expired entries: end of the listing, unix seconds; 0: none
};

/// The structured result of one edit; writers render it, they do not compute it.
struct EditResult {
  Outcome outcome = Outcome::Done; ///< Done, or the gravest failure (bad argument before refused)
  std::string reason; ///< why, when no single key is to blame (bad --code, I/O error); else empty
  std::vector<KeyResult> keys; ///< per key in the order given; import: per entry and per bad line
  std::size_t changed = 0; ///< entries listed, removed or pruned (dry run: that would be)
  std::size_t skipped = 0; ///< import --skip-invalid: lines left out
  bool dryRun = false; ///< nothing was written
  /// selfRemove: the outcome as the requests log records it: granted, queued (past the zone's hourly
  /// budget: Refused, for the operator to approve or deny), refused-policy, refused-limit,
  /// refused-cooldown, not-listed, refused-protected, refused-range or error.
  std::string logged;
};

/// What to list, for add (import takes defaults from ImportOptions).
struct AddOptions {
  std::vector<std::string> keys;
  std::string code; ///< "127.0.0.N" or "N"; empty: the zone file's default
  std::string reason, evidence, source, by;
  std::uint32_t ttl = 0; ///< seconds; 0: dataset TTL
  std::optional<std::int64_t> duration; ///< --for, seconds, > 0
  std::optional<std::int64_t> until; ///< --until, unix seconds, after now
  bool force = false; ///< list even if a protected key overlaps
};

/// How to import an rbldnsd-format file.
struct ImportOptions {
  std::string file;
  std::string source; ///< recorded for entries without one; empty: "import"
  bool force = false; ///< import keys that overlap a protected key
  bool skipInvalid = false; ///< write the valid lines even if others are bad (count in EditResult::skipped)
  bool dryRun = false;
};

/// The one path by which shunctl and the web page change a zone's listings. Every operation validates
/// every key against the same guards (one table: RFC 5782 test points, #@protect ranges, key family vs
/// dataset type, durations), writes nothing unless all pass, holds the zone lock while it reads and writes,
/// and never throws: I/O errors come back as Outcome::Failed. now is unix seconds.
class ZoneEditor {
public:
  explicit ZoneEditor(ZoneTarget target)
      : d_target(std::move(target))
  {
  }

  /// Lists keys (or updates them, keeping their history); the zone's #@policy sets the default expiry.
  EditResult add(const AddOptions& options, std::int64_t now) const;
  /// Delists keys; keys with no entry are NotListed, the others are still removed.
  EditResult remove(const std::vector<std::string>& keys, const std::string& reason, const std::string& by,
      std::int64_t now) const;
  /// Lists every entry of an rbldnsd-format file with its "#@" metadata; each bad line is a KeyResult
  /// with its file:line. Zone settings of the file ($ lines, ":" default values, "#@" directives) are
  /// not imported.
  EditResult importFile(const ImportOptions& options, std::int64_t now) const;
  /// Prunes expired entries and folds the journal into the data file; on a dry run, says which.
  EditResult expire(bool dryRun, std::int64_t now) const;
  /// A visitor's removal of their own key from the web page. In order: the zone's #@selfremoval policy
  /// and its requests log decide (Refused); a key the zone does not serve (served: from the caller's live
  /// snapshot) is NotListed; the delisting guards (Refused); only the key's own entry goes (a key served
  /// by a covering entry is Refused); past the zone's budget of grants per hour the request is queued.
  /// Every request is appended to "<data file>.requests" as EditResult::logged (the log is rotated past
  /// 4 MiB); KeyResult::reason is a sentence for the visitor.
  EditResult selfRemove(
      const std::string& key, const std::string& client, bool served, std::int64_t now) const;

  const ZoneTarget& target() const { return d_target; }

private:
  ZoneTarget d_target;
};

} // namespace shun::admin
