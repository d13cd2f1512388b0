#pragma once

// HTTP/1.x message heads (RFC 9112): the start line (section 3 request-line, section 4
// status-line), the header fields (section 5) a sensor reads, and how the body that follows is
// delimited (section 6.3). Also the chunked transfer coding's framing (section 7.1), so that a
// dissector can step over bodies to the next message of a persistent connection.
//
// On the packet path: results are views into the bytes given (valid while they are) and errors
// a small enum; nothing allocates. A head is at most kMaxHeadBytes; header lines that are not
// "name: value" are skipped, as are obsolete line folds.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace vigil::sensor::http {

inline constexpr std::size_t kMaxHeadBytes = 16 * 1024;

enum class ParseStatus : std::uint8_t {
  kOk,
  kIncomplete,  // The blank line that ends the head has not arrived yet.
  kInvalid,     // Not an HTTP/1.x head, or longer than kMaxHeadBytes.
};

struct Head {
  bool request = false;
  std::string_view method;   // Request: "GET".
  std::string_view target;   // Request: the path (may carry patient data: never a fact).
  std::string_view version;  // "HTTP/1.1".
  int status = 0;            // Response: 200.
  std::string_view host;
  std::string_view user_agent;
  std::string_view server;
  std::string_view authorization_scheme;  // "Basic", from Authorization or Proxy-Authorization.
  std::optional<std::uint64_t> content_length;
  bool chunked = false;  // Transfer-Encoding ends with "chunked".
  std::size_t size = 0;  // Bytes of the head, the blank line included.
};

// Parses the head at the front of `bytes` into `head`. `scanned` is how many bytes an earlier
// kIncomplete call already searched for the blank line (0 the first time); it is updated.
ParseStatus ParseHead(std::span<const std::uint8_t> bytes, Head& head, std::size_t& scanned);

// RFC 9110 section 9 methods and the common WebDAV ones.
bool IsKnownMethod(std::string_view method);

// A chunk-size line (RFC 9112 section 7.1) at the front of `bytes`: the chunk's size and the
// line's length, its CR LF included. nullopt with `incomplete` set when the line has not
// arrived, without it when the line is not a chunk size.
struct ChunkLine {
  std::uint64_t size = 0;
  std::size_t line_bytes = 0;
};
std::optional<ChunkLine> ParseChunkLine(std::span<const std::uint8_t> bytes, bool& incomplete);

}  // namespace vigil::sensor::http
