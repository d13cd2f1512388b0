#pragma once

// `vigil-agent status`: what the state directory says, read without locking or changing it
// (so it works beside a running agent): device, certificate (serial, expiry, whether renewal is
// due or it expired), the spool's numbers and the last successful contact.
//
// Output: "key: value" lines in a fixed order (docs/cli.md, vigil-agent), for people and
// scripts. Errors: kFailedPrecondition "not enrolled ..." without credentials; what the files'
// readers return otherwise. Thread safety: pure apart from reading files.

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/result.h"

namespace vigil::agent {

// Renewal is judged with the default renew_when_remaining (1/3): the gateway's value is not
// kept on disk.
Result<std::string> FormatStatus(const std::filesystem::path& state_dir, std::int64_t now_unix);

}  // namespace vigil::agent
