#include "core/id.h"

#include <sys/random.h>

#include <algorithm>
#include <cerrno>

#include "core/check.h"
#include "core/hex.h"

namespace vigil {

Id Id::Random() {
  std::array<std::uint8_t, 16> bytes{};
  std::size_t filled = 0;
  while (filled < bytes.size()) {
    const ssize_t n = ::getrandom(bytes.data() + filled, bytes.size() - filled, 0);
    if (n < 0 && errno == EINTR) continue;
    VIGIL_CHECK(n > 0, "getrandom failed");
    filled += static_cast<std::size_t>(n);
  }
  return Id(bytes);
}

Result<Id> Id::Parse(std::string_view text) {
  if (text.size() != 32) {
    return MakeError(ErrorCode::kInvalidArgument, "id: expected 32 hex digits");
  }
  auto bytes = HexDecode(text);
  if (!bytes) return MakeError(ErrorCode::kInvalidArgument, "id: " + bytes.error().message);
  std::array<std::uint8_t, 16> out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return Id(out);
}

std::string Id::ToString() const { return HexEncode(bytes_); }

bool Id::is_zero() const {
  return std::all_of(bytes_.begin(), bytes_.end(), [](std::uint8_t b) { return b == 0; });
}

}  // namespace vigil
