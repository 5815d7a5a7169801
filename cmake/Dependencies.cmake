# Every external dependency is found here, from Debian 12 packages (scripts/install-deps).
find_package(PkgConfig REQUIRED)

# Static libraries (Debian's -dev packages ship them), on request: the dynamic loader then resolves and
# relocates only libc's symbols, and only the pages of libcrypto, ldns, libevent and libstdc++ that shund
# uses are linked in. shund's floor (a 5-line zone, VmHWM) falls from 10.0 to 7.6 MiB (README, issue 14).
# Off by default: with shared libraries a security update of OpenSSL or libevent (apt) reaches shund at
# its next restart, without a rebuild. The sanitizer and fuzzing builds always use the shared ones.
option(SHUN_STATIC_DEPS "Link libstdc++, libcrypto, ldns, libevent and zlib statically" OFF)
if(SHUN_STATIC_DEPS AND NOT SHUN_SANITIZE AND NOT SHUN_FUZZ)
  set(OPENSSL_USE_STATIC_LIBS TRUE)
  set(ZLIB_USE_STATIC_LIBS TRUE)
  # Only libstdc++'s used sections; relative relocations packed (DT_RELR), so the loader reads a few KiB
  # of them instead of half a megabyte.
  add_link_options(-static-libstdc++ -static-libgcc LINKER:--gc-sections LINKER:-z,pack-relative-relocs)
endif()
pkg_check_modules(LDNS REQUIRED IMPORTED_TARGET ldns)
pkg_check_modules(LIBEVENT REQUIRED IMPORTED_TARGET libevent_core libevent_pthreads)
find_package(ZLIB REQUIRED)
find_package(OpenSSL REQUIRED) # the web page's form tokens (HMAC-SHA256, random secret)
find_package(Threads REQUIRED)
find_package(CLI11 2.1 CONFIG REQUIRED)
if(SHUN_STATIC_DEPS AND NOT SHUN_SANITIZE AND NOT SHUN_FUZZ)
  find_library(SHUN_LDNS_STATIC libldns.a REQUIRED)
  find_library(SHUN_EVENT_CORE_STATIC libevent_core.a REQUIRED)
  find_library(SHUN_EVENT_PTHREADS_STATIC libevent_pthreads.a REQUIRED)
  # libcrypto named again after libldns.a (the target alone may be placed before it, and an archive only
  # resolves what precedes it).
  set_property(TARGET PkgConfig::LDNS PROPERTY INTERFACE_LINK_LIBRARIES ${SHUN_LDNS_STATIC} ${OPENSSL_CRYPTO_LIBRARY}
                                                  Threads::Threads ${CMAKE_DL_LIBS})
  set_property(TARGET PkgConfig::LIBEVENT PROPERTY INTERFACE_LINK_LIBRARIES ${SHUN_EVENT_PTHREADS_STATIC}
                                                      ${SHUN_EVENT_CORE_STATIC} Threads::Threads)
endif()
if(SHUN_TESTS)
  find_package(Catch2 2 CONFIG REQUIRED)
endif()
