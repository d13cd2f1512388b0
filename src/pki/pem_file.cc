#include "pki/pem_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vigil::pki {
namespace {

Error ErrnoError(const std::filesystem::path& path, std::string_view what, int err) {
  const ErrorCode code = err == ENOENT   ? ErrorCode::kNotFound
                         : err == EEXIST ? ErrorCode::kAlreadyExists
                                         : ErrorCode::kUnavailable;
  return Error{code, path.string() + ": " + std::string(what) + ": " + std::strerror(err)};
}

}  // namespace

Result<std::string> ReadPemFile(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return tl::unexpected(ErrnoError(path, "open", errno));
  }
  std::string data;
  char buffer[8192];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return tl::unexpected(ErrnoError(path, "read", err));
    }
    if (n == 0) {
      break;
    }
    data.append(buffer, static_cast<std::size_t>(n));
    if (data.size() > kMaxPemFileBytes) {
      ::close(fd);
      return MakeError(ErrorCode::kInvalidArgument, path.string() + ": larger than 1 MiB");
    }
  }
  ::close(fd);
  return data;
}

Status WriteNewFile(const std::filesystem::path& path, std::string_view data, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) {
    return tl::unexpected(ErrnoError(path, "create", errno));
  }
  auto fail = [&](std::string_view what) -> Status {
    const int err = errno;
    ::close(fd);
    ::unlink(path.c_str());
    return tl::unexpected(ErrnoError(path, what, err));
  };
  // The umask may have narrowed or (for a key) must not widen what we asked for.
  if (::fchmod(fd, mode) != 0) {
    return fail("chmod");
  }
  std::size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return fail("write");
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    return fail("fsync");
  }
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(path.c_str());
    return tl::unexpected(ErrnoError(path, "close", err));
  }
  return OkStatus();
}

}  // namespace vigil::pki
