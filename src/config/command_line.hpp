#pragma once

// shund's command line (rbldnsd's options plus long ones) and its configuration file, whose keys are the
// long option names. shund's main, its unit tests and the shun_config library (readConfigFile, for
// shunctl) use it.
#include "shun/config/config.hpp"
#include "shun/config/error.hpp"
#include "shun/version.hpp"

#include <CLI/CLI.hpp>
#include <optional>
#include <ostream>

namespace shun::config {

/// Raw option values as CLI11 fills them; toConfig turns them into a Config.
struct CommandLine {
  std::vector<std::string> bind, zones;
  std::string ttl, check = "1m", pidfile, stateDir, queryLog, statsFile, user, chroot, workdir,
                   facility = "daemon";
  std::string http; ///< --http addr/port; empty: off
  std::string configFile; ///< --config; empty: none
  std::string control; ///< --control socket path; empty: off
  bool v4 = false, v6 = false, foreground = false, hostBits = false, quick = false, forkReload = false;
  bool minimal = false, fullAnswers = false, dump = false, noGunzip = false, checkOnly = false;
  int hideVersion = 0;
  unsigned threads = 0;
  std::uint32_t maxUdp = 1232, tcpIdle = 10, tcpMax = 1024, tcpPerClient = 16, httpMax = 256;
  std::vector<std::string> xfrAllow, notify, xfrKeys; ///< zone transfers (xfr/)
  std::uint32_t xfrMax = 16, xfrMaxPerClient = 4;
  std::size_t maxLine = 65536;
  std::uint64_t gzipMaxBytes = std::uint64_t { 4 } << 30;
  std::uint32_t gzipMaxRatio = 200;
  std::vector<std::string> keyedZones; ///< --keyed-zone
  std::string keyFile, keyRefusal = "refused"; ///< --key-file, --key-refusal
  bool rrl = false, rrlLogOnly = false, noCookies = false; ///< rate limiting and cookies (rrl/, query/)
  std::uint32_t rrlRate = 2000, rrlErrorsRate = 100, rrlBurst = 1, rrlSlip = 2, rrlTableSize = 1u << 18;
  std::uint32_t rrlIpv4Prefix = 24, rrlIpv6Prefix = 56;
  std::vector<std::string> rrlExempt;
  std::string cookieSecret;
};

/// Declares the rate limiting and cookie options (--rrl*, --cookie-secret, --no-cookies).
inline void declareAbuseOptions(CLI::App& app, CommandLine& line)
{
  app.add_flag("--rrl", line.rrl, "response rate limiting over UDP, sized for public DNSBL traffic");
  app.add_flag("--rrl-log-only", line.rrlLogOnly, "rate limiting that only counts and logs (implies --rrl)");
  app.add_option("--rrl-rate", line.rrlRate,
         "answers a second per client prefix, zone and kind (listed, NXDOMAIN, NODATA)")
      ->capture_default_str();
  app.add_option("--rrl-errors-rate", line.rrlErrorsRate, "error answers a second per client prefix and zone")
      ->capture_default_str();
  app.add_option("--rrl-burst", line.rrlBurst, "seconds of the rate a quiet client prefix may use at once")
      ->capture_default_str();
  app.add_option("--rrl-slip", line.rrlSlip, "every Nth limited answer is sent truncated (0: none, 1: all)")
      ->capture_default_str();
  app.add_option("--rrl-ipv4-prefix", line.rrlIpv4Prefix, "IPv4 clients share limits within this prefix")
      ->capture_default_str();
  app.add_option("--rrl-ipv6-prefix", line.rrlIpv6Prefix, "IPv6 clients share limits within this prefix")
      ->capture_default_str();
  app.add_option("--rrl-table-size", line.rrlTableSize, "rate limiting buckets (8 bytes each)")
      ->capture_default_str();
  app.add_option("--rrl-exempt", line.rrlExempt, "addr[/len] never rate limited (repeatable)")
      ->allow_extra_args(false);
  app.add_option("--cookie-secret", line.cookieSecret,
      "file with the DNS cookie secret (32 hex digits; a second line: the previous one); default: random");
  app.add_flag("--no-cookies", line.noCookies, "ignore DNS cookies (RFC 7873) instead of answering them");
}

/// The rate limiting settings from parsed options. Throws ConfigError naming the bad option.
inline rrl::Settings toRrlSettings(const CommandLine& line)
{
  rrl::Settings settings;
  settings.enabled = line.rrl || line.rrlLogOnly;
  settings.logOnly = line.rrlLogOnly;
  auto check = [](const char* option, std::uint32_t value, std::uint32_t low, std::uint32_t high) {
    if (value < low || value > high)
      throw ConfigError(std::string("invalid ") + option + " " + std::to_string(value) + ": "
          + std::to_string(low) + " to " + std::to_string(high));
    return value;
  };
  settings.rate = check("--rrl-rate", line.rrlRate, 1, 1000000);
  settings.errorRate = check("--rrl-errors-rate", line.rrlErrorsRate, 1, 1000000);
  settings.burst = check("--rrl-burst", line.rrlBurst, 1, 3600);
  settings.slip = check("--rrl-slip", line.rrlSlip, 0, 100);
  settings.ipv4Prefix = static_cast<std::uint8_t>(check("--rrl-ipv4-prefix", line.rrlIpv4Prefix, 8, 32));
  settings.ipv6Prefix = static_cast<std::uint8_t>(check("--rrl-ipv6-prefix", line.rrlIpv6Prefix, 16, 128));
  settings.tableSize = check("--rrl-table-size", line.rrlTableSize, 1024, 1u << 28);
  for (const auto& text : line.rrlExempt) {
    try {
      settings.exempt.push_back(rrl::parsePrefix(text));
    } catch (const std::invalid_argument& error) {
      throw ConfigError(std::string("invalid --rrl-exempt: ") + error.what());
    }
  }
  return settings;
}

/// Declares every option of shund on app, bound to line.
inline void declareOptions(CLI::App& app, CommandLine& line)
{
  app.add_option("--config", line.configFile,
      "read options from an INI/TOML file (keys are the long option names; the command line wins)");
  // One value per -b, as with getopt; a greedy vector option would swallow the zone arguments.
  app.add_option("-b,--bind", line.bind, "listen on addr[/port] (repeatable; port 0: ephemeral)")
      ->allow_extra_args(false);
  app.add_flag("-4,--ipv4", line.v4, "resolve -b host names to IPv4 only");
  app.add_flag("-6,--ipv6", line.v6, "resolve -b host names to IPv6 only");
  app.add_flag("-n,--foreground", line.foreground, "stay in the foreground, log to stderr");
  app.add_option("-t,--ttl", line.ttl, "def:min:max TTLs (units s m h d w)");
  app.add_option("-c,--check-interval", line.check, "file check and statistics interval (0: off)")
      ->capture_default_str();
  app.add_flag("-e,--accept-host-bits", line.hostBits, "mask host bits of CIDRs instead of rejecting them");
  app.add_flag("-q,--quick-start", line.quick, "start even if zones fail to load");
  app.add_option("-p,--pidfile", line.pidfile, "write the process id to this file");
  app.add_option("-l,--query-log", line.queryLog, "[+]file: log every query (+: unbuffered)");
  app.add_option("-s,--stats-file", line.statsFile, "[+]file: append statistics every -c (+: deltas)");
  app.add_option("-u,--user", line.user, "user[:group] to run as after binding");
  app.add_option("-r,--chroot", line.chroot, "chroot into this directory after binding");
  app.add_option("-w,--workdir", line.workdir, "change to this directory (after -r)");
  app.add_option("--state-dir", line.stateDir,
      "keep the zones' SOA serials here (writable by -u's user; default: beside the data files)");
  app.add_flag(
      "-f,--fork-reload", line.forkReload, "accepted for rbldnsd compatibility (reloads never block)");
  app.add_flag("-a,--minimal-answers", line.minimal, "no NS records in AUTHORITY unless asked");
  app.add_flag(
      "-A,--full-answers", line.fullAnswers, "NS records in AUTHORITY of positive answers (default)");
  app.add_flag("-v,--hide-version", line.hideVersion, "-v: version.bind says just the name; -vv: refused");
  app.add_flag("-d,--dump", line.dump, "dump every zone in BIND format to stdout and exit");
  app.add_flag("-C,--no-gunzip", line.noGunzip, "do not decompress gzipped data files");
  app.add_option("--max-line-length", line.maxLine, "longest data file line in bytes")->capture_default_str();
  app.add_option("--gzip-max-bytes", line.gzipMaxBytes, "most bytes one gzip data file may decompress to")
      ->capture_default_str();
  app.add_option("--gzip-max-ratio", line.gzipMaxRatio,
         "most a gzip data file may expand, decompressed per compressed byte")
      ->capture_default_str();
  app.add_option("-F,--syslog-facility", line.facility, "syslog facility")->capture_default_str();
  app.add_flag("--check", line.checkOnly, "load the zones, print every problem as file:line: reason, exit");
  app.add_option(
         "--threads", line.threads, "workers, each a UDP and a TCP thread (0: one per CPU shund may use)")
      ->capture_default_str();
  app.add_option("--max-udp-size", line.maxUdp, "largest UDP answer in bytes")->capture_default_str();
  app.add_option("--tcp-idle-timeout", line.tcpIdle, "seconds before an idle TCP connection is closed")
      ->capture_default_str();
  app.add_option("--tcp-max-connections", line.tcpMax,
         "open TCP connections at most (lowered to fit the file descriptor limit)")
      ->capture_default_str();
  app.add_option("--tcp-max-per-client", line.tcpPerClient, "open TCP connections from one address at most")
      ->capture_default_str();
  app.add_option("--http-max-connections", line.httpMax,
         "open --http connections at most (lowered to fit the file descriptor limit)")
      ->capture_default_str();
  app.add_option(
      "--http", line.http, "serve the lookup/removal page and /metrics on addr/port (e.g. 127.0.0.1/8053)");
  app.add_option("--xfr-allow", line.xfrAllow,
         "addr[/len] that may transfer every zone without its own, or 'zone addr[/len]' (AXFR/IXFR; "
         "repeatable)")
      ->allow_extra_args(false);
  app.add_option(
         "--notify", line.notify, "'zone addr[/port]': a secondary to NOTIFY of new serials (repeatable)")
      ->allow_extra_args(false);
  app.add_option("--xfr-key", line.xfrKeys,
         "'[zone] name algorithm secret-file': transfers (of zone) must be signed (TSIG, hmac-sha256/512) "
         "with such a key")
      ->allow_extra_args(false);
  app.add_option("--xfr-max-transfers", line.xfrMax, "zone transfers running at once")->capture_default_str();
  app.add_option(
         "--xfr-max-per-client", line.xfrMaxPerClient, "zone transfers running at once from one address")
      ->capture_default_str();
  app.add_option("--control", line.control,
      "control socket for shunctl status/reload (e.g. /run/shun/control; owned by -u's user, mode 0660)");
  app.add_option("--keyed-zone", line.keyedZones,
         "answer this zone only as <ip>.<key>.<zone> with a key of --key-file (repeatable; shunctl key add)")
      ->allow_extra_args(false);
  app.add_option("--key-file", line.keyFile,
      "the access keys of the keyed zones (default: access.keys beside the first keyed zone's data)");
  app.add_option("--key-refusal", line.keyRefusal,
         "answer for an unknown, revoked or expired key: refused, or 127.255.255.N with a TXT saying why")
      ->capture_default_str();
  declareAbuseOptions(app, line);
  app.add_option("zone", line.zones, "zone:type:file[,file...]");
}

/// The process settings from parsed options. Throws ConfigError naming the bad option.
inline ServerConfig toServerConfig(const CommandLine& line)
{
  ServerConfig server;
  for (const auto& bind : line.bind)
    server.listen.push_back(parseListenSpec(bind));
  server.family = line.v4 == line.v6 ? Family::Any : line.v4 ? Family::V4 : Family::V6;
  server.foreground = line.foreground;
  auto interval = parseDuration(line.check);
  if (!interval)
    throw ConfigError("invalid -c '" + line.check + "': expected a time like 60, 1m or 2h");
  server.checkInterval = *interval;
  server.quickStart = line.quick;
  server.pidfile = line.pidfile;
  server.queryLog = parseOutputFile(line.queryLog);
  server.statsFile = parseOutputFile(line.statsFile);
  if (!line.user.empty())
    applyUserSpec(line.user, server);
  server.chroot = line.chroot;
  server.workdir = line.workdir;
  server.stateDirectory = line.stateDir;
  server.control = line.control;
  server.syslogFacility = line.facility;
  server.threads = line.threads;
  server.tcpIdleTimeout = line.tcpIdle;
  server.tcpMaxConnections = line.tcpMax;
  applyXfrAccess(line.xfrAllow, line.xfrKeys, server.xfr);
  server.xfr.notify = line.notify;
  server.xfr.maxTransfers = line.xfrMax;
  server.xfr.maxPerClient = line.xfrMaxPerClient;
  server.tcpMaxPerClient = line.tcpPerClient;
  server.httpMaxConnections = line.httpMax;
  server.rrl = toRrlSettings(line);
  server.cookies = !line.noCookies;
  server.cookieSecretFile = line.cookieSecret;
  if (!line.http.empty()) {
    server.http = parseListenSpec(line.http, "--http");
    if (line.http.find('/') == std::string::npos)
      server.http->port = "8053"; // not DNS's 53
  }
  return server;
}

/// Sets runtime's keyed zones (each must be one of its zones, lower-cased, at most 64) and their key file.
/// Throws ConfigError.
void applyKeyedZones(
    const std::vector<std::string>& zones, const std::string& keyFile, RuntimeConfig& runtime);

/// The reloadable settings from parsed options. Throws ConfigError naming the bad option.
inline RuntimeConfig toRuntimeConfig(const CommandLine& line)
{
  RuntimeConfig runtime;
  if (!line.ttl.empty())
    applyTtlSpec(line.ttl, runtime.load);
  runtime.load.acceptHostBits = line.hostBits;
  runtime.load.gunzip = !line.noGunzip;
  if (line.maxLine < 256 || line.maxLine > (std::size_t { 1 } << 26))
    throw ConfigError("invalid --max-line-length " + std::to_string(line.maxLine) + ": 256 to 67108864");
  if (line.gzipMaxRatio < 2)
    throw ConfigError("invalid --gzip-max-ratio " + std::to_string(line.gzipMaxRatio) + ": at least 2");
  runtime.load.maxLineLength = line.maxLine;
  runtime.load.gzipMaxBytes = line.gzipMaxBytes;
  runtime.load.gzipMaxRatio = line.gzipMaxRatio;
  runtime.answer.minimalAnswers = line.minimal && !line.fullAnswers;
  runtime.answer.versionText = "shund " + std::string(kVersion);
  runtime.answer.version = line.hideVersion == 0 ? query::VersionMode::Full
      : line.hideVersion == 1                    ? query::VersionMode::Short
                                                 : query::VersionMode::Refuse;
  if (line.maxUdp < 512 || line.maxUdp > 65535)
    throw ConfigError("invalid --max-udp-size " + std::to_string(line.maxUdp) + ": 512 to 65535");
  runtime.answer.maxUdpPayload = static_cast<std::uint16_t>(line.maxUdp);
  for (const auto& spec : line.zones)
    runtime.zones.push_back(zone::parseZoneSpec(spec));
  runtime.answer.accessRefusal = parseKeyRefusal(line.keyRefusal);
  applyKeyedZones(line.keyedZones, line.keyFile, runtime);
  return runtime;
}

/// Builds the Config from parsed options. Throws ConfigError naming the bad option.
inline Config toConfig(const CommandLine& line)
{
  Config config;
  config.mode = line.dump ? Mode::Dump : line.checkOnly ? Mode::Check : Mode::Serve;
  config.server = toServerConfig(line);
  config.runtime = toRuntimeConfig(line);
  validate(config);
  return config;
}

/// Applies the configuration file path to line, except the options commandLine was given (the command line
/// wins). Unknown keys, bad syntax and bad values throw ConfigError "path:line: reason" (config_apply.cpp).
void applyConfigFile(const std::string& path, const CLI::App& commandLine, CommandLine& line);

/// Parses argv into config. Returns nullopt to go on, or the exit code to exit with now (0 after --help;
/// 1 after an error, reported as one line on err).
inline std::optional<int> parseCommandLine(
    int argc, const char* const* argv, Config& config, std::ostream& out, std::ostream& err)
{
  CLI::App app { "shund: DNS blocklist server (rbldnsd-compatible)", "shund" };
  CommandLine line;
  declareOptions(app, line);
  app.set_version_flag("--version", "shund " + std::string(kVersion));
  try {
    app.parse(argc, argv);
    if (!line.configFile.empty())
      applyConfigFile(line.configFile, app, line);
    config = toConfig(line);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return 0;
  } catch (const CLI::CallForVersion&) {
    out << "shund " << kVersion << '\n';
    return 0;
  } catch (const CLI::ParseError& error) {
    err << "shund: " << error.what() << '\n';
    return 1;
  } catch (const std::exception& error) {
    err << "shund: " << error.what() << '\n';
    return 1;
  }
  return std::nullopt;
}

} // namespace shun::config
