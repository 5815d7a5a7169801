#pragma once

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace shun::testing {

/// Redirects stderr (where shund logs before syslog) into a file for one scope; text() reads it.
class CapturedStderr {
public:
  CapturedStderr()
      : d_path("/tmp/shun-stderr-" + std::to_string(::getpid()) + ".log")
  {
    std::fflush(stderr);
    d_saved = ::dup(2);
    FILE* file = std::fopen(d_path.c_str(), "w");
    ::dup2(::fileno(file), 2);
    std::fclose(file);
  }
  ~CapturedStderr()
  {
    std::fflush(stderr);
    ::dup2(d_saved, 2);
    ::close(d_saved);
    std::remove(d_path.c_str());
  }
  CapturedStderr(const CapturedStderr&) = delete;
  CapturedStderr& operator=(const CapturedStderr&) = delete;

  std::string text() const
  {
    std::fflush(stderr);
    std::ifstream file(d_path);
    std::stringstream content;
    content << file.rdbuf();
    return content.str();
  }

private:
  std::string d_path;
  int d_saved = -1;
};

} // namespace shun::testing
