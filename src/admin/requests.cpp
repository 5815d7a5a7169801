#include "admin/requests.hpp"

#include "admin/safe_file.hpp"

#include <ostream>
#include <sstream>

namespace shun::admin {
namespace {

std::string jsonText(const std::string& text)
{
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += '\\';
    if (static_cast<unsigned char>(c) >= 0x20)
      out += c;
  }
  return out + "\"";
}

} // namespace

int listRequests(
    const ZoneTarget& target, const std::string& key, bool json, std::ostream& out, std::ostream& err)
{
  std::istringstream in(readFileOrEmpty(target.dataFile + ".requests"));
  std::string line;
  bool first = true;
  if (json)
    out << "[";
  else
    out << "# time key requester outcome\n";
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string time, requestKey, client, outcome;
    if (!(fields >> time >> requestKey >> client >> outcome) || (!key.empty() && requestKey != key))
      continue;
    if (json)
      out << (first ? "" : ",") << "\n  {\"time\":" << jsonText(time) << ",\"key\":" << jsonText(requestKey)
          << ",\"requester\":" << jsonText(client) << ",\"outcome\":" << jsonText(outcome) << "}";
    else
      out << time << ' ' << requestKey << ' ' << client << ' ' << outcome << '\n';
    first = false;
  }
  if (json)
    out << (first ? "]\n" : "\n]\n");
  return out ? kOk : kFailed;
}

} // namespace shun::admin
