// Cross-field validation and the paths derived from the configuration.

#include "config/config.h"

namespace vigil::config {
namespace fs = std::filesystem;

Status Validate(const Config& config) {
  if (config.server.tls_cert.empty() != config.server.tls_key.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "server.tls_cert and server.tls_key must be given together");
  }
  if (config.log.format != "text" && config.log.format != "json") {
    return MakeError(
        ErrorCode::kInvalidArgument,
        "log.format: expected \"text\" or \"json\", got \"" + config.log.format + "\"");
  }
  static constexpr std::string_view kLevels[] = {"trace", "debug", "info", "warn", "error"};
  bool level_ok = false;
  for (auto l : kLevels) level_ok = level_ok || config.log.level == l;
  if (!level_ok) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        "log.level: expected trace, debug, info, warn or error, got \"" + config.log.level + "\"");
  }
  if (config.storage.data_dir.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "storage.data_dir: must not be empty");
  }
  // Port 0 asks for any free port, so two of them never clash.
  if (config.gateway.enabled && config.gateway.listen == config.server.listen &&
      !config.server.listen.ends_with(":0")) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "gateway.listen must differ from server.listen (" + config.server.listen +
                         "): the gateway has its own port");
  }
  const IdentityConfig& id = config.identity;
  if (id.session_absolute_timeout_seconds < id.session_idle_timeout_seconds) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "identity.session_absolute_timeout_seconds must not be shorter than "
                     "identity.session_idle_timeout_seconds");
  }
  if (id.token_default_days > id.token_max_days) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "identity.token_default_days must not exceed identity.token_max_days");
  }
  if (id.first_admin.empty() || id.first_admin.size() > 64) {
    return MakeError(ErrorCode::kInvalidArgument, "identity.first_admin: 1 to 64 characters");
  }
  return OkStatus();
}

fs::path KeyFolder(const Config& config) {
  fs::path data = fs::path(config.storage.data_dir).lexically_normal();
  if (data.has_filename() == false) data = data.parent_path();
  return fs::path(data.string() + ".keys");
}

fs::path KeyFilePath(const Config& config, const std::map<std::string, std::string>& env) {
  if (!config.storage.key_file.empty()) return config.storage.key_file;
  if (auto it = env.find("CREDENTIALS_DIRECTORY"); it != env.end() && !it->second.empty()) {
    return fs::path(it->second) / "vigil-kek";
  }
  return KeyFolder(config) / "kek";
}

fs::path CheckpointFilePath(const Config& config) {
  if (!config.audit.checkpoint_file.empty()) return config.audit.checkpoint_file;
  return KeyFolder(config) / "audit-checkpoints.jsonl";
}

}  // namespace vigil::config
