#include "crypto/password.h"

#include <argon2.h>

#include <cctype>
#include <limits>
#include <string>
#include <utility>

#include "core/hex.h"
#include "crypto/hash.h"
#include "crypto/phc_string.h"
#include "crypto/random.h"

namespace vigil::crypto {
namespace {

constexpr std::uint32_t kVersion = ARGON2_VERSION_13;
constexpr std::uint32_t kMaxMemoryKib = 1024 * 1024;
constexpr std::uint32_t kMaxIterations = 100;
constexpr std::uint32_t kMaxParallelism = 64;
constexpr std::uint32_t kMinSalt = 8, kMaxSalt = 64;
constexpr std::uint32_t kMinHash = 16, kMaxHash = 64;

Error Invalid(std::string message) {
  return Error{ErrorCode::kInvalidArgument, "password: " + std::move(message)};
}

Status CheckLimits(std::uint32_t memory_kib, std::uint32_t iterations, std::uint32_t parallelism,
                   std::size_t salt_size, std::size_t hash_size) {
  if (parallelism < 1 || parallelism > kMaxParallelism) {
    return tl::unexpected(Invalid("parallelism must be 1 to 64"));
  }
  if (memory_kib < 8 * parallelism || memory_kib > kMaxMemoryKib) {
    return tl::unexpected(Invalid("memory must be 8 kib per lane to 1 gib"));
  }
  if (iterations < 1 || iterations > kMaxIterations) {
    return tl::unexpected(Invalid("iterations must be 1 to 100"));
  }
  if (salt_size < kMinSalt || salt_size > kMaxSalt) {
    return tl::unexpected(Invalid("salt must be 8 to 64 bytes"));
  }
  if (hash_size < kMinHash || hash_size > kMaxHash) {
    return tl::unexpected(Invalid("hash must be 16 to 64 bytes"));
  }
  return OkStatus();
}

// libargon2's pointers are non-const although, without the CLEAR flags, it only reads them.
std::uint8_t* Mutable(std::span<const std::uint8_t> bytes) {
  return const_cast<std::uint8_t*>(bytes.data());
}

bool FitsUint32(std::span<const std::uint8_t> bytes) {
  return bytes.size() <= std::numeric_limits<std::uint32_t>::max();
}

Error Argon2Error(int rc) {
  std::string message = "argon2: ";
  for (const char* c = argon2_error_message(rc); *c != '\0'; ++c) {
    message.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(*c))));
  }
  const bool exhausted = rc == ARGON2_MEMORY_ALLOCATION_ERROR || rc == ARGON2_THREAD_FAIL;
  return Error{exhausted ? ErrorCode::kResourceExhausted : ErrorCode::kInvalidArgument,
               std::move(message)};
}

}  // namespace

Result<SecretBytes> Argon2idRaw(const Argon2idInput& input) {
  if (!FitsUint32(input.password) || !FitsUint32(input.salt) || !FitsUint32(input.secret) ||
      !FitsUint32(input.associated_data)) {
    return MakeError(ErrorCode::kInvalidArgument, "argon2: input longer than 4 gib");
  }
  SecretBytes tag(input.tag_size);
  argon2_context ctx{};
  ctx.out = tag.data();
  ctx.outlen = input.tag_size;
  ctx.pwd = Mutable(input.password);
  ctx.pwdlen = static_cast<std::uint32_t>(input.password.size());
  ctx.salt = Mutable(input.salt);
  ctx.saltlen = static_cast<std::uint32_t>(input.salt.size());
  ctx.secret = Mutable(input.secret);
  ctx.secretlen = static_cast<std::uint32_t>(input.secret.size());
  ctx.ad = Mutable(input.associated_data);
  ctx.adlen = static_cast<std::uint32_t>(input.associated_data.size());
  ctx.t_cost = input.iterations;
  ctx.m_cost = input.memory_kib;
  ctx.lanes = input.lanes;
  ctx.threads = input.lanes;
  ctx.version = input.version;
  ctx.flags = ARGON2_DEFAULT_FLAGS;
  if (const int rc = argon2_ctx(&ctx, Argon2_id); rc != ARGON2_OK) {
    return tl::unexpected(Argon2Error(rc));
  }
  return tag;
}

Result<std::string> HashPassword(std::string_view password, const PasswordParams& params) {
  VIGIL_RETURN_IF_ERROR(CheckLimits(params.memory_kib, params.iterations, params.parallelism,
                                    params.salt_size, params.hash_size));
  auto salt = RandomBytes(params.salt_size);
  if (!salt) return tl::unexpected(std::move(salt).error());
  auto tag = Argon2idRaw({.password = AsBytes(password),
                          .salt = *salt,
                          .iterations = params.iterations,
                          .memory_kib = params.memory_kib,
                          .lanes = params.parallelism,
                          .tag_size = params.hash_size,
                          .version = kVersion});
  if (!tag) return tl::unexpected(std::move(tag).error());
  return FormatArgon2idPhc({.version = kVersion,
                            .memory_kib = params.memory_kib,
                            .iterations = params.iterations,
                            .parallelism = params.parallelism,
                            .salt = std::move(*salt),
                            .hash = {tag->span().begin(), tag->span().end()}});
}

Result<bool> VerifyPassword(std::string_view password, std::string_view phc) {
  auto parsed = ParseArgon2idPhc(phc);
  if (!parsed) return tl::unexpected(std::move(parsed).error());
  if (parsed->version != kVersion) {
    return tl::unexpected(Invalid("unsupported argon2 version " + std::to_string(parsed->version)));
  }
  VIGIL_RETURN_IF_ERROR(CheckLimits(parsed->memory_kib, parsed->iterations, parsed->parallelism,
                                    parsed->salt.size(), parsed->hash.size()));
  auto tag = Argon2idRaw({.password = AsBytes(password),
                          .salt = parsed->salt,
                          .iterations = parsed->iterations,
                          .memory_kib = parsed->memory_kib,
                          .lanes = parsed->parallelism,
                          .tag_size = static_cast<std::uint32_t>(parsed->hash.size()),
                          .version = kVersion});
  if (!tag) return tl::unexpected(std::move(tag).error());
  return ConstantTimeEquals(tag->span(), parsed->hash);
}

Result<bool> NeedsRehash(std::string_view phc, const PasswordParams& params) {
  auto parsed = ParseArgon2idPhc(phc);
  if (!parsed) return tl::unexpected(std::move(parsed).error());
  return parsed->version != kVersion || parsed->memory_kib != params.memory_kib ||
         parsed->iterations != params.iterations || parsed->parallelism != params.parallelism ||
         parsed->salt.size() != params.salt_size || parsed->hash.size() != params.hash_size;
}

}  // namespace vigil::crypto
