// shunctl: manage the listings of shun zones (add, remove, show, list, expire, import, export) and ask
// the running shund through its control socket (status, reload).
#include "shun/admin/access_keys.hpp"
#include "shun/admin/commands.hpp"
#include "shun/admin/duration.hpp"
#include "shun/config/config.hpp"
#include "shun/control/control.hpp"
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
  std::string control; ///< --control; empty: the configuration file's
  bool json = false;
};

// The control socket: --control, else the configuration file's "control" (none if it cannot be read).
std::string controlPath(const Common& common)
{
  if (!common.control.empty())
    return common.control;
  try {
    return shun::config::readConfigFile(common.config).server.control;
  } catch (const std::exception&) {
    return {};
  }
}

// "ok" or "error <reason>" on the first line, the body after it: prints the body, returns the exit code.
int printReply(const std::string& reply, std::ostream& out)
{
  auto newline = reply.find('\n');
  std::string head = reply.substr(0, newline);
  out << (newline == std::string::npos ? "" : reply.substr(newline + 1));
  if (head == "ok")
    return kOk;
  std::cerr << "shunctl: " << (head.rfind("error ", 0) == 0 ? head.substr(6) : head) << "\n";
  return kFailed;
}

// status and reload: they need the running shund.
int askShund(const Common& common, const shun::control::Request& request)
{
  std::string path = controlPath(common), error;
  if (path.empty()) {
    std::cerr << "shunctl: no control socket: give --control PATH or set control in " << common.config
              << "\n";
    return kBadArgument;
  }
  auto reply = shun::control::ask(path, request, 90, error);
  if (!reply) {
    std::cerr << "shunctl: no shund answers on " << error << "\n";
    return kFailed;
  }
  return printReply(*reply, std::cout);
}

// After add, remove and show: a warning on stderr when the running shund does not serve what the zone's
// files say; nothing when no shund answers. The exit code stays the command's.
int warnIfNotServed(const Common& common, const std::string& zone, int code)
{
  std::string path = controlPath(common), error;
  if (path.empty())
    return code;
  auto reply = shun::control::ask(path, { shun::control::Request::Command::Sync, false, zone }, 5, error);
  if (!reply)
    return code;
  auto newline = reply->find('\n');
  std::string head = reply->substr(0, newline);
  if (head != "ok")
    std::cerr << "shunctl: warning: shund: " << (head.rfind("error ", 0) == 0 ? head.substr(6) : head)
              << "\n";
  for (std::size_t start = newline + 1; newline != std::string::npos && start < reply->size();) {
    newline = reply->find('\n', start);
    std::cerr << "shunctl: warning: " << reply->substr(start, newline - start) << "\n";
    start = newline + 1;
  }
  return code;
}

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

// shunctl key: the key file is --key-file, else the configuration file's.
std::string keyFilePath(const Common& common, const std::string& given)
{
  if (!given.empty())
    return given;
  auto path = shun::config::readConfigFile(common.config).runtime.keyFile;
  if (path.empty())
    throw std::invalid_argument(
        "no key file: give --key-file PATH, or keyed-zone (and key-file) in " + common.config);
  return path;
}

struct KeyCommands {
  CLI::App* key = nullptr;
  CLI::App* add = nullptr;
  CLI::App* revoke = nullptr;
  CLI::App* list = nullptr;
  std::string file, expiresFor = "365d", until, revokeId;
  AccessKeyRequest request;
};

void declareKeyCommands(CLI::App& app, KeyCommands& keys, Common& common)
{
  keys.key = app.add_subcommand("key", "access keys of the keyed zones (<ip>.<key>.<zone> queries)");
  keys.key->require_subcommand(1);
  keys.key->add_option("--key-file", keys.file, "the key file (default: key-file in the configuration file)");
  keys.add = keys.key->add_subcommand("add", "generate a key, print it once");
  keys.add->add_option("id", keys.request.id, "non-secret name of the key, shown in logs and /metrics")
      ->required();
  keys.add->add_option("--zone,-z", keys.request.zones, "keyed zone the key may query (repeatable)")
      ->required()
      ->allow_extra_args(false);
  keys.add->add_option("--for", keys.expiresFor, "valid this long (e.g. 90d, 1w; default 365d)");
  keys.add->add_option("--until", keys.until, "valid until this time (2027-06-30, unix seconds), or never");
  keys.add->add_option("--daily-quota", keys.request.dailyQuota, "queries per UTC day (0: none)");
  keys.revoke = keys.key->add_subcommand("revoke", "refuse a key from now on (kept in the file)");
  keys.revoke->add_option("id", keys.revokeId, "the key's id")->required();
  keys.list = keys.key->add_subcommand("list", "the keys: id, state, expiry, quota, zones (never the key)");
  keys.list->add_flag("--json", common.json, "JSON output");
}

int runKeyCommand(const Common& common, KeyCommands& keys, std::int64_t now)
{
  std::string path = keyFilePath(common, keys.file);
  if (*keys.list)
    return listAccessKeys(path, common.json, now, std::cout, std::cerr);
  if (*keys.revoke)
    return revokeAccessKey(path, keys.revokeId, std::cout, std::cerr);
  if (keys.until == "never") {
    keys.request.expires = 0;
  } else if (!keys.until.empty()) {
    auto until = parseEndTime(keys.until);
    if (!until)
      throw std::invalid_argument("--until " + keys.until + ": not a time (2027-06-30, unix seconds, never)");
    keys.request.expires = *until;
  } else {
    auto duration = parseDuration(keys.expiresFor);
    if (!duration)
      throw std::invalid_argument("--for " + keys.expiresFor + ": not a duration with a unit (e.g. 90d)");
    keys.request.expires = now + *duration;
  }
  return addAccessKey(path, keys.request, std::cout, std::cerr);
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
  app.add_option("--config,-c", common.config, "shund configuration file naming the zones (env SHUN_CONFIG)")
      ->capture_default_str();
  app.add_option(
      "--zone-spec", common.zoneSpecs, "zone:type:file instead of a configuration file (repeatable)");
  app.add_option("--control", common.control,
      "shund's control socket (default: control in the configuration file; none: no warnings)");

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
  bool requestsPending = false;
  std::string approveKey, denyKey;
  requestsCommand->add_flag("--pending", requestsPending, "only queued requests not yet approved or denied");
  auto* approveOption = requestsCommand->add_option(
      "--approve", approveKey, "approve the queued request for this key: remove it from the zone");
  requestsCommand->add_option("--deny", denyKey, "deny the queued request for this key")
      ->excludes(approveOption);
  requestsCommand->add_flag("--json", common.json, "JSON output");

  shun::control::Request statusRequest;
  auto* statusCommand = app.add_subcommand(
      "status", "the running shund: version, uptime, zones, journal lag, last reload and its errors");
  statusCommand->add_flag("--json", statusRequest.json, "JSON output");

  shun::control::Request reloadRequest { shun::control::Request::Command::Reload, false, {} };
  auto* reloadCommand
      = app.add_subcommand("reload", "make the running shund reload what changed and report the result");
  reloadCommand->add_option("zone", reloadRequest.zone, "report only this zone's problems");
  KeyCommands keys;
  declareKeyCommands(app, keys, common);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() != 0) {
      std::cerr << "shunctl: " << error.what() << "\n";
      return kBadArgument;
    }
    return app.exit(error);
  }

  if (*statusCommand)
    return askShund(common, statusRequest);
  if (*reloadCommand)
    return askShund(common, reloadRequest);
  std::int64_t now = std::time(nullptr);
  try {
    if (*keys.key)
      return runKeyCommand(common, keys, now);
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
      return warnIfNotServed(common, target.zone, addKeys(target, add, now, std::cout, std::cerr));
    }
    std::string by = environment("USER", "");
    if (*removeCommand)
      return warnIfNotServed(common, target.zone,
          removeKeys(target, removeKeysList, removeReason, by, now, std::cout, std::cerr));
    if (*showCommand)
      return warnIfNotServed(
          common, target.zone, showKey(target, showKeyText, common.json, now, std::cout, std::cerr));
    if (*listCommand) {
      if (!within.empty() && !(filter.expiringWithin = parseDuration(within)))
        throw std::invalid_argument(
            "--expiring-within " + within + ": not a duration with a unit (e.g. 12h, 7d)");
      return listKeys(target, filter, common.json, now, std::cout, std::cerr);
    }
    if (*expireCommand)
      return expireZone(target, expireDryRun, now, std::cout, std::cerr);
    if (*requestsCommand && !(approveKey.empty() && denyKey.empty()))
      return decideRequest(target, approveKey.empty() ? denyKey : approveKey, !approveKey.empty(), by, now,
          std::cout, std::cerr);
    if (*requestsCommand)
      return listRequests(target, requestsKey, requestsPending, common.json, std::cout, std::cerr);
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
