// libFuzzer target for the CSR path of enrolment: any bytes must be refused with a "csr: "
// message or accepted, and an accepted request must be issued a certificate that names the
// device and chains to the CA. The certificate reader (DescribeDeviceCertificate) gets the same
// bytes, since agents upload PEM of both kinds.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/check.h"
#include "pki/csr.h"
#include "pki/device_ca.h"
#include "pki/device_certificate.h"

namespace {

constexpr std::int64_t kNow = 1'780'000'000;
constexpr std::string_view kDeviceId = "0123456789abcdef0123456789abcdef";

const vigil::pki::DeviceCa& Ca() {
  static const vigil::pki::DeviceCa ca = [] {
    auto material = vigil::pki::CreateDeviceCa({}, kNow);
    VIGIL_CHECK(material.has_value(), "create the fuzz ca");
    auto loaded = vigil::pki::DeviceCa::Load(*material, kNow);
    VIGIL_CHECK(loaded.has_value(), "load the fuzz ca");
    return *std::move(loaded);
  }();
  return ca;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static_cast<void>(vigil::pki::DescribeDeviceCertificate(text));

  const auto request = vigil::pki::ParseDeviceCsr(text);
  if (!request) {
    VIGIL_CHECK(request.error().message.starts_with("csr: "), "refusals name the csr");
    return 0;
  }
  const auto issued = Ca().IssueDeviceCertificate(text, kDeviceId, kNow, 3600);
  VIGIL_CHECK(issued.has_value(), "an accepted csr is issued a certificate");
  const auto info = vigil::pki::DescribeDeviceCertificate(issued->pem);
  VIGIL_CHECK(info.has_value() && info->device_id == kDeviceId, "the certificate names the device");
  VIGIL_CHECK(info->serial_hex == issued->serial_hex, "one spelling of the serial");
  return 0;
}
