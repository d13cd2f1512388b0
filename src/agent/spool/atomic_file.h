#pragma once

// Small files replaced whole and crash-safely: the agent's key, certificates, agent.json and
// the spool's state. A reader sees the old content or the new, never a mix, even after a power
// cut: the data goes to a temporary file beside the target, which is fsynced, renamed over the
// target, and the directory fsynced.
//
// Errors: kUnavailable naming the path and the system's reason. On failure the target is
// untouched and the temporary file removed. Thread safety: no shared state; two writers of the
// same path must be serialised by the caller.

#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil::agent {

// Replaces `path` with `data`, created with `mode` regardless of the umask. With `sync` false
// the rename is still atomic but not durable across a power cut (tests of logic only).
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view data, mode_t mode,
                           bool sync = true);

// fsync(2) of a directory, so that entries created, renamed or removed in it are durable.
Status SyncDirectory(const std::filesystem::path& dir);

// The whole of `path` (kNotFound if absent, kResourceExhausted above `max_bytes`).
Result<std::string> ReadWholeFile(const std::filesystem::path& path, std::size_t max_bytes);

}  // namespace vigil::agent
