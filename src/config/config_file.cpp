#include "config/config_file.hpp"

#include "shun/config/error.hpp"

#include <cerrno>
#include <fstream>
#include <string_view>
#include <system_error>

namespace shun::config {
namespace {

constexpr std::string_view kBlank = " \t\r";

std::string_view trim(std::string_view text)
{
  auto first = text.find_first_not_of(kBlank);
  if (first == std::string_view::npos)
    return {};
  return text.substr(first, text.find_last_not_of(kBlank) - first + 1);
}

// Reads a file's lines and turns each "key = value" into values, with the line of each.
class Parser {
public:
  Parser(std::string path, std::istream& in)
      : d_path(std::move(path))
      , d_in(in)
  {
  }

  std::vector<FileEntry> run()
  {
    std::string text;
    while (nextLine(text)) {
      std::string_view line = trim(text);
      if (line.empty() || line.front() == '#' || line.front() == ';')
        continue;
      if (line.front() == '[')
        fail("sections are not supported: keys are shund's long option names");
      auto equals = line.find('=');
      if (equals == std::string_view::npos)
        fail("expected key = value");
      std::string key(trim(line.substr(0, equals)));
      if (key.empty())
        fail("missing key before '='");
      d_rest = std::string(trim(line.substr(equals + 1)));
      value(entry(key));
    }
    return std::move(d_entries);
  }

private:
  bool nextLine(std::string& text)
  {
    if (!std::getline(d_in, text))
      return false;
    ++d_line;
    return true;
  }

  [[noreturn]] void fail(const std::string& reason) const
  {
    throw ConfigError(fileWhere(d_path, d_line) + reason);
  }

  FileEntry& entry(const std::string& key)
  {
    for (FileEntry& entry : d_entries)
      if (entry.key == key)
        return entry;
    return d_entries.emplace_back(FileEntry { key, d_line, {} });
  }

  // The value after '=': a list, a quoted string or a bare word up to a comment.
  void value(FileEntry& entry)
  {
    if (d_rest.empty())
      fail("missing value after '" + entry.key + " ='");
    if (d_rest.front() != '[') {
      entry.values.push_back({ item(false), d_line });
      endOfLine();
      return;
    }
    d_rest.erase(0, 1);
    for (bool first = true;; first = false) {
      if (!skipToItem())
        fail("unterminated list for '" + entry.key + "'");
      if (d_rest.front() == ']')
        break;
      if (!first) {
        if (d_rest.front() != ',')
          fail("expected ',' or ']' in the list for '" + entry.key + "'");
        d_rest.erase(0, 1);
        if (!skipToItem())
          fail("unterminated list for '" + entry.key + "'");
        if (d_rest.front() == ']') // a trailing comma
          break;
      }
      entry.values.push_back({ item(true), d_line });
    }
    d_rest.erase(0, 1);
    endOfLine();
  }

  // Moves past blanks, comments and line ends inside a list; false at the end of the file.
  bool skipToItem()
  {
    for (;;) {
      d_rest = std::string(trim(d_rest));
      if (!d_rest.empty() && d_rest.front() != '#')
        return true;
      if (!nextLine(d_rest))
        return false;
    }
  }

  // One value at the start of d_rest: "double" (with \" and \\), 'single' or bare. A bare value ends at a
  // comment, and in a list also at ',' or ']' (outside a list "zone = a:ip4set:x,y" is one value).
  std::string item(bool inList)
  {
    char quote = d_rest.front();
    if (quote != '"' && quote != '\'') {
      auto end = std::min(d_rest.find_first_of(inList ? ",]#" : "#"), d_rest.size());
      std::string word(trim(std::string_view(d_rest).substr(0, end)));
      if (word.empty())
        fail("missing value");
      d_rest.erase(0, end);
      return word;
    }
    std::string text;
    for (std::size_t at = 1; at < d_rest.size(); ++at) {
      char c = d_rest[at];
      if (c == quote) {
        d_rest.erase(0, at + 1);
        return text;
      }
      if (c == '\\' && quote == '"' && at + 1 < d_rest.size())
        c = d_rest[++at];
      text.push_back(c);
    }
    fail(std::string("missing closing ") + quote);
  }

  void endOfLine()
  {
    std::string_view rest = trim(d_rest);
    if (!rest.empty() && rest.front() != '#' && rest.front() != ';')
      fail("unexpected '" + std::string(rest) + "' after the value");
  }

  std::string d_path;
  std::istream& d_in;
  std::uint32_t d_line = 0;
  std::string d_rest; ///< what is left of the current line
  std::vector<FileEntry> d_entries;
};

} // namespace

std::string fileWhere(const std::string& path, std::uint32_t line)
{
  return path + (line ? ":" + std::to_string(line) : std::string()) + ": ";
}

std::vector<FileEntry> readConfigEntries(const std::string& path)
{
  std::ifstream in(path);
  if (!in)
    throw ConfigError(
        fileWhere(path, 0) + "cannot read the configuration: " + std::generic_category().message(errno));
  return Parser(path, in).run();
}

} // namespace shun::config
