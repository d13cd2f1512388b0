// Loading the file and applying VIGIL_* environment overrides.

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

#include "config/config.h"

extern char** environ;

namespace vigil::config {

Result<Config> LoadFile(const std::filesystem::path& path, Config base) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      return MakeError(ErrorCode::kNotFound, path.string() + ": no such file");
    }
    return MakeError(ErrorCode::kInvalidArgument,
                     path.string() + ": cannot be read: " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().size() > std::size_t{1024} * 1024) {
    return MakeError(ErrorCode::kInvalidArgument, path.string() + ": larger than 1 MiB");
  }
  return Parse(text.str(), path.string(), std::move(base));
}

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string_view entry(*e);
    const auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view name = entry.substr(0, eq);
    if (name.starts_with("VIGIL_") || name == "CREDENTIALS_DIRECTORY") {
      out.emplace(name, entry.substr(eq + 1));
    }
  }
  return out;
}

Result<Config> ApplyEnvironment(Config config, const std::map<std::string, std::string>& env) {
  const auto get = [&](const char* name) -> const std::string* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : &it->second;
  };
  if (auto v = get("VIGIL_LISTEN")) config.server.listen = *v;
  if (auto v = get("VIGIL_THREADS")) {
    int threads = 0;
    const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), threads);
    if (ec != std::errc() || end != v->data() + v->size() || threads < 1 || threads > 64) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "environment VIGIL_THREADS: expected an integer 1..64, got '" + *v + "'");
    }
    config.server.threads = threads;
  }
  if (auto v = get("VIGIL_GATEWAY_LISTEN")) config.gateway.listen = *v;
  if (auto v = get("VIGIL_TLS_CERT")) config.server.tls_cert = *v;
  if (auto v = get("VIGIL_TLS_KEY")) config.server.tls_key = *v;
  if (auto v = get("VIGIL_DATA_DIR")) config.storage.data_dir = *v;
  if (auto v = get("VIGIL_KEY_FILE")) config.storage.key_file = *v;
  if (auto v = get("VIGIL_AUDIT_CHECKPOINT_FILE")) config.audit.checkpoint_file = *v;
  if (auto v = get("VIGIL_LOG_FORMAT")) config.log.format = *v;
  if (auto v = get("VIGIL_LOG_LEVEL")) config.log.level = *v;
  if (auto st = Validate(config); !st) {
    return MakeError(ErrorCode::kInvalidArgument, "environment: " + st.error().message);
  }
  return config;
}

}  // namespace vigil::config
