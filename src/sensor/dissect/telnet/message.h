#pragma once

// Telnet (RFC 854, option negotiation RFC 855): TelnetScanner walks one direction's bytes,
// removing commands (IAC WILL/WONT/DO/DONT option, IAC SB ... IAC SE, IAC x) and keeping the
// text, in pieces as they arrive (a command may be split across segments). It reports two
// events in the server's text: the first non-empty line (the banner a device prints before
// its login prompt) and a login prompt ("login:", "username:", "password:", any case). After a
// prompt no line is reported: the server then echoes what the user types.
//
// Bounded: the line kept is cut at kMaxLineBytes and the prompt window is 16 bytes; nothing
// else is stored. Never reads outside the span given. A scanner is a plain value owned by one
// stream; not thread-safe.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace vigil::sensor::telnet {

inline constexpr std::uint8_t kIac = 255;
inline constexpr std::uint8_t kSb = 250;
inline constexpr std::uint8_t kSe = 240;
inline constexpr std::uint8_t kWill = 251;
inline constexpr std::uint8_t kDont = 254;
inline constexpr std::size_t kMaxLineBytes = 128;

// True if `bytes` starts with an option negotiation (IAC WILL/WONT/DO/DONT or IAC SB).
bool StartsWithNegotiation(std::span<const std::uint8_t> bytes);

enum class Event : std::uint8_t {
  kNone,    // The bytes were consumed without an event.
  kLine,    // The first non-empty line of text is complete: line().
  kPrompt,  // A login prompt ended: prompt().
};

class TelnetScanner {
 public:
  // Scans from the front of `bytes` up to and including the byte that completes an event, or
  // to the end. Sets `consumed` to the bytes scanned and returns the event.
  Event Scan(std::span<const std::uint8_t> bytes, std::size_t& consumed);

  std::string_view line() const { return line_; }
  std::string_view prompt() const { return prompt_; }
  bool negotiated() const { return negotiated_; }  // An option negotiation was seen.
  bool text_seen() const { return text_seen_; }    // A data byte (not a command) was seen.

 private:
  enum class State : std::uint8_t { kData, kCommand, kOption, kSub, kSubIac };

  Event OnText(std::uint8_t c);

  State state_ = State::kData;
  bool negotiated_ = false;
  bool text_seen_ = false;
  bool line_done_ = false;
  std::string line_;
  std::string_view prompt_;
  std::array<char, 16> window_{};  // The last text bytes, lowercase, newest at the end.
};

}  // namespace vigil::sensor::telnet
