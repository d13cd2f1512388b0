#pragma once

// The commands behind `vigil ...`, each returning an exit code (exit_codes.h).

#include <cstdint>
#include <string>

#include "cli/options.h"

namespace vigil::cli {

int Serve(const CommonOptions& options);
int AuditVerify(const CommonOptions& options, std::int64_t first, std::int64_t last);
int AuditExport(const CommonOptions& options, const std::string& since);
int KeysStatus(const CommonOptions& options);
int KeysRotate(const CommonOptions& options);
int KeysRotateKek(const CommonOptions& options, const std::string& new_key_file);
int Backup(const CommonOptions& options, const std::string& destination_dir);

}  // namespace vigil::cli
