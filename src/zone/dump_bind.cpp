#include "shun/zone/load.hpp"
#include "shun/zone/records.hpp"
#include "zone/text.hpp"

#include <cstdio>

// BIND master-format dump, as "rbldnsd -d": the records zone transfers send (zone_records.cpp), written
// as text.
namespace shun::zone {
namespace {

std::string quoted(std::string_view text)
{
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < ' ' || c >= 0x7f) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\%03u", c);
      out += escape;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out + "\"";
}

unsigned byteAt(std::string_view rdata, std::size_t i)
{
  return static_cast<unsigned char>(rdata[i]);
}

std::uint32_t number32(std::string_view rdata, std::size_t at)
{
  return byteAt(rdata, at) << 24 | byteAt(rdata, at + 1) << 16 | byteAt(rdata, at + 2) << 8
      | byteAt(rdata, at + 3);
}

// An absolute wire name (with its root label) at rdata[at], as "name."; at moves past it.
std::string absoluteName(std::string_view rdata, std::size_t& at)
{
  std::size_t start = at;
  while (at < rdata.size() && rdata[at] != 0)
    at += 1 + byteAt(rdata, at);
  std::string text = wireToText(rdata.substr(start, std::min(at, rdata.size()) - start)) + ".";
  ++at;
  return text;
}

std::string soaText(std::string_view rdata)
{
  std::size_t at = 0;
  std::string mname = absoluteName(rdata, at);
  std::string rname = absoluteName(rdata, at);
  std::string text = mname + "\t" + rname + "\t(";
  for (int field = 0; field < 5 && at + 4 <= rdata.size(); ++field, at += 4)
    text += (field ? " " : "") + std::to_string(number32(rdata, at));
  return text + ")";
}

std::string txtText(std::string_view rdata)
{
  std::string text;
  for (std::size_t at = 0; at < rdata.size(); at += 1 + byteAt(rdata, at))
    text += (text.empty() ? "" : " ") + quoted(rdata.substr(at + 1, byteAt(rdata, at)));
  return text;
}

std::string aaaaText(std::string_view rdata)
{
  std::string text;
  for (std::size_t group = 0; group < 8; ++group) {
    char part[8];
    std::snprintf(part, sizeof part, group ? ":%x" : "%x",
        byteAt(rdata, 2 * group) << 8 | byteAt(rdata, 2 * group + 1));
    text += part;
  }
  return text;
}

// "TYPE\tRDATA" in presentation form; RFC 3597's generic form for the types shun does not write itself.
std::string typeAndData(std::uint16_t type, std::string_view rdata)
{
  std::size_t at = 0;
  if (type == 1 && rdata.size() == 4)
    return "A\t" + std::to_string(byteAt(rdata, 0)) + "." + std::to_string(byteAt(rdata, 1)) + "."
        + std::to_string(byteAt(rdata, 2)) + "." + std::to_string(byteAt(rdata, 3));
  if (type == 2)
    return "NS\t" + absoluteName(rdata, at);
  if (type == 5)
    return "CNAME\t" + absoluteName(rdata, at);
  if (type == 6)
    return "SOA\t" + soaText(rdata);
  if (type == 16 && !rdata.empty())
    return "TXT\t" + txtText(rdata);
  if (type == 15 && rdata.size() > 2) {
    at = 2;
    return "MX\t" + std::to_string(byteAt(rdata, 0) << 8 | byteAt(rdata, 1)) + "\t" + absoluteName(rdata, at);
  }
  if (type == 28 && rdata.size() == 16)
    return "AAAA\t" + aaaaText(rdata);
  std::string text = "TYPE" + std::to_string(type) + "\t\\# " + std::to_string(rdata.size()) + " ";
  for (unsigned char c : rdata) {
    char hex[4];
    std::snprintf(hex, sizeof hex, "%02x", c);
    text += hex;
  }
  return text;
}

class TextWriter : public RecordVisitor {
public:
  explicit TextWriter(std::ostream& out)
      : d_out(out)
  {
  }
  void dataset(const store::Dataset& dataset, bool expired) override
  {
    if (expired)
      d_out << "; " << dataset.spec << ": expired by $TIMESTAMP, not served\n";
    else
      d_out << "$TTL " << dataset.ttl << '\n';
  }
  void record(const ZoneRecord& record) override
  {
    if (!record.continued)
      d_out << (record.owner.empty() ? "@" : wireToText(record.owner));
    d_out << '\t';
    if (record.ownTtl)
      d_out << record.ownTtl << '\t';
    d_out << typeAndData(record.type, record.rdata) << '\n';
  }

private:
  std::ostream& d_out;
};

} // namespace

void dumpBind(const store::Snapshot& snapshot, std::ostream& out, std::int64_t now)
{
  TextWriter writer(out);
  for (const store::Zone& zone : snapshot.zones) {
    out << "$ORIGIN\t" << zone.text << ".\n";
    forEachRecord(zone, now, writer);
  }
}

} // namespace shun::zone
