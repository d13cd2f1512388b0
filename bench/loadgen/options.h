// The command line of loadgen, parsed once in main(). Plain values; no validation beyond what
// the load loops need to run (positive counts, readable identity files).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace loadgen {

enum class Mode { kHttps, kHandshake, kMqtt };

struct Identity {  // A device's certificate (with its chain) and key, PEM files.
  std::string certificate;
  std::string key;
};

struct Options {
  Mode mode = Mode::kHttps;
  std::string host = "127.0.0.1";
  int port = 0;
  std::string ca_file;               // Trusted root(s) for the server's certificate.
  std::vector<Identity> identities;  // Connection i uses identities[i % size].
  int connections = 64;
  double seconds = 10;
  int points = 1;        // Points per telemetry request (https).
  int body_bytes = 200;  // Each request body or MQTT payload is padded to at least this.
  std::string path = "/v1/telemetry";     // https: POST target; handshake: GET target.
  std::string topic = "vigil/telemetry";  // mqtt: topic prefix (the connection number follows).
};

// Parses argv; on a usage error prints it with the usage text and returns nullopt.
std::optional<Options> ParseOptions(int argc, char** argv);

}  // namespace loadgen
