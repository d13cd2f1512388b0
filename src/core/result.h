#pragma once

// Result<T> and Status: how Vigil reports expected failures (bad input, disk, database, peers).
//
// Result<T> = tl::expected<T, Error>; Status = Result<void>. Callers branch only on the codes
// they handle and pass the rest up. Messages are lowercase and carry their context, for example
// "config: vigil.toml:12: listen: expected ADDR:PORT". Our code never throws across a module
// boundary; adapters catch library exceptions and return an Error.

#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <utility>

namespace vigil {

enum class ErrorCode {
  kInvalidArgument,     // The input is malformed or out of range.
  kNotFound,            // The thing asked for does not exist.
  kAlreadyExists,       // Creating something that exists.
  kPermissionDenied,    // The caller may not do this.
  kUnauthenticated,     // The caller's identity is missing or wrong.
  kFailedPrecondition,  // The system is not in a state that allows this.
  kDataLoss,            // Stored data is corrupt or was tampered with.
  kUnavailable,         // A peer, disk or lock is unavailable now; retrying may help.
  kResourceExhausted,   // A limit was reached (disk full, queue full, too large).
  kLocked,              // Another process owns the resource (a data directory's lock).
  kInternal,            // An invariant of ours broke.
};

// Stable lowercase name of a code, used in JSON errors and logs ("invalid_argument").
std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;
};

template <typename T>
using Result = tl::expected<T, Error>;
using Status = Result<void>;

inline tl::unexpected<Error> MakeError(ErrorCode code, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(message)});
}

inline Status OkStatus() { return {}; }

// Prefixes an error's message with context: Annotate(e, "audit verify") -> "audit verify: ...".
inline Error Annotate(Error error, std::string_view context) {
  error.message = std::string(context) + ": " + error.message;
  return error;
}

}  // namespace vigil

// Returns the error of a Status-returning expression from the enclosing function. Each use gets
// its own variable name, so uses nest (a store Write whose callback uses it too).
#define VIGIL_RETURN_IF_ERROR(expr) VIGIL_RETURN_IF_ERROR_IMPL(expr, __COUNTER__)
#define VIGIL_RETURN_IF_ERROR_IMPL(expr, n) VIGIL_RETURN_IF_ERROR_PASTE(expr, n)
#define VIGIL_RETURN_IF_ERROR_PASTE(expr, n) VIGIL_RETURN_IF_ERROR_NAMED(expr, vigil_status_##n)
#define VIGIL_RETURN_IF_ERROR_NAMED(expr, name)         \
  do {                                                  \
    if (auto name = (expr); !name) {                    \
      return ::tl::unexpected(std::move(name).error()); \
    }                                                   \
  } while (false)
