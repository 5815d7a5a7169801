#pragma once

#include "shun/store/snapshot.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace shun::query::detail {

/// How a planned RR's RDATA is produced when it is written.
enum class RdataKind : std::uint8_t {
  Raw, ///< data/length are the RDATA (A, generic records)
  Text, ///< data/length are final text: one character-string
  Template, ///< data/length are a normalised template, key replaces "$" (store::expandTemplate)
  Soa, ///< soa points to the zone's SOA
  Ns, ///< data/length are one absolute wire name
};

/// One RR of the ANSWER section, owned by the question name. Trivial: plans are not zeroed.
struct PlannedRr {
  std::uint16_t type;
  std::uint16_t rrClass;
  std::uint32_t ttl; ///< before the smallest-TTL-per-type rule, which writers apply
  RdataKind kind;
  bool fromValue; ///< an A/TXT of a listed key (counts as "listed")
  std::uint16_t length;
  const void* data;
  const store::SoaData* soa;
  const char* keyData; ///< Template: the text that replaces "$"
  std::uint16_t keyLength;

  std::string_view key() const noexcept { return { keyData, keyLength }; }
};

/// What goes into AUTHORITY, owned by the zone apex.
enum class Authority : std::uint8_t { None, Ns, Soa };

/// What the response is.
enum class Outcome : std::uint8_t {
  Drop, ///< no reply
  HeaderOnly, ///< FORMERR / NOTIMP before a question could be used: header, no sections
  Answer, ///< header, question, sections as planned
};

/// A wire-independent answer: computed once from the snapshot, then written by the hand-written fast
/// writer (answer.cpp) or by the ldns reference writer (tests). Lives on the stack; no allocation.
struct AnswerPlan {
  static constexpr std::size_t kMaxAnswers = 256;
  static constexpr std::size_t kKeyArena = 2048;

  Outcome outcome;
  std::uint16_t rcode; ///< may be extended (BADVERS): the writer splits it between header and OPT
  bool aa;
  bool overflow; ///< more answers than kMaxAnswers: written as TC
  Authority authority;
  const store::Zone* zone;
  std::uint16_t count;
  std::size_t keyUsed;
  store::AccessCheck access; ///< keyed zones: what the key label decided
  const store::AccessKey* accessKey;
  std::uint16_t accessLabel; ///< offset of the key label in the question name
  std::uint8_t refusalA[4]; ///< the 127.255.255.x of an access refusal
  PlannedRr answers[kMaxAnswers];
  char keyArena[kKeyArena]; ///< text that replaces "$" in templates

  /// Sets every scalar field to an empty answer (rcode NOERROR, nothing planned).
  void reset() noexcept
  {
    outcome = Outcome::Answer;
    rcode = 0;
    aa = false;
    overflow = false;
    authority = Authority::None;
    zone = nullptr;
    count = 0;
    keyUsed = 0;
    access = store::AccessCheck::None;
    accessKey = nullptr;
    accessLabel = 0;
  }
  /// Appends an answer; returns nullptr (and sets overflow) when full.
  PlannedRr* add() noexcept
  {
    if (count == kMaxAnswers) {
      overflow = true;
      return nullptr;
    }
    return &answers[count++];
  }
  /// Room for key text of at most length bytes, or nullptr when the arena is full.
  char* keyRoom(std::size_t length) noexcept
  {
    return keyUsed + length <= kKeyArena ? keyArena + keyUsed : nullptr;
  }
  std::string_view commitKey(std::size_t length) noexcept
  {
    std::string_view key(keyArena + keyUsed, length);
    keyUsed += length;
    return key;
  }
  bool listed() const noexcept
  {
    for (std::size_t i = 0; i < count; ++i)
      if (answers[i].fromValue)
        return true;
    return false;
  }
};

} // namespace shun::query::detail
