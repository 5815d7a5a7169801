#include "shun/store/value.hpp"

#include <algorithm>
#include <cstring>

namespace shun::store {
namespace {

constexpr std::size_t kMaxTxt = 254; // longest expanded TXT, as rbldnsd (one character-string)

std::string internKey(const Value& value)
{
  std::string key;
  key.reserve(24 + value.txt.size());
  key.append(reinterpret_cast<const char*>(&value.a), sizeof value.a);
  key.push_back(value.hasTxt ? '1' : '0');
  key.append(reinterpret_cast<const char*>(&value.ttl), sizeof value.ttl);
  key.append(reinterpret_cast<const char*>(&value.expires), sizeof value.expires);
  key.append(reinterpret_cast<const char*>(&value.listing), sizeof value.listing);
  key.append(value.txt);
  return key;
}

// Text inserted verbatim into a normalised template: its '$' must stay literal.
void appendLiteral(std::string& out, std::string_view text)
{
  for (char c : text) {
    if (c == '$')
      out.push_back('$');
    out.push_back(c);
  }
}

// Rewrites an rbldnsd template into the normalised form ("$" = key, "$$" = '$'), substituting
// "$0".."$9" and, in a base template, "$=" by baseSlot (already normalised).
std::string normalise(std::string_view raw, const std::vector<std::string>& vars, const std::string* baseSlot)
{
  std::string out;
  out.reserve(raw.size() + 16);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c != '$') {
      out.push_back(c);
      continue;
    }
    char next = i + 1 < raw.size() ? raw[i + 1] : '\0';
    if (next == '$') {
      out += "$$";
      ++i;
    } else if (next >= '0' && next <= '9') {
      auto index = static_cast<std::size_t>(next - '0');
      if (index < vars.size() && !vars[index].empty())
        appendLiteral(out, vars[index]);
      else
        out += std::string("$$") + next; // undefined variables stay literally, as in rbldnsd
      ++i;
    } else if (next == '=' && baseSlot) {
      out += *baseSlot;
      ++i;
    } else {
      out.push_back('$'); // the listed key
    }
  }
  return out;
}

bool hasKeyPlaceholder(std::string_view normalised)
{
  for (std::size_t i = 0; i < normalised.size(); ++i) {
    if (normalised[i] != '$')
      continue;
    if (i + 1 < normalised.size() && normalised[i + 1] == '$')
      ++i;
    else
      return true;
  }
  return false;
}

std::string templateFor(
    const Value& value, const std::vector<std::string>& vars, const std::string& base, bool hasBase)
{
  if (!hasBase)
    return normalise(value.txt, vars, nullptr);
  if (value.hasTxt && !value.txt.empty() && value.txt.front() == '=')
    return normalise(std::string_view(value.txt).substr(1), vars, nullptr);
  std::string slot;
  if (value.hasTxt && !value.txt.empty())
    appendLiteral(slot, value.txt); // inserted verbatim: rbldnsd does not expand '$' inside it
  else
    slot = "$";
  return normalise(base, vars, &slot);
}

} // namespace

ValueId ValueTable::intern(const Value& value)
{
  // An entry's own metadata: no other entry shares it, so no lookup (a batch's keys).
  if (value.listing != 0) {
    d_values.push_back(value);
    return static_cast<ValueId>(d_values.size() - 1);
  }
  auto [it, inserted] = d_index.try_emplace(internKey(value), static_cast<ValueId>(d_values.size()));
  if (inserted)
    d_values.push_back(value);
  return it->second;
}

void ValueTable::finalize(
    const std::vector<std::string>& vars, const std::string& baseTemplate, bool hasBaseTemplate)
{
  d_compiled.clear();
  d_compiled.reserve(d_values.size());
  for (const Value& value : d_values) {
    CompiledValue compiled;
    compiled.aRdata[0] = static_cast<std::uint8_t>(value.a >> 24);
    compiled.aRdata[1] = static_cast<std::uint8_t>(value.a >> 16);
    compiled.aRdata[2] = static_cast<std::uint8_t>(value.a >> 8);
    compiled.aRdata[3] = static_cast<std::uint8_t>(value.a);
    compiled.ttl = value.ttl;
    compiled.expires = value.expires;
    compiled.listing = value.listing;
    compiled.hasTxt = value.hasTxt || hasBaseTemplate;
    if (compiled.hasTxt) {
      std::string normalised = templateFor(value, vars, baseTemplate, hasBaseTemplate);
      compiled.txtHasKey = hasKeyPlaceholder(normalised);
      if (compiled.txtHasKey) {
        compiled.txt = std::move(normalised);
      } else {
        char buffer[kMaxTxt];
        compiled.txt.assign(buffer, expandTemplate(normalised, {}, buffer));
      }
    }
    d_compiled.push_back(std::move(compiled));
  }
  d_index.clear(); // only needed while loading
}

ValueId ValueTable::adopt(const Value& value, const CompiledValue& compiled)
{
  auto [it, inserted] = d_index.try_emplace(internKey(value), static_cast<ValueId>(d_values.size()));
  if (inserted) {
    d_values.push_back(value);
    d_compiled.push_back(compiled);
  }
  return it->second;
}

std::uint32_t ValueSets::intern(std::span<const ValueId> values)
{
  if (values.size() == 1) { // the common set: found by its value, not by a hashed key
    if (values[0] >= d_singles.size())
      d_singles.resize(std::max<std::size_t>(values[0] + 1, 2 * d_singles.size()), kNoSet);
    std::uint32_t& single = d_singles[values[0]];
    if (single == kNoSet) {
      single = static_cast<std::uint32_t>(size());
      d_items.push_back(values[0]);
      d_offsets.push_back(static_cast<std::uint32_t>(d_items.size()));
    }
    return single;
  }
  std::string key(reinterpret_cast<const char*>(values.data()), values.size_bytes());
  auto [it, inserted] = d_index.try_emplace(std::move(key), static_cast<std::uint32_t>(size()));
  if (inserted) {
    d_items.insert(d_items.end(), values.begin(), values.end());
    d_offsets.push_back(static_cast<std::uint32_t>(d_items.size()));
  }
  return it->second;
}

std::size_t expandTemplate(std::string_view normalisedTemplate, std::string_view key, char* out)
{
  std::size_t length = 0;
  auto put = [&](std::string_view text) {
    std::size_t n = std::min(text.size(), kMaxTxt - length);
    std::memcpy(out + length, text.data(), n);
    length += n;
  };
  std::size_t literalStart = 0;
  for (std::size_t i = 0; i < normalisedTemplate.size() && length < kMaxTxt; ++i) {
    if (normalisedTemplate[i] != '$')
      continue;
    put(normalisedTemplate.substr(literalStart, i - literalStart));
    if (i + 1 < normalisedTemplate.size() && normalisedTemplate[i + 1] == '$') {
      put("$");
      ++i;
    } else {
      put(key);
    }
    literalStart = i + 1;
  }
  if (literalStart < normalisedTemplate.size())
    put(normalisedTemplate.substr(literalStart));
  return length;
}

} // namespace shun::store
