// libFuzzer target for ParseListenAddress: any bytes must yield a value or an error, and a
// parsed value must print back to text that parses to the same value.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "http/listen/listen_address.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto listen = vigil::http::ParseListenAddress(text);
  if (listen) {
    const auto again = vigil::http::ParseListenAddress(listen->ToString());
    if (!again || again->address != listen->address || again->port != listen->port) {
      std::abort();
    }
  }
  return 0;
}
