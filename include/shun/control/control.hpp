#pragma once

// shund's control channel: a UNIX socket (--control PATH) that shunctl asks for status, a reload, or
// whether shund serves what it just wrote. One request line, a reply of "ok" or "error <reason>" on its
// first line and the body after it, then the server closes the connection.
#include "shun/zone/load.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace shun::control {

/// One request line: "status", "status json", "reload [ZONE]", "sync ZONE".
struct Request {
  enum class Command { Status, Reload, Sync }; ///< Sync: warnings if ZONE is not served as written
  Command command = Command::Status;
  bool json = false; ///< status: a JSON body instead of text
  std::string zone; ///< reload (optional), sync (required)
  bool operator==(const Request&) const = default;
};

/// Parses a request line (without its newline). nullopt for anything else.
std::optional<Request> parseRequest(std::string_view line);
/// The request line for request, newline included.
std::string formatRequest(const Request& request);

/// A zone as served now.
struct ZoneStatus {
  std::string zone;
  std::size_t entries = 0;
  std::uint32_t serial = 0;
};

/// One dataset: whether it serves its previous data and how far its journal is applied.
struct DatasetStatus {
  std::string dataset {}; ///< "type:file,file"
  std::vector<std::string> zones {}; ///< the zones it serves
  bool previousData = false; ///< its files have errors: the last good version is served
  std::string journal {}; ///< empty: not managed by shunctl
  std::int64_t journalBytes = 0; ///< on disk now (-1: none)
  std::int64_t appliedBytes = 0; ///< applied by shund
  std::int64_t lag() const { return journalBytes > appliedBytes ? journalBytes - appliedBytes : 0; }
};

/// The last reload that did something (or found errors).
struct ReloadStatus {
  std::int64_t time = 0; ///< unix seconds; 0: none since the start
  std::string trigger {};
  bool published = false; ///< a new snapshot was served
  std::vector<zone::Diagnostic> diagnostics {}; ///< at most kKeptDiagnostics errors and warnings
  std::vector<zone::DatasetReport> datasets {};
};
inline constexpr std::size_t kKeptDiagnostics = 20;

/// Everything `shunctl status` shows.
struct Status {
  std::string version {};
  std::int64_t started = 0; ///< unix seconds
  std::int64_t now = 0;
  std::vector<ZoneStatus> zones {};
  std::vector<DatasetStatus> datasets {};
  ReloadStatus lastReload {};
};

/// The body of "status": aligned text, one zone or dataset a line.
std::string statusText(const Status& status);
/// The body of "status json": one JSON object.
std::string statusJson(const Status& status);
/// Why zone is not served as written: one line per dataset of zone on previous data or whose journal
/// is not applied. Empty: served as written.
std::vector<std::string> servingWarnings(const Status& status, std::string_view zone);

/// What the server side reads; called on the control thread.
struct Sources {
  std::function<Status()> status;
  /// Asks for a reload and waits for it (up to seconds). False: it did not finish in time.
  std::function<bool(double seconds)> reload;
  std::vector<std::string> zones; ///< the configured zone names, to refuse unknown ones
};

/// The reply to one request line ("ok\n" + body, or "error <reason>\n"). sync waits up to syncSeconds for
/// the journals to be applied. Control thread.
std::string answer(std::string_view line, const Sources& sources, double syncSeconds = 1.0);

/// The listening socket and the thread that answers it, one connection at a time.
class Server {
public:
  /// Binds path (a stale socket there is replaced), mode 0660, owned by uid:gid when change. Call before
  /// dropping privileges. Throws config::ConfigError naming the path and errno.
  Server(const std::string& path, bool change, uid_t uid, gid_t gid);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  /// Starts the thread "shund-control".
  void start(Sources sources);
  /// Stops and joins it.
  void stop();

private:
  struct State;
  std::unique_ptr<State> d_state;
};

/// Sends request to the socket at path and returns the reply (whole), or nullopt with error set when no
/// server answers (no socket, refused, timeout after seconds). shunctl.
std::optional<std::string> ask(
    const std::string& path, const Request& request, double seconds, std::string& error);

} // namespace shun::control
