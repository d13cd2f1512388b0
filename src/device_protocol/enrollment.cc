// POST /v1/enroll and /v1/renew, and their answer.

#include <algorithm>

#include "core/time_format.h"
#include "device_protocol/json_read.h"
#include "device_protocol/json_write.h"
#include "device_protocol/messages.h"

namespace vigil::device_protocol {
namespace {

using internal::Chars;
using internal::JsonWriter;
using internal::Need;
using internal::ObjectReader;
using internal::ParserLease;
using internal::Path;

constexpr std::int64_t kNanosPerSecond = 1'000'000'000;

// PEM text from our own gateway: bounded only so that a broken answer cannot grow without end.
constexpr std::size_t kMaxPemBytes = 256 * 1024;

Status ReadCsr(const ObjectReader& body, const Limits& limits, std::string& csr) {
  return body.String("csr", Need::kRequired, {.min_bytes = 1, .max_bytes = limits.max_csr}, csr);
}

bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

}  // namespace

Result<EnrollRequest> ParseEnrollRequest(std::string_view json, const Limits& limits) {
  const Path root("enroll");
  ParserLease lease;
  const auto body = internal::ParseObject(lease, json, root);
  if (!body) return tl::unexpected(body.error());
  EnrollRequest request;
  VIGIL_RETURN_IF_ERROR(body->String(
      "token", Need::kRequired,
      {.min_bytes = 1, .max_bytes = limits.max_name, .chars = Chars::kLine}, request.token));
  VIGIL_RETURN_IF_ERROR(ReadCsr(*body, limits, request.csr_pem));
  return request;
}

Result<std::string> ParseRenewRequest(std::string_view json, const Limits& limits) {
  const Path root("renew");
  ParserLease lease;
  const auto body = internal::ParseObject(lease, json, root);
  if (!body) return tl::unexpected(body.error());
  std::string csr;
  VIGIL_RETURN_IF_ERROR(ReadCsr(*body, limits, csr));
  return csr;
}

Result<Enrolled> ParseEnrolled(std::string_view json) {
  const Path root("enrolled");
  ParserLease lease;
  const auto body = internal::ParseObject(lease, json, root);
  if (!body) return tl::unexpected(body.error());
  Enrolled enrolled;
  VIGIL_RETURN_IF_ERROR(
      body->String("device_id", Need::kRequired, {.max_bytes = 32}, enrolled.device_id));
  if (enrolled.device_id.size() != 32 ||
      !std::all_of(enrolled.device_id.begin(), enrolled.device_id.end(), IsLowerHex)) {
    return root.Field("device_id").Fail("expected 32 lowercase hex digits");
  }
  const internal::TextRule pem{.min_bytes = 1, .max_bytes = kMaxPemBytes};
  VIGIL_RETURN_IF_ERROR(
      body->String("certificate", Need::kRequired, pem, enrolled.certificate_pem));
  VIGIL_RETURN_IF_ERROR(body->String("ca_chain", Need::kRequired, pem, enrolled.ca_chain_pem));
  std::int64_t not_after_nanos = 0;
  VIGIL_RETURN_IF_ERROR(body->Time("not_after", Need::kRequired, not_after_nanos));
  // Whole seconds, rounded down (a certificate's notAfter has no fraction).
  enrolled.not_after_unix =
      not_after_nanos / kNanosPerSecond - (not_after_nanos % kNanosPerSecond < 0 ? 1 : 0);
  return enrolled;
}

std::string WriteEnrollRequest(const EnrollRequest& request) {
  return JsonWriter(request.csr_pem.size() + 64)
      .BeginObject()
      .Key("token")
      .String(request.token)
      .Key("csr")
      .String(request.csr_pem)
      .EndObject()
      .Take();
}

std::string WriteRenewRequest(std::string_view csr_pem) {
  return JsonWriter(csr_pem.size() + 32)
      .BeginObject()
      .Key("csr")
      .String(csr_pem)
      .EndObject()
      .Take();
}

std::string WriteEnrolled(const Enrolled& enrolled) {
  // Clamped to the times the parser accepts (years 1678 to 2261).
  const std::int64_t seconds =
      std::clamp(enrolled.not_after_unix, internal::kMinTimeSeconds, internal::kMaxTimeSeconds);
  return JsonWriter(enrolled.certificate_pem.size() + enrolled.ca_chain_pem.size() + 160)
      .BeginObject()
      .Key("device_id")
      .String(enrolled.device_id)
      .Key("certificate")
      .String(enrolled.certificate_pem)
      .Key("ca_chain")
      .String(enrolled.ca_chain_pem)
      .Key("not_after")
      .String(FormatRfc3339(seconds * kNanosPerSecond, 0))
      .EndObject()
      .Take();
}

}  // namespace vigil::device_protocol
