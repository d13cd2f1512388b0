# Third-party packages, all from Debian 12 (scripts/install-deps). Nothing is downloaded here.
find_package(PkgConfig REQUIRED)
find_package(tl-expected REQUIRED)
find_package(fmt REQUIRED)
find_package(OpenSSL 3.0 REQUIRED)
pkg_check_modules(ARGON2 REQUIRED IMPORTED_TARGET libargon2)
pkg_check_modules(OATH REQUIRED IMPORTED_TARGET liboath)
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)
# libcrack2 ships no pkg-config file.
find_path(CRACK_INCLUDE_DIR crack.h REQUIRED)
find_library(CRACK_LIBRARY crack REQUIRED)
add_library(Crack::Crack UNKNOWN IMPORTED)
set_target_properties(Crack::Crack PROPERTIES IMPORTED_LOCATION "${CRACK_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${CRACK_INCLUDE_DIR}")
find_package(nlohmann_json 3 REQUIRED)
find_package(tomlplusplus REQUIRED)
# simdjson::simdjson (Debian's CMake package; it brings Threads::Threads).
find_package(simdjson REQUIRED)

if(NOT VIGIL_FUZZ)
  find_package(spdlog REQUIRED)
  find_package(SQLite3 REQUIRED)
  pkg_check_modules(PCAP REQUIRED IMPORTED_TARGET libpcap)
  find_package(CLI11 REQUIRED)
  find_package(Boost 1.74 REQUIRED)
  find_package(Threads REQUIRED)
  find_package(GTest REQUIRED)
  find_package(benchmark)
endif()
