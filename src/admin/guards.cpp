#include "admin/guards.hpp"

#include "shun/listing/listing.hpp"

namespace shun::admin {
namespace {

// RFC 5782 section 5: every DNSxL lists its positive test point and never lists its negative one, or
// clients (rspamd, Haraka, maddy) disable it. Writers that list must not cover a negative point; writers
// that delist must not touch a positive one. Expire only prunes entries that are no longer served.
struct TestPoint {
  std::string_view key;
  bool mustStayListed;
};
constexpr TestPoint kTestPoints[] = {
  { "127.0.0.2", true },
  { "127.0.0.1", false },
  { "::ffff:7f00:2", true },
  { "::ffff:7f00:1", false },
  { "test", true },
  { "invalid", false },
};

// Which guards each writer gets.
struct WriterGuards {
  Writer writer;
  bool lists; ///< adds entries: negative test points and #@protect apply
  bool delists; ///< removes entries: positive test points apply
};
constexpr WriterGuards kWriters[] = {
  { Writer::Add, true, false },
  { Writer::Import, true, false },
  { Writer::Remove, false, true },
  { Writer::SelfRemoval, false, true },
  { Writer::Expire, false, false },
};

const WriterGuards& guardsOf(Writer writer)
{
  for (const auto& guards : kWriters)
    if (guards.writer == writer)
      return guards;
  return kWriters[0];
}

std::optional<Refusal> testPointGuard(const WriterGuards& guards, const listing::Key& key)
{
  for (const TestPoint& point : kTestPoints) {
    std::string error;
    auto pointKey = listing::parseKey(point.key, error);
    if (!pointKey || !key.overlaps(*pointKey))
      continue;
    if (guards.lists && !point.mustStayListed)
      return Refusal { Outcome::Refused,
        key.text + " would list " + pointKey->text + ", which RFC 5782 says must never be listed" };
    if (guards.delists && point.mustStayListed)
      return Refusal { Outcome::Refused,
        key.text + " covers the RFC 5782 test point " + pointKey->text + ", which must stay listed" };
  }
  return std::nullopt;
}

} // namespace

std::optional<listing::Key> guardedKey(std::string_view text, store::DatasetType type, Refusal& refusal)
{
  std::string error;
  listing::KeyForms forms = listing::kOperatorKeys;
  forms.exclusions = true; // "!192.0.2.7": excepted from a covering entry
  auto key = listing::parseKey(text, error, forms);
  if (!key || !fitsDataset(*key, type, error)) {
    refusal = { Outcome::BadArgument, error };
    return std::nullopt;
  }
  return key;
}

std::optional<Refusal> guardKey(Writer writer, const listing::Key& key, const ManagedZone& zone, bool force)
{
  // Listing an exclusion delists what it carves out: the delisting guards apply, and #@protect does not.
  const WriterGuards& guards
      = key.exclusion && guardsOf(writer).lists ? guardsOf(Writer::Remove) : guardsOf(writer);
  if (auto refusal = testPointGuard(guards, key))
    return refusal;
  if (!guards.lists || force)
    return std::nullopt;
  for (const listing::ProtectedKey& guarded : zone.protectedKeys())
    if (key.overlaps(guarded.key))
      return Refusal { Outcome::Refused,
        key.text + " overlaps protected " + guarded.key.text
            + (guarded.reason.empty() ? "" : " (" + guarded.reason + ")")
            + "; use --force to list it anyway" };
  return std::nullopt;
}

bool coversPositiveTestPoint(const listing::Key& key)
{
  for (const TestPoint& point : kTestPoints) {
    std::string error;
    auto pointKey = listing::parseKey(point.key, error);
    if (point.mustStayListed && pointKey && key.overlaps(*pointKey))
      return true;
  }
  return false;
}

std::optional<Refusal> guardTestPointExpiry(const listing::Key& key, std::int64_t expires)
{
  if (expires == 0 || !coversPositiveTestPoint(key))
    return std::nullopt;
  return Refusal { Outcome::Refused,
    key.text + " covers an RFC 5782 test point that must stay listed: it cannot be listed with an end" };
}

std::optional<Refusal> guardExpiry(std::string_view what, std::int64_t expires, std::int64_t now)
{
  if (expires != 0 && expires <= now)
    return Refusal { Outcome::BadArgument,
      std::string(what) + " " + listing::formatUtcTime(expires) + " is in the past" };
  return std::nullopt;
}

std::optional<Refusal> guardDuration(std::optional<std::int64_t> seconds)
{
  if (seconds && *seconds <= 0)
    return Refusal { Outcome::BadArgument, "duration " + std::to_string(*seconds) + "s is not positive" };
  return std::nullopt;
}

} // namespace shun::admin
