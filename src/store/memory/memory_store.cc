#include "store/memory/memory_store.h"

#include <algorithm>
#include <exception>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "store/run_callback.h"
#include "store/secret_sealing.h"

namespace vigil::store::memory {

struct SecretRow {
  std::int64_t id = 0;
  std::vector<std::uint8_t> value;  // Sealed.
  std::uint32_t key_version = 0;
};

// Audit rows are immutable once appended and shared between states, so copying the state for a
// write copies pointers, not rows.
struct State {
  std::vector<std::shared_ptr<const AuditRow>> audit;  // Ascending by seq.
  std::map<std::int64_t, AuditCheckpoint> checkpoints;
  std::map<std::uint32_t, StoredDek> deks;
  std::map<std::string, SecretRow, std::less<>> secrets;
  std::int64_t next_secret_id = 1;  // Never reused, as with AUTOINCREMENT.
};

namespace {

// Each repository reads `state` and, in a write transaction, changes it through `mut` (the
// same object); `mut` is null in a read transaction.
class Audit final : public AuditRepo {
 public:
  Audit(const State& state, State* mut) : state_(state), mut_(mut) {}

  Result<std::optional<AuditHead>> Head() const override {
    if (state_.audit.empty()) return std::optional<AuditHead>();
    const AuditRow& last = *state_.audit.back();
    return std::optional<AuditHead>(AuditHead{.seq = last.seq, .hash = last.hash});
  }

  Status Scan(std::int64_t first, std::int64_t last,
              const std::function<bool(const AuditRow&)>& visit) const override {
    if (last < 0) last = std::numeric_limits<std::int64_t>::max();
    for (auto it = LowerBound(first); it != state_.audit.end() && (*it)->seq <= last; ++it) {
      if (!visit(**it)) break;
    }
    return OkStatus();
  }

  Status ScanSince(std::int64_t since_unix_ns,
                   const std::function<bool(const AuditRow&)>& visit) const override {
    for (const auto& row : state_.audit) {
      if (row->time_unix_ns >= since_unix_ns && !visit(*row)) break;
    }
    return OkStatus();
  }

  Result<std::int64_t> Count() const override {
    return static_cast<std::int64_t>(state_.audit.size());
  }

  Result<std::optional<AuditCheckpoint>> LastCheckpoint() const override {
    if (state_.checkpoints.empty()) return std::optional<AuditCheckpoint>();
    return std::optional<AuditCheckpoint>(state_.checkpoints.rbegin()->second);
  }

  Result<std::vector<AuditCheckpoint>> Checkpoints() const override {
    std::vector<AuditCheckpoint> result;
    for (const auto& [seq, checkpoint] : state_.checkpoints) result.push_back(checkpoint);
    return result;
  }

  Status Append(const AuditRow& row) override {
    auto it = LowerBound(row.seq);
    if (it != state_.audit.end() && (*it)->seq == row.seq) {
      return MakeError(ErrorCode::kAlreadyExists,
                       "audit append: seq " + std::to_string(row.seq) + " already exists");
    }
    const auto index = it - state_.audit.begin();
    mut_->audit.insert(mut_->audit.begin() + index, std::make_shared<const AuditRow>(row));
    return OkStatus();
  }

  Status AddCheckpoint(const AuditCheckpoint& checkpoint) override {
    if (!mut_->checkpoints.emplace(checkpoint.seq, checkpoint).second) {
      return MakeError(
          ErrorCode::kAlreadyExists,
          "audit checkpoint: seq " + std::to_string(checkpoint.seq) + " already exists");
    }
    return OkStatus();
  }

 private:
  std::vector<std::shared_ptr<const AuditRow>>::const_iterator LowerBound(std::int64_t seq) const {
    return std::lower_bound(state_.audit.begin(), state_.audit.end(), seq,
                            [](const auto& row, std::int64_t s) { return row->seq < s; });
  }

  const State& state_;
  State* mut_;
};

class Keys final : public KeyRepo {
 public:
  Keys(const State& state, State* mut) : state_(state), mut_(mut) {}

  Result<std::vector<StoredDek>> Deks() const override {
    std::vector<StoredDek> result;
    for (const auto& [version, dek] : state_.deks) result.push_back(dek);
    return result;
  }

  Status AddDek(const StoredDek& dek) override {
    if (!mut_->deks.emplace(dek.version, dek).second) {
      return MakeError(ErrorCode::kAlreadyExists,
                       "key ring: dek version " + std::to_string(dek.version) + " already exists");
    }
    return OkStatus();
  }

  Status ReplaceAllDeks(const std::vector<StoredDek>& deks) override {
    mut_->deks.clear();
    for (const StoredDek& dek : deks) VIGIL_RETURN_IF_ERROR(AddDek(dek));
    return OkStatus();
  }

 private:
  const State& state_;
  State* mut_;
};

class Secrets final : public SecretRepo {
 public:
  Secrets(const State& state, State* mut, const crypto::KeyRing* ring)
      : state_(state), mut_(mut), ring_(ring) {}

  Result<crypto::SecretBytes> Get(std::string_view name) const override {
    VIGIL_RETURN_IF_ERROR(NeedRing());
    auto it = state_.secrets.find(name);
    if (it == state_.secrets.end()) return NotFound(name);
    return OpenSecret(*ring_, it->second.id, name, it->second.value);
  }

  Result<std::vector<SecretInfo>> List() const override {
    std::vector<SecretInfo> result;
    for (const auto& [name, row] : state_.secrets) {
      result.push_back(SecretInfo{.name = name, .key_version = row.key_version});
    }
    return result;
  }

  Status Put(std::string_view name, std::span<const std::uint8_t> value) override {
    VIGIL_RETURN_IF_ERROR(NeedRing());
    if (name.empty()) return MakeError(ErrorCode::kInvalidArgument, "secret put: empty name");
    // Seal first, so a failure leaves no row behind even if the caller goes on.
    auto it = mut_->secrets.find(name);
    const bool is_new = it == mut_->secrets.end();
    const std::int64_t id = is_new ? mut_->next_secret_id : it->second.id;
    auto sealed = SealSecret(*ring_, id, value);
    if (!sealed) return tl::unexpected(std::move(sealed).error());
    SecretRow row{.id = id, .value = std::move(sealed->value), .key_version = sealed->key_version};
    if (is_new) {
      mut_->secrets.emplace(std::string(name), std::move(row));
      ++mut_->next_secret_id;
    } else {
      it->second = std::move(row);
    }
    return OkStatus();
  }

  Status Remove(std::string_view name) override {
    auto it = mut_->secrets.find(name);
    if (it == mut_->secrets.end()) return NotFound(name);
    mut_->secrets.erase(it);
    return OkStatus();
  }

  Result<std::int64_t> ResealAll() override {
    VIGIL_RETURN_IF_ERROR(NeedRing());
    const std::uint32_t current = ring_->current_version();
    std::int64_t moved = 0;
    for (auto& [name, row] : mut_->secrets) {
      if (row.key_version == current) continue;
      auto opened = OpenSecret(*ring_, row.id, name, row.value);
      if (!opened) return tl::unexpected(std::move(opened).error());
      auto sealed = SealSecret(*ring_, row.id, opened->span());
      if (!sealed) return tl::unexpected(std::move(sealed).error());
      row.value = std::move(sealed->value);
      row.key_version = sealed->key_version;
      ++moved;
    }
    return moved;
  }

 private:
  Status NeedRing() const {
    if (ring_ == nullptr) {
      return MakeError(ErrorCode::kFailedPrecondition, "secrets: no key ring attached");
    }
    return OkStatus();
  }

  static tl::unexpected<Error> NotFound(std::string_view name) {
    return MakeError(ErrorCode::kNotFound, "secret '" + std::string(name) + "' not found");
  }

  const State& state_;
  State* mut_;
  const crypto::KeyRing* ring_;
};

class WriteTx final : public Transaction {
 public:
  WriteTx(State& state, const crypto::KeyRing* ring)
      : audit_(state, &state), keys_(state, &state), secrets_(state, &state, ring) {}
  AuditRepo& audit() override { return audit_; }
  KeyRepo& keys() override { return keys_; }
  SecretRepo& secrets() override { return secrets_; }

 private:
  Audit audit_;
  Keys keys_;
  Secrets secrets_;
};

class ReadTx final : public ReadTransaction {
 public:
  ReadTx(const State& state, const crypto::KeyRing* ring)
      : audit_(state, nullptr), keys_(state, nullptr), secrets_(state, nullptr, ring) {}
  const AuditReader& audit() override { return audit_; }
  const KeyReader& keys() override { return keys_; }
  const SecretReader& secrets() override { return secrets_; }

 private:
  Audit audit_;
  Keys keys_;
  Secrets secrets_;
};

}  // namespace

MemoryStore::MemoryStore() : state_(std::make_shared<const State>()) {}

MemoryStore::~MemoryStore() = default;

std::shared_ptr<const State> MemoryStore::Current() const {
  std::lock_guard lock(state_mu_);
  return state_;
}

Status MemoryStore::Write(const WriteFn& fn, Durability /*durability*/) {
  if (writer_.load() == std::this_thread::get_id()) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "store write: called from inside a write callback");
  }
  std::lock_guard write_lock(write_mu_);
  writer_.store(std::this_thread::get_id());
  auto next = std::make_shared<State>(*Current());
  WriteTx tx(*next, ring_.load());
  Status status = RunCallback(fn, tx, "store write");
  writer_.store(std::thread::id());
  if (!status) return status;
  std::lock_guard lock(state_mu_);
  state_ = std::move(next);
  return OkStatus();
}

Status MemoryStore::Read(const ReadFn& fn) const {
  const std::shared_ptr<const State> snapshot = Current();
  ReadTx tx(*snapshot, ring_.load());
  return RunCallback(fn, tx, "store read");
}

Status MemoryStore::Backup(const std::filesystem::path& /*destination*/) const {
  return MakeError(ErrorCode::kFailedPrecondition, "memory store: backup is not supported");
}

}  // namespace vigil::store::memory
