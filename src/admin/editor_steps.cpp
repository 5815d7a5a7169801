#include "admin/editor_steps.hpp"

#include "admin/safe_file.hpp"

namespace shun::admin {

EditResult rejected(Outcome outcome, std::string reason)
{
  EditResult result;
  result.outcome = outcome;
  result.reason = std::move(reason);
  return result;
}

Outcome gravest(const std::vector<KeyResult>& keys)
{
  auto rank = [](Outcome outcome) {
    switch (outcome) {
    case Outcome::Failed:
      return 4;
    case Outcome::BadArgument:
      return 3;
    case Outcome::Refused:
      return 2;
    case Outcome::NotListed:
      return 1;
    case Outcome::Done:
      break;
    }
    return 0;
  };
  Outcome worst = Outcome::Done;
  for (const KeyResult& key : keys)
    if (rank(key.outcome) > rank(worst))
      worst = key.outcome;
  return worst;
}

std::optional<std::vector<listing::Key>> parseAll(
    const std::vector<std::string>& texts, store::DatasetType type, EditResult& result)
{
  std::vector<listing::Key> keys;
  keys.reserve(texts.size());
  for (const std::string& text : texts) {
    Refusal refusal;
    if (auto key = guardedKey(text, type, refusal))
      keys.push_back(std::move(*key));
    else
      result.keys.push_back({ text, refusal.outcome, refusal.reason, "", 0 });
  }
  if (texts.empty()) {
    result.outcome = Outcome::BadArgument;
    result.reason = "no keys given";
  }
  if (!result.keys.empty())
    result.outcome = gravest(result.keys);
  if (result.outcome != Outcome::Done)
    return std::nullopt;
  return keys;
}

bool guardAll(Writer writer, const std::vector<listing::Key>& keys, const ManagedZone& zone, bool force,
    EditResult& result, const std::vector<std::string>& where)
{
  bool passed = true;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (auto refusal = guardKey(writer, keys[i], zone, force)) {
      result.keys.push_back(
          { keys[i].text, refusal->outcome, refusal->reason, i < where.size() ? where[i] : "", 0 });
      passed = false;
    }
  }
  if (!passed)
    result.outcome = gravest(result.keys);
  return passed;
}

std::vector<std::string> focusOf(const std::vector<listing::Key>& keys, store::DatasetType type)
{
  std::vector<std::string> texts;
  for (const listing::Key& key : keys) {
    texts.push_back(zoneSpelling(key, type));
    texts.push_back(key.text);
    if (key.family == listing::Key::Family::Ip6 && key.length == 128)
      texts.push_back(key.text + "/128"); // how shunctl spelled one IPv6 address before listing::Key
  }
  return texts;
}

void writeChanges(
    const ManagedZone& zone, const std::vector<listing::JournalRecord>& records, const FileOwner& owner)
{
  appendJournal(
      zone.dataFile() + ".journal", zone.journalCommitted(), listing::encodeJournal(records), owner);
  replaceAtomically(zone.dataFile() + ".history", zone.renderHistory(), owner);
}

} // namespace shun::admin
