#include "cli/options.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>

#include "cli/exit_codes.h"

namespace vigil::cli {

Result<config::Config> ResolveConfig(const CommonOptions& options) {
  const auto env = config::ProcessEnvironment();
  config::Config base;
  // The data directory decides where the default config file is, so find it first.
  if (!options.data_dir.empty()) {
    base.storage.data_dir = options.data_dir;
  } else if (auto it = env.find("VIGIL_DATA_DIR"); it != env.end()) {
    base.storage.data_dir = it->second;
  }
  std::filesystem::path file = options.config_file;
  if (file.empty()) {
    const auto candidate = std::filesystem::path(base.storage.data_dir) / "vigil.toml";
    std::error_code ec;
    if (std::filesystem::exists(candidate, ec)) file = candidate;
  }
  config::Config cfg = base;
  if (!file.empty()) {
    auto loaded = config::LoadFile(file, base);
    if (!loaded) {
      return MakeError(ErrorCode::kInvalidArgument, "config " + loaded.error().message);
    }
    cfg = std::move(*loaded);
  }
  auto with_env = config::ApplyEnvironment(std::move(cfg), env);
  if (!with_env) return with_env;
  if (!options.data_dir.empty()) with_env->storage.data_dir = options.data_dir;
  if (!options.listen.empty()) with_env->server.listen = options.listen;
  if (!options.gateway_listen.empty()) with_env->gateway.listen = options.gateway_listen;
  if (auto st = config::Validate(*with_env); !st) return tl::unexpected(st.error());
  return with_env;
}

namespace {

// %* in a pattern: the message escaped for a JSON string, so JSON-lines logs stay valid.
class JsonMessageFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    static constexpr char kHex[] = "0123456789abcdef";
    for (char c : std::string_view(msg.payload.data(), msg.payload.size())) {
      const auto u = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        dest.push_back('\\');
        dest.push_back(c);
      } else if (u < 0x20) {
        const char esc[] = {'\\', 'u', '0', '0', kHex[u >> 4], kHex[u & 15]};
        dest.append(esc, esc + sizeof(esc));
      } else {
        dest.push_back(c);
      }
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonMessageFlag>();
  }
};

}  // namespace

int ReportError(const Error& error) {
  std::fprintf(stderr, "vigil: %s\n", error.message.c_str());
  switch (error.code) {
    case ErrorCode::kInvalidArgument:
      return kExitUsage;
    case ErrorCode::kLocked:
      return kExitInUse;
    default:
      return kExitFailure;
  }
}

void SetUpLogging(const config::LogConfig& log) {
  auto logger = spdlog::stderr_logger_mt("vigil");
  if (log.format == "json") {
    auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    formatter->add_flag<JsonMessageFlag>('*').set_pattern(
        R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","message":"%*"})");
    logger->set_formatter(std::move(formatter));
  } else {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  }
  logger->set_level(spdlog::level::from_str(log.level));
  spdlog::set_default_logger(logger);
}

}  // namespace vigil::cli
