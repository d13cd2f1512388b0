#include "agent/spool/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vigil::agent {
namespace {

Error SystemError(const std::filesystem::path& path, std::string_view what, int err) {
  return Error{ErrorCode::kUnavailable,
               path.string() + ": " + std::string(what) + ": " + std::strerror(err)};
}

Status WriteAll(int fd, std::string_view data, const std::filesystem::path& path) {
  while (!data.empty()) {
    const auto n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return tl::unexpected(SystemError(path, "write", errno));
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return OkStatus();
}

}  // namespace

Status SyncDirectory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return tl::unexpected(SystemError(dir, "open", errno));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return tl::unexpected(SystemError(dir, "fsync", err));
  return OkStatus();
}

Status WriteFileAtomically(const std::filesystem::path& path, std::string_view data, mode_t mode,
                           bool sync) {
  auto temp = path;
  temp += ".tmp-" + std::to_string(::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) return tl::unexpected(SystemError(temp, "create", errno));
  auto status = WriteAll(fd, data, temp);
  // fchmod: the umask must not widen or narrow what the caller asked for (key.pem is 0600).
  if (status && ::fchmod(fd, mode) != 0) status = tl::unexpected(SystemError(temp, "chmod", errno));
  if (status && sync && ::fsync(fd) != 0)
    status = tl::unexpected(SystemError(temp, "fsync", errno));
  if (::close(fd) != 0 && status) status = tl::unexpected(SystemError(temp, "close", errno));
  if (status && ::rename(temp.c_str(), path.c_str()) != 0) {
    status = tl::unexpected(SystemError(path, "rename", errno));
  }
  if (!status) {
    ::unlink(temp.c_str());
    return status;
  }
  return sync ? SyncDirectory(path.has_parent_path() ? path.parent_path() : ".") : OkStatus();
}

Result<std::string> ReadWholeFile(const std::filesystem::path& path, std::size_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) return MakeError(ErrorCode::kNotFound, path.string() + ": no such file");
    return tl::unexpected(SystemError(path, "open", err));
  }
  std::string data;
  char buffer[8192];
  for (;;) {
    const auto n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return tl::unexpected(SystemError(path, "read", err));
    }
    if (n == 0) break;
    data.append(buffer, static_cast<std::size_t>(n));
    if (data.size() > max_bytes) {
      ::close(fd);
      return MakeError(ErrorCode::kResourceExhausted,
                       path.string() + ": larger than " + std::to_string(max_bytes) + " bytes");
    }
  }
  ::close(fd);
  return data;
}

}  // namespace vigil::agent
