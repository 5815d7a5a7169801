#include "shun/wire/message.hpp"
#include "shun/xfr/xfr.hpp"
#include "xfr/access.hpp"
#include "xfr/message_builder.hpp"
#include "xfr/notifier.hpp"
#include "xfr/request.hpp"
#include "xfr/stream.hpp"
#include "xfr/transfer.hpp"
#include "xfr/tsig.hpp"
#include "zone/serial.hpp"

#include <arpa/inet.h>
#include <cstring>
#include <ctime>
#include <netinet/in.h>
#include <stdexcept>
#include <sys/eventfd.h>

namespace shun::xfr {

namespace dns = wire::dns;

namespace {

constexpr std::uint8_t kNotAuth = 9; // RFC 2136 2.2

std::string clientText(const sockaddr* client)
{
  char text[INET6_ADDRSTRLEN] = "?";
  if (client->sa_family == AF_INET)
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(client)->sin_addr, text, sizeof text);
  else if (client->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(client)->sin6_addr, text, sizeof text);
  return text;
}

// A header-only error answer (RFC 5936 2.2.1: the question is copied when it could be read).
std::vector<std::uint8_t> errorReply(
    std::span<const std::uint8_t> query, const Request& request, std::uint8_t rcode)
{
  std::vector<std::uint8_t> reply(dns::kHeaderSize, 0);
  if (query.size() >= 2)
    std::memcpy(reply.data(), query.data(), 2);
  reply[2] = static_cast<std::uint8_t>(0x80 | (query.size() > 2 ? query[2] & 0x78 : 0));
  reply[3] = rcode;
  if (request.questionEnd > dns::kHeaderSize && request.questionEnd <= query.size()) {
    reply[5] = 1;
    reply.insert(reply.end(), query.begin() + dns::kHeaderSize, query.begin() + request.questionEnd);
  }
  return reply;
}

} // namespace

Service::Service(Settings settings, std::function<void(const std::string&)> log,
    std::function<void(const std::string&)> info)
    : d_settings(std::move(settings))
    , d_log(std::move(log))
    , d_info(std::move(info))
    , d_access(std::make_unique<const Access>(d_settings))
{
  d_notifier = std::make_unique<Notifier>(d_settings.notify, *d_access, d_counters, d_log);
}

Service::~Service()
{
  d_notifier->stop();
}

bool Service::isTransfer(std::span<const std::uint8_t> query) noexcept
{
  return isTransferQuery(query);
}

bool Service::acquire(const std::string& client)
{
  std::lock_guard lock(d_mutex);
  auto& mine = d_perClient[client];
  if (d_running >= d_settings.maxTransfers || mine >= d_settings.maxPerClient) {
    if (mine == 0)
      d_perClient.erase(client);
    return false;
  }
  ++d_running;
  ++mine;
  return true;
}

void Service::release(const std::string& client)
{
  std::lock_guard lock(d_mutex);
  --d_running;
  if (--d_perClient[client] == 0)
    d_perClient.erase(client);
}

Begin Service::begin(std::span<const std::uint8_t> query, const sockaddr* client,
    std::shared_ptr<const store::Snapshot> snapshot, std::int64_t now)
{
  Request request = parseRequest(query);
  std::string who = clientText(client);
  auto refuse = [&](std::atomic<std::uint64_t>& counter, std::uint8_t rcode, const std::string& why) {
    counter.fetch_add(1, std::memory_order_relaxed);
    d_log("transfer from " + who + " refused: " + why);
    return Begin { errorReply(query, request, rcode), nullptr };
  };
  if (request.status != Request::Status::Ok)
    return refuse(d_counters.malformed, dns::kFormErr, request.why);
  const store::Zone* zone = snapshot ? snapshot->findZone(request.zone) : nullptr;
  if (!zone || zone->name != request.zone)
    return refuse(d_counters.notAuth, kNotAuth, "not a zone served here");
  const ZoneRules& rules = d_access->rules(zone->name);
  if (!rules.allows(client))
    return refuse(d_counters.refused, dns::kRefused, zone->text + ": address not in xfr-allow");
  if (!zone->soa)
    return refuse(d_counters.malformed, dns::kServFail, zone->text + " has no $SOA to transfer");
  TsigCheck tsig;
  if (auto answered = checkSignature(query, request, rules.keys, who, now, tsig))
    return std::move(*answered);
  MessageBuilder builder(query, request.questionEnd, zone->name, d_settings.messageSize);
  if (tsig.outcome == TsigCheck::Outcome::Ok)
    builder.sign(std::make_shared<TsigSigner>(*tsig.key, tsig.mac));
  bool ixfr = request.qtype == dns::kTypeIxfr;
  if (ixfr && !zone::serialGreater(zone->soa->serial, *request.clientSerial)) {
    d_counters.ixfrCurrent.fetch_add(1, std::memory_order_relaxed);
    std::string soa = zone::soaRdata(*zone);
    builder.add({ "", dns::kTypeSoa, zone->soa->ttl, zone->soa->ttl, soa, false });
    return Begin { builder.take(), nullptr };
  }
  if (!acquire(who))
    return refuse(d_counters.overLimit, dns::kRefused, zone->text + ": too many transfers running");
  return stream(*zone, request, std::move(builder), std::move(snapshot), who, now);
}

// RFC 8945 5.2: where keys are configured a request must be signed with one; a bad signature is answered
// NOTAUTH with the TSIG error, unsigned. nullopt: go on (signed, or no keys and unsigned).
std::optional<Begin> Service::checkSignature(std::span<const std::uint8_t> query, const Request& request,
    const std::vector<TsigKey>& keys, const std::string& who, std::int64_t now, TsigCheck& check)
{
  check = checkTsig(query, keys, now);
  auto refuse = [&](std::atomic<std::uint64_t>& counter, std::uint8_t rcode, const std::string& why) {
    counter.fetch_add(1, std::memory_order_relaxed);
    d_log("transfer from " + who + " refused: " + why);
    auto reply = errorReply(query, request, rcode);
    if (check.outcome == TsigCheck::Outcome::Error)
      appendTsigError(reply, check, now);
    return Begin { std::move(reply), nullptr };
  };
  switch (check.outcome) {
  case TsigCheck::Outcome::FormErr:
    return refuse(d_counters.malformed, dns::kFormErr, check.why);
  case TsigCheck::Outcome::Error:
    return refuse(d_counters.tsigErrors, kNotAuth, check.why);
  case TsigCheck::Outcome::Unsigned:
    if (!keys.empty())
      return refuse(d_counters.tsigMissing, dns::kRefused, "not signed (TSIG) with an xfr-key");
    return std::nullopt;
  case TsigCheck::Outcome::Ok:
    return std::nullopt;
  }
  return std::nullopt;
}

// Starts the thread that builds a transfer's messages: the differences when the kept changes reach the
// client's serial (IXFR), else the whole zone.
Begin Service::stream(const store::Zone& zone, const Request& request, MessageBuilder builder,
    std::shared_ptr<const store::Snapshot> snapshot, const std::string& who, std::int64_t now)
{
  bool ixfr = request.qtype == dns::kTypeIxfr;
  auto changes
      = ixfr ? changesSince(zone, *request.clientSerial) : std::vector<std::shared_ptr<const Change>> {};
  (ixfr ? (changes.empty() ? d_counters.ixfrFull : d_counters.ixfr) : d_counters.axfr)
      .fetch_add(1, std::memory_order_relaxed);
  if (d_info)
    d_info(std::string(ixfr ? "IXFR" : "AXFR") + " of " + zone.text + " to " + who + ": "
        + (changes.empty() ? "the whole zone" : std::to_string(changes.size()) + " change(s)")
        + (ixfr ? " from serial " + std::to_string(*request.clientSerial) : std::string()) + " to serial "
        + std::to_string(zone.soa->serial));
  auto state = std::make_shared<Transfer::State>();
  state->service = this;
  state->client = who;
  state->wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  std::unique_ptr<Transfer> transfer(new Transfer(state));
  if (!changes.empty())
    state->thread = std::thread(produceIxfr, std::ref(*state), std::move(snapshot), std::cref(zone),
        std::move(changes), std::move(builder), std::ref(d_counters));
  else
    state->thread = std::thread(produceAxfr, std::ref(*state), std::move(snapshot), std::cref(zone),
        std::move(builder), now, std::ref(d_counters));
  return Begin { {}, std::move(transfer) };
}

bool Service::maySign(std::span<const std::uint8_t> query, std::uint16_t qtype) const noexcept
{
  return d_access->anyKeys() && query.size() > dns::kHeaderSize && (query[10] | query[11]) != 0
      && (qtype == dns::kTypeSoa || qtype == dns::kTypeIxfr);
}

std::size_t Service::signAnswer(
    std::span<const std::uint8_t> query, std::span<std::uint8_t> out, std::size_t length, std::int64_t now)
{
  Request request = parseRequest(query);
  const ZoneRules& rules = d_access->rulesAbove(request.zone);
  TsigCheck check = checkTsig(query, rules.keys, now);
  std::vector<std::uint8_t> answer(out.begin(), out.begin() + static_cast<long>(length));
  if (check.outcome == TsigCheck::Outcome::Ok) {
    if (!TsigSigner(*check.key, check.mac).sign(answer))
      return length;
  } else if (check.outcome == TsigCheck::Outcome::Error) {
    d_counters.tsigErrors.fetch_add(1, std::memory_order_relaxed);
    d_log("signed query refused: " + check.why);
    answer = errorReply(query, request, kNotAuth);
    appendTsigError(answer, check, now);
  } else {
    return length;
  }
  if (answer.size() > out.size())
    return length;
  std::copy(answer.begin(), answer.end(), out.begin());
  return answer.size();
}

void Service::watch(std::function<std::shared_ptr<const store::Snapshot>()> current)
{
  // With no secondary to tell and nobody allowed to transfer, no difference is ever asked for: no thread
  // waking every kPollMs.
  if (!d_access->anyAllowed() && d_settings.notify.empty())
    return;
  d_notifier->start(std::move(current), [this](const std::shared_ptr<const store::Snapshot>& snapshot) {
    observe(snapshot, static_cast<std::int64_t>(std::time(nullptr)));
  });
}

std::string Counters::prometheus() const
{
  std::string text;
  auto line = [&](const char* name, const char* help, const std::atomic<std::uint64_t>& value) {
    text += std::string("# HELP shun_xfr_") + name + "_total " + help + "\n# TYPE shun_xfr_" + name
        + "_total counter\nshun_xfr_" + name + "_total " + std::to_string(value.load()) + "\n";
  };
  line("axfr", "AXFR requests answered with the zone", axfr);
  line("ixfr", "IXFR requests answered with the differences", ixfr);
  line("ixfr_full", "IXFR requests answered with the whole zone", ixfrFull);
  line("ixfr_current", "IXFR requests from a current client (single SOA)", ixfrCurrent);
  line("refused", "transfer requests from addresses outside xfr-allow", refused);
  line("notauth", "transfer requests for zones not served", notAuth);
  line("over_limit", "transfer requests refused because too many were running", overLimit);
  line("malformed", "malformed transfer requests (FORMERR) and zones without SOA", malformed);
  line("tsig_errors", "transfer requests answered BADKEY, BADSIG, BADTIME or BADTRUNC", tsigErrors);
  line("tsig_missing", "unsigned transfer requests refused where xfr-key is set", tsigMissing);
  line("completed", "transfers whose last message was built", completed);
  line("records", "records sent in transfers", records);
  line("messages", "messages sent in transfers", messages);
  line("notify_sent", "NOTIFY messages sent, retries included", notifySent);
  line("notify_acked", "NOTIFY messages answered by the secondary", notifyAcked);
  line("notify_failed", "NOTIFY given up after the last retry", notifyFailed);
  return text;
}

} // namespace shun::xfr
