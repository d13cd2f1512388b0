// Every HTTP route against docs/permissions.md, and every role against every permission route.
//
// The router is built as `vigil serve` builds it (served_router.h). Its routes() are compared
// with the route table of docs/permissions.md both ways (a route added without a documented
// access fails, and so does a documented route that is gone), and the role table with RoleHas.
// Then every permission route is called through the router by a signed-in account of each role
// (403 exactly when the role lacks the permission), and every non-public route with no
// credentials at all (401). docs/api/openapi.yaml is checked by openapi_routes_test.cc.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "audit/event.h"
#include "core/clock.h"
#include "core/result.h"
#include "crypto/totp.h"
#include "doc_text.h"
#include "http/router.h"
#include "identity/permissions.h"
#include "served_router.h"
#include "server/identity_service.h"
#include "testing/fixtures.h"

namespace vigil {
namespace {

using ::vigil::testing::Lines;
using ::vigil::testing::Trim;

using identity::Permission;
using identity::Role;
using server::AuthOutcome;

// (method, path pattern): how the router and docs/permissions.md name a route.
using RouteKey = std::pair<std::string, std::string>;

constexpr std::string_view kGranted = "\u2713";     // ✓ in the role table.
constexpr std::string_view kNotGranted = "\u2014";  // — in the role table.
// A parameter value that names nothing: a permitted call then answers 404.
constexpr std::string_view kMissingId = "00000000000000000000000000000000";
constexpr std::string_view kPassphrase = "amber willow canyon drift";
const audit::Actor kTestActor{.kind = audit::ActorKind::kSystem, .id = "route_permissions_test"};

std::string Describe(const RouteKey& key) { return key.first + " " + key.second; }

// --- Reading the documents ------------------------------------------------------------------

// A Markdown table: the header's cells, then each body row's (the |---| rule left out). Cells
// are trimmed and lose one pair of surrounding backticks.
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

std::vector<std::string> Cells(std::string_view line) {
  line = Trim(line);
  line.remove_prefix(1);  // The leading '|'.
  if (!line.empty() && line.back() == '|') line.remove_suffix(1);
  std::vector<std::string> cells;
  while (true) {
    const std::size_t end = std::min(line.find('|'), line.size());
    std::string_view cell = Trim(line.substr(0, end));
    if (cell.size() >= 2 && cell.front() == '`' && cell.back() == '`') {
      cell = cell.substr(1, cell.size() - 2);
    }
    cells.emplace_back(cell);
    if (end == line.size()) break;
    line.remove_prefix(end + 1);
  }
  return cells;
}

bool IsRule(const std::vector<std::string>& cells) {
  return std::all_of(cells.begin(), cells.end(), [](const std::string& cell) {
    return !cell.empty() && cell.find_first_not_of("-: ") == std::string::npos;
  });
}

std::vector<Table> MarkdownTables(std::string_view text) {
  std::vector<Table> tables;
  bool in_table = false;
  for (std::string_view line : Lines(text)) {
    if (!Trim(line).starts_with('|')) {
      in_table = false;
      continue;
    }
    std::vector<std::string> cells = Cells(line);
    if (!in_table) {
      tables.push_back({.header = std::move(cells), .rows = {}});
      in_table = true;
    } else if (!IsRule(cells)) {
      tables.back().rows.push_back(std::move(cells));
    }
  }
  return tables;
}

// --- Signing in -------------------------------------------------------------------------------

struct Session {
  std::string cookie;
  std::string csrf_token;
};

// A signed-in account of one role, and what it needs to sign in again.
struct Account {
  Role role = Role::kAuditor;
  std::string username;
  std::string address;  // One per account, well within the per-address sign-in limit.
  std::vector<std::string> recovery_codes;
  Session session;

  server::ClientInfo client() const {
    return {.remote_address = address, .user_agent = "route_permissions_test"};
  }
};

Result<std::string> SessionId(server::IdentityService& identity, const std::string& cookie) {
  auto session = identity.FindSession(cookie, /*person=*/false);
  if (!session) return tl::unexpected(Annotate(session.error(), "finding the session"));
  return session->id;
}

Error SignInError(std::string_view step, const AuthOutcome& outcome) {
  return {ErrorCode::kInternal, std::string(step) + ": refused (" + outcome.message + ", next " +
                                    std::string(identity::StepName(outcome.next)) + ")"};
}

// Creates the account and signs it in as a person would: one-time password, new password,
// TOTP enrolment.
Result<Account> Enrol(server::IdentityService& identity, const Clock& clock, Role role,
                      std::string address) {
  Account account{.role = role,
                  .username = std::string(identity::RoleName(role)),
                  .address = std::move(address),
                  .recovery_codes = {},
                  .session = {}};
  const server::ClientInfo client = account.client();
  auto issued = identity.CreateUser(kTestActor, account.username, identity::RoleName(role));
  if (!issued) return tl::unexpected(Annotate(issued.error(), "creating " + account.username));

  const AuthOutcome login = identity.Login(account.username, issued->one_time_password, client);
  if (login.kind != AuthOutcome::Kind::kOk || login.next != identity::SignInStep::kPasswordChange) {
    return tl::unexpected(SignInError("first login", login));
  }
  auto session_id = SessionId(identity, login.cookie);
  if (!session_id) return tl::unexpected(session_id.error());
  auto changed = identity.ChangeInitialPassword(*session_id, kPassphrase, client);
  if (!changed) return tl::unexpected(Annotate(changed.error(), "changing the password"));
  auto enrolment = identity.BeginEnrolment(*session_id);
  if (!enrolment) return tl::unexpected(Annotate(enrolment.error(), "starting MFA enrolment"));
  auto key = crypto::Base32Decode(enrolment->secret_base32);
  if (!key) return tl::unexpected(Annotate(key.error(), "the TOTP secret"));
  auto code = crypto::TotpCode(key->span(), clock.NowUnixSeconds());
  if (!code) return tl::unexpected(Annotate(code.error(), "the TOTP code"));
  const AuthOutcome done = identity.ConfirmEnrolment(*session_id, *code, client);
  if (done.kind != AuthOutcome::Kind::kOk || done.next != identity::SignInStep::kDone) {
    return tl::unexpected(SignInError("MFA enrolment", done));
  }
  account.session = {.cookie = done.cookie, .csrf_token = done.csrf_token};
  account.recovery_codes = done.recovery_codes;
  return account;
}

// A new session for `account` (after a route signed it out), with one of its recovery codes: a
// TOTP code would be refused as a replay within the same 30 seconds.
Status SignInAgain(server::IdentityService& identity, Account& account) {
  if (account.recovery_codes.empty()) {
    return MakeError(ErrorCode::kResourceExhausted, account.username + ": no recovery codes left");
  }
  const AuthOutcome login = identity.Login(account.username, kPassphrase, account.client());
  if (login.kind != AuthOutcome::Kind::kOk || login.next != identity::SignInStep::kMfa) {
    return tl::unexpected(SignInError("login", login));
  }
  auto session_id = SessionId(identity, login.cookie);
  if (!session_id) return tl::unexpected(session_id.error());
  const std::string code = account.recovery_codes.back();
  account.recovery_codes.pop_back();
  const AuthOutcome done = identity.SecondFactor(
      *session_id, server::IdentityService::FactorKind::kRecoveryCode, code, account.client());
  if (done.kind != AuthOutcome::Kind::kOk) return tl::unexpected(SignInError("recovery", done));
  account.session = {.cookie = done.cookie, .csrf_token = done.csrf_token};
  return OkStatus();
}

// --- Requests ---------------------------------------------------------------------------------

// `pattern` with every {parameter} segment replaced by kMissingId.
std::string ConcretePath(std::string_view pattern) {
  std::string path;
  for (std::size_t i = 0; i < pattern.size();) {
    if (pattern[i] == '{') {
      path += kMissingId;
      i = pattern.find('}', i) + 1;
    } else {
      path += pattern[i++];
    }
  }
  return path;
}

http::Request MakeRequest(std::string method, std::string path, const Account* as,
                          std::string body = {}) {
  http::Request request;
  request.method = std::move(method);
  request.target = path;
  request.path = std::move(path);
  request.remote_address = as == nullptr ? "192.0.2.99:40000" : as->address + ":40000";
  request.headers.emplace_back("user-agent", "route_permissions_test");
  if (as != nullptr) {
    request.headers.emplace_back("cookie", "__Host-vigil=" + as->session.cookie);
    request.headers.emplace_back("x-csrf-token", as->session.csrf_token);
  }
  if (!body.empty()) {
    request.headers.emplace_back("content-type", "application/json");
    request.body = std::move(body);
  }
  return request;
}

// The served router; its test suite opens one for all its tests.
class RoutePermissionsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { OpenServed(/*with_accounts=*/false); }
  static void TearDownTestSuite() {
    accounts_.clear();
    served_.reset();
  }

  // With `with_accounts`, also one signed-in account per role. Argon2id makes accounts costly
  // (about 50 ms a hash under ASan), hence once per suite, and only for the suite that calls.
  static void OpenServed(bool with_accounts) {
    setup_error_.clear();
    auto served = http::testing::ServedRouter::Open();
    if (!served) {
      setup_error_ = served.error().message;
      return;
    }
    served_ = std::move(*served);
    if (!with_accounts) return;
    int host = 10;
    for (Role role : identity::AllRoles()) {
      auto account =
          Enrol(identity(), served_->runtime().clock(), role, "192.0.2." + std::to_string(host++));
      if (!account) {
        setup_error_ = account.error().message;
        served_.reset();
        return;
      }
      accounts_.emplace(role, std::move(*account));
    }
  }

  void SetUp() override {
    if (served_ == nullptr) GTEST_FAIL() << "setting up the server: " << setup_error_;
  }

  static const http::Router& router() { return served_->router(); }
  static server::IdentityService& identity() { return served_->runtime().identity(); }

  static std::map<RouteKey, std::string> RegisteredAccess() {
    std::map<RouteKey, std::string> access;
    for (const auto& route : router().routes()) {
      access[{route.method, route.path}] = route.access.Name();
    }
    return access;
  }

  // The route table of docs/permissions.md; duplicate or malformed rows fail the test.
  static std::map<RouteKey, std::string> DocumentedAccess() {
    std::map<RouteKey, std::string> access;
    for (const Table& table : PermissionTables()) {
      if (table.header != std::vector<std::string>{"Method", "Path", "Access"}) continue;
      for (const auto& row : table.rows) {
        if (row.size() != 3) {
          ADD_FAILURE() << "docs/permissions.md: route row with " << row.size() << " cells";
          continue;
        }
        const bool added = access.emplace(RouteKey{row[0], row[1]}, row[2]).second;
        EXPECT_TRUE(added) << "docs/permissions.md lists " << row[0] << " " << row[1] << " twice";
      }
    }
    EXPECT_FALSE(access.empty()) << "docs/permissions.md has no | Method | Path | Access | table";
    return access;
  }

  static std::vector<Table> PermissionTables() {
    const std::string text =
        testing::ReadFileOrEmpty(testing::SourceDir() / "docs" / "permissions.md");
    EXPECT_FALSE(text.empty()) << "cannot read docs/permissions.md";
    return MarkdownTables(text);
  }

  // The account of `role`, signed in again if a route (logout) ended its session.
  static Account& SignedIn(Role role) {
    Account& account = accounts_.at(role);
    if (!identity().FindSession(account.session.cookie, /*person=*/false)) {
      const Status again = SignInAgain(identity(), account);
      EXPECT_TRUE(again) << again.error().message;
    }
    return account;
  }

  static inline std::unique_ptr<http::testing::ServedRouter> served_;
  static inline std::map<Role, Account> accounts_;
  static inline std::string setup_error_;
};

// The served router with one signed-in account per role.
class RoleAccessTest : public RoutePermissionsTest {
 protected:
  static void SetUpTestSuite() { OpenServed(/*with_accounts=*/true); }
};

// --- (a) docs/permissions.md --------------------------------------------------------------

TEST_F(RoutePermissionsTest, EveryRouteIsInThePermissionTableWithItsAccess) {
  const auto documented = DocumentedAccess();

  for (const auto& [key, access] : RegisteredAccess()) {
    const auto found = documented.find(key);
    if (found == documented.end()) {
      ADD_FAILURE() << "docs/permissions.md lacks the route; add the row | " << key.first << " | `"
                    << key.second << "` | " << access << " |";
    } else {
      EXPECT_EQ(found->second, access) << "docs/permissions.md, access of " << Describe(key);
    }
  }
}

TEST_F(RoutePermissionsTest, EveryRouteInThePermissionTableIsRegistered) {
  const auto registered = RegisteredAccess();

  for (const auto& [key, access] : DocumentedAccess()) {
    EXPECT_TRUE(registered.contains(key))
        << "docs/permissions.md lists " << Describe(key) << ", which the server does not serve";
  }
}

TEST_F(RoutePermissionsTest, RoleTableMatchesRoleHas) {
  const auto tables = PermissionTables();
  const auto table = std::find_if(tables.begin(), tables.end(), [](const Table& t) {
    return t.header.size() > 2 && t.header[0] == "Permission";
  });
  ASSERT_NE(table, tables.end()) << "docs/permissions.md has no | Permission | ... | table";

  std::vector<Role> columns;  // The roles of header cells 2 and on.
  for (std::size_t i = 2; i < table->header.size(); ++i) {
    const auto role = identity::ParseRole(table->header[i]);
    ASSERT_TRUE(role) << "docs/permissions.md: unknown role column '" << table->header[i] << "'";
    columns.push_back(*role);
  }
  EXPECT_EQ(std::set<Role>(columns.begin(), columns.end()).size(), identity::AllRoles().size())
      << "docs/permissions.md: the role table needs one column per role";
  std::set<Permission> rows;
  for (const auto& row : table->rows) {
    ASSERT_EQ(row.size(), table->header.size()) << "docs/permissions.md: row " << row[0];
    const auto permission = identity::ParsePermission(row[0]);
    ASSERT_TRUE(permission) << "docs/permissions.md: unknown permission '" << row[0] << "'";
    EXPECT_TRUE(rows.insert(*permission).second) << "docs/permissions.md: " << row[0] << " twice";
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const std::string& cell = row[i + 2];
      EXPECT_TRUE(cell == kGranted || cell == kNotGranted)
          << "docs/permissions.md: cell '" << cell << "' (" << row[0] << ", "
          << identity::RoleName(columns[i]) << ") is neither " << kGranted << " nor "
          << kNotGranted;
      EXPECT_EQ(cell == kGranted, identity::RoleHas(columns[i], *permission))
          << "docs/permissions.md: " << identity::RoleName(columns[i]) << " x " << row[0];
    }
  }
  EXPECT_EQ(rows.size(), identity::AllPermissions().size())
      << "docs/permissions.md: the role table needs one row per permission";
}

// --- (b) every role against every permission route --------------------------------------------

TEST_F(RoleAccessTest, EachRoleIsRefusedExactlyThePermissionsItLacks) {
  int refused = 0;
  int allowed = 0;

  for (const auto& route : router().routes()) {
    if (route.access.kind != http::Access::Kind::kPermission) continue;
    const bool parameterised = route.path.find('{') != std::string::npos;
    for (Role role : identity::AllRoles()) {
      const Account& account = SignedIn(role);
      // Handlers that read a body get a valid one where a parameter names nothing (the role
      // change needs a role), so they reach the lookup and answer 404.
      const http::Response response =
          router().DispatchAndWait(MakeRequest(route.method, ConcretePath(route.path), &account,
                                               parameterised ? R"({"role":"auditor"})" : ""));

      const std::string what = Describe({route.method, route.path}) + " as " +
                               std::string(identity::RoleName(role)) + ": " + response.body;
      if (!identity::RoleHas(role, route.access.permission)) {
        ++refused;
        EXPECT_EQ(response.status, 403) << what;
        EXPECT_NE(response.body.find("\"forbidden\""), std::string::npos) << what;
      } else {
        ++allowed;
        EXPECT_NE(response.status, 401) << what;
        EXPECT_NE(response.status, 403) << what;
        EXPECT_LT(response.status, 500) << what;
        if (parameterised) {
          EXPECT_EQ(response.status, 404) << what;
        }
      }
    }
  }

  EXPECT_GT(refused, 0);
  EXPECT_GT(allowed, 0);
}

TEST_F(RoleAccessTest, SignInRoutesRefuseAFinishedSignIn) {
  const Account& admin = SignedIn(Role::kAdmin);

  for (const auto& route : router().routes()) {
    if (route.access.kind != http::Access::Kind::kSignIn) continue;
    const http::Response response =
        router().DispatchAndWait(MakeRequest(route.method, ConcretePath(route.path), &admin));

    EXPECT_EQ(response.status, 409) << Describe({route.method, route.path}) << response.body;
  }
}

// --- (c) no credentials -----------------------------------------------------------------------

TEST_F(RoutePermissionsTest, EveryNonPublicRouteAnswers401WithoutCredentials) {
  for (const auto& route : router().routes()) {
    if (route.access.kind == http::Access::Kind::kPublic) continue;

    const http::Response response =
        router().DispatchAndWait(MakeRequest(route.method, ConcretePath(route.path), nullptr));

    EXPECT_EQ(response.status, 401) << Describe({route.method, route.path}) << response.body;
  }
}

TEST_F(RoutePermissionsTest, PublicRoutesAreExactlyTheKnownOnes) {
  // A new public route must be added here on purpose, after deciding it needs no credentials.
  const std::set<RouteKey> expected = {
      {"GET", "/healthz"}, {"POST", "/api/v1/auth/login"}, {"GET", "/api/v1/auth/session"},
      {"GET", "/"},        {"GET", "/assets/{file}"},      {"GET", "/{file}"},
  };

  std::set<RouteKey> public_routes;
  for (const auto& route : router().routes()) {
    if (route.access.kind == http::Access::Kind::kPublic) {
      public_routes.insert({route.method, route.path});
    }
  }

  EXPECT_EQ(public_routes, expected);
}

TEST(MarkdownTables, ReadsCellsWithoutBackticksOrTheRule) {
  const std::string text = "Intro\n\n| Method | Path |\n|---|:---:|\n| GET | `/a/{id}` |\n\nEnd\n";

  const auto tables = MarkdownTables(text);

  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(tables[0].header, (std::vector<std::string>{"Method", "Path"}));
  ASSERT_EQ(tables[0].rows.size(), 1u);
  EXPECT_EQ(tables[0].rows[0], (std::vector<std::string>{"GET", "/a/{id}"}));
}

}  // namespace
}  // namespace vigil

namespace vigil::http {
namespace {

// API tokens reach permission routes, except those kept for a person's session; never sign-in
// routes. The token here holds every permission its admin owner has.
TEST(TokenAccessTest, SessionOnlyAndSignInRoutesRefuseTokens) {
  auto served = testing::ServedRouter::Open();
  ASSERT_TRUE(served) << served.error().message;
  server::IdentityService& id = (*served)->runtime().identity();
  const audit::Actor actor{.kind = audit::ActorKind::kSystem, .id = "test"};
  auto owner = id.CreateUser(actor, "tokenowner", "admin");
  ASSERT_TRUE(owner) << owner.error().message;
  const identity::Principal who{
      .user_id = owner->user.id, .username = owner->user.username, .role = identity::Role::kAdmin};
  std::vector<std::string> scopes;
  for (identity::Permission p : identity::AllPermissions()) {
    scopes.emplace_back(identity::PermissionName(p));
  }
  auto token = id.CreateToken(who, "all", scopes, 1);
  ASSERT_TRUE(token) << token.error().message;

  int session_only = 0;
  for (const Router::Route& route : (*served)->router().routes()) {
    if (route.access.kind == Access::Kind::kPublic) continue;
    Request request;
    request.method = route.method;
    request.path = route.path;
    request.target = route.path;
    request.remote_address = "127.0.0.1:1";
    request.headers = {{"authorization", "Bearer " + token->secret}};
    const Response response = (*served)->router().DispatchAndWait(request);
    if (route.access.session_only || route.access.kind == Access::Kind::kSignIn) {
      session_only += route.access.session_only ? 1 : 0;
      EXPECT_EQ(response.status, 403) << route.method << " " << route.path << ": " << response.body;
    } else {
      EXPECT_NE(response.status, 401) << route.method << " " << route.path << ": " << response.body;
      EXPECT_NE(response.status, 403) << route.method << " " << route.path << ": " << response.body;
    }
  }
  EXPECT_GE(session_only, 10);
}

}  // namespace
}  // namespace vigil::http
