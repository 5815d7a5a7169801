#pragma once

#include <stdexcept>

namespace shun::config {

/// A bad option, configuration file or zone spec, or a startup problem not tied to a zone file line.
/// The message is one line; problems in the configuration file start with "file:line: ".
class ConfigError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

} // namespace shun::config
