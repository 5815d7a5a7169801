#pragma once

#include "shun/zone/records.hpp"
#include "xfr/tsig.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace shun::xfr {

/// Writes a transfer's answer messages (RFC 5936 2.2): the query's ID, QR and AA; the question in the
/// first message only; owner names compressed against the zone's name written once per message.
class MessageBuilder {
public:
  /// query: the request (its ID and question are copied); zone: absolute lower-case wire name.
  MessageBuilder(
      std::span<const std::uint8_t> query, std::size_t questionEnd, std::string zone, std::size_t limit);
  /// Appends record; false if it does not fit in this message (take() it, then add again).
  bool add(const zone::ZoneRecord& record);
  std::uint16_t count() const noexcept { return d_count; }
  /// The finished message (signed when sign() was called); the next one starts empty (no question).
  std::vector<std::uint8_t> take();
  /// Signs every message from now on (TSIG, RFC 8945 5.3.1).
  void sign(std::shared_ptr<TsigSigner> signer) { d_signer = std::move(signer); }

private:
  void start();
  void putName(std::string_view relative);
  void put16(std::uint16_t value);
  void put32(std::uint32_t value);
  std::vector<std::uint8_t> d_question; ///< header bytes 0..1 (ID) + the question, first message only
  std::uint16_t d_id;
  std::string d_zone;
  std::size_t d_limit;
  std::vector<std::uint8_t> d_message;
  std::size_t d_zoneOffset = 0; ///< where the zone's name is written in this message; 0: not yet
  std::uint16_t d_count = 0;
  bool d_first = true;
  std::shared_ptr<TsigSigner> d_signer;
};

} // namespace shun::xfr
