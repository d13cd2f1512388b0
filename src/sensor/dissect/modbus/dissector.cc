#include "sensor/dissect/modbus/dissector.h"

#include <array>
#include <bitset>
#include <string>
#include <vector>

#include "sensor/decode/byte_reader.h"
#include "sensor/dissect/modbus/message.h"
#include "sensor/dissect/observe.h"
#include "sensor/dissect/text.h"

namespace vigil::sensor::modbus {
namespace {

using Bytes = std::span<const std::uint8_t>;

constexpr std::size_t kMaxProbeFrames = 4;
constexpr std::array<std::string_view, 6> kObjectKeys = {
    "modbus.vendor_name", "modbus.product_code", "modbus.revision",
    "modbus.vendor_url",  "modbus.product_name", "modbus.model_name"};

bool Probe(Bytes payload, const ProbeContext& /*context*/) {
  Bytes rest = payload;
  std::size_t frames = 0;
  while (frames < kMaxProbeFrames && !rest.empty()) {
    auto frame = ParseFrame(rest);
    if (!frame || frame->base_function() == 0) return false;
    rest = rest.subspan(frame->size);
    ++frames;
  }
  return frames > 0 && (rest.empty() || frames == kMaxProbeFrames);
}

class ModbusStream final : public StreamDissector {
 public:
  std::size_t OnData(Direction dir, Bytes data, std::int64_t time, const FlowView& flow,
                     Sink& sink) override {
    std::size_t consumed = 0;
    std::vector<model::Fact> facts;
    while (!finished_) {
      auto frame = ParseFrame(data.subspan(consumed));
      if (!frame) {
        if (frame.error() == ParseError::kMalformed) finished_ = true;  // Lost framing.
        break;
      }
      consumed += frame->size;
      if (dir == Direction::kClientToServer) {
        OnRequest(*frame, facts);
      } else {
        OnResponse(*frame, facts);
      }
      if (++frames_ >= kMaxFrames) finished_ = true;
    }
    // Every fact describes the server (the device that answers).
    ObserveSide(sink, "modbus", flow, FlowSide::kServer, time, std::move(facts));
    return finished_ ? data.size() : consumed;
  }

  void OnGap(Direction /*dir*/) override { finished_ = true; }
  bool Finished() const override { return finished_; }

 private:
  void OnRequest(const Frame& frame, std::vector<model::Fact>& facts) {
    if (!units_.test(frame.unit)) {
      units_.set(frame.unit);
      facts.push_back({"modbus.unit_id", std::to_string(frame.unit)});
    }
    std::uint8_t function = frame.base_function();
    if (!functions_.test(function)) {
      functions_.set(function);
      facts.push_back({"modbus.function", FunctionName(function)});
    }
    if (IsWrite(function) && !wrote_) {
      wrote_ = true;
      facts.push_back({"modbus.write", "true"});
    }
    if (function == kDiagnostics) {
      ByteReader reader(frame.data);
      std::uint16_t sub_function = reader.U16();
      if (reader.ok() && sub_function < diagnostics_.size() && !diagnostics_.test(sub_function)) {
        diagnostics_.set(sub_function);
        facts.push_back({"modbus.diagnostics", std::to_string(sub_function)});
      }
    }
  }

  void OnResponse(const Frame& frame, std::vector<model::Fact>& facts) {
    std::uint8_t function = frame.base_function();
    if (frame.exception()) {
      ByteReader reader(frame.data);
      std::uint8_t code = reader.U8();
      auto key = static_cast<std::uint16_t>(function << 8 | code);
      if (reader.ok() && !SeenException(key)) {
        facts.push_back({"modbus.exception", FunctionName(function) + ": " + ExceptionName(code)});
      }
      return;
    }
    if (function != kEncapsulatedInterface || frame.data.empty() ||
        frame.data[0] != kMeiReadDeviceId) {
      return;
    }
    auto objects = ParseDeviceIdentification(frame.data);
    if (!objects) return;
    for (const auto& object : *objects) {
      if (object.id >= kObjectKeys.size() || identified_.test(object.id)) continue;
      identified_.set(object.id);
      facts.push_back({std::string(kObjectKeys[object.id]), SafeText(object.value)});
    }
  }

  // Remembers up to kMaxExceptions (function, code) pairs; true if `key` was seen before.
  bool SeenException(std::uint16_t key) {
    for (std::size_t i = 0; i < exception_count_; ++i) {
      if (exceptions_[i] == key) return true;
    }
    if (exception_count_ == exceptions_.size()) return true;  // Enough reported.
    exceptions_[exception_count_++] = key;
    return false;
  }

  static constexpr std::size_t kMaxExceptions = 16;

  std::bitset<256> units_;
  std::bitset<128> functions_;
  std::bitset<32> diagnostics_;  // Sub-functions 0..20 are defined.
  std::array<std::uint16_t, kMaxExceptions> exceptions_{};
  std::size_t exception_count_ = 0;
  std::bitset<kObjectKeys.size()> identified_;
  bool wrote_ = false;
  bool finished_ = false;
  std::size_t frames_ = 0;
};

std::unique_ptr<StreamDissector> MakeStream() { return std::make_unique<ModbusStream>(); }

}  // namespace

const DissectorInfo& Info() {
  static const DissectorInfo info{
      .name = "modbus", .transport = Transport::kTcp, .probe = Probe, .make_stream = MakeStream};
  return info;
}

}  // namespace vigil::sensor::modbus
