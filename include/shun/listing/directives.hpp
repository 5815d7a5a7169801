#pragma once

#include "shun/listing/key.hpp"
#include "shun/listing/listing.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace shun::listing {

/// How long a (re)listing lasts ("#@policy default=7d window=30d factor=2 max=90d"): a default duration,
/// multiplied on each relisting within a window, capped.
struct EscalationPolicy {
  std::int64_t defaultDuration = 7 * 86400LL; ///< seconds; 0: listings do not expire unless asked
  std::int64_t window = 30 * 86400LL; ///< a relisting this soon after the last listing escalates
  std::int64_t factor = 2; ///< 1: no escalation
  std::int64_t maxDuration = 90 * 86400LL; ///< cap; 0: no cap
  bool operator==(const EscalationPolicy&) const = default;
};

/// A protected address, range or name ("#@protect 192.0.2.0/24 reason=\"shared relay\""): writers that
/// list refuse keys that overlap it unless forced.
struct ProtectedKey {
  Key key;
  std::string reason;
};

/// Self-removal rules of a zone ("#@selfremoval allowed=yes max=2 per=30d cooldown=1d"). Without such a
/// line self-removal is not allowed.
struct SelfRemovalPolicy {
  bool allowed = false;
  std::uint32_t max = 2; ///< granted self-removals per key per period
  std::int64_t period = 30 * 86400LL; ///< seconds
  std::int64_t cooldown = 0; ///< seconds after a granted removal before the key may self-remove again
  std::uint32_t budget = 20; ///< granted self-removals per zone per hour; more are queued; 0: no budget
  bool operator==(const SelfRemovalPolicy&) const = default;
};

/// What an answer code means and what a listed person should do ("#@code 127.0.0.3 Spam source
/// meaning.ja="..." help="Stop the spam, then ..." help.ja="...").
struct CodeMeaning {
  std::string code;
  std::string meaning; ///< the words before the first name="..." field
  /// help, and per-language variants: "help", "help.en", "help.ja", "meaning.en", "meaning.ja"
  std::map<std::string, std::string> texts;
};

/// One "#@" line of a data file. rbldnsd reads every such line as a comment.
struct Directive {
  enum class Kind {
    None, ///< not a "#@" directive (an entry, a plain comment, or "#@" followed by an unknown word)
    Metadata, ///< "#@ key=value ...": the next entry's Listing
    Policy,
    Protect,
    SelfRemoval,
    Code,
    Contact, ///< "#@contact abuse@example.net" or "#@contact https://example.net/abuse"
  };
  Kind kind = Kind::None;
  std::string error; ///< non-empty: the directive of this kind is malformed (one line, no file context)
  Listing metadata;
  EscalationPolicy policy;
  ProtectedKey protect;
  SelfRemovalPolicy selfRemoval;
  CodeMeaning code;
  std::string contact; ///< an e-mail address or an http(s) URL
};

/// Parses one line (leading blanks allowed) of a data file as a "#@" directive: the one parser of
/// entry metadata, #@policy, #@protect, #@selfremoval, #@code and #@contact.
Directive parseDirective(std::string_view line);

} // namespace shun::listing
