#pragma once

// CheckpointFile: the audit log's signed checkpoints, kept outside the database (by default in
// the key folder beside the data directory) as JSON lines:
//   {"seq":1000,"hash":"<hex>","time":"<RFC 3339>","time_ns":...,"signature":"<hex>",
//    "public_key":"<hex>"}
// Appends are flushed with fsync. A truncated or replaced database cannot roll this file back
// without the Ed25519 key, which is sealed by the key ring.
//
// Thread safety: not thread-safe; one owner (the server) appends.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/audit_repo.h"

namespace vigil::audit {

struct FileCheckpoint {
  store::AuditCheckpoint checkpoint;
  std::vector<std::uint8_t> public_key;
};

// Parses one line of the file. kDataLoss naming what is wrong; never reads past `line`.
Result<FileCheckpoint> ParseCheckpointLine(std::string_view line);

class CheckpointFile {
 public:
  explicit CheckpointFile(std::filesystem::path path) : path_(std::move(path)) {}

  const std::filesystem::path& path() const { return path_; }
  bool exists() const;

  // The last checkpoint in the file; nullopt if the file does not exist or is empty.
  // kDataLoss naming the line if a line is malformed.
  Result<std::optional<FileCheckpoint>> Last() const;

  // Appends one line and fsyncs (creating the file with mode 0600).
  Status Append(const FileCheckpoint& entry);

 private:
  std::filesystem::path path_;
};

}  // namespace vigil::audit
