#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

struct ldns_struct_rdf;

namespace shun::xfr {

/// A TSIG key (RFC 8945) shared with secondaries.
struct TsigKey {
  std::string name; ///< presentation form, lower-case, with the trailing dot
  std::string algorithm; ///< "hmac-sha256." or "hmac-sha512."
  std::string secret; ///< base64, as ldns takes it
};

/// Reads "name algorithm file" (xfr-key): the secret is the first line of file, base64. Throws
/// std::invalid_argument naming what is wrong (unknown algorithm, a file others than its owner may read or
/// write, unreadable file, bad base64).
TsigKey loadTsigKey(const std::string& spec);

/// RFC 8945 error codes in a TSIG RR.
enum class TsigError : std::uint16_t { None = 0, BadSig = 16, BadKey = 17, BadTime = 18, BadTrunc = 22 };

/// What the TSIG of a request says.
struct TsigCheck {
  enum class Outcome { Unsigned, Ok, Error, FormErr };
  Outcome outcome = Outcome::Unsigned;
  TsigError error = TsigError::None;
  const TsigKey* key = nullptr; ///< Ok: the key it was signed with
  std::string why; ///< not Ok: for the log
  std::vector<std::uint8_t> requestTsig; ///< its TSIG RR's owner and RDATA fields, for an error answer
  std::shared_ptr<ldns_struct_rdf> mac; ///< Ok: the request's MAC, which the first answer's digest covers
  std::size_t tsigOffset = 0; ///< where the request's TSIG RR starts (the part before is the query)
};

/// Verifies query's TSIG against keys (RFC 8945 5.2), with the time against now and the fudge (ldns
/// does not check it). Unsigned when it has none.
TsigCheck checkTsig(std::span<const std::uint8_t> query, const std::vector<TsigKey>& keys, std::int64_t now);

/// Appends to an error answer the unsigned TSIG RR that tells the client its error (RFC 8945 5.2.1-5.2.3;
/// BADTIME carries the server's time as its other data), and counts it in ARCOUNT.
void appendTsigError(std::vector<std::uint8_t>& reply, const TsigCheck& check, std::int64_t now);

/// Signs a transfer's messages in order (RFC 8945 5.3.1): the first over the request's MAC, each next
/// over the previous MAC and its TSIG timers. Producer thread.
class TsigSigner {
public:
  TsigSigner(const TsigKey& key, std::shared_ptr<ldns_struct_rdf> requestMac);
  /// Replaces message by its signed form (ldns encodes it again). False if ldns fails.
  bool sign(std::vector<std::uint8_t>& message);

private:
  TsigKey d_key;
  std::shared_ptr<ldns_struct_rdf> d_mac;
  bool d_first = true;
};

/// Signs a request (a NOTIFY) with key (RFC 8945 5.1) and keeps its MAC in mac, which the answer's covers.
/// False (message unchanged) if ldns fails.
bool signRequest(
    std::vector<std::uint8_t>& message, const TsigKey& key, std::shared_ptr<ldns_struct_rdf>& mac);

/// True if answer carries a TSIG that verifies with key over requestMac (RFC 8945 5.3). The time is not
/// checked: the answer came back to the request just sent.
bool verifyAnswer(
    std::span<const std::uint8_t> answer, const TsigKey& key, const ldns_struct_rdf* requestMac);

} // namespace shun::xfr
