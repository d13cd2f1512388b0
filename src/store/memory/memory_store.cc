#include "store/memory/memory_store.h"

#include <algorithm>
#include <exception>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "store/identity_checks.h"
#include "store/memory/devices.h"
#include "store/memory/inventory.h"
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
  std::int64_t next_secret_id = 1;                         // Never reused, as with AUTOINCREMENT.
  std::map<std::string, UserRecord, std::less<>> users;    // By id.
  std::vector<RecoveryCodeRecord> recovery_codes;          // All users', in insertion order.
  std::map<std::string, TokenRecord, std::less<>> tokens;  // By id.
  DeviceState devices;
  InventoryState inventory;
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

// Checks everything before changing anything, so a failed call leaves the state as it was.
class Identity final : public IdentityRepo {
 public:
  Identity(const State& state, State* mut) : state_(state), mut_(mut) {}

  Result<UserRecord> GetUser(std::string_view id) const override {
    VIGIL_RETURN_IF_ERROR(CheckNotEmpty(id, "user id", "identity get user"));
    auto it = state_.users.find(id);
    if (it == state_.users.end()) return UserNotFound(id);
    return it->second;
  }

  Result<UserRecord> FindUserByName(std::string_view username) const override {
    VIGIL_RETURN_IF_ERROR(CheckNotEmpty(username, "user name", "identity find user"));
    const UserRecord* user = ByName(username);
    if (user == nullptr) return UserNameNotFound(username);
    return *user;
  }

  Result<std::vector<UserRecord>> ListUsers() const override {
    std::vector<UserRecord> result;
    for (const auto& [id, user] : state_.users) result.push_back(user);
    std::sort(result.begin(), result.end(),
              [](const UserRecord& a, const UserRecord& b) { return a.username < b.username; });
    return result;
  }

  Result<std::vector<RecoveryCodeRecord>> RecoveryCodes(std::string_view user_id) const override {
    const std::string context = "identity recovery codes of '" + std::string(user_id) + "'";
    VIGIL_RETURN_IF_ERROR(CheckNotEmpty(user_id, "user id", context));
    VIGIL_RETURN_IF_ERROR(NeedUser(user_id, context));
    std::vector<RecoveryCodeRecord> result;
    for (const RecoveryCodeRecord& code : state_.recovery_codes) {
      if (code.user_id == user_id) result.push_back(code);
    }
    return result;
  }

  Result<TokenRecord> GetToken(std::string_view id) const override {
    VIGIL_RETURN_IF_ERROR(CheckNotEmpty(id, "token id", "identity get token"));
    auto it = state_.tokens.find(id);
    if (it == state_.tokens.end()) return TokenNotFound(id);
    return it->second;
  }

  Result<TokenRecord> FindTokenByHash(std::span<const std::uint8_t> hash) const override {
    const TokenRecord* token = ByHash(hash);
    if (token == nullptr) return TokenHashNotFound();
    return *token;
  }

  Result<std::vector<TokenRecord>> ListTokens() const override {
    std::vector<TokenRecord> result;
    for (const auto& [id, token] : state_.tokens) result.push_back(token);
    // Stable: equal creation times stay in id order, as the map holds them.
    std::stable_sort(result.begin(), result.end(), [](const TokenRecord& a, const TokenRecord& b) {
      return a.created_unix < b.created_unix;
    });
    return result;
  }

  Status AddUser(const UserRecord& user) override {
    const std::string context = "identity add user '" + user.username + "'";
    VIGIL_RETURN_IF_ERROR(CheckUser(user, context));
    if (state_.users.contains(user.id)) return AlreadyExists(context, "user id '" + user.id + "'");
    if (ByName(user.username) != nullptr) return AlreadyExists(context, "user name");
    mut_->users.emplace(user.id, user);
    return OkStatus();
  }

  Status UpdateUser(const UserRecord& user) override {
    const std::string context = "identity update user '" + user.username + "'";
    VIGIL_RETURN_IF_ERROR(CheckUser(user, context));
    auto it = mut_->users.find(user.id);
    if (it == mut_->users.end()) return NotFound(UserNotFound(user.id), context);
    const UserRecord* same_name = ByName(user.username);
    if (same_name != nullptr && same_name->id != user.id) {
      return AlreadyExists(context, "user name");
    }
    it->second = user;
    return OkStatus();
  }

  Status ReplaceRecoveryCodes(std::string_view user_id,
                              const std::vector<std::vector<std::uint8_t>>& code_hashes) override {
    const std::string context = "identity replace recovery codes of '" + std::string(user_id) + "'";
    VIGIL_RETURN_IF_ERROR(CheckRecoveryCodes(user_id, code_hashes, context));
    VIGIL_RETURN_IF_ERROR(NeedUser(user_id, context));
    std::erase_if(mut_->recovery_codes,
                  [&](const RecoveryCodeRecord& code) { return code.user_id == user_id; });
    for (const auto& hash : code_hashes) {
      mut_->recovery_codes.push_back(
          RecoveryCodeRecord{.user_id = std::string(user_id), .code_hash = hash, .used_unix = 0});
    }
    return OkStatus();
  }

  Status UseRecoveryCode(std::string_view user_id, std::span<const std::uint8_t> code_hash,
                         std::int64_t now_unix) override {
    const std::string context = "identity use recovery code of '" + std::string(user_id) + "'";
    VIGIL_RETURN_IF_ERROR(CheckNotEmpty(user_id, "user id", context));
    if (now_unix <= 0) {
      return MakeError(ErrorCode::kInvalidArgument,
                       context + ": time " + std::to_string(now_unix) + " is not after 1970");
    }
    for (RecoveryCodeRecord& code : mut_->recovery_codes) {
      if (code.user_id == user_id && code.used_unix == 0 &&
          std::ranges::equal(code.code_hash, code_hash)) {
        code.used_unix = now_unix;
        return OkStatus();
      }
    }
    return RecoveryCodeNotFound(user_id);
  }

  Status AddToken(const TokenRecord& token) override {
    const std::string context = "identity add token '" + token.id + "'";
    auto checked = CheckedToken(token, context);
    if (!checked) return tl::unexpected(std::move(checked).error());
    VIGIL_RETURN_IF_ERROR(NeedUser(checked->user_id, context));
    if (state_.tokens.contains(checked->id)) return AlreadyExists(context, "token id");
    if (ByHash(checked->token_hash) != nullptr) return AlreadyExists(context, "token hash");
    mut_->tokens.emplace(checked->id, std::move(*checked));
    return OkStatus();
  }

  Status UpdateToken(const TokenRecord& token) override {
    const std::string context = "identity update token '" + token.id + "'";
    auto checked = CheckedToken(token, context);
    if (!checked) return tl::unexpected(std::move(checked).error());
    VIGIL_RETURN_IF_ERROR(NeedUser(checked->user_id, context));
    auto it = mut_->tokens.find(checked->id);
    if (it == mut_->tokens.end()) return NotFound(TokenNotFound(checked->id), context);
    const TokenRecord* same_hash = ByHash(checked->token_hash);
    if (same_hash != nullptr && same_hash->id != checked->id) {
      return AlreadyExists(context, "token hash");
    }
    it->second = std::move(*checked);
    return OkStatus();
  }

 private:
  const UserRecord* ByName(std::string_view username) const {
    for (const auto& [id, user] : state_.users) {
      if (user.username == username) return &user;
    }
    return nullptr;
  }

  const TokenRecord* ByHash(std::span<const std::uint8_t> hash) const {
    for (const auto& [id, token] : state_.tokens) {
      if (std::ranges::equal(token.token_hash, hash)) return &token;
    }
    return nullptr;
  }

  Status NeedUser(std::string_view id, std::string_view context) const {
    if (!state_.users.contains(id)) return NotFound(UserNotFound(id), context);
    return OkStatus();
  }

  static tl::unexpected<Error> NotFound(tl::unexpected<Error> error, std::string_view context) {
    return tl::unexpected(Annotate(std::move(error).value(), context));
  }

  const State& state_;
  State* mut_;
};

class WriteTx final : public Transaction {
 public:
  WriteTx(State& state, const crypto::KeyRing* ring)
      : audit_(state, &state),
        keys_(state, &state),
        secrets_(state, &state, ring),
        identity_(state, &state),
        devices_(state.devices, &state.devices),
        inventory_(state.inventory, &state.inventory) {}
  AuditRepo& audit() override { return audit_; }
  KeyRepo& keys() override { return keys_; }
  SecretRepo& secrets() override { return secrets_; }
  IdentityRepo& identity() override { return identity_; }
  DeviceRepo& devices() override { return devices_; }
  InventoryRepo& inventory() override { return inventory_; }

 private:
  Audit audit_;
  Keys keys_;
  Secrets secrets_;
  Identity identity_;
  Devices devices_;
  Inventory inventory_;
};

class ReadTx final : public ReadTransaction {
 public:
  ReadTx(const State& state, const crypto::KeyRing* ring)
      : audit_(state, nullptr),
        keys_(state, nullptr),
        secrets_(state, nullptr, ring),
        identity_(state, nullptr),
        devices_(state.devices, nullptr),
        inventory_(state.inventory, nullptr) {}
  const AuditReader& audit() override { return audit_; }
  const KeyReader& keys() override { return keys_; }
  const SecretReader& secrets() override { return secrets_; }
  const IdentityReader& identity() override { return identity_; }
  const DeviceReader& devices() override { return devices_; }
  const InventoryReader& inventory() override { return inventory_; }

 private:
  Audit audit_;
  Keys keys_;
  Secrets secrets_;
  Identity identity_;
  Devices devices_;
  Inventory inventory_;
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
