#pragma once

// Small helpers over Database and Statement for the table classes: run a cached statement with
// its parameters bound and turn its rows into values, annotating errors with a context. Thread
// safety: as the Database (one thread at a time).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "store/sqlite/database.h"

namespace vigil::store::sqlite {

// Runs `sql` after `bind` has bound its parameters and turns every row into a T with `read`.
template <typename T, typename Bind, typename Read>
Result<std::vector<T>> QueryRows(Database& db, std::string_view sql, const Bind& bind,
                                 const Read& read, std::string_view context) {
  auto stmt = db.Prepare(sql);
  if (!stmt) return tl::unexpected(Annotate(std::move(stmt).error(), context));
  bind(*stmt);
  std::vector<T> rows;
  while (true) {
    auto has_row = stmt->Step();
    if (!has_row) return tl::unexpected(Annotate(std::move(has_row).error(), context));
    if (!*has_row) return rows;
    rows.push_back(read(*stmt));
  }
}

// Runs a statement that returns no rows after `bind` has bound its parameters.
template <typename Bind>
Status RunStatement(Database& db, std::string_view sql, const Bind& bind,
                    std::string_view context) {
  auto stmt = db.Prepare(sql);
  if (!stmt) return tl::unexpected(Annotate(std::move(stmt).error(), context));
  bind(*stmt);
  if (auto done = stmt->Run(); !done) {
    return tl::unexpected(Annotate(std::move(done).error(), context));
  }
  return OkStatus();
}

// A UNIQUE or PRIMARY KEY violation, as the Database layer maps it.
inline bool IsDuplicate(const Status& status) {
  return !status && status.error().code == ErrorCode::kAlreadyExists;
}

// Runs `fn` (returning a Status or Result) inside SAVEPOINT `name`, so a failure half-way (a
// full disk) undoes its partial work even if the caller goes on and commits. The savepoint
// statements are prepared once and cached, as they run on every telemetry append.
template <typename Fn>
auto InSavepoint(Database& db, std::string_view name, const Fn& fn) -> decltype(fn()) {
  const std::string savepoint(name);
  auto nothing = [](Statement&) {};
  VIGIL_RETURN_IF_ERROR(RunStatement(db, "SAVEPOINT " + savepoint, nothing, "savepoint"));
  auto done = fn();
  if (done) {
    Status released = RunStatement(db, "RELEASE " + savepoint, nothing, "release savepoint");
    if (released) return done;
    done = tl::unexpected(std::move(released).error());
  }
  if (db.in_transaction()) {
    (void)RunStatement(db, "ROLLBACK TO " + savepoint, nothing, "rollback to savepoint");
    (void)RunStatement(db, "RELEASE " + savepoint, nothing, "release savepoint");
  }
  return done;
}

}  // namespace vigil::store::sqlite
