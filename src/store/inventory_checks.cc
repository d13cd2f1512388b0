#include "store/inventory_checks.h"

#include <algorithm>
#include <string>

#include "store/identity_checks.h"

namespace vigil::store {
namespace {

Status CheckLimit(std::size_t limit, std::string_view context) {
  if (limit == 0 || limit > kMaxListLimit) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string(context) + ": limit " + std::to_string(limit) +
                         " is not between 1 and " + std::to_string(kMaxListLimit));
  }
  return OkStatus();
}

Status CheckWindow(std::int64_t from, std::int64_t to, std::string_view context) {
  if (to < from) {
    return MakeError(ErrorCode::kInvalidArgument, std::string(context) + ": time window ends (" +
                                                      std::to_string(to) + ") before it starts (" +
                                                      std::to_string(from) + ")");
  }
  return OkStatus();
}

}  // namespace

Status CheckObservedDevice(const model::ObservedDevice& device, std::string_view context) {
  return CheckNotEmpty(device.id, "observed device id", context);
}

Status CheckFindings(std::span<const StoredFinding> findings, std::string_view context) {
  for (const StoredFinding& finding : findings) {
    VIGIL_RETURN_IF_ERROR(CheckNotEmpty(finding.finding.kind, "finding kind", context));
  }
  return OkStatus();
}

Status CheckFlows(std::span<const model::FlowAggregate> flows, std::string_view context) {
  for (const model::FlowAggregate& flow : flows) {
    if (flow.bucket_start_unix_nanos % kFlowBucketNanos != 0) {
      return MakeError(ErrorCode::kInvalidArgument,
                       std::string(context) + ": flow bucket " +
                           std::to_string(flow.bucket_start_unix_nanos) +
                           " is not a multiple of 5 minutes");
    }
  }
  return OkStatus();
}

Status CheckDeviceFilter(const ObservedDeviceFilter& filter, std::string_view context) {
  VIGIL_RETURN_IF_ERROR(CheckLimit(filter.limit, context));
  if (filter.last_seen_after_unix_nanos && filter.last_seen_before_unix_nanos) {
    return CheckWindow(*filter.last_seen_after_unix_nanos, *filter.last_seen_before_unix_nanos,
                       context);
  }
  return OkStatus();
}

Status CheckFindingFilter(const FindingFilter& filter, std::string_view context) {
  VIGIL_RETURN_IF_ERROR(CheckLimit(filter.limit, context));
  return CheckWindow(filter.from_unix_nanos, filter.to_unix_nanos, context);
}

Status CheckFlowFilter(const FlowFilter& filter, std::string_view context) {
  VIGIL_RETURN_IF_ERROR(CheckLimit(filter.limit, context));
  return CheckWindow(filter.from_unix_nanos, filter.to_unix_nanos, context);
}

tl::unexpected<Error> ObservedDeviceNotFound(std::string_view id) {
  return MakeError(ErrorCode::kNotFound, "observed device '" + std::string(id) + "' not found");
}

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return out;
}

std::string SearchText(const model::ObservedDevice& device) {
  std::string text = device.id;
  auto add = [&](std::string_view part) {
    text += '\n';
    text += part;
  };
  for (const std::string& name : device.names) add(name);
  for (const model::ObservedAddress& address : device.addresses) add(address.ip.ToString());
  for (const MacAddress& mac : device.macs) add(mac.ToString());
  add(device.identity.manufacturer.value);
  add(device.identity.model.value);
  return AsciiLower(text);
}

IpKey KeyOf(const IpAddress& ip) {
  IpKey key{};
  key[0] = ip.is_v4() ? 4 : 6;
  std::span<const std::uint8_t> bytes = ip.bytes();
  std::copy(bytes.begin(), bytes.end(), key.begin() + 1);
  return key;
}

IpAddress IpOfKey(std::span<const std::uint8_t> key) {
  if (key.size() != 17) return IpAddress();
  if (key[0] == 4)
    return IpAddress::V4(std::array<std::uint8_t, 4>{key[1], key[2], key[3], key[4]});
  std::array<std::uint8_t, 16> bytes{};
  std::copy(key.begin() + 1, key.end(), bytes.begin());
  return IpAddress::V6(bytes);
}

}  // namespace vigil::store
