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

}  // namespace vigil::model
