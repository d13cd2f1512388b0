#pragma once

// The data directory and the lock that makes one process its owner.
//
// `vigil serve` holds an exclusive flock on <data dir>/vigil.lock for its whole life and writes
// its pid there; CLI commands that open the store take the same lock, so two processes never
// write the store or the audit chain at once. The lock dies with its process (no stale locks).
//
// Errors: kLocked naming the pid when another process holds the lock; kNotFound when the
// directory does not exist and `create` is false; kPermissionDenied when it is group- or
// world-accessible.

#include <filesystem>

#include "core/result.h"

namespace vigil::server {

class DataDirLock {
 public:
  // Creates the directory (mode 0700) if `create`, then takes the lock without waiting.
  static Result<DataDirLock> Acquire(const std::filesystem::path& dir, bool create);

  DataDirLock(DataDirLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DataDirLock& operator=(DataDirLock&&) = delete;
  DataDirLock(const DataDirLock&) = delete;
  ~DataDirLock();

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace vigil::server
