#include "sensor/dissect/telnet/message.h"

#include <algorithm>

namespace vigil::sensor::telnet {
namespace {

constexpr std::string_view kPrompts[] = {"login:", "username:", "password:"};

bool EndsWith(const std::array<char, 16>& window, std::string_view suffix) {
  return std::equal(suffix.rbegin(), suffix.rend(), window.rbegin());
}

}  // namespace

bool StartsWithNegotiation(std::span<const std::uint8_t> bytes) {
  return bytes.size() >= 3 && bytes[0] == kIac && bytes[1] >= kSb && bytes[1] <= kDont;
}

Event TelnetScanner::Scan(std::span<const std::uint8_t> bytes, std::size_t& consumed) {
  for (consumed = 0; consumed < bytes.size();) {
    std::uint8_t b = bytes[consumed++];
    switch (state_) {
      case State::kData:
        if (b == kIac) {
          state_ = State::kCommand;
          break;
        }
        if (Event event = OnText(b); event != Event::kNone) return event;
        break;
      case State::kCommand:
        // RFC 854: IAC IAC is a data byte 255; WILL/WONT/DO/DONT take an option; SB opens a
        // subnegotiation; anything else (NOP, GA...) stands alone.
        if (b == kIac) {
          state_ = State::kData;
          if (Event event = OnText(b); event != Event::kNone) return event;
        } else if (b >= kWill && b <= kDont) {
          state_ = State::kOption;
        } else {
          state_ = b == kSb ? State::kSub : State::kData;
          negotiated_ = negotiated_ || b == kSb;
        }
        break;
      case State::kOption:
        negotiated_ = true;
        state_ = State::kData;
        break;
      case State::kSub:
        if (b == kIac) state_ = State::kSubIac;
        break;
      case State::kSubIac:
        state_ = b == kSe ? State::kData : State::kSub;
        break;
    }
  }
  return Event::kNone;
}

Event TelnetScanner::OnText(std::uint8_t c) {
  text_seen_ = true;
  char lower = static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
  std::shift_left(window_.begin(), window_.end(), 1);
  window_.back() = lower;
  if (c == ':') {
    for (std::string_view prompt : kPrompts) {
      if (EndsWith(window_, prompt)) {
        prompt_ = prompt;
        // What follows a prompt is the server echoing what the user types: never a banner.
        if (!line_done_) line_.clear();
        line_done_ = true;
        return Event::kPrompt;
      }
    }
  }
  if (line_done_) return Event::kNone;
  if (c == '\n') {
    if (!line_.empty()) {
      line_done_ = true;
      return Event::kLine;
    }
    return Event::kNone;
  }
  if (c == '\r' || c == '\0') return Event::kNone;
  if (line_.empty() && c == ' ') return Event::kNone;  // Leading blanks.
  if (line_.size() < kMaxLineBytes) line_ += static_cast<char>(c);
  return Event::kNone;
}

}  // namespace vigil::sensor::telnet
