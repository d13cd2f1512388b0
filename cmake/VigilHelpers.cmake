# vigil_library, vigil_test and vigil_fuzz: the three ways a module declares its targets.
#
# A module is the folder src/<path>; its target is vigil_<path with / as _>. DEPS names other
# modules by path (core, store/sqlite) or third-party targets (OpenSSL::Crypto). scripts/check-deps
# reads the same DEPS lists and checks every #include against them.

set(VIGIL_SRC_DIR "${CMAKE_SOURCE_DIR}/src")

function(vigil_module_target out path)
  string(REPLACE "/" "_" name "${path}")
  set(${out} "vigil_${name}" PARENT_SCOPE)
endfunction()

function(vigil_resolve_deps out)
  set(result "")
  foreach(dep IN LISTS ARGN)
    if(EXISTS "${VIGIL_SRC_DIR}/${dep}/CMakeLists.txt")
      vigil_module_target(target "${dep}")
      list(APPEND result "${target}")
    else()
      list(APPEND result "${dep}")
    endif()
  endforeach()
  set(${out} "${result}" PARENT_SCOPE)
endfunction()

# vigil_library(SOURCES a.cc b.cc DEPS core OpenSSL::Crypto [FUZZ])
# FUZZ modules are also built in the fuzz tree (clang-14), for the fuzz targets of their parsers
# and of the modules above them; they must not use Asio (clang 14 cannot compile its coroutines).
function(vigil_library)
  cmake_parse_arguments(ARG "FUZZ" "" "SOURCES;DEPS" ${ARGN})
  if(VIGIL_FUZZ AND NOT ARG_FUZZ)
    return()
  endif()
  file(RELATIVE_PATH path "${VIGIL_SRC_DIR}" "${CMAKE_CURRENT_SOURCE_DIR}")
  vigil_module_target(target "${path}")
  vigil_resolve_deps(deps ${ARG_DEPS})
  if(ARG_SOURCES)
    add_library(${target} STATIC ${ARG_SOURCES})
    target_include_directories(${target} PUBLIC "${VIGIL_SRC_DIR}")
    target_link_libraries(${target} PUBLIC ${deps} PRIVATE vigil_flags)
  else()
    add_library(${target} INTERFACE)
    target_include_directories(${target} INTERFACE "${VIGIL_SRC_DIR}")
    target_link_libraries(${target} INTERFACE ${deps})
  endif()
endfunction()

# vigil_test(NAME foo_test SOURCES foo_test.cc DEPS core [LABELS unit])
# Tests find the source and build trees through testing/fixtures.h (SourceDir(), BinaryDir()).
function(vigil_test)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;DEPS;LABELS" ${ARGN})
  if(VIGIL_FUZZ)
    return()
  endif()
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  vigil_resolve_deps(deps ${ARG_DEPS})
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  target_link_libraries(${ARG_NAME} PRIVATE ${deps} vigil_testing GTest::gtest GTest::gmock
                        GTest::gtest_main vigil_flags)
  gtest_discover_tests(${ARG_NAME}
    DISCOVERY_MODE PRE_TEST
    TEST_PREFIX "${ARG_NAME}."
    PROPERTIES LABELS "${ARG_LABELS}")
endfunction()

# vigil_fuzz(NAME version_fuzz SOURCES version_fuzz.cc DEPS core [SECONDS 10])
# Built only in the fuzz tree; a ctest "fuzz-smoke" test runs it briefly over its seeds in
# fuzz/corpus/<NAME>/.
function(vigil_fuzz)
  cmake_parse_arguments(ARG "" "NAME;SECONDS" "SOURCES;DEPS" ${ARGN})
  if(NOT VIGIL_FUZZ)
    return()
  endif()
  if(NOT ARG_SECONDS)
    set(ARG_SECONDS 10)
  endif()
  vigil_resolve_deps(deps ${ARG_DEPS})
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  target_link_libraries(${ARG_NAME} PRIVATE ${deps} vigil_flags)
  target_link_options(${ARG_NAME} PRIVATE -fsanitize=fuzzer)
  set(seeds "${CMAKE_SOURCE_DIR}/fuzz/corpus/${ARG_NAME}")
  set(scratch "${CMAKE_BINARY_DIR}/fuzz-scratch/${ARG_NAME}")
  add_test(NAME fuzz.${ARG_NAME}
           COMMAND ${CMAKE_COMMAND} -E env
                   ${CMAKE_SOURCE_DIR}/scripts/run-fuzz $<TARGET_FILE:${ARG_NAME}>
                   ${scratch} ${seeds} ${ARG_SECONDS})
  set_tests_properties(fuzz.${ARG_NAME} PROPERTIES LABELS fuzz-smoke)
endfunction()

include(GoogleTest OPTIONAL)

# vigil_bench(NAME foo_bench SOURCES foo_bench.cc DEPS core [PLAIN])
# A benchmark executable beside its module: Google Benchmark (linked with benchmark_main, and
# skipped when the library is not installed) or, with PLAIN, an ordinary program with its own
# main() (for side-by-side runs against a reference, driven by the scripts in bench/). Never part
# of `all` (so `make test` does not build benchmarks) nor of the fuzz tree; the `benchmarks`
# target builds them all. Meaningful in the release preset only.
if(NOT TARGET benchmarks)
  add_custom_target(benchmarks)
endif()

function(vigil_bench)
  cmake_parse_arguments(ARG "PLAIN" "NAME" "SOURCES;DEPS" ${ARGN})
  if(VIGIL_FUZZ)
    return()
  endif()
  if(NOT ARG_PLAIN AND NOT TARGET benchmark::benchmark)
    message(STATUS "${ARG_NAME} skipped: Google Benchmark (libbenchmark-dev) not found")
    return()
  endif()
  vigil_resolve_deps(deps ${ARG_DEPS})
  add_executable(${ARG_NAME} EXCLUDE_FROM_ALL ${ARG_SOURCES})
  target_link_libraries(${ARG_NAME} PRIVATE ${deps} vigil_flags)
  if(NOT ARG_PLAIN)
    target_link_libraries(${ARG_NAME} PRIVATE benchmark::benchmark benchmark::benchmark_main)
  endif()
  add_dependencies(benchmarks ${ARG_NAME})
endfunction()
