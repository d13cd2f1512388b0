#pragma once

// QR codes (ISO/IEC 18004) for TOTP enrolment: the otpauth:// URI of a new key drawn as an SVG
// for the browser, or as text for the operator's terminal. libqrencode chooses the smallest
// version that holds `text` as 8-bit data at error correction level M (15 % recoverable), the
// level authenticator enrolment codes commonly use. Both renderings keep the 4-module quiet zone
// that scanners need around the symbol.
//
// The output contains the key: callers send it only to the person enrolling and do not log it.
//
// Thread safety: both functions may be called concurrently (libqrencode guards its shared
// tables with a mutex).
//
// Errors: kInvalidArgument for empty text or text too long for a QR code at level M (more than
// 2331 bytes); kResourceExhausted if libqrencode runs out of memory; kInternal otherwise.

#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil::identity {

// A standalone SVG document (<svg xmlns=... viewBox="0 0 N N" shape-rendering="crispEdges">,
// one unit per module, N = modules + 8): a white background and the dark modules as one
// <path>. No scripts, styles or external references; no width or height, so it scales to its
// container.
Result<std::string> QrSvg(std::string_view text);

// The QR code as UTF-8 text for a terminal, two module rows per line drawn with the half
// blocks U+2580, U+2584 and the full block U+2588, each line N characters wide and ended by
// '\n', (N + 1) / 2 lines. It is drawn for a dark-background terminal: the blocks (the
// terminal's light foreground) are the light modules and the quiet zone, and the dark modules
// are spaces that show the dark background, so the scanner sees dark modules on light. On a
// light-background terminal it would appear inverted, which many scanners refuse.
Result<std::string> QrTerminal(std::string_view text);

}  // namespace vigil::identity
