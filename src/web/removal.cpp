#include "web/removal.hpp"

#include "shun/listing/directives.hpp"

#include <sstream>

namespace shun::web {

ZoneNotes parseZoneNotes(std::string_view text, std::string& error)
{
  ZoneNotes notes;
  std::istringstream in { std::string(text) };
  std::string line;
  for (std::uint32_t number = 1; std::getline(in, line); ++number) {
    listing::Directive directive = listing::parseDirective(line);
    if (directive.kind == listing::Directive::Kind::Code && directive.error.empty()) {
      notes.meanings[directive.code.code] = directive.code.meaning;
      notes.codes[directive.code.code] = directive.code;
    }
    if (directive.kind == listing::Directive::Kind::Contact && directive.error.empty())
      notes.contact = directive.contact;
    if (directive.kind != listing::Directive::Kind::SelfRemoval)
      continue;
    if (!directive.error.empty()) {
      error = "line " + std::to_string(number) + ": " + directive.error;
      notes.policy = {};
      return notes;
    }
    notes.policy = directive.selfRemoval;
  }
  return notes;
}

} // namespace shun::web
