#include "shun/metrics/format.hpp"

#include <cstring>

namespace shun::metrics {

namespace {

// Appends into a fixed buffer; once full it stays failed so the caller drops the line.
class Appender {
public:
  explicit Appender(std::span<char> out)
      : d_out(out)
  {
  }
  void text(std::string_view text) noexcept
  {
    if (text.size() > d_out.size() - d_length) {
      d_failed = true;
      return;
    }
    std::memcpy(d_out.data() + d_length, text.data(), text.size());
    d_length += text.size();
  }
  void number(std::uint64_t value) noexcept
  {
    char digits[24];
    std::size_t count = 0;
    do {
      digits[sizeof digits - ++count] = static_cast<char>('0' + value % 10);
      value /= 10;
    } while (value);
    text({ digits + sizeof digits - count, count });
  }
  void signedNumber(std::int64_t value) noexcept
  {
    if (value < 0) {
      text("-");
      value = -value;
    }
    number(static_cast<std::uint64_t>(value));
  }
  std::size_t length() const noexcept { return d_failed ? 0 : d_length; }

private:
  std::span<char> d_out;
  std::size_t d_length = 0;
  bool d_failed = false;
};

std::size_t nameOrNumber(const char* name, const char* prefix, unsigned value, char* out) noexcept
{
  Appender appender({ out, 16 });
  if (name) {
    appender.text(name);
  } else {
    appender.text(prefix);
    appender.number(value);
  }
  return appender.length();
}

// Presentation form of the question name; false if it runs past the packet or uses compression. The
// label at hideAt (an access key; 0: none) is written as hideAs.
bool appendQname(Appender& appender, std::span<const std::uint8_t> query, std::size_t& at, std::size_t hideAt,
    std::string_view hideAs) noexcept
{
  bool first = true;
  while (at < query.size()) {
    bool hide = at == hideAt && hideAt != 0;
    std::size_t length = query[at++];
    if (length == 0) {
      if (first)
        appender.text(".");
      return true;
    }
    if (length > 63 || at + length > query.size())
      return false;
    if (!first)
      appender.text(".");
    first = false;
    if (hide) {
      appender.text(hideAs);
      at += length;
      continue;
    }
    for (std::size_t index = 0; index < length; ++index) {
      auto byte = query[at + index];
      char plain = static_cast<char>(byte);
      if (byte == '.' || byte == '\\') {
        char escaped[2] = { '\\', plain };
        appender.text({ escaped, 2 });
      } else if (byte > 0x20 && byte < 0x7f) {
        appender.text({ &plain, 1 });
      } else {
        char escaped[4] = { '\\', char('0' + byte / 100), char('0' + byte / 10 % 10), char('0' + byte % 10) };
        appender.text({ escaped, 4 });
      }
    }
    at += length;
  }
  return false;
}

void appendZone(std::string& line, std::string_view name, const ZoneCounters& counters)
{
  line += ' ';
  line += name;
  for (auto value : { counters.queries, counters.ok, counters.nxdomain, counters.bytesIn, counters.bytesOut })
    line += ':' + std::to_string(value);
}

std::string statsSentence(const ZoneCounters& counters)
{
  auto errors = counters.queries - counters.ok - counters.nxdomain;
  return "tot=" + std::to_string(counters.queries) + " ok=" + std::to_string(counters.ok)
      + " nxd=" + std::to_string(counters.nxdomain) + " err=" + std::to_string(errors)
      + " in=" + std::to_string(counters.bytesIn) + " out=" + std::to_string(counters.bytesOut);
}

} // namespace

std::size_t typeName(std::uint16_t type, char* out) noexcept
{
  const char* name = nullptr;
  switch (type) {
  // clang-format off
  case 1: name = "A"; break;      case 2: name = "NS"; break;     case 5: name = "CNAME"; break;
  case 6: name = "SOA"; break;    case 12: name = "PTR"; break;   case 13: name = "HINFO"; break;
  case 15: name = "MX"; break;    case 16: name = "TXT"; break;   case 28: name = "AAAA"; break;
  case 33: name = "SRV"; break;   case 251: name = "IXFR"; break; case 252: name = "AXFR"; break;
  case 253: name = "MAILB"; break; case 254: name = "MAILA"; break; case 255: name = "ANY"; break;
  // clang-format on
  default:
    break;
  }
  return nameOrNumber(name, "type", type, out);
}

std::size_t className(std::uint16_t qclass, char* out) noexcept
{
  const char* name = qclass == 1 ? "IN"
      : qclass == 3              ? "CH"
      : qclass == 4              ? "HS"
      : qclass == 255            ? "ANY"
                                 : nullptr;
  return nameOrNumber(name, "class", qclass, out);
}

std::size_t rcodeName(std::uint8_t rcode, char* out) noexcept
{
  static constexpr const char* kNames[]
      = { "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMPL", "REFUSED" };
  return nameOrNumber(rcode < 6 ? kNames[rcode] : nullptr, "rcode", rcode, out);
}

std::size_t formatQueryLogLine(std::span<char> out, std::int64_t now, std::string_view client,
    std::span<const std::uint8_t> query, const query::Result& result) noexcept
{
  if (result.length == 0 || query.size() < 12)
    return 0; // dropped packets are not logged
  Appender appender(out);
  appender.signedNumber(now);
  appender.text(" ");
  appender.text(client);
  appender.text(" ");
  std::size_t at = 12;
  // An access key never reaches the log: its id stands in its place ("[key:partner1]").
  char hidden[80] = "[key]";
  std::size_t hiddenLength = 5;
  if (result.accessKey && result.accessKey->id.size() <= 64) {
    hidden[4] = ':';
    hiddenLength = 5;
    for (char c : result.accessKey->id)
      hidden[hiddenLength++] = c;
    hidden[hiddenLength++] = ']';
  }
  if (!appendQname(appender, query, at, result.accessLabel, { hidden, hiddenLength })
      || at + 4 > query.size())
    return 0;
  char name[16];
  appender.text(" ");
  appender.text({ name, typeName(static_cast<std::uint16_t>(query[at] << 8 | query[at + 1]), name) });
  appender.text(" ");
  appender.text({ name, className(static_cast<std::uint16_t>(query[at + 2] << 8 | query[at + 3]), name) });
  appender.text(": ");
  appender.text({ name, rcodeName(result.rcode, name) });
  appender.text("/");
  appender.number(result.answerCount);
  appender.text("/");
  appender.number(result.length);
  appender.text("\n");
  return appender.length();
}

std::string formatStatsLine(std::int64_t now, const StatsReport& report)
{
  std::string line = std::to_string(now);
  for (const auto& [name, counters] : report.zones)
    appendZone(line, name, counters);
  appendZone(line, "*", report.total);
  return line + '\n';
}

std::vector<std::string> formatStatsLog(const StatsReport& report, std::int64_t seconds)
{
  std::vector<std::string> lines;
  auto period = std::to_string(seconds);
  for (const auto& [name, counters] : report.zones)
    lines.push_back("stats for " + period + "secs zone " + name + ": " + statsSentence(counters));
  lines.push_back("stats for " + period + "sec: " + statsSentence(report.total));
  return lines;
}

} // namespace shun::metrics
