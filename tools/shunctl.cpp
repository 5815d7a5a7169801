// shunctl: manage the listings of shun zones (add, remove, show, list, expire, import, export).
#include "shun/admin/commands.hpp"
#include "shun/admin/duration.hpp"
#include "shun/listing/listing.hpp"
#include "shun/version.hpp"

#include <CLI/CLI.hpp>
#include <ctime>
#include <fstream>
#include <iostream>

namespace {

using namespace shun::admin;

constexpr const char* kExitCodes
    = "Exit codes: 0 done, 1 failed (I/O), 2 bad argument (or a bad import line), 3 refused (protected "
      "key or RFC 5782 test point), 4 key not listed.";

// Options shared by every subcommand that works on one zone.
struct Common {
  std::string zone;
  std::string config;
  std::vector<std::string> zoneSpecs;
  bool json = false;
};

void addZoneOptions(CLI::App* command, Common& common)
{
  command->add_option("--zone,-z", common.zone, "zone name, e.g. bl.example")->required();
}

// shunctl is one thread, so getenv's static storage is safe here.
std::string environment(const char* name, const char* fallback)
{
  const char* value = std::getenv(name); // NOLINT(concurrency-mt-unsafe)
  return value ? value : fallback;
}

int run(int argc, char** argv)
{
  CLI::App app { "shunctl: manage the listings of shun DNSBL zones", "shunctl" };
  app.footer(kExitCodes);
  app.require_subcommand(1);
  app.fallthrough(); // --config and --zone-spec may also follow the subcommand
  app.set_version_flag("--version", "shunctl " + std::string(shun::kVersion));
  Common common;
  common.config = environment("SHUN_CONFIG", "/etc/shun/shund.conf");
  app.add_option("--config,-c", common.config, "shund configuration file naming the zones (env SHUN_CONFIG)");
  app.add_option(
      "--zone-spec", common.zoneSpecs, "zone:type:file instead of a configuration file (repeatable)");

  AddOptions add;
  std::string addFor, addUntil, addTtl, keyFile;
  auto* addCommand = app.add_subcommand("add", "list keys (or update them, keeping their history)");
  addZoneOptions(addCommand, common);
  addCommand->add_option("keys", add.keys, "IPv4/IPv6 address, CIDR or domain name");
  addCommand->add_option("-f,--file", keyFile, "read keys from a file, one per line ('-': standard input)");
  addCommand->add_option("--code", add.code, "A record: 127.0.0.N or N (default: the zone file's)");
  addCommand->add_option("--reason", add.reason, "public reason, shown on the lookup page");
  addCommand->add_option("--evidence", add.evidence, "public evidence");
  addCommand->add_option("--source", add.source, "where the listing comes from (spamtrap, manual, ...)");
  addCommand->add_option("--by", add.by, "who lists it (default: $USER)");
  addCommand->add_option("--ttl", addTtl, "answer TTL: seconds or 5m, 1h (default: the zone's)");
  auto* forOption
      = addCommand->add_option("--for", addFor, "duration: 30m, 12h, 7d, 2w (default: zone policy)");
  addCommand
      ->add_option(
          "--until", addUntil, "end time: 2026-12-31T12:00:00Z, 2026-12-31 (midnight UTC) or unix seconds")
      ->excludes(forOption);
  addCommand->add_flag("--force", add.force, "list even if the key overlaps a protected entry");

  std::vector<std::string> removeKeysList;
  std::string removeReason;
  auto* removeCommand = app.add_subcommand("remove", "delist keys");
  addZoneOptions(removeCommand, common);
  removeCommand->add_option("keys", removeKeysList, "keys to remove")->required();
  removeCommand->add_option("--reason", removeReason, "why it is removed");

  std::string showKeyText;
  auto* showCommand = app.add_subcommand("show", "is a key listed, by which entry, why and until when");
  addZoneOptions(showCommand, common);
  showCommand->add_option("key", showKeyText, "address, CIDR or domain")->required();
  showCommand->add_flag("--json", common.json, "JSON output");

  ListFilter filter;
  std::string within;
  auto* listCommand = app.add_subcommand("list", "list the zone's managed entries");
  addZoneOptions(listCommand, common);
  listCommand->add_flag("--expired", filter.expiredOnly, "only entries past their expiry");
  listCommand->add_option("--expiring-within", within, "only entries expiring within this duration");
  listCommand->add_flag("--json", common.json, "JSON output");

  bool expireDryRun = false;
  auto* expireCommand
      = app.add_subcommand("expire", "prune expired entries and fold the journal into the file");
  addZoneOptions(expireCommand, common);
  expireCommand->add_flag("--dry-run", expireDryRun, "print what would be pruned, write nothing");

  ImportOptions import;
  auto* importCommand = app.add_subcommand(
      "import", "add every entry of an rbldnsd-format file; a bad line (file:line: reason) writes nothing");
  addZoneOptions(importCommand, common);
  importCommand->add_option("file", import.file, "file to import")->required()->check(CLI::ExistingFile);
  importCommand->add_option("--source", import.source, "source recorded for entries without one");
  importCommand->add_flag("--force", import.force, "import keys that overlap a protected entry");
  importCommand->add_flag("--skip-invalid", import.skipInvalid, "write the valid lines, report the others");
  importCommand->add_flag("--dry-run", import.dryRun, "print what would be imported, write nothing");

  auto* exportCommand = app.add_subcommand("export", "print the zone file with every change applied");
  addZoneOptions(exportCommand, common);

  std::string requestsKey;
  auto* requestsCommand = app.add_subcommand("requests", "self-removal requests made on shund's web page");
  addZoneOptions(requestsCommand, common);
  requestsCommand->add_option("--key", requestsKey, "only requests for this key");
  requestsCommand->add_flag("--json", common.json, "JSON output");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() != 0) {
      std::cerr << "shunctl: " << error.what() << "\n";
      return kBadArgument;
    }
    return app.exit(error);
  }

  std::int64_t now = std::time(nullptr);
  try {
    ZoneTarget target = resolveZoneTarget(common.zone, common.zoneSpecs, common.config);
    if (*addCommand) {
      if (!addFor.empty()) {
        add.duration = parseDuration(addFor);
        if (!add.duration)
          throw std::invalid_argument(
              "--for " + addFor + ": not a duration with a unit (e.g. 90s, 30m, 12h, 7d, 2w)");
      }
      if (!addUntil.empty()) {
        add.until = parseEndTime(addUntil);
        if (!add.until)
          throw std::invalid_argument(
              "--until " + addUntil + ": not a time (2026-12-31T12:00:00Z, 2026-12-31 or unix seconds)");
      }
      if (!addTtl.empty()) {
        auto ttl = shun::listing::parseTtl(addTtl);
        if (!ttl)
          throw std::invalid_argument(
              "--ttl " + addTtl + ": not a TTL (seconds, or 5m, 1h; at most 2^31-1 s)");
        add.ttl = *ttl;
      }
      if (add.by.empty())
        add.by = environment("USER", "");
      if (!keyFile.empty()) {
        std::ifstream file(keyFile);
        if (keyFile != "-" && !file)
          throw std::invalid_argument("-f " + keyFile + ": cannot read");
        auto keys = readKeyList(keyFile == "-" ? std::cin : file);
        add.keys.insert(add.keys.end(), keys.begin(), keys.end());
      }
      return addKeys(target, add, now, std::cout, std::cerr);
    }
    std::string by = environment("USER", "");
    if (*removeCommand)
      return removeKeys(target, removeKeysList, removeReason, by, now, std::cout, std::cerr);
    if (*showCommand)
      return showKey(target, showKeyText, common.json, now, std::cout, std::cerr);
    if (*listCommand) {
      if (!within.empty() && !(filter.expiringWithin = parseDuration(within)))
        throw std::invalid_argument(
            "--expiring-within " + within + ": not a duration with a unit (e.g. 12h, 7d)");
      return listKeys(target, filter, common.json, now, std::cout, std::cerr);
    }
    if (*expireCommand)
      return expireZone(target, expireDryRun, now, std::cout, std::cerr);
    if (*requestsCommand)
      return listRequests(target, requestsKey, common.json, std::cout, std::cerr);
    if (*importCommand)
      return importFile(target, import, now, std::cout, std::cerr);
    return exportZone(target, std::cout, std::cerr);
  } catch (const std::invalid_argument& error) {
    std::cerr << "shunctl: " << error.what() << "\n";
    return kBadArgument;
  } catch (const std::exception& error) {
    std::cerr << "shunctl: " << error.what() << "\n";
    return kFailed;
  }
}

} // namespace

int main(int argc, char** argv)
{
  try {
    return run(argc, argv);
  } catch (const std::exception& error) { // setting up the command line itself failed
    std::cerr << "shunctl: " << error.what() << "\n";
    return kFailed;
  }
}
