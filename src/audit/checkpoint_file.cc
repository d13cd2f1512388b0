#include "audit/checkpoint_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "core/hex.h"
#include "core/time_format.h"

namespace vigil::audit {
Result<FileCheckpoint> ParseCheckpointLine(std::string_view line) {
  const auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("seq") || !j["seq"].is_number_integer() ||
      !j.contains("hash") || !j["hash"].is_string() || !j.contains("time_ns") ||
      !j["time_ns"].is_number_integer() || !j.contains("signature") ||
      !j["signature"].is_string() || !j.contains("public_key") || !j["public_key"].is_string()) {
    return MakeError(ErrorCode::kDataLoss, "not a checkpoint record");
  }
  auto hash = HexDecode(j["hash"].get<std::string>());
  auto sig = HexDecode(j["signature"].get<std::string>());
  auto key = HexDecode(j["public_key"].get<std::string>());
  if (!hash || !sig || !key) return MakeError(ErrorCode::kDataLoss, "bad hex field");
  FileCheckpoint out;
  out.checkpoint.seq = j["seq"].get<std::int64_t>();
  out.checkpoint.hash = std::move(*hash);
  out.checkpoint.time_unix_ns = j["time_ns"].get<std::int64_t>();
  out.checkpoint.signature = std::move(*sig);
  out.public_key = std::move(*key);
  return out;
}

bool CheckpointFile::exists() const {
  std::error_code ec;
  return std::filesystem::exists(path_, ec);
}

Result<std::optional<FileCheckpoint>> CheckpointFile::Last() const {
  std::ifstream in(path_);
  if (!in) {
    if (!exists()) return std::optional<FileCheckpoint>();
    return MakeError(ErrorCode::kUnavailable, "audit checkpoint file " + path_.string() +
                                                  ": cannot be read: " + std::strerror(errno));
  }
  std::string line;
  std::string last;
  std::int64_t line_no = 0;
  std::int64_t last_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    last = line;
    last_no = line_no;
  }
  if (last.empty()) return std::optional<FileCheckpoint>();
  auto parsed = ParseCheckpointLine(last);
  if (!parsed) {
    return MakeError(ErrorCode::kDataLoss, "audit checkpoint file " + path_.string() + ":" +
                                               std::to_string(last_no) + ": " +
                                               parsed.error().message);
  }
  return std::optional<FileCheckpoint>(std::move(*parsed));
}

Status CheckpointFile::Append(const FileCheckpoint& entry) {
  const nlohmann::json j = {
      {"seq", entry.checkpoint.seq},
      {"hash", HexEncode(entry.checkpoint.hash)},
      {"time", FormatRfc3339(entry.checkpoint.time_unix_ns, 3)},
      {"time_ns", entry.checkpoint.time_unix_ns},
      {"signature", HexEncode(entry.checkpoint.signature)},
      {"public_key", HexEncode(entry.public_key)},
  };
  const std::string line = j.dump() + "\n";
  const int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return MakeError(ErrorCode::kUnavailable, "audit checkpoint file " + path_.string() +
                                                  ": cannot open: " + std::strerror(errno));
  }
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(fd, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return MakeError(
          err == ENOSPC ? ErrorCode::kResourceExhausted : ErrorCode::kUnavailable,
          "audit checkpoint file " + path_.string() + ": write failed: " + std::strerror(err));
    }
    written += static_cast<std::size_t>(n);
  }
  const int synced = ::fsync(fd);
  ::close(fd);
  if (synced != 0) {
    return MakeError(ErrorCode::kUnavailable,
                     "audit checkpoint file " + path_.string() + ": fsync failed");
  }
  return OkStatus();
}

}  // namespace vigil::audit
