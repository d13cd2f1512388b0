#include "sensor/dissect/hl7/message.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace vigil::sensor::hl7 {
namespace {

// Field `index` of `segment` (0 is the segment id), split on `separator`; empty if absent.
std::string_view Field(std::string_view segment, char separator, std::size_t index) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < index; ++i) {
    const std::size_t next = segment.find(separator, start);
    if (next == std::string_view::npos) return {};
    start = next + 1;
  }
  return segment.substr(start, segment.find(separator, start) - start);
}

std::string_view FirstComponent(std::string_view field, char component) {
  return field.substr(0, field.find(component));
}

std::string Keep(std::string_view value) { return std::string(value.substr(0, kMaxFieldBytes)); }

// HL7 v2 section 2.5: a segment id is three characters, upper-case letters and digits.
bool IsSegmentId(std::string_view id) {
  return id.size() == 3 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
         });
}

void AddDistinct(std::vector<std::string>& ids, std::string_view id) {
  if (ids.size() >= kMaxSegmentIds) return;
  if (std::find(ids.begin(), ids.end(), id) != ids.end()) return;
  ids.emplace_back(id);
}

}  // namespace

bool IsPatientSegment(std::string_view segment_id) {
  static constexpr std::array<std::string_view, 12> kPatient = {
      "PID", "PD1", "MRG", "NK1", "PV1", "PV2", "IN1", "IN2", "IN3", "GT1", "DG1", "AL1"};
  return std::find(kPatient.begin(), kPatient.end(), segment_id) != kPatient.end();
}

Result<Message> ParseMessage(std::span<const std::uint8_t> body, bool truncated) {
  const std::string_view text(reinterpret_cast<const char*>(body.data()), body.size());
  // MSH-1 is the byte after "MSH"; MSH-2 (encoding characters) follows it (section 2.14.9).
  if (text.size() < 4 || text.substr(0, 3) != "MSH") {
    return MakeError(ErrorCode::kInvalidArgument, "hl7 message: does not start with msh");
  }
  const char field_sep = text[3];
  if (field_sep == '\r' || field_sep == '\n' || field_sep == '\0') {
    return MakeError(ErrorCode::kInvalidArgument, "hl7 message: no field separator");
  }
  Message message{.truncated = truncated};
  std::size_t start = 0;
  bool first = true;
  char component_sep = '^';
  while (start < text.size()) {
    std::size_t end = text.find_first_of("\r\n", start);
    const bool last = end == std::string_view::npos;
    if (last) {
      // A cut segment is not counted: its id or its fields may be incomplete.
      if (truncated && !first) break;
      end = text.size();
    }
    const std::string_view segment = text.substr(start, end - start);
    start = end + 1;
    if (segment.empty()) continue;
    const std::string_view id = segment.substr(0, 3);
    if (!IsSegmentId(id) || (segment.size() > 3 && segment[3] != field_sep)) continue;
    AddDistinct(message.segment_ids, id);
    if (first) {
      first = false;
      // MSH-n is field n-1 here, because MSH-1 is the separator itself.
      const std::string_view encoding = Field(segment, field_sep, 1);
      if (!encoding.empty()) component_sep = encoding[0];
      auto component = [&](std::size_t n) {
        return Keep(FirstComponent(Field(segment, field_sep, n - 1), component_sep));
      };
      message.sending_application = component(3);
      message.sending_facility = component(4);
      message.receiving_application = component(5);
      message.receiving_facility = component(6);
      message.version = component(12);
      const std::string_view type = Field(segment, field_sep, 8);
      const std::string_view code = FirstComponent(type, component_sep);
      const std::string_view rest =
          code.size() < type.size() ? type.substr(code.size() + 1) : std::string_view();
      const std::string_view event = FirstComponent(rest, component_sep);
      message.message_type =
          Keep(event.empty() ? code : std::string(code) + "^" + std::string(event));
      continue;
    }
    if (id == "MSA" && message.ack_code.empty()) {
      message.ack_code = Keep(FirstComponent(Field(segment, field_sep, 1), component_sep));
    }
    // OBX-5 is the observation value; an OBX without one carries no patient data.
    const bool patient =
        IsPatientSegment(id) || (id == "OBX" && !Field(segment, field_sep, 5).empty());
    if (patient) AddDistinct(message.phi_segment_ids, id);
  }
  return message;
}

}  // namespace vigil::sensor::hl7
