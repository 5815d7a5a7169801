#include "shun/config/config.hpp"

#include "shun/listing/listing.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <charconv>

namespace shun::config {

namespace {

std::uint32_t ttlField(std::string_view field, std::string_view what)
{
  auto seconds = parseDuration(field);
  if (!seconds)
    throw ConfigError("invalid " + std::string(what) + " TTL '" + std::string(field) + "' in -t");
  return *seconds;
}

// A port number or a service name (getaddrinfo resolves it when binding).
bool validPort(std::string_view port)
{
  if (std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    unsigned number = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
    return ec == std::errc {} && number <= 65535;
  }
  return std::all_of(port.begin(), port.end(),
      [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; });
}

} // namespace

std::optional<std::uint32_t> parseDuration(std::string_view text)
{
  return listing::parseTtl(text);
}

void applyTtlSpec(std::string_view text, zone::LoadOptions& options)
{
  std::string_view fields[3];
  std::size_t count = 0;
  for (;;) {
    auto colon = text.find(':');
    if (count == 2 && colon != std::string_view::npos)
      throw ConfigError("invalid -t '" + std::string(text) + "': expected def:min:max");
    fields[count++] = text.substr(0, colon);
    if (colon == std::string_view::npos)
      break;
    text.remove_prefix(colon + 1);
  }
  if (!fields[0].empty())
    options.defaultTtl = ttlField(fields[0], "default");
  if (!fields[1].empty())
    options.minTtl = ttlField(fields[1], "minimum");
  if (!fields[2].empty())
    options.maxTtl = ttlField(fields[2], "maximum");
  if (options.minTtl && options.maxTtl && options.minTtl > options.maxTtl)
    throw ConfigError("invalid -t: minimum TTL is above the maximum");
}

ListenSpec parseListenSpec(std::string_view text, std::string_view option)
{
  auto invalid = [&](std::string_view reason) {
    return ConfigError("invalid " + std::string(option) + " '" + std::string(text)
        + "': " + std::string(reason) + " (expected addr[/port], e.g. 127.0.0.1/5353 or ::1/5353)");
  };
  ListenSpec spec;
  auto slash = text.rfind('/');
  spec.host = std::string(text.substr(0, slash));
  if (slash != std::string_view::npos) {
    spec.port = std::string(text.substr(slash + 1));
    if (spec.port.empty())
      throw invalid("empty port");
    if (!validPort(spec.port))
      throw invalid("the port is not 0 to 65535 or a service name");
  }
  if (spec.host.empty())
    throw invalid("empty address");
  in6_addr ignored {};
  if (spec.host.find(':') != std::string::npos && inet_pton(AF_INET6, spec.host.c_str(), &ignored) != 1)
    throw invalid("not an address or host name (the port follows a '/')");
  return spec;
}

OutputFile parseOutputFile(std::string_view text)
{
  OutputFile file;
  if (!text.empty() && text.front() == '+') {
    file.plus = true;
    text.remove_prefix(1);
  }
  file.path = std::string(text);
  return file;
}

void applyUserSpec(std::string_view text, ServerConfig& config)
{
  auto colon = text.find(':');
  config.user = std::string(text.substr(0, colon));
  config.group = colon == std::string_view::npos ? std::string() : std::string(text.substr(colon + 1));
  if (config.user.empty())
    throw ConfigError("invalid -u '" + std::string(text) + "': empty user");
}

void validate(const Config& config)
{
  if (config.runtime.zones.empty())
    throw ConfigError("no zones given (zone:type:file,...)");
  if (config.mode == Mode::Serve && config.server.listen.empty())
    throw ConfigError("no listen address: use -b addr[/port]");
  if (config.runtime.answer.maxUdpPayload < 512)
    throw ConfigError("--max-udp-size must be at least 512");
  if (config.server.tcpMaxConnections == 0)
    throw ConfigError("--tcp-max-connections must be at least 1");
  if (config.server.tcpMaxPerClient == 0)
    throw ConfigError("--tcp-max-per-client must be at least 1");
  if (config.server.httpMaxConnections == 0)
    throw ConfigError("--http-max-connections must be at least 1");
  if (config.server.tcpIdleTimeout == 0)
    throw ConfigError("--tcp-idle-timeout must be at least 1 second");
  if (config.server.threads > 1024)
    throw ConfigError("--threads must be at most 1024");
  if (config.server.queryLog.path.empty() && config.server.queryLog.plus)
    throw ConfigError("invalid -l: empty file name");
  if (config.server.statsFile.path.empty() && config.server.statsFile.plus)
    throw ConfigError("invalid -s: empty file name");
  checkXfrZones(config);
  for (const std::string& keyed : config.runtime.keyedZones)
    if (std::none_of(config.runtime.zones.begin(), config.runtime.zones.end(),
            [&](const zone::ZoneSpec& spec) { return spec.zone == keyed; }))
      throw ConfigError("--keyed-zone " + keyed + ": not a zone shund serves");
}

} // namespace shun::config
