// docs/api/openapi.yaml against the routes `vigil serve` registers, both ways: every route is
// described, with its access in `x-vigil-access`, and every described operation is served.
//
// There is no YAML library for C++ here, so the file is read by indentation: enough to find the
// paths, their methods and each operation's x-vigil-access (OpenApiOperations, tested below on
// a snippet with the traps: block scalars, parameters lists, nested keys of the same name).

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "doc_text.h"
#include "http/router.h"
#include "served_router.h"
#include "testing/fixtures.h"

namespace vigil::http {
namespace {

using ::vigil::testing::Lines;
using ::vigil::testing::Trim;

// (method, path pattern): how the router and the document name an operation.
using RouteKey = std::pair<std::string, std::string>;

// One operation under `paths:` of an OpenAPI document, with its x-vigil-access ("" if none).
struct Operation {
  std::string method;  // Upper case, as the router has it.
  std::string path;
  std::string access;
};

std::string Unquote(std::string_view text) {
  text = Trim(text);
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') &&
      text.back() == text.front()) {
    text = text.substr(1, text.size() - 2);
  }
  return std::string(text);
}

// Splits a "key: value" line (indentation removed) into key and value; nullopt for list items
// and text that is no mapping key (block scalar content, for one).
std::optional<std::pair<std::string, std::string>> MappingKey(std::string_view line) {
  if (line.starts_with("- ") || line == "-") return std::nullopt;
  std::size_t colon = std::string_view::npos;
  if (line.front() == '"' || line.front() == '\'') {
    const std::size_t close = line.find(line.front(), 1);
    if (close == std::string_view::npos || close + 1 >= line.size() || line[close + 1] != ':') {
      return std::nullopt;
    }
    colon = close + 1;
  } else {
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] == ':' && (i + 1 == line.size() || line[i + 1] == ' ')) {
        colon = i;
        break;
      }
    }
  }
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view value = Trim(line.substr(colon + 1));
  if (value.starts_with('"') || value.starts_with('\'')) {
    // A quoted scalar ends at its closing quote; a comment may follow.
    if (const std::size_t close = value.find(value.front(), 1); close != std::string_view::npos) {
      value = value.substr(0, close + 1);
    }
  } else if (const std::size_t comment = value.find(" #"); comment != std::string_view::npos) {
    value = Trim(value.substr(0, comment));
  }
  return std::pair{Unquote(line.substr(0, colon)), Unquote(value)};
}

// The operations of an OpenAPI YAML document, read by indentation alone (there is no YAML
// library here): the keys one level under `paths:` are paths, the HTTP-method keys one level
// under a path are operations, and `x-vigil-access` one level under an operation is its access.
// Deeper lines (schemas, block scalars) are skipped. kInvalidArgument for tabs, a line
// indented less than its siblings, or an operation with two access lines.
Result<std::vector<Operation>> OpenApiOperations(std::string_view yaml) {
  static const std::set<std::string, std::less<>> kMethods = {"get",     "put",  "post",  "delete",
                                                              "options", "head", "patch", "trace"};
  std::vector<Operation> operations;
  bool in_paths = false;
  int path_indent = -1;
  int method_indent = -1;
  int field_indent = -1;
  std::string path;
  bool in_operation = false;
  int number = 0;
  for (std::string_view line : Lines(yaml)) {
    ++number;
    const std::string_view content = Trim(line);
    if (content.empty() || content.starts_with('#')) continue;
    const std::size_t leading = line.find_first_not_of(' ');
    if (line[leading] == '\t') {
      return MakeError(ErrorCode::kInvalidArgument, "line " + std::to_string(number) + ": tab");
    }
    const int indent = static_cast<int>(leading);
    if (indent == 0) {
      const auto top = MappingKey(content);
      in_paths = top && top->first == "paths";
      continue;
    }
    if (!in_paths) continue;
    const auto key = MappingKey(content);
    if (path_indent < 0) path_indent = indent;
    if (indent < path_indent || (indent < method_indent && indent != path_indent)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "line " + std::to_string(number) + ": unexpected indentation");
    }
    if (indent == path_indent) {
      if (!key) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "line " + std::to_string(number) + ": expected a path key");
      }
      path = key->first;
      method_indent = -1;
      in_operation = false;
      continue;
    }
    if (method_indent < 0) method_indent = indent;
    if (indent == method_indent) {
      in_operation = key && kMethods.contains(key->first);
      field_indent = -1;
      if (in_operation) {
        std::string method = key->first;
        std::transform(method.begin(), method.end(), method.begin(), [](char c) {
          return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        });
        operations.push_back({.method = std::move(method), .path = path, .access = {}});
      }
      continue;
    }
    if (!in_operation) continue;
    if (field_indent < 0) field_indent = indent;
    if (indent == field_indent && key && key->first == "x-vigil-access") {
      if (!operations.back().access.empty()) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "line " + std::to_string(number) + ": a second x-vigil-access");
      }
      operations.back().access = key->second;
    }
  }
  return operations;
}

class OpenApiRoutesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto served = testing::ServedRouter::Open();
    if (!served) {
      setup_error_ = served.error().message;
      return;
    }
    served_ = std::move(*served);
  }
  static void TearDownTestSuite() { served_.reset(); }

  void SetUp() override {
    if (served_ == nullptr) GTEST_FAIL() << "setting up the server: " << setup_error_;
  }

  static std::map<RouteKey, std::string> RegisteredAccess() {
    std::map<RouteKey, std::string> access;
    for (const auto& route : served_->router().routes()) {
      access[{route.method, route.path}] = route.access.Name();
    }
    return access;
  }

  // The operations of docs/api/openapi.yaml, by (method, path), with their access.
  static std::map<RouteKey, std::string> DocumentedAccess() {
    const std::string text = ::vigil::testing::ReadFileOrEmpty(::vigil::testing::SourceDir() /
                                                               "docs" / "api" / "openapi.yaml");
    EXPECT_FALSE(text.empty()) << "cannot read docs/api/openapi.yaml";
    auto operations = OpenApiOperations(text);
    EXPECT_TRUE(operations) << "docs/api/openapi.yaml: " << operations.error().message;
    std::map<RouteKey, std::string> access;
    for (const Operation& op : operations.value_or(std::vector<Operation>{})) {
      const bool added = access.emplace(RouteKey{op.method, op.path}, op.access).second;
      EXPECT_TRUE(added) << "docs/api/openapi.yaml describes " << op.method << " " << op.path
                         << " twice";
    }
    return access;
  }

  static inline std::unique_ptr<testing::ServedRouter> served_;
  static inline std::string setup_error_;
};

TEST_F(OpenApiRoutesTest, EveryRouteIsDescribedWithItsAccess) {
  const auto documented = DocumentedAccess();

  for (const auto& [key, access] : RegisteredAccess()) {
    const auto found = documented.find(key);
    if (found == documented.end()) {
      ADD_FAILURE() << "docs/api/openapi.yaml lacks the operation " << key.first << " "
                    << key.second << " (x-vigil-access: " << access << ")";
    } else {
      EXPECT_EQ(found->second, access)
          << "docs/api/openapi.yaml, x-vigil-access of " << key.first << " " << key.second;
    }
  }
}

TEST_F(OpenApiRoutesTest, EveryDescribedOperationIsRegistered) {
  const auto registered = RegisteredAccess();

  for (const auto& [key, access] : DocumentedAccess()) {
    EXPECT_TRUE(registered.contains(key)) << "docs/api/openapi.yaml describes " << key.first << " "
                                          << key.second << ", which the server does not serve";
  }
}

TEST(OpenApiOperations, ReadsOperationsAndAccessByIndentation) {
  const std::string yaml = R"(openapi: 3.1.0
paths:  # every operation
  /a:
    parameters:
      - name: get
    get:
      description: |
        x-vigil-access: not this one
        post:
      x-vigil-access: public
      responses:
        "200":
          x-vigil-access: nor this
  "/b/{id}":
    delete:
      summary: Deletes # a comment
      x-vigil-access: "users.manage"  # trailing comment
components:
  x-vigil-access: outside
)";

  auto operations = OpenApiOperations(yaml);

  ASSERT_TRUE(operations) << operations.error().message;
  ASSERT_EQ(operations->size(), 2u);
  EXPECT_EQ((*operations)[0].method, "GET");
  EXPECT_EQ((*operations)[0].path, "/a");
  EXPECT_EQ((*operations)[0].access, "public");
  EXPECT_EQ((*operations)[1].method, "DELETE");
  EXPECT_EQ((*operations)[1].path, "/b/{id}");
  EXPECT_EQ((*operations)[1].access, "users.manage");
}

}  // namespace
}  // namespace vigil::http
