#include "admin/safe_file.hpp"
#include "admin/self_removal.hpp"
#include "shun/admin/commands.hpp"
#include "shun/admin/json.hpp"
#include "shun/listing/listing.hpp"

#include <ostream>

namespace shun::admin {

int listRequests(
    const ZoneTarget& target, const std::string& key, bool json, std::ostream& out, std::ostream& err)
{
  bool first = true;
  if (json)
    out << "[";
  else
    out << "# time key requester outcome\n";
  for (const RemovalRequest& request : parseRequests(readFileOrEmpty(target.dataFile + ".requests"))) {
    if (!key.empty() && request.key != key)
      continue;
    std::string time = listing::formatUtcTime(request.time);
    if (json)
      out << (first ? "" : ",") << "\n  {\"time\":" << jsonString(time)
          << ",\"key\":" << jsonString(request.key) << ",\"requester\":" << jsonString(request.client)
          << ",\"outcome\":" << jsonString(request.outcome) << "}";
    else
      out << time << ' ' << request.key << ' ' << request.client << ' ' << request.outcome << '\n';
    first = false;
  }
  if (json)
    out << (first ? "]\n" : "\n]\n");
  return out ? kOk : kFailed;
}

} // namespace shun::admin
