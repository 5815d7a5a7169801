#include "xfr/notifier.hpp"

#include "shun/listing/key.hpp"
#include "shun/wire/message.hpp"
#include "shun/zone/records.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <cstring>
#include <poll.h>
#include <pthread.h>
#include <random>
#include <stdexcept>
#include <unistd.h>
#include <utility>

namespace shun::xfr {

namespace {

constexpr std::uint8_t kOpcodeNotify = 4;

void put16(std::vector<std::uint8_t>& out, std::uint16_t value)
{
  out.push_back(static_cast<std::uint8_t>(value >> 8));
  out.push_back(static_cast<std::uint8_t>(value));
}

// RFC 1996 3.7: opcode NOTIFY, AA, the zone's SOA as the question and (3.7) its current SOA as answer.
std::vector<std::uint8_t> notifyMessage(std::uint16_t id, const store::Zone& zone)
{
  std::vector<std::uint8_t> message;
  put16(message, id);
  put16(message, kOpcodeNotify << 11 | 0x0400);
  for (std::uint16_t count : { 1, 1, 0, 0 })
    put16(message, count);
  message.insert(message.end(), zone.name.begin(), zone.name.end());
  put16(message, wire::dns::kTypeSoa);
  put16(message, wire::dns::kClassIn);
  put16(message, 0xc000 | wire::dns::kHeaderSize);
  put16(message, wire::dns::kTypeSoa);
  put16(message, wire::dns::kClassIn);
  put16(message, static_cast<std::uint16_t>(zone.soa->ttl >> 16));
  put16(message, static_cast<std::uint16_t>(zone.soa->ttl));
  std::string rdata = zone::soaRdata(zone);
  put16(message, static_cast<std::uint16_t>(rdata.size()));
  message.insert(message.end(), rdata.begin(), rdata.end());
  return message;
}

} // namespace

Service::Notifier::Notifier(const std::vector<std::string>& targets, const Access& access, Counters& counters,
    const std::function<void(const std::string&)>& log)
    : d_access(access)
    , d_counters(counters)
    , d_log(log)
    , d_nextId(static_cast<std::uint16_t>(std::random_device {}()))
{
  for (const std::string& text : targets) {
    auto space = text.find_first_of(" \t");
    auto start = text.find_first_not_of(" \t", space);
    if (space == std::string::npos || start == std::string::npos)
      throw std::invalid_argument("notify: expected 'zone address[/port]', got '" + text + "'");
    Target target;
    target.zone = listing::zoneName(text.substr(0, space));
    target.text = text.substr(start);
    std::string address = target.text.substr(0, target.text.find('/'));
    std::string port
        = target.text.find('/') == std::string::npos ? "53" : target.text.substr(target.text.find('/') + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos
        || std::stoul(port) > 65535)
      throw std::invalid_argument("notify: bad port in '" + text + "'");
    auto number = htons(static_cast<std::uint16_t>(std::stoul(port)));
    auto* v4 = reinterpret_cast<sockaddr_in*>(&target.address);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&target.address);
    if (inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
      v4->sin_family = AF_INET;
      v4->sin_port = number;
      target.length = sizeof *v4;
    } else if (inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
      v6->sin6_family = AF_INET6;
      v6->sin6_port = number;
      target.length = sizeof *v6;
    } else {
      throw std::invalid_argument("notify: bad address in '" + text + "'");
    }
    d_targets.push_back(std::move(target));
  }
}

Service::Notifier::~Notifier()
{
  stop();
  for (int fd : { d_socket4, d_socket6 })
    if (fd >= 0)
      ::close(fd);
}

void Service::Notifier::start(std::function<std::shared_ptr<const store::Snapshot>()> current,
    std::function<void(const std::shared_ptr<const store::Snapshot>&)> observe)
{
  if (d_thread.joinable())
    return;
  d_current = std::move(current);
  d_observe = std::move(observe);
  d_thread = std::thread([this] {
    pthread_setname_np(pthread_self(), "shund-notify");
    run();
  });
}

void Service::Notifier::stop()
{
  d_stop.store(true);
  if (d_thread.joinable())
    d_thread.join();
}

int Service::Notifier::socketFor(int family)
{
  int& fd = family == AF_INET ? d_socket4 : d_socket6;
  if (fd < 0)
    fd = ::socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  return fd;
}

void Service::Notifier::run()
{
  while (!d_stop.load()) {
    if (auto snapshot = d_current()) { // a few zones' serials compared: cheap enough every turn
      d_observe(snapshot);
      check(*snapshot);
    }
    sendDue();
    pollfd fds[2];
    nfds_t count = 0;
    for (int fd : { d_socket4, d_socket6 })
      if (fd >= 0)
        fds[count++] = { fd, POLLIN, 0 };
    ::poll(fds, count, kPollMs);
    for (nfds_t i = 0; i < count; ++i)
      if (fds[i].revents & POLLIN)
        receive(fds[i].fd);
  }
}

// Queues a NOTIFY to every target of each zone whose serial differs from the one last told.
void Service::Notifier::check(const store::Snapshot& snapshot)
{
  for (const store::Zone& zone : snapshot.zones) {
    if (!zone.soa)
      continue;
    auto told = std::find_if(
        d_told.begin(), d_told.end(), [&](const auto& entry) { return entry.first == zone.text; });
    if (told != d_told.end() && told->second == zone.soa->serial)
      continue;
    if (told == d_told.end())
      told = d_told.insert(d_told.end(), { zone.text, 0 });
    told->second = zone.soa->serial;
    for (std::size_t index = 0; index < d_targets.size(); ++index)
      if (d_targets[index].zone == zone.text)
        queue(index, zone);
  }
}

// Replaces what is pending for target by a NOTIFY of zone's current serial, signed when the zone has keys
// (RFC 8945: the secondary may require it; its answer is then signed too).
void Service::Notifier::queue(std::size_t target, const store::Zone& zone)
{
  std::erase_if(d_pending, [&](const Pending& pending) { return pending.target == target; });
  Pending pending { target, d_nextId++, {}, nullptr, nullptr, 0, std::chrono::steady_clock::now(), false };
  pending.message = notifyMessage(pending.id, zone);
  const auto& keys = d_access.rules(zone.name).keys;
  if (!keys.empty()) {
    pending.key = &keys.front();
    if (!signRequest(pending.message, *pending.key, pending.mac))
      d_log("NOTIFY for " + zone.text + ": ldns could not sign it with " + pending.key->name);
  }
  d_pending.push_back(std::move(pending));
}

void Service::Notifier::sendDue()
{
  auto now = std::chrono::steady_clock::now();
  for (auto pending = d_pending.begin(); pending != d_pending.end();) {
    const Target& target = d_targets[pending->target];
    if (pending->due > now) {
      ++pending;
      continue;
    }
    if (pending->tries == kTries) {
      d_counters.notifyFailed.fetch_add(1, std::memory_order_relaxed);
      d_log("NOTIFY for " + target.zone + " to " + target.text + " not answered after "
          + std::to_string(kTries) + " tries");
      pending = d_pending.erase(pending);
      continue;
    }
    int fd = socketFor(target.address.ss_family);
    ::sendto(fd, pending->message.data(), pending->message.size(), 0,
        reinterpret_cast<const sockaddr*>(&target.address), target.length);
    d_counters.notifySent.fetch_add(1, std::memory_order_relaxed);
    ++pending->tries;
    pending->due = now + kRetry;
    ++pending;
  }
}

// An answer is the NOTIFY's ID with QR set, from the address it was sent to (RFC 1996 3.8), signed with
// the NOTIFY's key when it was signed (RFC 8945 5.3).
bool Service::Notifier::answers(
    Pending& pending, std::span<const std::uint8_t> answer, const sockaddr_storage& from, socklen_t length)
{
  const Target& target = d_targets[pending.target];
  auto id = static_cast<std::uint16_t>(answer[0] << 8 | answer[1]);
  if (pending.id != id || length != target.length || from.ss_family != target.address.ss_family)
    return false;
  bool sameSender = from.ss_family == AF_INET
      ? std::memcmp(&reinterpret_cast<const sockaddr_in*>(&from)->sin_addr,
            &reinterpret_cast<const sockaddr_in*>(&target.address)->sin_addr, 4)
          == 0
      : std::memcmp(&reinterpret_cast<const sockaddr_in6*>(&from)->sin6_addr,
            &reinterpret_cast<const sockaddr_in6*>(&target.address)->sin6_addr, 16)
          == 0;
  if (!sameSender)
    return false;
  if (pending.mac && !verifyAnswer(answer, *pending.key, pending.mac.get())) {
    if (!std::exchange(pending.warned, true))
      d_log("NOTIFY for " + target.zone + " to " + target.text + ": answer not signed with "
          + pending.key->name + " (rcode " + std::to_string(answer[3] & 15) + "), ignored");
    return false;
  }
  d_counters.notifyAcked.fetch_add(1, std::memory_order_relaxed);
  if ((answer[3] & 15) != 0)
    d_log("NOTIFY for " + target.zone + " to " + target.text + " answered with rcode "
        + std::to_string(answer[3] & 15));
  return true;
}

void Service::Notifier::receive(int fd)
{
  std::uint8_t buffer[1024];
  sockaddr_storage from {};
  for (;;) {
    socklen_t length = sizeof from;
    auto size = ::recvfrom(fd, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr*>(&from), &length);
    if (size < 0)
      return;
    if (size < 12 || !(buffer[0 + 2] & 0x80))
      continue;
    std::span<const std::uint8_t> answer(buffer, static_cast<std::size_t>(size));
    std::erase_if(d_pending, [&](Pending& pending) { return answers(pending, answer, from, length); });
  }
}

} // namespace shun::xfr
