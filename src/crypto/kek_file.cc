// LoadOrCreateKekFile and LoadKekFile (declared in key_ring.h): the KEK kept in a file beside,
// but outside, the database.

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>

#include "core/hex.h"
#include "crypto/key_ring.h"
#include "crypto/random.h"

namespace vigil::crypto {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kKekSize = 32;
constexpr std::size_t kHexSize = 2 * kKekSize;
// Longest accepted content (hex and a newline) plus one byte to tell "too long" apart.
constexpr std::size_t kReadLimit = kHexSize + 2;

std::string Where(const fs::path& path) { return "kek file " + path.string(); }

Error IoError(const fs::path& path, std::string_view what, int err) {
  ErrorCode code = ErrorCode::kUnavailable;
  if (err == ENOENT) code = ErrorCode::kNotFound;
  if (err == EACCES || err == EPERM) code = ErrorCode::kPermissionDenied;
  return Error{code, Where(path) + ": " + std::string(what) + ": " + std::strerror(err)};
}

std::string OctalMode(mode_t mode) {
  std::array<char, 8> text{};
  std::snprintf(text.data(), text.size(), "%04o", static_cast<unsigned>(mode & 07777));
  return text.data();
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int Release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

// Raw 32 bytes, or 64 hex digits with an optional trailing newline.
Result<SecretBytes> ParseKek(std::span<const std::uint8_t> content, const fs::path& path) {
  if (content.size() == kKekSize) return SecretBytes(content);
  std::string_view text(reinterpret_cast<const char*>(content.data()), content.size());
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  if (text.size() == kHexSize) {
    auto decoded = HexDecode(text);
    if (!decoded) {
      return MakeError(ErrorCode::kDataLoss, Where(path) + ": 64 characters but not hex digits");
    }
    SecretBytes kek(*decoded);
    OPENSSL_cleanse(decoded->data(), decoded->size());
    return kek;
  }
  return MakeError(
      ErrorCode::kDataLoss,
      Where(path) + ": expected 32 bytes or 64 hex digits, found " +
          (content.size() >= kReadLimit ? "more than 65" : std::to_string(content.size())) +
          " bytes");
}

// Checks who may read the open file, then reads it.
Result<SecretBytes> ReadKek(int fd, const fs::path& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return tl::unexpected(IoError(path, "stat", errno));
  if (!S_ISREG(st.st_mode)) {
    return MakeError(ErrorCode::kInvalidArgument, Where(path) + ": not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    return MakeError(ErrorCode::kPermissionDenied,
                     Where(path) + ": mode " + OctalMode(st.st_mode) +
                         " lets group or others access the key; run chmod 600 " + path.string());
  }
  if (st.st_uid != ::geteuid()) {
    return MakeError(ErrorCode::kPermissionDenied,
                     Where(path) + ": owned by uid " + std::to_string(st.st_uid) +
                         ", not by this process (uid " + std::to_string(::geteuid()) + ")");
  }
  std::array<std::uint8_t, kReadLimit> buffer{};
  std::size_t size = 0;
  while (size < buffer.size()) {
    const ssize_t n = ::read(fd, buffer.data() + size, buffer.size() - size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      OPENSSL_cleanse(buffer.data(), buffer.size());
      return tl::unexpected(IoError(path, "read", errno));
    }
    if (n == 0) break;
    size += static_cast<std::size_t>(n);
  }
  auto kek = ParseKek(std::span<const std::uint8_t>(buffer.data(), size), path);
  OPENSSL_cleanse(buffer.data(), buffer.size());
  return kek;
}

// Creates the missing folders of `dir` with mode 0700; existing ones are left as they are.
Status MakeDirs(const fs::path& dir) {
  fs::path partial;
  for (const fs::path& part : dir) {
    partial /= part;
    if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST) {
      return tl::unexpected(IoError(partial, "create folder", errno));
    }
  }
  return OkStatus();
}

Status WriteAll(int fd, std::span<const std::uint8_t> bytes, const fs::path& path) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return tl::unexpected(IoError(path, "write", errno));
    done += static_cast<std::size_t>(n);
  }
  return OkStatus();
}

// Writes `kek` as hex to a private temporary file in the same folder, then links it to `path`.
// link() fails with EEXIST instead of replacing, so a key created meanwhile by another process
// wins and is never overwritten; readers see either no file or the whole key.
Result<bool> CreateKekFile(const fs::path& path, const SecretBytes& kek) {
  auto suffix = RandomBytes(8);
  if (!suffix) return tl::unexpected(std::move(suffix).error());
  fs::path temp = path;
  temp += ".tmp-" + HexEncode(*suffix);

  Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (fd.get() < 0) return tl::unexpected(IoError(temp, "create", errno));
  SecretBytes text(kHexSize + 1);
  static constexpr char kDigits[] = "0123456789abcdef";
  for (std::size_t i = 0; i < kek.size(); ++i) {
    text.data()[2 * i] = static_cast<std::uint8_t>(kDigits[kek.data()[i] >> 4]);
    text.data()[2 * i + 1] = static_cast<std::uint8_t>(kDigits[kek.data()[i] & 0x0f]);
  }
  text.data()[kHexSize] = '\n';
  // The umask may only take bits away; fchmod makes the mode exactly 0600 regardless.
  Status written = ::fchmod(fd.get(), 0600) == 0
                       ? WriteAll(fd.get(), text.span(), temp)
                       : Status(tl::unexpected(IoError(temp, "chmod", errno)));
  if (written && ::fsync(fd.get()) != 0) written = tl::unexpected(IoError(temp, "fsync", errno));
  if (written && ::close(fd.Release()) != 0) {
    written = tl::unexpected(IoError(temp, "close", errno));
  }
  if (!written) {
    ::unlink(temp.c_str());
    return tl::unexpected(std::move(written).error());
  }

  const int linked = ::link(temp.c_str(), path.c_str());
  const int link_errno = errno;
  ::unlink(temp.c_str());
  if (linked != 0 && link_errno == EEXIST) return false;
  if (linked != 0) return tl::unexpected(IoError(path, "link into place", link_errno));

  // Make the new directory entry durable before the key is used to wrap anything.
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  Fd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() >= 0) ::fsync(dir_fd.get());
  return true;
}

}  // namespace

Result<SecretBytes> LoadKekFile(const fs::path& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) return tl::unexpected(IoError(path, "open", errno));
  return ReadKek(fd.get(), path);
}

Result<SecretBytes> LoadOrCreateKekFile(const fs::path& path) {
  auto existing = LoadKekFile(path);
  if (existing || existing.error().code != ErrorCode::kNotFound) return existing;

  if (path.has_parent_path()) VIGIL_RETURN_IF_ERROR(MakeDirs(path.parent_path()));
  auto kek = RandomSecret(kKekSize);
  if (!kek) return tl::unexpected(std::move(kek).error());
  auto created = CreateKekFile(path, *kek);
  if (!created) return tl::unexpected(std::move(created).error());
  if (!*created) return LoadKekFile(path);  // Another process created it first.
  return kek;
}

}  // namespace vigil::crypto
