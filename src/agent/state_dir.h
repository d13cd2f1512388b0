#pragma once

// The agent's state directory (default /var/lib/vigil-agent, mode 0700):
//
//   key.pem     the device's private key, mode 0600; made on the device, never sent
//   cert.pem    its certificate and the intermediate(s) it is presented with
//   ca.pem      Vigil's device root, saved at enrolment (the trust anchor from then on)
//   agent.json  {"server": URL, "device_id": ID, "ca_fingerprint": HEX}
//   contact.json  {"last_contact": RFC 3339, "quarantined": bool}, rewritten as it changes
//   spool/      the disk spool (agent/spool)
//
// Credentials change together (enrolment, renewal): CommitCredentials writes each new file as
// `<name>.new` (atomically, fsynced), cert.pem.new last as the mark that the set is complete,
// then renames them over the old ones, cert.pem last. Open finishes an interrupted commit:
// with cert.pem.new present it renames the rest forward; without it, it deletes the partial
// set. So key.pem and cert.pem always belong together, even after a power cut.
//
// One process at a time changes the directory: Open takes an exclusive lock (flock on
// agent.lock) held until the StateDir is destroyed, so `enroll` cannot swap the credentials
// under a running agent. OpenReadOnly (for `status`) takes no lock and changes nothing.
//
// Errors: kLocked when another agent holds the directory; kFailedPrecondition "not enrolled"
// when agent.json or the credentials are missing (the message says to run `vigil-agent
// enroll`); kDataLoss for an agent.json that does not parse; kUnavailable for I/O failures
// (naming the path). Thread safety: use from one thread.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace vigil::agent {

struct AgentIdentity {
  std::string server_url;      // "https://host:port".
  std::string device_id;       // As the gateway assigned it at enrolment.
  std::string ca_fingerprint;  // SHA-256 of the root, 64 lowercase hex digits.
};

struct Credentials {
  std::string key_pem;
  std::string cert_pem;  // Leaf, then intermediates.
  std::string ca_pem;    // The root.
};

struct Contact {
  std::int64_t last_contact_unix_nanos = 0;  // 0: never.
  bool quarantined = false;
};

class StateDir {
 public:
  // Creates the directory (0700) if needed, locks it, and finishes or undoes an interrupted
  // commit.
  static Result<StateDir> Open(std::filesystem::path dir);
  // kFailedPrecondition "not enrolled" if `dir` does not exist.
  static Result<StateDir> OpenReadOnly(std::filesystem::path dir);

  StateDir(StateDir&& other) noexcept;
  StateDir& operator=(StateDir&& other) noexcept;
  ~StateDir();

  const std::filesystem::path& path() const { return dir_; }
  std::filesystem::path spool_dir() const { return dir_ / "spool"; }
  std::filesystem::path file(std::string_view name) const { return dir_ / name; }

  Result<AgentIdentity> LoadIdentity() const;
  Result<Credentials> LoadCredentials() const;

  // Replaces the credentials and, when given, agent.json, as one unit (see above).
  Status CommitCredentials(const Credentials& credentials,
                           const std::optional<AgentIdentity>& identity);

  // contact.json; a missing or unreadable file reads as "never".
  Contact LoadContact() const;
  Status SaveContact(const Contact& contact) const;

 private:
  explicit StateDir(std::filesystem::path dir) : dir_(std::move(dir)) {}
  Status Recover();

  std::filesystem::path dir_;
  int lock_fd_ = -1;
};

// The CERTIFICATE blocks of a PEM text, each with its BEGIN and END lines and a final newline.
std::vector<std::string> SplitPemCertificates(std::string_view pem);

// "AB:cd:..." or "abcd..." -> 64 lowercase hex digits; kInvalidArgument otherwise.
Result<std::string> NormaliseFingerprint(std::string_view text);

}  // namespace vigil::agent
