#pragma once

// Schema migrations of the SQLite store: forward-only and numbered. Each one is a SQL script
// applied in its own transaction together with its row in schema_version(version, applied_at),
// so a crash or an error mid-way leaves the database at the previous version, never between two.
//
// Before anything is written, the file is checked:
//   - a new or empty (0-byte) file is fine: it gets every migration;
//   - another program's SQLite database (tables but no schema_version, or a foreign
//     application_id) -> kFailedPrecondition, and the file is left exactly as it was;
//   - a schema version newer than this binary knows -> kFailedPrecondition (a downgrade);
//   - a file that is not an SQLite database -> kDataLoss ("... is not a Vigil database ...").

#include <cstdint>
#include <span>
#include <string_view>

#include "core/result.h"
#include "store/sqlite/database.h"

namespace vigil::store::sqlite {

struct Migration {
  int version = 0;  // 1, 2, 3... without gaps.
  std::string_view sql;
};

// "Vigl": set by migration 1 in the header of every Vigil database (PRAGMA application_id).
inline constexpr std::int64_t kApplicationId = 0x5669676c;

// Vigil's migrations, ascending.
std::span<const Migration> Migrations();

// The version the newest migration brings a database to.
int LatestSchemaVersion();

// The database's schema version without changing anything: 0 for a new or empty database.
// Fails as described above.
Result<int> CheckSchema(Database& db, int latest_version = LatestSchemaVersion());

// Applies every migration newer than the database's version, each in a BEGIN IMMEDIATE
// transaction, recording `now_unix` as applied_at. Returns the resulting version.
Result<int> Migrate(Database& db, std::int64_t now_unix);

// The same over another list of migrations (tests use it to add a broken one).
Result<int> Migrate(Database& db, std::int64_t now_unix, std::span<const Migration> migrations);

}  // namespace vigil::store::sqlite
