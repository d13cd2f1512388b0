#pragma once

// Internal to pki: reading and creating the small PEM files of certificates and keys.
//
// Errors: kNotFound for a missing file, kInvalidArgument for a file larger than the limit,
// kAlreadyExists when creating over an existing path, kUnavailable for other I/O failures.
// Messages start with the path. Thread safety: no shared state.

#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil::pki {

inline constexpr std::size_t kMaxPemFileBytes = 1 << 20;

// The whole file, refusing files over kMaxPemFileBytes.
Result<std::string> ReadPemFile(const std::filesystem::path& path);

// Creates `path` with O_EXCL (never follows or replaces anything), writes `data`, sets `mode`
// regardless of the umask, and fsyncs. On failure the partly written file is removed.
Status WriteNewFile(const std::filesystem::path& path, std::string_view data, mode_t mode);

}  // namespace vigil::pki
