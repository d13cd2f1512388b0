#include "identity/qr_code.h"

#include <qrencode.h>

#include <cerrno>
#include <cstddef>
#include <memory>
#include <vector>

namespace vigil::identity {
namespace {

// ISO/IEC 18004 asks for a light margin (quiet zone) four modules wide around the symbol.
constexpr int kQuietZone = 4;
constexpr std::size_t kMaxBytesLevelM = 2331;  // Version 40-M, byte mode.

// The symbol with its quiet zone: `size` x `size` modules, true for dark.
struct Modules {
  int size = 0;
  std::vector<bool> dark;
  bool at(int x, int y) const {
    if (x < 0 || y < 0 || x >= size || y >= size) return false;
    return dark[static_cast<std::size_t>(y * size + x)];
  }
};

struct QrcodeFree {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

Result<Modules> Encode(std::string_view text) {
  if (text.empty()) return MakeError(ErrorCode::kInvalidArgument, "qr code: empty text");
  if (text.size() > kMaxBytesLevelM) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "qr code: text of " + std::to_string(text.size()) +
                         " bytes is too long for a qr code (at most 2331 at level m)");
  }
  errno = 0;
  const std::unique_ptr<QRcode, QrcodeFree> code(
      QRcode_encodeData(static_cast<int>(text.size()),
                        reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M));
  if (code == nullptr) {
    if (errno == ERANGE || errno == EINVAL) {
      return MakeError(ErrorCode::kInvalidArgument, "qr code: text too long for a qr code");
    }
    if (errno == ENOMEM) return MakeError(ErrorCode::kResourceExhausted, "qr code: out of memory");
    return MakeError(ErrorCode::kInternal, "qr code: libqrencode failed");
  }
  Modules modules;
  modules.size = code->width + 2 * kQuietZone;
  modules.dark.assign(static_cast<std::size_t>(modules.size * modules.size), false);
  for (int y = 0; y < code->width; ++y) {
    for (int x = 0; x < code->width; ++x) {
      // libqrencode: bit 0 of each byte is the module's colour (1 = dark).
      const bool dark = (code->data[y * code->width + x] & 1) != 0;
      modules.dark[static_cast<std::size_t>((y + kQuietZone) * modules.size + x + kQuietZone)] =
          dark;
    }
  }
  return modules;
}

}  // namespace

Result<std::string> QrSvg(std::string_view text) {
  const auto modules = Encode(text);
  if (!modules) return tl::unexpected(modules.error());
  const std::string n = std::to_string(modules->size);
  std::string svg =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
      n + " " + n + "\" shape-rendering=\"crispEdges\">\n<rect width=\"" + n + "\" height=\"" + n +
      "\" fill=\"#ffffff\"/>\n<path fill=\"#000000\" d=\"";
  // One subpath per horizontal run of dark modules keeps the path short.
  for (int y = 0; y < modules->size; ++y) {
    for (int x = 0; x < modules->size;) {
      if (!modules->at(x, y)) {
        ++x;
        continue;
      }
      const int start = x;
      while (modules->at(x, y)) ++x;
      svg += "M" + std::to_string(start) + " " + std::to_string(y) + "h" +
             std::to_string(x - start) + "v1h-" + std::to_string(x - start) + "z";
    }
  }
  svg += "\"/>\n</svg>\n";
  return svg;
}

Result<std::string> QrTerminal(std::string_view text) {
  const auto modules = Encode(text);
  if (!modules) return tl::unexpected(modules.error());
  // Drawn (foreground) = light module. Rows past the bottom edge are the terminal background.
  static constexpr std::string_view kFull = "\u2588", kUpper = "\u2580", kLower = "\u2584";
  std::string out;
  for (int y = 0; y < modules->size; y += 2) {
    for (int x = 0; x < modules->size; ++x) {
      const bool top_light = !modules->at(x, y);
      const bool bottom_light = y + 1 < modules->size && !modules->at(x, y + 1);
      if (top_light && bottom_light) {
        out += kFull;
      } else if (top_light) {
        out += kUpper;
      } else if (bottom_light) {
        out += kLower;
      } else {
        out += ' ';
      }
    }
    out += '\n';
  }
  return out;
}

}  // namespace vigil::identity
