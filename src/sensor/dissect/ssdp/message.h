#pragma once

// An SSDP message (UPnP Device Architecture 1.1 section 1; HTTP over UDP) read from one UDP
// payload: NOTIFY (advertisement), M-SEARCH (search) or an HTTP/1.1 200 search response. Only
// the headers the sensor uses are kept, as string_views into the payload (which must outlive the
// Message); header names are matched without regard to case, values are trimmed. Parsing
// allocates nothing. At most kMaxHeaderLines lines are read; the last line may lack its CRLF.
//
// Errors (a small enum: hostile traffic must not make the parser allocate):
//   kNotSsdp  the start line is none of "NOTIFY * HTTP/1.1", "M-SEARCH * HTTP/1.1",
//             "HTTP/1.1 200 ...", or a 200 response carries neither ST nor USN
// Thread safety: pure functions.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <tl/expected.hpp>

namespace vigil::sensor::ssdp {

inline constexpr std::size_t kMaxHeaderLines = 64;

enum class Kind : std::uint8_t { kNotify, kSearch, kResponse };
std::string_view KindName(Kind kind);  // "notify", "m-search", "response"

enum class ParseError : std::uint8_t { kNotSsdp };
std::string_view ParseErrorName(ParseError error);  // "not_ssdp"

struct Message {
  Kind kind = Kind::kNotify;
  std::string_view server;      // SERVER: OS/version UPnP/1.1 product/version.
  std::string_view user_agent;  // USER-AGENT (searches).
  std::string_view usn;         // USN: unique service name.
  std::string_view nt;          // NT: notification type (NOTIFY).
  std::string_view nts;         // NTS: ssdp:alive, ssdp:byebye, ssdp:update.
  std::string_view st;          // ST: search target (M-SEARCH and responses).
  std::string_view location;    // LOCATION: URL of the device description.
};

tl::expected<Message, ParseError> ParseSsdp(std::span<const std::uint8_t> payload);

// Whether `payload` starts like an SSDP message (the probe): a NOTIFY or M-SEARCH start line,
// or "HTTP/1.1 200" with an ST or USN header within the first kProbeBytes.
inline constexpr std::size_t kProbeBytes = 2048;
bool LooksLikeSsdp(std::span<const std::uint8_t> payload);

// The device type within an NT, ST or USN value ("urn:schemas-upnp-org:device:MediaRenderer:1"
// or a vendor's "urn:domain:device:Type:v"); empty when there is none.
std::string_view DeviceType(std::string_view value);

}  // namespace vigil::sensor::ssdp
