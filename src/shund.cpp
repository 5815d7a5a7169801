// shund: the DNSBL server. Thin main: command line -> Config -> server::run.
#include "config/command_line.hpp"
#include "shun/server/server.hpp"

#include <iostream>

int main(int argc, char** argv)
{
  shun::config::Config config;
  if (auto code = shun::config::parseCommandLine(argc, argv, config, std::cout, std::cerr))
    return *code;
  return shun::server::run(config);
}
