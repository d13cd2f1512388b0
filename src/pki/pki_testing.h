#pragma once

// Test-only helpers for pki's tests: a fixed clock, a CA made once per call, running the
// openssl command line on files in a temporary directory, and PEM <-> DER for tampering.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "pki/device_ca.h"

namespace vigil::pki::test {

// 2026-05-28T20:26:40Z: every test's "now"; openssl commands get it through -attime.
inline constexpr std::int64_t kNow = 1'780'000'000;
inline constexpr std::int64_t kDay = 24 * 3600;

// CreateDeviceCa at `now`, then Load at `now` (fails the test on error).
CaMaterial MakeMaterial(std::int64_t now = kNow, const CaOptions& options = {});
DeviceCa MakeCa(std::int64_t now = kNow);

// A fresh P-256 key's CSR (through GenerateDeviceKeyPem and MakeCsrPem).
std::string MakeCsr(std::string_view common_name = "device");

// A device id: 32 lowercase hex digits from `n`.
std::string DeviceId(int n);

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr.
};

// Runs `command` through /bin/sh.
CommandResult RunCommand(const std::string& command);

void WriteText(const std::filesystem::path& path, std::string_view text);

// The DER bytes of the first PEM block, and a PEM block of `label` around DER bytes.
std::vector<std::uint8_t> PemToDer(std::string_view pem);
std::string DerToPem(const std::vector<std::uint8_t>& der, std::string_view label);

}  // namespace vigil::pki::test
