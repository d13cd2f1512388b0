#include "agent/state_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <system_error>
#include <utility>

#include "agent/spool/atomic_file.h"
#include "core/time_format.h"

namespace vigil::agent {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxFileBytes = 1 << 20;
constexpr std::string_view kNew = ".new";
// In commit order; cert.pem last, as the mark that the set is complete.
constexpr std::array<std::string_view, 4> kCommitOrder = {"key.pem", "ca.pem", "agent.json",
                                                          "cert.pem"};

fs::path NewPath(const fs::path& dir, std::string_view name) {
  return dir / (std::string(name) + std::string(kNew));
}

Error IoError(const fs::path& path, std::string_view what, const std::error_code& ec) {
  return Error{ErrorCode::kUnavailable,
               path.string() + ": " + std::string(what) + ": " + ec.message()};
}

Error NotEnrolled(const fs::path& dir) {
  return Error{ErrorCode::kFailedPrecondition,
               "not enrolled: " + dir.string() +
                   " has no credentials; run `vigil-agent enroll --server URL --token T "
                   "--ca-fingerprint HEX --state-dir " +
                   dir.string() + "`"};
}

}  // namespace

Result<StateDir> StateDir::Open(fs::path dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) return tl::unexpected(IoError(dir, "create", ec));
    fs::permissions(dir, fs::perms::owner_all, ec);
    if (ec) return tl::unexpected(IoError(dir, "chmod", ec));
  }
  StateDir state(std::move(dir));
  const auto lock_path = state.dir_ / "agent.lock";
  state.lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (state.lock_fd_ < 0) {
    return tl::unexpected(
        IoError(lock_path, "open", std::error_code(errno, std::generic_category())));
  }
  if (::flock(state.lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    return MakeError(ErrorCode::kLocked,
                     state.dir_.string() + " is in use by a running vigil-agent (stop it first)");
  }
  VIGIL_RETURN_IF_ERROR(state.Recover());
  return state;
}

Result<StateDir> StateDir::OpenReadOnly(fs::path dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return tl::unexpected(NotEnrolled(dir));
  return StateDir(std::move(dir));
}

StateDir::StateDir(StateDir&& other) noexcept
    : dir_(std::move(other.dir_)), lock_fd_(std::exchange(other.lock_fd_, -1)) {}

StateDir& StateDir::operator=(StateDir&& other) noexcept {
  if (this != &other) {
    if (lock_fd_ >= 0) ::close(lock_fd_);
    dir_ = std::move(other.dir_);
    lock_fd_ = std::exchange(other.lock_fd_, -1);
  }
  return *this;
}

StateDir::~StateDir() {
  if (lock_fd_ >= 0) ::close(lock_fd_);  // Releases the flock.
}

Status StateDir::Recover() {
  std::error_code ec;
  const bool complete = fs::exists(NewPath(dir_, "cert.pem"), ec);
  for (const auto name : kCommitOrder) {
    const auto pending = NewPath(dir_, name);
    if (!fs::exists(pending, ec)) continue;
    if (complete) {
      fs::rename(pending, dir_ / name, ec);
    } else {
      fs::remove(pending, ec);  // A commit cut short before its set was complete.
    }
    if (ec) return tl::unexpected(IoError(pending, complete ? "rename" : "remove", ec));
  }
  return SyncDirectory(dir_);
}

Status StateDir::CommitCredentials(const Credentials& credentials,
                                   const std::optional<AgentIdentity>& identity) {
  std::string agent_json;
  if (identity) {
    agent_json = nlohmann::json{{"server", identity->server_url},
                                {"device_id", identity->device_id},
                                {"ca_fingerprint", identity->ca_fingerprint}}
                     .dump(2) +
                 "\n";
  }
  for (const auto name : kCommitOrder) {
    const std::string_view data = name == "key.pem"    ? std::string_view(credentials.key_pem)
                                  : name == "ca.pem"   ? std::string_view(credentials.ca_pem)
                                  : name == "cert.pem" ? std::string_view(credentials.cert_pem)
                                                       : std::string_view(agent_json);
    if (name == "agent.json" && !identity) continue;
    const mode_t mode = name == "key.pem" ? 0600 : 0644;
    VIGIL_RETURN_IF_ERROR(WriteFileAtomically(NewPath(dir_, name), data, mode));
  }
  return Recover();  // The set is complete: rename it forward.
}

Result<AgentIdentity> StateDir::LoadIdentity() const {
  auto text = ReadWholeFile(dir_ / "agent.json", kMaxFileBytes);
  if (!text && text.error().code == ErrorCode::kNotFound) return tl::unexpected(NotEnrolled(dir_));
  if (!text) return tl::unexpected(text.error());
  const auto j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  const auto string_field = [&](const char* key) -> std::optional<std::string> {
    if (!j.is_object() || !j.contains(key) || !j[key].is_string()) return std::nullopt;
    return j[key].get<std::string>();
  };
  auto server = string_field("server");
  auto device_id = string_field("device_id");
  auto fingerprint = string_field("ca_fingerprint");
  if (!server || !device_id || !fingerprint) {
    return MakeError(ErrorCode::kDataLoss,
                     (dir_ / "agent.json").string() +
                         ": expected {\"server\", \"device_id\", \"ca_fingerprint\"} strings");
  }
  return AgentIdentity{.server_url = std::move(*server),
                       .device_id = std::move(*device_id),
                       .ca_fingerprint = std::move(*fingerprint)};
}

Result<Credentials> StateDir::LoadCredentials() const {
  Credentials out;
  for (auto [name, slot] :
       {std::pair{"key.pem", &out.key_pem}, std::pair{"cert.pem", &out.cert_pem},
        std::pair{"ca.pem", &out.ca_pem}}) {
    auto text = ReadWholeFile(dir_ / name, kMaxFileBytes);
    if (!text && text.error().code == ErrorCode::kNotFound)
      return tl::unexpected(NotEnrolled(dir_));
    if (!text) return tl::unexpected(text.error());
    *slot = std::move(*text);
  }
  return out;
}

Contact StateDir::LoadContact() const {
  Contact contact;
  auto text = ReadWholeFile(dir_ / "contact.json", kMaxFileBytes);
  if (!text) return contact;
  const auto j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return contact;
  if (j.contains("last_contact") && j["last_contact"].is_string()) {
    if (auto t = ParseRfc3339(j["last_contact"].get<std::string>())) {
      contact.last_contact_unix_nanos = *t;
    }
  }
  if (j.contains("quarantined") && j["quarantined"].is_boolean()) {
    contact.quarantined = j["quarantined"].get<bool>();
  }
  return contact;
}

Status StateDir::SaveContact(const Contact& contact) const {
  nlohmann::json j = {{"quarantined", contact.quarantined}};
  if (contact.last_contact_unix_nanos != 0) {
    j["last_contact"] = FormatRfc3339(contact.last_contact_unix_nanos, 3);
  }
  // Not fsynced: losing the last minute's contact time to a power cut costs nothing.
  return WriteFileAtomically(dir_ / "contact.json", j.dump() + "\n", 0644, /*sync=*/false);
}

std::vector<std::string> SplitPemCertificates(std::string_view pem) {
  constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----";
  constexpr std::string_view kEnd = "-----END CERTIFICATE-----";
  std::vector<std::string> blocks;
  for (;;) {
    const auto begin = pem.find(kBegin);
    if (begin == std::string_view::npos) break;
    const auto end = pem.find(kEnd, begin);
    if (end == std::string_view::npos) break;
    blocks.push_back(std::string(pem.substr(begin, end + kEnd.size() - begin)) + "\n");
    pem.remove_prefix(end + kEnd.size());
  }
  return blocks;
}

Result<std::string> NormaliseFingerprint(std::string_view text) {
  std::string hex;
  for (const char c : text) {
    if (c == ':' || c == ' ') continue;
    if (c >= 'A' && c <= 'F') {
      hex.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) {
      hex.push_back(c);
    } else {
      return MakeError(ErrorCode::kInvalidArgument,
                       "--ca-fingerprint: expected SHA-256 hex digits (colons allowed)");
    }
  }
  if (hex.size() != 64) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        "--ca-fingerprint: expected 64 hex digits (SHA-256), got " + std::to_string(hex.size()));
  }
  return hex;
}

}  // namespace vigil::agent
