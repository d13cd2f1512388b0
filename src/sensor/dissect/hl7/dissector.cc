#include "sensor/dissect/hl7/dissector.h"

#include <algorithm>
#include <array>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "sensor/dissect/hl7/message.h"
#include "sensor/dissect/observe.h"
#include "sensor/dissect/text.h"

namespace vigil::sensor::hl7 {
namespace {

// Bytes of a direction that are not HL7 (no start block) before the dissector gives up, when
// no message was ever seen.
constexpr std::size_t kMaxJunkBytes = 64 * 1024;

std::string Join(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) {
    if (!out.empty()) out += ',';
    out += id;
  }
  return out;
}

std::size_t Find(std::span<const std::uint8_t> data, std::size_t from, std::uint8_t byte) {
  if (from >= data.size()) return std::string::npos;
  const auto it = std::find(data.begin() + static_cast<std::ptrdiff_t>(from), data.end(), byte);
  return it == data.end() ? std::string::npos : static_cast<std::size_t>(it - data.begin());
}

class Hl7Stream final : public StreamDissector {
 public:
  std::size_t OnData(Direction dir, std::span<const std::uint8_t> data,
                     std::int64_t time_unix_nanos, const FlowView& flow, Sink& sink) override {
    State& state = states_[static_cast<std::size_t>(dir)];
    std::size_t consumed = 0;
    while (consumed < data.size() && !Finished()) {
      if (state.skipping) {  // Inside a message too long to buffer: drop to its end block.
        const std::size_t end = Find(data, consumed, kEndBlock);
        if (end == std::string::npos) return data.size();
        state.skipping = false;
        consumed = end + 1;
        continue;
      }
      const std::size_t start = Find(data, consumed, kStartBlock);
      if (start == std::string::npos) {
        NoteJunk(data.size() - consumed);
        return data.size();
      }
      NoteJunk(start - consumed);
      const std::size_t body = start + 1;
      // What an earlier call already searched for the end block need not be searched again.
      const std::size_t from = start == 0 ? body + state.scanned : body;
      const std::size_t end = Find(data, from, kEndBlock);
      if (end == std::string::npos) {
        if (data.size() - body < kMaxMessageBytes) {
          state.scanned = data.size() - body;
          return start;
        }
        Dissect(dir, data.subspan(body, kMaxMessageBytes), true, time_unix_nanos, flow, sink);
        state = State{.skipping = true};
        return data.size();
      }
      Dissect(dir, data.subspan(body, end - body), false, time_unix_nanos, flow, sink);
      state.scanned = 0;
      consumed = end + 1;
    }
    return Finished() ? data.size() : consumed;
  }

  void OnGap(Direction dir) override { states_[static_cast<std::size_t>(dir)] = State{}; }

  bool Finished() const override {
    return gave_up_ || (patient_data_reported_ && emitted_.size() >= kMaxObservations);
  }

 private:
  struct State {
    bool skipping = false;
    std::size_t scanned = 0;  // Bytes after a pending start block already searched.
  };

  void NoteJunk(std::size_t bytes) {
    if (messages_ > 0) return;
    junk_bytes_ += bytes;
    if (junk_bytes_ > kMaxJunkBytes) gave_up_ = true;
  }

  void Dissect(Direction dir, std::span<const std::uint8_t> body, bool truncated, std::int64_t time,
               const FlowView& flow, Sink& sink) {
    const auto message = ParseMessage(body, truncated);
    if (!message) return;
    ++messages_;
    Observe(*message, SenderOf(dir), flow, time, sink);
    if (!patient_data_reported_ && !message->phi_segment_ids.empty()) {
      patient_data_reported_ = true;
      ReportSide(sink, flow, SenderOf(dir),
                 {
                     .time_unix_nanos = time,
                     .kind = "cleartext_patient_data",
                     .protocol = "hl7",
                     .severity = model::FindingSeverity::kHigh,
                     .detail = "hl7 " + SafeText(message->message_type, 32) + " from " +
                               SafeText(message->sending_application, 64) + " to " +
                               SafeText(message->receiving_application, 64) +
                               " carried patient data segments " + Join(message->phi_segment_ids) +
                               " over an unencrypted connection",
                 });
    }
  }

  void Observe(const Message& message, FlowSide sender, const FlowView& flow, std::int64_t time,
               Sink& sink) {
    if (emitted_.size() >= kMaxObservations) return;
    std::vector<model::Fact> facts;
    auto add = [&](std::string_view key, std::string_view value) {
      if (!value.empty()) facts.push_back({.key = std::string(key), .value = SafeText(value)});
    };
    add("hl7.sending_application", message.sending_application);
    add("hl7.sending_facility", message.sending_facility);
    add("hl7.receiving_application", message.receiving_application);
    add("hl7.receiving_facility", message.receiving_facility);
    add("hl7.message_type", message.message_type);
    add("hl7.version", message.version);
    add("hl7.ack_code", message.ack_code);
    add("hl7.segments", Join(message.segment_ids));
    std::size_t hash = sender == FlowSide::kClient ? 1 : 2;
    for (const auto& fact : facts) {
      hash =
          hash * 31 + std::hash<std::string>{}(fact.key) * 7 + std::hash<std::string>{}(fact.value);
    }
    if (std::find(emitted_.begin(), emitted_.end(), hash) != emitted_.end()) return;
    emitted_.push_back(hash);
    ObserveSide(sink, "hl7", flow, sender, time, std::move(facts));
  }

  std::array<State, 2> states_;
  std::vector<std::size_t> emitted_;  // Hashes of the fact sets already observed.
  std::size_t messages_ = 0;
  std::size_t junk_bytes_ = 0;
  bool patient_data_reported_ = false;
  bool gave_up_ = false;
};

// MLLP start block then "MSH", at the start of either direction (HL7 v2 Appendix C).
bool Probe(std::span<const std::uint8_t> payload, const ProbeContext& /*context*/) {
  return payload.size() >= 4 && payload[0] == kStartBlock && payload[1] == 'M' &&
         payload[2] == 'S' && payload[3] == 'H';
}

std::unique_ptr<StreamDissector> MakeStream() { return std::make_unique<Hl7Stream>(); }

}  // namespace

const DissectorInfo& Info() {
  static const DissectorInfo info{
      .name = "hl7",
      .transport = Transport::kTcp,
      .probe = &Probe,
      .make_stream = &MakeStream,
  };
  return info;
}

}  // namespace vigil::sensor::hl7
