#include "admin/requests.hpp"

#include "admin/json.hpp"
#include "admin/safe_file.hpp"

#include <ostream>
#include <sstream>

namespace shun::admin {

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
      out << (first ? "" : ",") << "\n  {\"time\":" << jsonString(time)
          << ",\"key\":" << jsonString(requestKey) << ",\"requester\":" << jsonString(client)
          << ",\"outcome\":" << jsonString(outcome) << "}";
    else
      out << time << ' ' << requestKey << ' ' << client << ' ' << outcome << '\n';
    first = false;
  }
  if (json)
    out << (first ? "]\n" : "\n]\n");
  return out ? kOk : kFailed;
}

} // namespace shun::admin
