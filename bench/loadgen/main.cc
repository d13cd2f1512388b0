// loadgen: the device side of bench/gateway-ingest.sh and bench/gateway-handshake.sh. See
// README.md. The last line of its output is
//   "loadgen MODE: OK ok, ERRORS errors, N connections, S s, R per second"
// and it exits 1 if anything failed (the first failure is printed on stderr).

#include <cstdio>

#include "https_load.h"
#include "mqtt_load.h"
#include "options.h"

int main(int argc, char** argv) {
  const auto options = loadgen::ParseOptions(argc, argv);
  if (!options) return 2;
  const loadgen::LoadResult result = options->mode == loadgen::Mode::kMqtt
                                         ? loadgen::RunMqtt(*options)
                                         : loadgen::RunHttps(*options);
  if (!result.first_error.empty()) {
    std::fprintf(stderr, "loadgen: first error: %s\n", result.first_error.c_str());
  }
  static const char* const kModes[] = {"https", "handshake", "mqtt"};
  std::printf("loadgen %s: %llu ok, %llu errors, %d connections, %.3f s, %.0f per second\n",
              kModes[static_cast<int>(options->mode)], static_cast<unsigned long long>(result.ok),
              static_cast<unsigned long long>(result.errors), options->connections, result.seconds,
              result.seconds > 0 ? static_cast<double>(result.ok) / result.seconds : 0.0);
  return result.errors == 0 ? 0 : 1;
}
