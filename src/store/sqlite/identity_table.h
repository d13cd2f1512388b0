#pragma once

// IdentityTable: store::IdentityRepo over the users, recovery_codes and api_tokens tables of one
// connection (schema in migrations.cc, version 2). Duplicates are caught by the UNIQUE
// constraints and reported as kAlreadyExists naming the key, in the fake's words; arguments are
// checked first with store/identity_checks.h, so the in-memory fake refuses the same input.
// Thread safety: as its Database (one thread at a time).

#include "store/identity_repo.h"
#include "store/sqlite/database.h"

namespace vigil::store::sqlite {

class IdentityTable final : public IdentityRepo {
 public:
  explicit IdentityTable(Database& db) : db_(db) {}

  Result<UserRecord> GetUser(std::string_view id) const override;
  Result<UserRecord> FindUserByName(std::string_view username) const override;
  Result<std::vector<UserRecord>> ListUsers() const override;
  Result<std::vector<RecoveryCodeRecord>> RecoveryCodes(std::string_view user_id) const override;
  Result<TokenRecord> GetToken(std::string_view id) const override;
  Result<TokenRecord> FindTokenByHash(std::span<const std::uint8_t> hash) const override;
  Result<std::vector<TokenRecord>> ListTokens() const override;

  Status AddUser(const UserRecord& user) override;
  Status UpdateUser(const UserRecord& user) override;
  Status ReplaceRecoveryCodes(std::string_view user_id,
                              const std::vector<std::vector<std::uint8_t>>& code_hashes) override;
  Status UseRecoveryCode(std::string_view user_id, std::span<const std::uint8_t> code_hash,
                         std::int64_t now_unix) override;
  Status AddToken(const TokenRecord& token) override;
  Status UpdateToken(const TokenRecord& token) override;

 private:
  // Whether `sql`, a SELECT with one parameter, finds a row for `key`.
  Result<bool> HasRow(std::string_view sql, std::string_view key, std::string_view context) const;
  // kNotFound naming the user unless a user with `id` exists.
  Status NeedUser(std::string_view id, std::string_view context) const;
  // Deletes the user's codes and inserts `code_hashes` as unused ones.
  Status WriteCodes(std::string_view user_id,
                    const std::vector<std::vector<std::uint8_t>>& code_hashes,
                    std::string_view context);

  Database& db_;
};

}  // namespace vigil::store::sqlite
