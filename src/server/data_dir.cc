#include "server/data_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace vigil::server {
namespace fs = std::filesystem;

Result<DataDirLock> DataDirLock::Acquire(const fs::path& dir, bool create) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    if (!create) {
      return MakeError(ErrorCode::kNotFound, "data directory " + dir.string() +
                                                 " does not exist (start vigil serve "
                                                 "once, or pass --data-dir)");
    }
    fs::create_directories(dir, ec);
    if (ec) {
      return MakeError(ErrorCode::kUnavailable,
                       "data directory " + dir.string() + ": cannot create: " + ec.message());
    }
    ::chmod(dir.c_str(), 0700);
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0 && (st.st_mode & 0077) != 0) {
    if (create && st.st_uid == ::geteuid()) {
      ::chmod(dir.c_str(), 0700);  // Our own directory: tighten it rather than refuse.
    } else {
      return MakeError(ErrorCode::kPermissionDenied,
                       "data directory " + dir.string() +
                           " is accessible by group or others; run: chmod 700 " + dir.string());
    }
  }
  const fs::path lock_path = dir / "vigil.lock";
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return MakeError(ErrorCode::kUnavailable,
                     lock_path.string() + ": cannot open: " + std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char buf[32] = {};
    const ssize_t n = ::pread(fd, buf, sizeof(buf) - 1, 0);
    ::close(fd);
    std::string pid = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "unknown";
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
    return MakeError(ErrorCode::kLocked, "data directory " + dir.string() +
                                             " is in use by another vigil process (pid " + pid +
                                             "); stop it first");
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    ::close(fd);
    return MakeError(ErrorCode::kUnavailable, lock_path.string() + ": cannot write pid");
  }
  return DataDirLock(fd);
}

DataDirLock::~DataDirLock() {
  if (fd_ >= 0) ::close(fd_);  // Closing releases the flock.
}

}  // namespace vigil::server
