#include "shun/listing/directives.hpp"

#include <algorithm>
#include <charconv>
#include <vector>

namespace shun::listing {
namespace {

std::string_view trimmed(std::string_view text)
{
  auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos)
    return {};
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

std::vector<std::string_view> words(std::string_view text)
{
  std::vector<std::string_view> out;
  for (text = trimmed(text); !text.empty(); text = trimmed(text)) {
    auto end = text.find_first_of(" \t\r");
    out.push_back(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view {} : text.substr(end);
  }
  return out;
}

std::optional<std::uint64_t> number(std::string_view text)
{
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    return std::nullopt;
  return value;
}

// "default=7d window=30d factor=2 max=90d", any subset; "default=0" disables expiry by default.
void parsePolicy(std::string_view text, Directive& directive)
{
  for (std::string_view word : words(text)) {
    auto equals = word.find('=');
    std::string_view name = word.substr(0, equals),
                     value = equals == std::string_view::npos ? std::string_view {} : word.substr(equals + 1);
    auto seconds = parseDuration(value, BareTail::Refused); // "0" is allowed here
    auto count = number(value);
    if (name == "factor" && count && *count < 1000000)
      directive.policy.factor = static_cast<std::int64_t>(*count);
    else if (name == "default" && seconds)
      directive.policy.defaultDuration = *seconds;
    else if (name == "window" && seconds)
      directive.policy.window = *seconds;
    else if (name == "max" && seconds)
      directive.policy.maxDuration = *seconds;
    else
      return void(directive.error = "bad #@policy setting \"" + std::string(word) + "\"");
  }
}

// "KEY reason=\"why\"" (the reason is optional and runs to the end of the line).
void parseProtect(std::string_view text, Directive& directive)
{
  text = trimmed(text);
  std::string_view keyText = text.substr(0, text.find_first_of(" \t"));
  std::string error;
  auto key = parseKey(keyText, error);
  if (!key)
    return void(directive.error = "#@protect: " + error);
  directive.protect.key = *key;
  auto reasonAt = text.find("reason=");
  std::string_view reason = reasonAt == std::string_view::npos ? "" : trimmed(text.substr(reasonAt + 7));
  if (reason.size() >= 2 && reason.front() == '"' && reason.back() == '"')
    reason = reason.substr(1, reason.size() - 2);
  directive.protect.reason = std::string(reason);
}

bool applySelfRemovalField(std::string_view field, SelfRemovalPolicy& policy)
{
  auto eq = field.find('=');
  if (eq == std::string_view::npos)
    return false;
  auto name = field.substr(0, eq), value = field.substr(eq + 1);
  if (name == "allowed") {
    policy.allowed = value == "yes" || value == "true" || value == "1";
    return policy.allowed || value == "no" || value == "false" || value == "0";
  }
  if (name == "max" || name == "budget") {
    auto count = number(value);
    if (!count || *count > 1000000)
      return false;
    (name == "max" ? policy.max : policy.budget) = static_cast<std::uint32_t>(*count);
    return true;
  }
  auto seconds = parseDuration(value, BareTail::Refused); // "0": no period, no cooldown
  if (!seconds || (name != "per" && name != "cooldown"))
    return false;
  (name == "per" ? policy.period : policy.cooldown) = *seconds;
  return true;
}

void parseSelfRemoval(std::string_view text, Directive& directive)
{
  for (std::string_view field : words(text))
    if (!applySelfRemovalField(field, directive.selfRemoval))
      return void(directive.error = "bad #@selfremoval field '" + std::string(field) + "'");
}

bool isCodeField(std::string_view name)
{
  return name == "help" || name == "help.en" || name == "help.ja" || name == "meaning.en"
      || name == "meaning.ja";
}

// Where the first ` name="` field begins in text (npos: none).
std::size_t firstField(std::string_view text)
{
  for (std::size_t at = text.find('='); at != std::string_view::npos; at = text.find('=', at + 1)) {
    std::size_t start = text.find_last_of(" \t", at);
    start = start == std::string_view::npos ? 0 : start + 1;
    if (at + 1 < text.size() && text[at + 1] == '"' && isCodeField(text.substr(start, at - start)))
      return start;
  }
  return std::string_view::npos;
}

// name="text" fields; \" and \\ escape a quote and a backslash.
void parseCodeFields(std::string_view text, Directive& directive)
{
  for (text = trimmed(text); !text.empty(); text = trimmed(text)) {
    auto equals = text.find("=\"");
    std::string name(text.substr(0, equals));
    if (equals == std::string_view::npos || !isCodeField(name))
      return void(directive.error = "#@code: bad field '" + std::string(text.substr(0, 40)) + "'");
    std::string value;
    std::size_t i = equals + 2;
    for (; i < text.size() && text[i] != '"'; ++i)
      value += text[i] == '\\' && i + 1 < text.size() ? text[++i] : text[i];
    if (i >= text.size())
      return void(directive.error = "#@code: " + name + "= lacks its closing quote");
    directive.code.texts[name] = value;
    text = text.substr(i + 1);
  }
}

// "127.0.0.3 Spam source help=\"...\"": the code, its meaning up to the first field, then the fields.
void parseCode(std::string_view text, Directive& directive)
{
  text = trimmed(text);
  auto end = text.find_first_of(" \t");
  std::string_view rest = end == std::string_view::npos ? "" : trimmed(text.substr(end));
  std::size_t fields = firstField(rest);
  std::string_view meaning = trimmed(rest.substr(0, fields));
  if (meaning.empty())
    return void(directive.error = "#@code wants a code and its meaning");
  std::string error;
  auto code = parseKey(text.substr(0, end), error, kLookupKeys);
  if (!code || code->family != Key::Family::Ip4)
    return void(directive.error = "#@code: '" + std::string(text.substr(0, std::min<std::size_t>(end, 40)))
            + "' is not an answer code (an IPv4 address such as 127.0.0.2)");
  directive.code.code = code->text;
  directive.code.meaning = std::string(meaning);
  if (fields != std::string_view::npos)
    parseCodeFields(rest.substr(fields), directive);
}

// An e-mail address or an http(s) URL, one word: the page shows it as a link.
void parseContact(std::string_view text, Directive& directive)
{
  text = trimmed(text);
  bool url = text.starts_with("https://") || text.starts_with("http://");
  auto at = text.find('@');
  bool mail = !url && at != std::string_view::npos && at > 0 && text.find('.', at) != std::string_view::npos;
  if (text.find_first_of(" \t\"<>") != std::string_view::npos || (!url && !mail))
    return void(directive.error = "#@contact wants an e-mail address or an http(s) URL");
  directive.contact = std::string(text);
}

} // namespace

Directive parseDirective(std::string_view line)
{
  Directive directive;
  line = trimmed(line);
  if (!line.starts_with("#@"))
    return directive;
  std::string_view rest = line.substr(2);
  std::string_view word = rest.substr(0, rest.find_first_of(" \t"));
  std::string_view body = rest.substr(word.size());
  if (word.empty() && !rest.empty()) {
    directive.kind = Directive::Kind::Metadata;
    auto listing = parseMetadata(rest, directive.error);
    if (listing)
      directive.metadata = std::move(*listing);
  } else if (word == "policy") {
    directive.kind = Directive::Kind::Policy;
    parsePolicy(body, directive);
  } else if (word == "protect") {
    directive.kind = Directive::Kind::Protect;
    parseProtect(body, directive);
  } else if (word == "selfremoval") {
    directive.kind = Directive::Kind::SelfRemoval;
    parseSelfRemoval(body, directive);
  } else if (word == "code") {
    directive.kind = Directive::Kind::Code;
    parseCode(body, directive);
  } else if (word == "contact") {
    directive.kind = Directive::Kind::Contact;
    parseContact(body, directive);
  }
  return directive;
}

} // namespace shun::listing
