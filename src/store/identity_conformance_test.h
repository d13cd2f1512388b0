#pragma once

// The identity repository's behaviour every Store implementation shares (identity_repo.h), as a
// typed GoogleTest suite beside StoreConformance. It needs only the harness's store():
//
//   INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, IdentityConformance, Harness);

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/store.h"

namespace vigil::store::testing {

inline constexpr std::int64_t kIdentityNow = 1700000000;

// 32 decimal (so hex) digits ending in `n`, like a vigil::Id.
inline std::string TestId(int n) {
  const std::string digits = std::to_string(n);
  return std::string(32 - digits.size(), '0') + digits;
}

inline std::vector<std::uint8_t> TestHash(std::uint8_t fill) {
  return std::vector<std::uint8_t>(32, fill);
}

// A user with every field set; an update to UpdateUserReplacesEveryField's record changes each.
inline UserRecord MakeUser(std::string username, int n) {
  return UserRecord{.id = TestId(n),
                    .username = std::move(username),
                    .role = "security_analyst",
                    .password_hash = "$argon2id$v=19$m=65536,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
                    .must_change_password = true,
                    .disabled = false,
                    .emergency = true,
                    .mfa_enrolled = false,
                    .totp_last_step = 56666666 + n,
                    .failed_logins = 2,
                    .locked_until_unix = kIdentityNow + 900,
                    .created_unix = kIdentityNow + n,
                    .password_changed_unix = kIdentityNow + 10 + n,
                    .last_login_unix = kIdentityNow + 20 + n};
}

// A token of `user_id` with every field set, its hash filled with `n`.
inline TokenRecord MakeToken(int n, std::string user_id, std::int64_t created_unix = kIdentityNow) {
  return TokenRecord{.id = TestId(1000 + n),
                     .user_id = std::move(user_id),
                     .name = "token-" + std::to_string(n),
                     .token_hash = TestHash(static_cast<std::uint8_t>(n)),
                     .scopes = {"audit.read", "tokens.own"},
                     .created_unix = created_unix,
                     .expires_unix = created_unix + 86400,
                     .last_used_unix = created_unix + 60,
                     .revoked_unix = 0};
}

// Runs `fn` on the identity reader of a read transaction and returns its result.
template <typename Fn>
auto ReadIdentity(const Store& store, Fn fn)
    -> decltype(fn(std::declval<const IdentityReader&>())) {
  decltype(fn(std::declval<const IdentityReader&>())) result =
      MakeError(ErrorCode::kInternal, "identity read did not run");
  const Status status = store.Read([&](ReadTransaction& tx) -> Status {
    result = fn(tx.identity());
    return OkStatus();
  });
  if (!status) return tl::unexpected(status.error());
  return result;
}

template <typename Fn>
Status WriteIdentity(Store& store, Fn fn) {
  return store.Write([&](Transaction& tx) -> Status { return fn(tx.identity()); });
}

inline Status AddUser(Store& store, const UserRecord& user) {
  return WriteIdentity(store, [&](IdentityRepo& repo) { return repo.AddUser(user); });
}

inline Status AddToken(Store& store, const TokenRecord& token) {
  return WriteIdentity(store, [&](IdentityRepo& repo) { return repo.AddToken(token); });
}

inline Status ReplaceCodes(Store& store, std::string_view user_id,
                           const std::vector<std::vector<std::uint8_t>>& hashes) {
  return WriteIdentity(
      store, [&](IdentityRepo& repo) { return repo.ReplaceRecoveryCodes(user_id, hashes); });
}

inline Status UseCode(Store& store, std::string_view user_id, std::uint8_t fill,
                      std::int64_t now_unix = kIdentityNow) {
  return WriteIdentity(store, [&](IdentityRepo& repo) {
    return repo.UseRecoveryCode(user_id, TestHash(fill), now_unix);
  });
}

inline Result<UserRecord> GetUser(const Store& store, std::string_view id) {
  return ReadIdentity(store, [&](const IdentityReader& repo) { return repo.GetUser(id); });
}

inline Result<UserRecord> FindUser(const Store& store, std::string_view username) {
  return ReadIdentity(store,
                      [&](const IdentityReader& repo) { return repo.FindUserByName(username); });
}

inline Result<std::vector<RecoveryCodeRecord>> RecoveryCodes(const Store& store,
                                                             std::string_view user_id) {
  return ReadIdentity(store,
                      [&](const IdentityReader& repo) { return repo.RecoveryCodes(user_id); });
}

inline Result<TokenRecord> GetToken(const Store& store, std::string_view id) {
  return ReadIdentity(store, [&](const IdentityReader& repo) { return repo.GetToken(id); });
}

inline Result<TokenRecord> FindToken(const Store& store, const std::vector<std::uint8_t>& hash) {
  return ReadIdentity(store,
                      [&](const IdentityReader& repo) { return repo.FindTokenByHash(hash); });
}

// ListUsers() as user names; empty (and a failed expectation) on error.
inline std::vector<std::string> UserNames(const Store& store) {
  auto users = ReadIdentity(store, [](const IdentityReader& repo) { return repo.ListUsers(); });
  EXPECT_TRUE(users) << users.error().message;
  std::vector<std::string> names;
  if (users) {
    for (const UserRecord& user : *users) names.push_back(user.username);
  }
  return names;
}

// ListTokens() as token ids; empty (and a failed expectation) on error.
inline std::vector<std::string> TokenIds(const Store& store) {
  auto tokens = ReadIdentity(store, [](const IdentityReader& repo) { return repo.ListTokens(); });
  EXPECT_TRUE(tokens) << tokens.error().message;
  std::vector<std::string> ids;
  if (tokens) {
    for (const TokenRecord& token : *tokens) ids.push_back(token.id);
  }
  return ids;
}

template <typename Harness>
class IdentityConformance : public ::testing::Test {
 protected:
  Store& store() { return harness_.store(); }

  Harness harness_;
};

TYPED_TEST_SUITE_P(IdentityConformance);

TYPED_TEST_P(IdentityConformance, UserIsFoundByIdAndByName) {
  const UserRecord alice = MakeUser("alice", 1);

  auto added = AddUser(this->store(), alice);

  ASSERT_TRUE(added) << added.error().message;
  auto by_id = GetUser(this->store(), alice.id);
  auto by_name = FindUser(this->store(), "alice");
  ASSERT_TRUE(by_id) << by_id.error().message;
  ASSERT_TRUE(by_name) << by_name.error().message;
  EXPECT_EQ(*by_id, alice);
  EXPECT_EQ(*by_name, alice);
}

TYPED_TEST_P(IdentityConformance, UsersListAscendingByName) {
  ASSERT_TRUE(AddUser(this->store(), MakeUser("carol", 1)));
  ASSERT_TRUE(AddUser(this->store(), MakeUser("alice", 2)));
  ASSERT_TRUE(AddUser(this->store(), MakeUser("bob", 3)));

  const auto names = UserNames(this->store());

  EXPECT_EQ(names, (std::vector<std::string>{"alice", "bob", "carol"}));
}

TYPED_TEST_P(IdentityConformance, UpdateUserReplacesEveryField) {
  ASSERT_TRUE(AddUser(this->store(), MakeUser("alice", 1)));
  const UserRecord changed{.id = TestId(1),
                           .username = "alice.smith",
                           .role = "admin",
                           .password_hash = "$argon2id$v=19$m=65536,t=3,p=1$bmV3c2FsdA$bmV3aGFzaA",
                           .must_change_password = false,
                           .disabled = true,
                           .emergency = false,
                           .mfa_enrolled = true,
                           .totp_last_step = 1,
                           .failed_logins = 0,
                           .locked_until_unix = 0,
                           .created_unix = 5,
                           .password_changed_unix = 6,
                           .last_login_unix = 0};

  auto updated =
      WriteIdentity(this->store(), [&](IdentityRepo& repo) { return repo.UpdateUser(changed); });

  ASSERT_TRUE(updated) << updated.error().message;
  auto got = GetUser(this->store(), TestId(1));
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(*got, changed);
  EXPECT_EQ(UserNames(this->store()), (std::vector<std::string>{"alice.smith"}));
}

TYPED_TEST_P(IdentityConformance, DuplicateUserNameIsAlreadyExists) {
  ASSERT_TRUE(AddUser(this->store(), MakeUser("alice", 1)));

  auto again = AddUser(this->store(), MakeUser("alice", 2));

  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists) << again.error().message;
  EXPECT_NE(again.error().message.find("user name"), std::string::npos) << again.error().message;
  auto kept = FindUser(this->store(), "alice");
  ASSERT_TRUE(kept) << kept.error().message;
  EXPECT_EQ(kept->id, TestId(1));
}

TYPED_TEST_P(IdentityConformance, DuplicateUserIdIsAlreadyExists) {
  ASSERT_TRUE(AddUser(this->store(), MakeUser("alice", 1)));

  auto again = AddUser(this->store(), MakeUser("bob", 1));

  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists) << again.error().message;
  EXPECT_EQ(UserNames(this->store()), (std::vector<std::string>{"alice"}));
}

TYPED_TEST_P(IdentityConformance, RenamingAUserToATakenNameIsAlreadyExists) {
  ASSERT_TRUE(AddUser(this->store(), MakeUser("alice", 1)));
  ASSERT_TRUE(AddUser(this->store(), MakeUser("bob", 2)));

  auto renamed = WriteIdentity(
      this->store(), [](IdentityRepo& repo) { return repo.UpdateUser(MakeUser("alice", 2)); });

  ASSERT_FALSE(renamed);
  EXPECT_EQ(renamed.error().code, ErrorCode::kAlreadyExists) << renamed.error().message;
  EXPECT_EQ(UserNames(this->store()), (std::vector<std::string>{"alice", "bob"}));
}

TYPED_TEST_P(IdentityConformance, UnknownUserIsNotFound) {
  const std::string id = TestId(7);

  auto got = GetUser(this->store(), id);
  auto found = FindUser(this->store(), "nobody");
  auto codes = RecoveryCodes(this->store(), id);
  auto updated = WriteIdentity(
      this->store(), [](IdentityRepo& repo) { return repo.UpdateUser(MakeUser("x", 7)); });
  auto replaced = ReplaceCodes(this->store(), id, {TestHash(1)});

  for (const Error& error :
       {got.error(), found.error(), codes.error(), updated.error(), replaced.error()}) {
    EXPECT_EQ(error.code, ErrorCode::kNotFound) << error.message;
  }
  EXPECT_NE(got.error().message.find(id), std::string::npos) << got.error().message;
  EXPECT_NE(found.error().message.find("nobody"), std::string::npos) << found.error().message;
}

TYPED_TEST_P(IdentityConformance, EmptyUserIdOrNameIsInvalidArgument) {
  UserRecord no_id = MakeUser("alice", 1);
  no_id.id.clear();

  auto added_no_id = AddUser(this->store(), no_id);
  auto added_no_name = AddUser(this->store(), MakeUser("", 2));
  auto got = GetUser(this->store(), "");
  auto found = FindUser(this->store(), "");

  for (const Error& error :
       {added_no_id.error(), added_no_name.error(), got.error(), found.error()}) {
    EXPECT_EQ(error.code, ErrorCode::kInvalidArgument) << error.message;
  }
  EXPECT_TRUE(UserNames(this->store()).empty());
}

TYPED_TEST_P(IdentityConformance, UserAddedInAWriteIsReadableInIt) {
  Result<UserRecord> seen = MakeError(ErrorCode::kInternal, "not run");

  ASSERT_TRUE(WriteIdentity(this->store(), [&](IdentityRepo& repo) -> Status {
    VIGIL_RETURN_IF_ERROR(repo.AddUser(MakeUser("alice", 1)));
    seen = repo.FindUserByName("alice");
    return OkStatus();
  }));

  ASSERT_TRUE(seen) << seen.error().message;
  EXPECT_EQ(seen->id, TestId(1));
}

TYPED_TEST_P(IdentityConformance, RecoveryCodesAreReplacedAndKeptInOrder) {
  const std::string id = TestId(1);
  ASSERT_TRUE(AddUser(this->store(), MakeUser("alice", 1)));
  ASSERT_TRUE(ReplaceCodes(this->store(), id, {TestHash(1), TestHash(2)}));
  ASSERT_TRUE(UseCode(this->store(), id, 1));

  auto replaced = ReplaceCodes(this->store(), id, {TestHash(9), TestHash(3), TestHash(5)});

  ASSERT_TRUE(replaced) << replaced.error().message;
  auto codes = RecoveryCodes(this->store(), id);
  ASSERT_TRUE(codes) << codes.error().message;
  const auto unused = [&](std::uint8_t fill) {
    return RecoveryCodeRecord{.user_id = id, .code_hash = TestHash(fill), .used_unix = 0};
  };
  EXPECT_EQ(*codes, (std::vector<RecoveryCodeRecord>{unused(9), unused(3), unused(5)}));
}

TYPED_TEST_P(IdentityConformance, RecoveryCodeIsUsableOnce) {
  const std::string id = TestId(1);
  ASSERT_TRUE(AddUser(this->store(), MakeUser("alice", 1)));
  ASSERT_TRUE(ReplaceCodes(this->store(), id, {TestHash(1), TestHash(2)}));

  auto first = UseCode(this->store(), id, 2, kIdentityNow + 5);
  auto second = UseCode(this->store(), id, 2, kIdentityNow + 6);

  ASSERT_TRUE(first) << first.error().message;
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kNotFound) << second.error().message;
  auto codes = RecoveryCodes(this->store(), id);
  ASSERT_TRUE(codes && codes->size() == 2);
  EXPECT_EQ((*codes)[0].used_unix, 0);
  EXPECT_EQ((*codes)[1].used_unix, kIdentityNow + 5);
}

TYPED_TEST_P(IdentityConformance, AnotherUsersRecoveryCodeIsNotFound) {
  ASSERT_TRUE(AddUser(this->store(), MakeUser("alice", 1)));
  ASSERT_TRUE(AddUser(this->store(), MakeUser("bob", 2)));
  ASSERT_TRUE(ReplaceCodes(this->store(), TestId(1), {TestHash(1)}));
  ASSERT_TRUE(ReplaceCodes(this->store(), TestId(2), {TestHash(2)}));

  auto used = UseCode(this->store(), TestId(2), 1);

  ASSERT_FALSE(used);
  EXPECT_EQ(used.error().code, ErrorCode::kNotFound) << used.error().message;
  auto alices = RecoveryCodes(this->store(), TestId(1));
  ASSERT_TRUE(alices && alices->size() == 1);
  EXPECT_EQ((*alices)[0].used_unix, 0);
}

TYPED_TEST_P(IdentityConformance, RecoveryCodeUseAtTimeZeroIsInvalidArgument) {
  ASSERT_TRUE(AddUser(this->store(), MakeUser("alice", 1)));
  ASSERT_TRUE(ReplaceCodes(this->store(), TestId(1), {TestHash(1)}));

  auto used = UseCode(this->store(), TestId(1), 1, 0);

  ASSERT_FALSE(used);
  EXPECT_EQ(used.error().code, ErrorCode::kInvalidArgument) << used.error().message;
}

TYPED_TEST_P(IdentityConformance, TokenIsFoundByIdAndByHash) {
  ASSERT_TRUE(AddUser(this->store(), MakeUser("alice", 1)));
  const TokenRecord token = MakeToken(1, TestId(1));

  auto added = AddToken(this->store(), token);

  ASSERT_TRUE(added) << added.error().message;
  auto by_id = GetToken(this->store(), token.id);
  auto by_hash = FindToken(this->store(), token.token_hash);
  ASSERT_TRUE(by_id) << by_id.error().message;
  ASSERT_TRUE(by_hash) << by_hash.error().message;
  EXPECT_EQ(*by_id, token);
  EXPECT_EQ(*by_hash, token);
}

TYPED_TEST_P(IdentityConformance, TokenScopesAreStoredSorted) {
  ASSERT_TRUE(AddUser(this->store(), MakeUser("alice", 1)));
  TokenRecord token = MakeToken(1, TestId(1));
  token.scopes = {"users.read", "audit.read", "self"};

  ASSERT_TRUE(AddToken(this->store(), token));

  auto got = GetToken(this->store(), token.id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->scopes, (std::vector<std::string>{"audit.read", "self", "users.read"}));
}

TYPED_TEST_P(IdentityConformance, TokenWithoutScopesKeepsNone) {
  ASSERT_TRUE(AddUser(this->store(), MakeUser("alice", 1)));
  TokenRecord token = MakeToken(1, TestId(1));
  token.scopes.clear();

  ASSERT_TRUE(AddToken(this->store(), token));

  auto got = GetToken(this->store(), token.id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_TRUE(got->scopes.empty());
}

TYPED_TEST_P(IdentityConformance, ScopeWithASpaceOrEmptyIsInvalidArgument) {
  ASSERT_TRUE(AddUser(this->store(), MakeUser("alice", 1)));
  TokenRecord spaced = MakeToken(1, TestId(1));
  spaced.scopes = {"audit.read users.read"};
  TokenRecord empty = MakeToken(2, TestId(1));
  empty.scopes = {""};

  auto added_spaced = AddToken(this->store(), spaced);
  auto added_empty = AddToken(this->store(), empty);

  ASSERT_FALSE(added_spaced);
  EXPECT_EQ(added_spaced.error().code, ErrorCode::kInvalidArgument);
  ASSERT_FALSE(added_empty);
  EXPECT_EQ(added_empty.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(TokenIds(this->store()).empty());
}

TYPED_TEST_P(IdentityConformance, UpdateTokenReplacesEveryField) {
  ASSERT_TRUE(AddUser(this->store(), MakeUser("alice", 1)));
  ASSERT_TRUE(AddUser(this->store(), MakeUser("bob", 2)));
  ASSERT_TRUE(AddToken(this->store(), MakeToken(1, TestId(1))));
  const TokenRecord changed{.id = MakeToken(1, "").id,
                            .user_id = TestId(2),
                            .name = "renamed",
                            .token_hash = TestHash(0xee),
                            .scopes = {"self"},
                            .created_unix = 11,
                            .expires_unix = 12,
                            .last_used_unix = 13,
                            .revoked_unix = 14};

  auto updated =
      WriteIdentity(this->store(), [&](IdentityRepo& repo) { return repo.UpdateToken(changed); });

  ASSERT_TRUE(updated) << updated.error().message;
  auto got = GetToken(this->store(), changed.id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(*got, changed);
  auto old_hash = FindToken(this->store(), TestHash(1));
  ASSERT_FALSE(old_hash);
  EXPECT_EQ(old_hash.error().code, ErrorCode::kNotFound);
}

TYPED_TEST_P(IdentityConformance, TokensListByCreationTimeThenId) {
  ASSERT_TRUE(AddUser(this->store(), MakeUser("alice", 1)));
  ASSERT_TRUE(AddToken(this->store(), MakeToken(3, TestId(1), 20)));
  ASSERT_TRUE(AddToken(this->store(), MakeToken(2, TestId(1), 10)));
  ASSERT_TRUE(AddToken(this->store(), MakeToken(1, TestId(1), 20)));

  const auto ids = TokenIds(this->store());

  EXPECT_EQ(ids, (std::vector<std::string>{TestId(1002), TestId(1001), TestId(1003)}));
}

TYPED_TEST_P(IdentityConformance, DuplicateTokenHashIsAlreadyExists) {
  ASSERT_TRUE(AddUser(this->store(), MakeUser("alice", 1)));
  ASSERT_TRUE(AddToken(this->store(), MakeToken(1, TestId(1))));
  TokenRecord same_hash = MakeToken(2, TestId(1));
  same_hash.token_hash = TestHash(1);

  auto again = AddToken(this->store(), same_hash);

  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists) << again.error().message;
  EXPECT_NE(again.error().message.find("token hash"), std::string::npos) << again.error().message;
  EXPECT_EQ(TokenIds(this->store()), (std::vector<std::string>{TestId(1001)}));
}

TYPED_TEST_P(IdentityConformance, UpdatingATokenToATakenHashIsAlreadyExists) {
  ASSERT_TRUE(AddUser(this->store(), MakeUser("alice", 1)));
  ASSERT_TRUE(AddToken(this->store(), MakeToken(1, TestId(1))));
  ASSERT_TRUE(AddToken(this->store(), MakeToken(2, TestId(1))));
  TokenRecord second = MakeToken(2, TestId(1));
  second.token_hash = TestHash(1);

  auto updated =
      WriteIdentity(this->store(), [&](IdentityRepo& repo) { return repo.UpdateToken(second); });

  ASSERT_FALSE(updated);
  EXPECT_EQ(updated.error().code, ErrorCode::kAlreadyExists) << updated.error().message;
  auto kept = GetToken(this->store(), second.id);
  ASSERT_TRUE(kept) << kept.error().message;
  EXPECT_EQ(kept->token_hash, TestHash(2));
}

TYPED_TEST_P(IdentityConformance, DuplicateTokenIdIsAlreadyExists) {
  ASSERT_TRUE(AddUser(this->store(), MakeUser("alice", 1)));
  ASSERT_TRUE(AddToken(this->store(), MakeToken(1, TestId(1))));
  TokenRecord same_id = MakeToken(2, TestId(1));
  same_id.id = TestId(1001);

  auto again = AddToken(this->store(), same_id);

  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists) << again.error().message;
  auto kept = GetToken(this->store(), TestId(1001));
  ASSERT_TRUE(kept) << kept.error().message;
  EXPECT_EQ(kept->token_hash, TestHash(1));
}

TYPED_TEST_P(IdentityConformance, UnknownTokenIsNotFound) {
  ASSERT_TRUE(AddUser(this->store(), MakeUser("alice", 1)));

  auto got = GetToken(this->store(), TestId(1001));
  auto found = FindToken(this->store(), TestHash(1));
  auto updated = WriteIdentity(
      this->store(), [](IdentityRepo& repo) { return repo.UpdateToken(MakeToken(1, TestId(1))); });

  for (const Error& error : {got.error(), found.error(), updated.error()}) {
    EXPECT_EQ(error.code, ErrorCode::kNotFound) << error.message;
  }
  EXPECT_NE(got.error().message.find(TestId(1001)), std::string::npos) << got.error().message;
}

TYPED_TEST_P(IdentityConformance, TokenOfAnUnknownUserIsNotFound) {
  auto added = AddToken(this->store(), MakeToken(1, TestId(9)));

  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().code, ErrorCode::kNotFound) << added.error().message;
  EXPECT_NE(added.error().message.find(TestId(9)), std::string::npos) << added.error().message;
  EXPECT_TRUE(TokenIds(this->store()).empty());
}

TYPED_TEST_P(IdentityConformance, FailedWriteLeavesNoIdentityRows) {
  auto failed = WriteIdentity(this->store(), [](IdentityRepo& repo) -> Status {
    VIGIL_RETURN_IF_ERROR(repo.AddUser(MakeUser("alice", 1)));
    VIGIL_RETURN_IF_ERROR(repo.ReplaceRecoveryCodes(TestId(1), {TestHash(1)}));
    VIGIL_RETURN_IF_ERROR(repo.AddToken(MakeToken(1, TestId(1))));
    return MakeError(ErrorCode::kInternal, "abort");
  });

  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message, "abort");
  auto got = GetUser(this->store(), TestId(1));
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(UserNames(this->store()).empty());
  EXPECT_TRUE(TokenIds(this->store()).empty());
}

TYPED_TEST_P(IdentityConformance, IdentityReadSeesASnapshot) {
  ASSERT_TRUE(AddUser(this->store(), MakeUser("alice", 1)));
  std::vector<std::string> before, after;
  Status added;

  ASSERT_TRUE(this->store().Read([&](ReadTransaction& tx) -> Status {
    auto first = tx.identity().ListUsers();
    if (!first) return tl::unexpected(first.error());
    for (const UserRecord& user : *first) before.push_back(user.username);
    added = AddUser(this->store(), MakeUser("bob", 2));
    auto second = tx.identity().ListUsers();
    if (!second) return tl::unexpected(second.error());
    for (const UserRecord& user : *second) after.push_back(user.username);
    return OkStatus();
  }));

  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(before, (std::vector<std::string>{"alice"}));
  EXPECT_EQ(after, (std::vector<std::string>{"alice"}));
  EXPECT_EQ(UserNames(this->store()), (std::vector<std::string>{"alice", "bob"}));
}

REGISTER_TYPED_TEST_SUITE_P(IdentityConformance, UserIsFoundByIdAndByName, UsersListAscendingByName,
                            UpdateUserReplacesEveryField, DuplicateUserNameIsAlreadyExists,
                            DuplicateUserIdIsAlreadyExists,
                            RenamingAUserToATakenNameIsAlreadyExists, UnknownUserIsNotFound,
                            EmptyUserIdOrNameIsInvalidArgument, UserAddedInAWriteIsReadableInIt,
                            RecoveryCodesAreReplacedAndKeptInOrder, RecoveryCodeIsUsableOnce,
                            AnotherUsersRecoveryCodeIsNotFound,
                            RecoveryCodeUseAtTimeZeroIsInvalidArgument, TokenIsFoundByIdAndByHash,
                            TokenScopesAreStoredSorted, TokenWithoutScopesKeepsNone,
                            ScopeWithASpaceOrEmptyIsInvalidArgument, UpdateTokenReplacesEveryField,
                            TokensListByCreationTimeThenId, DuplicateTokenHashIsAlreadyExists,
                            UpdatingATokenToATakenHashIsAlreadyExists,
                            DuplicateTokenIdIsAlreadyExists, UnknownTokenIsNotFound,
                            TokenOfAnUnknownUserIsNotFound, FailedWriteLeavesNoIdentityRows,
                            IdentityReadSeesASnapshot);

}  // namespace vigil::store::testing
