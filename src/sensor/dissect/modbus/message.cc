#include "sensor/dissect/modbus/message.h"

#include "sensor/decode/byte_reader.h"

namespace vigil::sensor::modbus {

const char* ParseErrorName(ParseError error) {
  return error == ParseError::kTruncated ? "truncated" : "malformed";
}

ParseResult<Frame> ParseFrame(std::span<const std::uint8_t> bytes) {
  ByteReader reader(bytes);
  Frame frame{.transaction = reader.U16()};
  std::uint16_t protocol = reader.U16();
  std::uint16_t length = reader.U16();  // Unit id and PDU.
  if (!reader.ok()) return tl::unexpected(ParseError::kTruncated);
  if (protocol != 0 || length < 2 || length > kMaxAdu - 6) {
    return tl::unexpected(ParseError::kMalformed);
  }
  frame.unit = reader.U8();
  frame.function = reader.U8();
  frame.data = reader.Bytes(length - 2u);
  if (!reader.ok()) return tl::unexpected(ParseError::kTruncated);
  frame.size = 6u + length;
  return frame;
}

std::string FunctionName(std::uint8_t function) {
  switch (function) {
    case 1:
      return "read_coils";
    case 2:
      return "read_discrete_inputs";
    case 3:
      return "read_holding_registers";
    case 4:
      return "read_input_registers";
    case 5:
      return "write_single_coil";
    case 6:
      return "write_single_register";
    case 7:
      return "read_exception_status";
    case 8:
      return "diagnostics";
    case 11:
      return "get_comm_event_counter";
    case 12:
      return "get_comm_event_log";
    case 15:
      return "write_multiple_coils";
    case 16:
      return "write_multiple_registers";
    case 17:
      return "report_server_id";
    case 20:
      return "read_file_record";
    case 21:
      return "write_file_record";
    case 22:
      return "mask_write_register";
    case 23:
      return "read_write_multiple_registers";
    case 24:
      return "read_fifo_queue";
    case 43:
      return "encapsulated_interface";
    default:
      return "function_" + std::to_string(function);
  }
}

bool IsWrite(std::uint8_t function) {
  switch (function) {
    case 5:
    case 6:
    case 15:
    case 16:
    case 21:
    case 22:
    case 23:
      return true;
    default:
      return false;
  }
}

std::string ExceptionName(std::uint8_t code) {
  switch (code) {
    case 1:
      return "illegal_function";
    case 2:
      return "illegal_data_address";
    case 3:
      return "illegal_data_value";
    case 4:
      return "server_device_failure";
    case 5:
      return "acknowledge";
    case 6:
      return "server_device_busy";
    case 8:
      return "memory_parity_error";
    case 10:
      return "gateway_path_unavailable";
    case 11:
      return "gateway_target_failed_to_respond";
    default:
      return "exception_" + std::to_string(code);
  }
}

ParseResult<std::vector<DeviceObject>> ParseDeviceIdentification(
    std::span<const std::uint8_t> data) {
  ByteReader reader(data);
  std::uint8_t mei = reader.U8();
  reader.Skip(4);  // Read code, conformity level, more follows, next object id.
  std::uint8_t count = reader.U8();
  if (!reader.ok()) return tl::unexpected(ParseError::kTruncated);
  if (mei != kMeiReadDeviceId) return tl::unexpected(ParseError::kMalformed);
  std::vector<DeviceObject> objects;
  for (std::uint8_t i = 0; i < count && objects.size() < kMaxObjects; ++i) {
    std::uint8_t id = reader.U8();
    std::string_view value = reader.Text(reader.U8());
    if (!reader.ok()) return tl::unexpected(ParseError::kTruncated);
    objects.push_back({.id = id, .value = std::string(value)});
  }
  return objects;
}

}  // namespace vigil::sensor::modbus
