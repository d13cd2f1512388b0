#pragma once

// VIGIL_CHECK(cond, "why"): an invariant of ours, checked in every build. On failure it prints
// the file, line and reason and aborts. Never use it on outside input: that gets a Result.

#include <cstdio>
#include <cstdlib>

#define VIGIL_CHECK(cond, why)                                                                \
  do {                                                                                        \
    if (!(cond)) {                                                                            \
      std::fprintf(stderr, "%s:%d: check failed: %s (%s)\n", __FILE__, __LINE__, #cond, why); \
      std::abort();                                                                           \
    }                                                                                         \
  } while (false)
