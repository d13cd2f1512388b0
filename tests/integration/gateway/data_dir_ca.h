#pragma once

// Test helper: the device CA of a `vigil serve` data directory, loaded as the server loads it
// (server::Runtime: the data directory's lock, the key file beside it, the store and its key
// ring, the sealed "pki/..." values), so that a test can issue device certificates the gateway
// trusts, including ones whose validity has already ended.
//
// The server must be stopped first: Runtime::Open takes the data directory's lock.
// Errors: those of config::LoadFile, Runtime::Open (kLocked while a server runs), the sealed
// secrets (kNotFound before the first start) and DeviceCa::Load, with context.
// Thread safety: call from one thread.

#include <cstdint>
#include <filesystem>

#include "core/result.h"
#include "pki/device_ca.h"

namespace vigil::gateway_test {

struct DataDirCa {
  pki::DeviceCa ca;
  // The intermediate's notBefore: the earliest `now` IssueDeviceCertificate accepts.
  std::int64_t intermediate_not_before_unix = 0;
};

// Opens `data_dir` (with its vigil.toml, if any) and loads the CA as valid at `now_unix`.
Result<DataDirCa> LoadDataDirCa(const std::filesystem::path& data_dir, std::int64_t now_unix);

}  // namespace vigil::gateway_test
