#pragma once

// Snapshots built directly with the store builders, and DNS messages for the query tests.

#include "shun/query/answer.hpp"
#include "shun/store/snapshot.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shun::testing {

/// "bl.example" -> "\2bl\7example" (relative) or with the root label when absolute is true.
std::string wireName(std::string_view dotted, bool absolute = false);

store::Ip4 ip4(std::string_view dotted);
store::Ip6 ip6(std::string_view text);

/// One entry of a test IP dataset: [first, last] with a priority (prefix length) and a value.
struct IpEntry {
  std::string cidr; ///< "10.0.0.0/8", "127.0.0.2", "2001:db8::/32"
  store::Value value;
  bool exclusion = false;
};

/// One entry of a test dnset: "example.com" or "*.example.com", "!" prefix for an exclusion.
struct NameEntry {
  std::string name;
  store::Value value;
};

/// Builds one dataset with its values finalised.
std::unique_ptr<store::Dataset> ipDataset(store::DatasetType type, const std::vector<IpEntry>& entries,
    std::uint32_t ttl = 0, const std::vector<std::string>& vars = {});
std::unique_ptr<store::Dataset> nameDataset(const std::vector<NameEntry>& entries, std::uint32_t ttl = 0);
/// Records given as (relative dotted owner, type, ttl, rdata bytes).
std::unique_ptr<store::Dataset> genericDataset(
    std::vector<store::GenericRecord> records, std::uint32_t ttl = 0);
/// An acl: entries' values carry the action in Value::a: 0 ignore, 1 refuse, 2 empty, 3 pass, else always.
std::unique_ptr<store::Dataset> aclDataset(const std::vector<IpEntry>& entries);

store::Value listed(std::uint32_t a, std::string txt = {}, bool hasTxt = true);

store::SoaData soa(std::uint32_t ttl = 3600, std::uint32_t minimum = 600);
store::NsData ns(const std::vector<std::string>& dottedNames, std::uint32_t ttl = 86400);

/// Adds a dataset to the snapshot and returns it (the snapshot owns it).
const store::Dataset* own(store::Snapshot& snapshot, std::unique_ptr<store::Dataset> dataset);
/// Adds a zone (keep zones most specific first).
store::Zone& addZone(
    store::Snapshot& snapshot, std::string_view dotted, bool withSoa = true, bool withNs = true);

/// The demo snapshot most query tests use: zone bl.example with SOA and NS, an ip4set, an ip6trie, a dnset
/// below "dn" (combined), a generic dataset; zone other.example with no SOA/NS.
std::shared_ptr<store::Snapshot> demoSnapshot();

/// A query message.
struct QuerySpec {
  QuerySpec(std::string dotted, std::uint16_t qtype = 1, std::uint16_t queryClass = 1)
      : name(std::move(dotted))
      , type(qtype)
      , qclass(queryClass)
  {
  }
  std::string name; ///< dotted, case kept
  std::uint16_t type = 1;
  std::uint16_t qclass = 1;
  std::uint16_t id = 0x1234;
  bool rd = true;
  std::optional<std::uint16_t> ednsSize;
  std::uint8_t ednsVersion = 0;
  bool doBit = false;
};
std::vector<std::uint8_t> makeQuery(const QuerySpec& spec);

/// A response as read back by ldns: flags, rcode and each section as presentation lines.
struct Response {
  bool ok = false;
  std::uint16_t id = 0;
  bool qr = false, aa = false, tc = false, rd = false, ra = false;
  unsigned rcode = 0; ///< extended when an OPT is present
  bool hasOpt = false;
  std::uint16_t optSize = 0;
  std::vector<std::string> question, answer, authority, additional;
};
Response readResponse(const std::uint8_t* data, std::size_t size);

/// Answers spec against snapshot with the fast path.
struct Answered {
  query::Result result;
  std::vector<std::uint8_t> bytes;
  Response response;
};
Answered ask(const store::Snapshot& snapshot, const QuerySpec& spec, std::int64_t now = 1000,
    query::Transport transport = query::Transport::Udp, const query::AnswerOptions& options = {},
    const query::ClientAddress& client = {});

} // namespace shun::testing
