#pragma once

// Argument checks and error messages shared by every DeviceRepo implementation, so the SQLite
// tables and the in-memory fake refuse the same input with the same codes (device_repo.h).
// Pure functions; thread-safe.

#include <cstdint>
#include <span>
#include <string_view>

#include "core/result.h"
#include "model/device_report.h"
#include "store/device_repo.h"

namespace vigil::store {

// kInvalidArgument for an empty id or name.
Status CheckDevice(const DeviceRecord& device, std::string_view context);

// kInvalidArgument for an empty token hash or device id.
Status CheckEnrollmentToken(const EnrollmentTokenRecord& token, std::string_view context);

// kInvalidArgument for an empty serial or device id.
Status CheckCertificate(const DeviceCertificateRecord& certificate, std::string_view context);

// kInvalidArgument for a point with an empty metric name.
Status CheckMetricPoints(std::span<const model::MetricPoint> points, std::string_view context);

// kInvalidArgument unless `now_unix` > 0 (0 marks "not yet" in used_unix and revoked_unix).
Status CheckTimeSet(std::int64_t now_unix, std::string_view context);

// kNotFound errors naming what was asked for.
tl::unexpected<Error> DeviceNotFound(std::string_view id);
tl::unexpected<Error> EnrollmentTokenNotFound();
tl::unexpected<Error> CertificateNotFound(std::string_view serial);

// kFailedPrecondition for an enrolment token used already.
tl::unexpected<Error> EnrollmentTokenUsed(std::int64_t used_unix);

}  // namespace vigil::store
