// Fuzz target: MAC, IP and CIDR parsers on arbitrary text; a parsed value must print and
// parse back to itself.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/check.h"
#include "core/net_address.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto mac = vigil::MacAddress::Parse(text)) {
    VIGIL_CHECK(*vigil::MacAddress::Parse(mac->ToString()) == *mac, "mac round trip");
  }
  if (auto ip = vigil::IpAddress::Parse(text)) {
    VIGIL_CHECK(*vigil::IpAddress::Parse(ip->ToString()) == *ip, "ip round trip");
  }
  if (auto cidr = vigil::Cidr::Parse(text)) {
    VIGIL_CHECK(*vigil::Cidr::Parse(cidr->ToString()) == *cidr, "cidr round trip");
    VIGIL_CHECK(cidr->Contains(cidr->network()), "cidr contains its network");
  }
  return 0;
}
