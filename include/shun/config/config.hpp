#pragma once

#include "shun/config/error.hpp"
#include "shun/query/answer.hpp"
#include "shun/rrl/rrl.hpp"
#include "shun/xfr/settings.hpp"
#include "shun/zone/load.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shun::config {

/// One "-b addr[/port]" argument: a host (literal or name) and a port (number or service name).
struct ListenSpec {
  std::string host;
  std::string port = "53";
  bool operator==(const ListenSpec&) const = default;
};

/// What shund does after reading its configuration.
enum class Mode { Serve, Dump, Check };

/// Address families allowed for "-b" host names (-4 / -6).
enum class Family { Any, V4, V6 };

/// A file option with rbldnsd's "+" prefix: "+file" means unbuffered (query log) or deltas (stats).
struct OutputFile {
  std::string path; ///< empty: off; "-": standard output
  bool plus = false;
};

/// Settings fixed for the life of the process (sockets, identity, threads).
struct ServerConfig {
  std::vector<ListenSpec> listen;
  Family family = Family::Any;
  bool foreground = false; ///< -n
  std::string user; ///< -u user[:group]; empty: default when root
  std::string group;
  std::string chroot; ///< -r
  std::string workdir; ///< -w
  std::string stateDirectory; ///< --state-dir: the zones' serial files; empty: beside their data
  std::string pidfile; ///< -p
  unsigned threads = 0; ///< 0: one per core
  std::uint32_t tcpIdleTimeout = 10; ///< seconds
  std::uint32_t tcpMaxConnections = 1024; ///< open TCP connections, all workers together
  std::uint32_t tcpMaxPerClient = 16; ///< open TCP connections from one address
  std::uint32_t httpMaxConnections = 256; ///< open connections to the --http page
  std::uint32_t checkInterval = 60; ///< -c, seconds; 0: no timer
  OutputFile queryLog; ///< -l
  OutputFile statsFile; ///< -s
  bool quickStart = false; ///< -q
  std::string syslogFacility = "daemon"; ///< -F
  std::optional<ListenSpec> http; ///< --http: the lookup/removal page and /metrics; off when unset
  xfr::Settings xfr; ///< --xfr-allow, --notify, --xfr-max-transfers, --xfr-max-per-client
  std::string control; ///< --control: the control socket's path (shunctl status, reload); empty: off
  rrl::Settings rrl; ///< --rrl and --rrl-*: response rate limiting over UDP (off by default)
  bool cookies = true; ///< DNS cookies (RFC 7873) answered; --no-cookies: COOKIE options ignored
  std::string cookieSecretFile; ///< --cookie-secret: shared secrets (anycast); empty: a random one
};

/// Settings a reload may read again: zones and how to load and answer them.
struct RuntimeConfig {
  std::vector<zone::ZoneSpec> zones;
  zone::LoadOptions load;
  query::AnswerOptions answer;
  std::vector<std::string> keyedZones; ///< --keyed-zone: zones queried as "<ip>.<key>.<zone>"
  std::string keyFile; ///< --key-file: their access keys (default: access.keys beside the first one's data)
};

/// "refused" (0) or "127.255.255.N" (N, 1-255): how --key-refusal answers a refused access key. Throws
/// ConfigError.
std::uint8_t parseKeyRefusal(std::string_view text);

/// Everything shund was told on its command line and configuration file.
struct Config {
  Mode mode = Mode::Serve;
  ServerConfig server;
  RuntimeConfig runtime;
};

/// Seconds from "30", "35m", "1h30m", "2d", "1w" (units s m h d w, summed). nullopt if malformed or
/// larger than 2^31-1.
std::optional<std::uint32_t> parseDuration(std::string_view text);

/// Applies "-t def:min:max" (any field may be empty) to options. Throws ConfigError naming the
/// bad field.
void applyTtlSpec(std::string_view text, zone::LoadOptions& options);

/// Parses "-b addr[/port]" (or --http, named by option). Throws ConfigError naming option, for an empty
/// address, a port over 65535, or "host:port".
ListenSpec parseListenSpec(std::string_view text, std::string_view option = "-b");

/// Parses "[+]file".
OutputFile parseOutputFile(std::string_view text);

/// Splits "-u user[:group]" into config. Throws ConfigError if the user is empty.
void applyUserSpec(std::string_view text, ServerConfig& config);

/// shund's configuration file alone, read as `shund --config path` reads it: the same keys, checks and
/// messages. Listen addresses and zones may be missing (shunctl needs only the zones). Throws ConfigError
/// "path:line: reason" for a file that cannot be read, bad syntax, an unknown key or a bad value.
Config readConfigFile(const std::string& path);

/// Sorts --xfr-allow and --xfr-key values into settings: "range" and "name algorithm secret-file" apply to
/// every zone without its own, "zone range" and "zone name algorithm secret-file" to that zone only (a key's
/// form is told by where its algorithm, hmac-sha256 or hmac-sha512, stands). Throws ConfigError naming a
/// malformed value.
void applyXfrAccess(
    const std::vector<std::string>& allow, const std::vector<std::string>& keys, xfr::Settings& settings);

/// Throws ConfigError if an --xfr-allow, --xfr-key or --notify value names a zone not in config's zones.
void checkXfrZones(const Config& config);

/// Checks the finished configuration (listen addresses when serving, at least one zone, sizes).
/// Throws ConfigError with a one-line reason.
void validate(const Config& config);

} // namespace shun::config
