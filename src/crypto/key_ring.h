#pragma once

// KeyRing: the keys that seal Vigil's secrets at rest.
//
// A key-encryption key (KEK, 32 random bytes) lives outside the database: in a key file created
// with mode 0600 on first start, or at a path handed over by a systemd credential or an
// environment variable (see LoadOrCreateKekFile). Data-encryption keys (DEKs) are versioned,
// wrapped (AES-256-GCM) by the KEK and kept in the database through a DekStore. Seal() always
// uses the newest DEK; Open() uses whichever version the sealed value names, so values sealed
// before a Rotate() still open. ReplaceKek() re-wraps every DEK under a new KEK atomically.
//
// Sealed value layout (documented in docs/formats/sealed-value.md):
//   byte 0      format and algorithm: 0x01 = AES-256-GCM, 96-bit nonce, 128-bit tag
//   bytes 1..4  DEK version, big-endian
//   bytes 5..16 nonce (random per value)
//   then        ciphertext, then the 16-byte tag
// The first five bytes are part of the authenticated data, together with the caller's
// associated data, so neither the algorithm nor the version can be swapped.
//
// DEKs are 32 random bytes. Wrapped DEKs use the same layout with version 0 and associated data
// "vigil-dek|<version>", so a wrapped DEK cannot be passed off as another version. DeriveKey()
// is HKDF-SHA-256 over a DEK with info "vigil|<purpose>" and no salt.
//
// Thread safety: all methods may be called concurrently. Seal() and Open() share a reader lock
// and a per-DEK cipher context (held only while encrypting); Rotate() and ReplaceKek() take the
// writer lock for their store call. The DekStore must outlive the ring.
//
// Errors, besides those named per method: kInvalidArgument for a KEK that is not 32 bytes or a
// plaintext over 2 GiB; store errors are passed up with a "key ring" prefix; kInternal if
// libcrypto or the random generator fails.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "crypto/secret.h"

namespace vigil::crypto {

// One DEK as stored in the database: its version and its bytes wrapped by the KEK.
struct WrappedDek {
  std::uint32_t version = 0;
  std::vector<std::uint8_t> wrapped;  // A sealed value (layout above) under the KEK, version 0.
  std::int64_t created_unix = 0;
};

// Where the wrapped DEKs are kept. The SQLite store implements it (table key_ring); tests use
// an in-memory one. Implementations are thread-safe.
class DekStore {
 public:
  virtual ~DekStore() = default;
  virtual Result<std::vector<WrappedDek>> LoadDeks() = 0;
  virtual Status AddDek(const WrappedDek& dek) = 0;  // kAlreadyExists if the version exists.
  // Replaces every stored DEK in one transaction (used when the KEK changes).
  virtual Status ReplaceAllDeks(const std::vector<WrappedDek>& deks) = 0;
};

// Reads the 32-byte KEK at `path`, creating it with mode 0600 (and missing folders with 0700)
// if it does not exist. A new file holds 64 lowercase hex digits and a newline; it is written
// under a temporary name and linked into place, so no reader ever sees a partial key and two
// processes starting together end up with the same one. Fails with kPermissionDenied if an
// existing file is readable or writable by group or others or is owned by another user (the
// message names the path and the mode), and kDataLoss if it is not exactly 32 raw bytes or 64
// hex digits with an optional trailing newline. kUnavailable for other I/O failures.
Result<SecretBytes> LoadOrCreateKekFile(const std::filesystem::path& path);

// Reads an existing KEK file (same checks) without creating one: kNotFound if it is absent,
// kInvalidArgument if it is not a regular file.
Result<SecretBytes> LoadKekFile(const std::filesystem::path& path);

class KeyRing {
 public:
  // Opens the ring with `kek` over `store`, creating DEK version 1 if the store holds none.
  // kDataLoss if a stored DEK does not unwrap under `kek` (wrong key file).
  static Result<std::unique_ptr<KeyRing>> Open(SecretBytes kek, DekStore& store,
                                               std::int64_t now_unix);

  // Seals `plaintext` under the newest DEK, binding `associated_data`.
  Result<std::vector<std::uint8_t>> Seal(std::span<const std::uint8_t> plaintext,
                                         std::span<const std::uint8_t> associated_data) const;
  Result<std::vector<std::uint8_t>> Seal(std::string_view plaintext,
                                         std::string_view associated_data) const;

  // Opens a sealed value. kDataLoss if it was altered, was sealed with other associated data,
  // or names an unknown DEK version.
  Result<SecretBytes> Open(std::span<const std::uint8_t> sealed,
                           std::span<const std::uint8_t> associated_data) const;
  Result<SecretBytes> Open(std::span<const std::uint8_t> sealed,
                           std::string_view associated_data) const;

  // The DEK version a sealed value names, without opening it (kInvalidArgument if malformed).
  static Result<std::uint32_t> SealedVersion(std::span<const std::uint8_t> sealed);

  // A 32-byte key for `purpose` (for example "audit-hmac"), derived with HKDF-SHA-256 from the
  // DEK of `version`. Stable across KEK replacement. kNotFound for an unknown version.
  Result<SecretBytes> DeriveKey(std::string_view purpose, std::uint32_t version) const;

  std::uint32_t current_version() const;
  std::vector<std::uint32_t> versions() const;

  // Adds a new DEK version and makes it current; old versions stay for Open().
  Status Rotate(std::int64_t now_unix);

  // Re-wraps every DEK under `new_kek` (one transaction in the store) and uses it from now on.
  Status ReplaceKek(SecretBytes new_kek);

  ~KeyRing();
  KeyRing(const KeyRing&) = delete;
  KeyRing& operator=(const KeyRing&) = delete;

 private:
  struct Dek;  // A DEK, its metadata and its cached cipher context (key_ring.cc).

  KeyRing(SecretBytes kek, DekStore& store);
  Status LoadFromStore(std::int64_t now_unix);
  Dek* Find(std::uint32_t version) const;  // nullptr if absent; caller holds mu_.

  // Serialises Rotate() and ReplaceKek(). They call the DekStore (a store write) holding only
  // this, never mu_, so a concurrent write that seals a value cannot deadlock with them.
  std::mutex admin_mu_;
  mutable std::shared_mutex mu_;  // Guards kek_ and the deks_ vector.
  SecretBytes kek_;
  DekStore& store_;
  std::vector<std::unique_ptr<Dek>> deks_;  // Ascending by version, never empty once open.
};

}  // namespace vigil::crypto
