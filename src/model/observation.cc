#include "model/observation.h"

namespace vigil::model {

std::string_view FlowEndName(FlowEnd end) {
  switch (end) {
    case FlowEnd::kIdle:
      return "idle";
    case FlowEnd::kActive:
      return "active";
    case FlowEnd::kClosed:
      return "closed";
    case FlowEnd::kEvicted:
      return "evicted";
    case FlowEnd::kEndOfCapture:
      return "end_of_capture";
  }
  return "unknown";
}

std::string_view SeverityName(FindingSeverity s) {
  switch (s) {
    case FindingSeverity::kLow:
      return "low";
    case FindingSeverity::kMedium:
      return "medium";
    case FindingSeverity::kHigh:
      return "high";
    case FindingSeverity::kCritical:
      return "critical";
  }
  return "unknown";
}

std::string IpProtocolName(std::uint8_t ip_protocol) {
  switch (ip_protocol) {
    case 1:
      return "icmp";
    case 6:
      return "tcp";
    case 17:
      return "udp";
    case 58:
      return "icmpv6";
    default:
      return std::to_string(ip_protocol);
  }
}

}  // namespace vigil::model
