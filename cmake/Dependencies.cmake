# Every external dependency is found here, from Debian 12 packages (scripts/install-deps).
find_package(PkgConfig REQUIRED)
pkg_check_modules(LDNS REQUIRED IMPORTED_TARGET ldns)
pkg_check_modules(LIBEVENT REQUIRED IMPORTED_TARGET libevent_core libevent_pthreads)
pkg_check_modules(SYSTEMD REQUIRED IMPORTED_TARGET libsystemd) # sd_notify: the unit is Type=notify
find_package(ZLIB REQUIRED)
find_package(Threads REQUIRED)
find_package(CLI11 2.1 CONFIG REQUIRED)
if(SHUN_TESTS)
  find_package(Catch2 2 CONFIG REQUIRED)
endif()
