#include "options.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string_view>

namespace loadgen {
namespace {

constexpr const char* kUsage =
    "usage: loadgen https|handshake|mqtt --port P --ca FILE --identities DIR [--host H]\n"
    "         [--connections N] [--seconds S] [--points N] [--body-bytes N] [--path P]\n"
    "         [--topic T]\n"
    "  DIR holds NAME.crt (certificate and chain) and NAME.key pairs, one per device.\n";

std::optional<Options> Fail(const std::string& why) {
  std::fprintf(stderr, "loadgen: %s\n%s", why.c_str(), kUsage);
  return std::nullopt;
}

std::vector<Identity> ReadIdentities(const std::filesystem::path& dir) {
  std::vector<Identity> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".crt") continue;
    auto key = entry.path();
    key.replace_extension(".key");
    if (std::filesystem::exists(key)) out.push_back({entry.path().string(), key.string()});
  }
  std::sort(out.begin(), out.end(),
            [](const Identity& a, const Identity& b) { return a.certificate < b.certificate; });
  return out;
}

}  // namespace

std::optional<Options> ParseOptions(int argc, char** argv) {
  if (argc < 2) return Fail("no mode");
  Options o;
  const std::string_view mode = argv[1];
  if (mode == "https") {
    o.mode = Mode::kHttps;
  } else if (mode == "handshake") {
    o.mode = Mode::kHandshake;
    o.path = "/v1/config";
  } else if (mode == "mqtt") {
    o.mode = Mode::kMqtt;
  } else {
    return Fail("unknown mode '" + std::string(mode) + "'");
  }
  std::string identities_dir;
  for (int i = 2; i < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (i + 1 >= argc) return Fail("missing value after " + std::string(flag));
    const std::string value = argv[i + 1];
    if (flag == "--host") {
      o.host = value;
    } else if (flag == "--port") {
      o.port = std::atoi(value.c_str());
    } else if (flag == "--ca") {
      o.ca_file = value;
    } else if (flag == "--identities") {
      identities_dir = value;
    } else if (flag == "--connections") {
      o.connections = std::atoi(value.c_str());
    } else if (flag == "--seconds") {
      o.seconds = std::atof(value.c_str());
    } else if (flag == "--points") {
      o.points = std::atoi(value.c_str());
    } else if (flag == "--body-bytes") {
      o.body_bytes = std::atoi(value.c_str());
    } else if (flag == "--path") {
      o.path = value;
    } else if (flag == "--topic") {
      o.topic = value;
    } else {
      return Fail("unknown option " + std::string(flag));
    }
  }
  if (o.port <= 0 || o.port > 65535) return Fail("--port is required (1-65535)");
  if (o.ca_file.empty()) return Fail("--ca is required");
  if (identities_dir.empty()) return Fail("--identities is required");
  o.identities = ReadIdentities(identities_dir);
  if (o.identities.empty()) return Fail("no NAME.crt/NAME.key pairs in " + identities_dir);
  if (o.connections < 1 || o.seconds <= 0 || o.points < 1 || o.body_bytes < 0) {
    return Fail("--connections, --seconds and --points must be positive");
  }
  return o;
}

}  // namespace loadgen
