#pragma once

// The commands behind `vigil ...`, each returning an exit code (exit_codes.h).

#include <cstdint>
#include <string>

#include "cli/options.h"
#include "server/operator_commands.h"

namespace vigil::cli {

int Serve(const CommonOptions& options);
int AuditVerify(const CommonOptions& options, std::int64_t first, std::int64_t last);
int AuditExport(const CommonOptions& options, const std::string& since);
int KeysStatus(const CommonOptions& options);
int KeysRotate(const CommonOptions& options);
int KeysRotateKek(const CommonOptions& options, const std::string& new_key_file);
int Backup(const CommonOptions& options, const std::string& destination_dir);

// Runs an operator command through the running server's control socket, or on the data
// directory itself when no server owns it.
int Execute(const CommonOptions& options, server::CommandRequest request);

}  // namespace vigil::cli
