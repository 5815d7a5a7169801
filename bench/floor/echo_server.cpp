// The kernel's floor for a UDP DNS server on this machine: it answers every datagram with the datagram
// itself turned into an NXDOMAIN response, with no lookup, no counters and no log, using the same
// receive loop as shund's UDP workers (blocking recvmmsg of up to 64, one sendmmsg). bench/run.py
// --servers shund,rbldnsd,echo measures it beside the real servers, so "server CPU per answer" has a
// lower bound measured in the same run. Not a DNS server: for benchmarks only.
//
// Usage: echo_server ADDRESS/PORT (IPv4); SIGTERM ends it.
#include <arpa/inet.h>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>

namespace {

constexpr unsigned kBatch = 64;
constexpr std::size_t kSize = 4096;

bool parseAddress(const std::string& text, sockaddr_in& address)
{
  auto slash = text.find('/');
  if (slash == std::string::npos)
    return false;
  address = {};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(std::atoi(text.c_str() + slash + 1)));
  return inet_pton(AF_INET, text.substr(0, slash).c_str(), &address.sin_addr) == 1;
}

} // namespace

int main(int argc, char** argv)
{
  sockaddr_in address;
  if (argc != 2 || !parseAddress(argv[1], address)) {
    std::fprintf(stderr, "usage: echo_server ADDRESS/PORT\n");
    return 2;
  }
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    std::perror("echo_server: bind");
    return 1;
  }
  static std::array<std::array<std::uint8_t, kSize>, kBatch> buffers;
  std::array<mmsghdr, kBatch> messages {};
  std::array<iovec, kBatch> iov {};
  std::array<sockaddr_in, kBatch> peers {};
  for (;;) {
    for (unsigned i = 0; i < kBatch; ++i) {
      iov[i] = { buffers[i].data(), kSize };
      messages[i].msg_hdr = {};
      messages[i].msg_hdr.msg_iov = &iov[i];
      messages[i].msg_hdr.msg_iovlen = 1;
      messages[i].msg_hdr.msg_name = &peers[i];
      messages[i].msg_hdr.msg_namelen = sizeof peers[i];
    }
    int received = recvmmsg(fd, messages.data(), kBatch, MSG_WAITFORONE, nullptr);
    if (received <= 0) {
      if (received < 0 && errno != EINTR)
        return 1;
      continue;
    }
    for (int i = 0; i < received; ++i) {
      std::uint8_t* packet = buffers[i].data();
      if (messages[i].msg_len >= 12) {
        packet[2] |= 0x84; // QR, AA
        packet[3] = 3; // NXDOMAIN
      }
      iov[i].iov_len = messages[i].msg_len;
    }
    sendmmsg(fd, messages.data(), static_cast<unsigned>(received), MSG_DONTWAIT);
  }
}
