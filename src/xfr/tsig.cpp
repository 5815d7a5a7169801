#include "xfr/tsig.hpp"

#include "xfr/ldns.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <sys/stat.h>

namespace shun::xfr {
namespace {

using PacketPtr = std::unique_ptr<ldns_pkt, decltype(&ldns_pkt_free)>;

std::size_t hashLength(const std::string& algorithm)
{
  return algorithm == "hmac-sha256." ? 32 : algorithm == "hmac-sha512." ? 64 : 0;
}

std::string lowerText(const ldns_rdf* rdf)
{
  char* text = ldns_rdf2str(rdf);
  std::string out = text ? text : "";
  std::free(text);
  for (char& c : out)
    c = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
  return out;
}

std::uint64_t number(const ldns_rdf* rdf)
{
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < ldns_rdf_size(rdf); ++i)
    value = value << 8 | ldns_rdf_data(rdf)[i];
  return value;
}

void put16(std::vector<std::uint8_t>& out, std::uint64_t value)
{
  out.push_back(static_cast<std::uint8_t>(value >> 8));
  out.push_back(static_cast<std::uint8_t>(value));
}

void putRdf(std::vector<std::uint8_t>& out, const ldns_rdf* rdf)
{
  out.insert(out.end(), ldns_rdf_data(rdf), ldns_rdf_data(rdf) + ldns_rdf_size(rdf));
}

TsigCheck error(TsigCheck check, TsigError code, std::string why)
{
  check.outcome = TsigCheck::Outcome::Error;
  check.error = code;
  check.why = std::move(why);
  return check;
}

// The fields an error answer's TSIG repeats: owner, algorithm, time signed, fudge (RFC 8945 5.2).
void keepFields(TsigCheck& check, const ldns_rr* tsig)
{
  putRdf(check.requestTsig, ldns_rr_owner(tsig));
  putRdf(check.requestTsig, ldns_rr_rdf(tsig, 0));
  putRdf(check.requestTsig, ldns_rr_rdf(tsig, 1));
  putRdf(check.requestTsig, ldns_rr_rdf(tsig, 2));
}

} // namespace

TsigKey loadTsigKey(const std::string& spec)
{
  // "name algorithm path": blanks between the words; the path is the rest (it may hold blanks).
  constexpr const char* kBlanks = " \t";
  auto nameStart = spec.find_first_not_of(kBlanks), nameEnd = spec.find_first_of(kBlanks, nameStart);
  auto algorithmStart = spec.find_first_not_of(kBlanks, nameEnd);
  auto algorithmEnd = spec.find_first_of(kBlanks, algorithmStart);
  auto pathStart = spec.find_first_not_of(kBlanks, algorithmEnd);
  if (pathStart == std::string::npos)
    throw std::invalid_argument("xfr-key: expected 'name algorithm secret-file', got '" + spec + "'");
  TsigKey key;
  key.name = spec.substr(nameStart, nameEnd - nameStart);
  key.algorithm = spec.substr(algorithmStart, algorithmEnd - algorithmStart);
  for (std::string* text : { &key.name, &key.algorithm }) {
    for (char& c : *text)
      c = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
    if (text->back() != '.')
      text->push_back('.');
  }
  if (!hashLength(key.algorithm))
    throw std::invalid_argument("xfr-key " + key.name + ": algorithm must be hmac-sha256 or hmac-sha512");
  std::string path = spec.substr(pathStart);
  struct stat status { };
  if (::stat(path.c_str(), &status) == 0 && (status.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    throw std::invalid_argument("xfr-key " + key.name + ": " + path
        + " may be read or written by others than its owner (chmod 600 it, owned by shund's user)");
  std::ifstream file(path);
  if (!file || !std::getline(file, key.secret) || key.secret.empty())
    throw std::invalid_argument("xfr-key " + key.name + ": cannot read a secret from " + path);
  ldns_rdf* decoded = nullptr;
  bool valid = ldns_str2rdf_b64(&decoded, key.secret.c_str()) == LDNS_STATUS_OK;
  ldns_rdf_deep_free(decoded);
  if (!valid)
    throw std::invalid_argument("xfr-key " + key.name + ": the secret in " + path + " is not base64");
  return key;
}

TsigCheck checkTsig(std::span<const std::uint8_t> query, const std::vector<TsigKey>& keys, std::int64_t now)
{
  TsigCheck check;
  ldns_pkt* raw = nullptr;
  if (ldns_wire2pkt(&raw, query.data(), query.size()) != LDNS_STATUS_OK) {
    check.outcome = TsigCheck::Outcome::FormErr;
    check.why = "a request ldns cannot read";
    return check;
  }
  PacketPtr packet(raw, &ldns_pkt_free);
  const ldns_rr* tsig = ldns_pkt_tsig(packet.get());
  if (!tsig)
    return check;
  if (ldns_rr_rd_count(tsig) < 7) {
    check.outcome = TsigCheck::Outcome::FormErr;
    check.why = "a TSIG without its fields";
    return check;
  }
  keepFields(check, tsig);
  std::string name = lowerText(ldns_rr_owner(tsig)), algorithm = lowerText(ldns_rr_rdf(tsig, 0));
  for (const TsigKey& key : keys)
    if (key.name == name && key.algorithm == algorithm)
      check.key = &key;
  if (!check.key)
    return error(std::move(check), TsigError::BadKey, "unknown TSIG key " + name + " (" + algorithm + ")");
  std::size_t macSize = ldns_rdf_size(ldns_rr_rdf(tsig, 3)) - 2, full = hashLength(algorithm);
  if (macSize < std::max<std::size_t>(10, full / 2) || macSize > full) {
    check.outcome = TsigCheck::Outcome::FormErr; // RFC 8945 5.2.2.1
    check.why = "TSIG MAC of " + std::to_string(macSize) + " bytes";
    return check;
  }
  if (macSize < full)
    return error(std::move(check), TsigError::BadTrunc, "truncated TSIG MAC (not accepted)");
  if (!ldns_pkt_tsig_verify(packet.get(), query.data(), query.size(), check.key->name.c_str(),
          check.key->secret.c_str(), nullptr))
    return error(std::move(check), TsigError::BadSig, "TSIG MAC does not verify with key " + name);
  auto signedAt = static_cast<std::int64_t>(number(ldns_rr_rdf(tsig, 1)));
  auto fudge = static_cast<std::int64_t>(number(ldns_rr_rdf(tsig, 2)));
  if (signedAt > now + fudge || signedAt < now - fudge)
    return error(std::move(check), TsigError::BadTime,
        "TSIG time " + std::to_string(signedAt) + " outside " + std::to_string(now) + " +/- "
            + std::to_string(fudge));
  check.outcome = TsigCheck::Outcome::Ok;
  check.mac.reset(ldns_rdf_clone(ldns_rr_rdf(tsig, 3)), &ldns_rdf_deep_free);
  return check;
}

void appendTsigError(std::vector<std::uint8_t>& reply, const TsigCheck& check, std::int64_t now)
{
  if (check.requestTsig.empty() || reply.size() < 12)
    return;
  // The owner, algorithm, time and fudge come from the request; then MAC size 0, ID, error, other data.
  std::size_t ownerEnd = 0;
  while (ownerEnd < check.requestTsig.size() && check.requestTsig[ownerEnd] != 0)
    ownerEnd += 1 + check.requestTsig[ownerEnd];
  ++ownerEnd;
  reply.insert(
      reply.end(), check.requestTsig.begin(), check.requestTsig.begin() + static_cast<long>(ownerEnd));
  put16(reply, LDNS_RR_TYPE_TSIG);
  put16(reply, LDNS_RR_CLASS_ANY);
  reply.insert(reply.end(), 4, 0);
  bool badTime = check.error == TsigError::BadTime;
  std::size_t rdlength = check.requestTsig.size() - ownerEnd + 2 + 2 + 2 + 2 + (badTime ? 6 : 0);
  put16(reply, rdlength);
  reply.insert(reply.end(), check.requestTsig.begin() + static_cast<long>(ownerEnd), check.requestTsig.end());
  put16(reply, 0); // MAC size: unsigned
  reply.push_back(reply[0]); // original ID: the request's, as the answer's
  reply.push_back(reply[1]);
  put16(reply, static_cast<std::uint16_t>(check.error));
  put16(reply, badTime ? 6 : 0);
  if (badTime) {
    put16(reply, static_cast<std::uint64_t>(now) >> 32);
    put16(reply, static_cast<std::uint64_t>(now) >> 16);
    put16(reply, static_cast<std::uint64_t>(now));
  }
  ++reply[11];
}

TsigSigner::TsigSigner(const TsigKey& key, std::shared_ptr<ldns_struct_rdf> requestMac)
    : d_key(key)
    , d_mac(std::move(requestMac))
{
}

bool TsigSigner::sign(std::vector<std::uint8_t>& message)
{
  ldns_pkt* raw = nullptr;
  if (ldns_wire2pkt(&raw, message.data(), message.size()) != LDNS_STATUS_OK)
    return false;
  PacketPtr packet(raw, &ldns_pkt_free);
  if (ldns_pkt_tsig_sign_next(packet.get(), d_key.name.c_str(), d_key.secret.c_str(), 300,
          d_key.algorithm.c_str(), d_mac.get(), d_first ? 0 : 1)
      != LDNS_STATUS_OK)
    return false;
  d_first = false;
  d_mac.reset(ldns_rdf_clone(ldns_rr_rdf(ldns_pkt_tsig(packet.get()), 3)), &ldns_rdf_deep_free);
  std::uint8_t* wire = nullptr;
  std::size_t size = 0;
  if (ldns_pkt2wire(&wire, packet.get(), &size) != LDNS_STATUS_OK)
    return false;
  message.assign(wire, wire + size);
  std::free(wire);
  return true;
}

bool signRequest(
    std::vector<std::uint8_t>& message, const TsigKey& key, std::shared_ptr<ldns_struct_rdf>& mac)
{
  ldns_pkt* raw = nullptr;
  if (ldns_wire2pkt(&raw, message.data(), message.size()) != LDNS_STATUS_OK)
    return false;
  PacketPtr packet(raw, &ldns_pkt_free);
  if (ldns_pkt_tsig_sign(
          packet.get(), key.name.c_str(), key.secret.c_str(), 300, key.algorithm.c_str(), nullptr)
      != LDNS_STATUS_OK)
    return false;
  std::uint8_t* wire = nullptr;
  std::size_t size = 0;
  if (ldns_pkt2wire(&wire, packet.get(), &size) != LDNS_STATUS_OK)
    return false;
  message.assign(wire, wire + size);
  std::free(wire);
  mac.reset(ldns_rdf_clone(ldns_rr_rdf(ldns_pkt_tsig(packet.get()), 3)), &ldns_rdf_deep_free);
  return true;
}

bool verifyAnswer(std::span<const std::uint8_t> answer, const TsigKey& key, const ldns_struct_rdf* requestMac)
{
  ldns_pkt* raw = nullptr;
  if (ldns_wire2pkt(&raw, answer.data(), answer.size()) != LDNS_STATUS_OK)
    return false;
  PacketPtr packet(raw, &ldns_pkt_free);
  return ldns_pkt_tsig(packet.get())
      && ldns_pkt_tsig_verify(
          packet.get(), answer.data(), answer.size(), key.name.c_str(), key.secret.c_str(), requestMac);
}

} // namespace shun::xfr
