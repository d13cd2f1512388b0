#include "store/device_checks.h"

#include <string>

#include "store/identity_checks.h"

namespace vigil::store {

Status CheckDevice(const DeviceRecord& device, std::string_view context) {
  VIGIL_RETURN_IF_ERROR(CheckNotEmpty(device.id, "device id", context));
  return CheckNotEmpty(device.name, "device name", context);
}

Status CheckEnrollmentToken(const EnrollmentTokenRecord& token, std::string_view context) {
  if (token.token_hash.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, std::string(context) + ": empty token hash");
  }
  return CheckNotEmpty(token.device_id, "device id", context);
}

Status CheckCertificate(const DeviceCertificateRecord& certificate, std::string_view context) {
  VIGIL_RETURN_IF_ERROR(CheckNotEmpty(certificate.serial, "certificate serial", context));
  return CheckNotEmpty(certificate.device_id, "device id", context);
}

Status CheckMetricPoints(std::span<const model::MetricPoint> points, std::string_view context) {
  for (const model::MetricPoint& point : points) {
    VIGIL_RETURN_IF_ERROR(CheckNotEmpty(point.name, "metric name", context));
  }
  return OkStatus();
}

Status CheckTimeSet(std::int64_t now_unix, std::string_view context) {
  if (now_unix <= 0) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        std::string(context) + ": time " + std::to_string(now_unix) + " is not after 1970");
  }
  return OkStatus();
}

tl::unexpected<Error> DeviceNotFound(std::string_view id) {
  return MakeError(ErrorCode::kNotFound, "device '" + std::string(id) + "' not found");
}

tl::unexpected<Error> EnrollmentTokenNotFound() {
  return MakeError(ErrorCode::kNotFound, "enrolment token with that hash not found");
}

tl::unexpected<Error> CertificateNotFound(std::string_view serial) {
  return MakeError(ErrorCode::kNotFound, "certificate '" + std::string(serial) + "' not found");
}

tl::unexpected<Error> EnrollmentTokenUsed(std::int64_t used_unix) {
  return MakeError(ErrorCode::kFailedPrecondition,
                   "enrolment token was used already (at " + std::to_string(used_unix) + ")");
}

}  // namespace vigil::store
