#pragma once

// Modbus/TCP frames (Modbus Messaging on TCP/IP Implementation Guide v1.0b, section 3.1.3: the
// 7-byte MBAP header, then the PDU of the Modbus Application Protocol v1.1b3) and the one PDU
// whose contents the sensor reads: Read Device Identification (function 43, MEI type 14,
// section 6.21), which names the vendor, product code and revision.
//
// ParseFrame reads one frame from the front of `bytes` without copying: kTruncated when the
// frame is not complete yet, kMalformed when the protocol identifier is not 0 or the length is
// outside 2..254 (an ADU is at most 260 bytes). ParseDeviceIdentification keeps at most
// kMaxObjects objects. Never reads outside the span given. Thread safety: pure functions.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <vector>

namespace vigil::sensor::modbus {

enum class ParseError : std::uint8_t { kTruncated, kMalformed };
const char* ParseErrorName(ParseError error);  // "truncated", "malformed"

template <typename T>
using ParseResult = tl::expected<T, ParseError>;

inline constexpr std::size_t kMbapSize = 7;  // Transaction, protocol, length, unit id.
inline constexpr std::size_t kMaxAdu = 260;

inline constexpr std::uint8_t kExceptionBit = 0x80;
inline constexpr std::uint8_t kDiagnostics = 8;
inline constexpr std::uint8_t kEncapsulatedInterface = 43;
inline constexpr std::uint8_t kMeiReadDeviceId = 14;

struct Frame {
  std::uint16_t transaction = 0;
  std::uint8_t unit = 0;
  std::uint8_t function = 0;           // With the exception bit for an exception response.
  std::span<const std::uint8_t> data;  // The PDU after the function code.
  std::size_t size = 0;                // Bytes of the whole frame, MBAP header included.

  bool exception() const { return (function & kExceptionBit) != 0; }
  std::uint8_t base_function() const { return function & ~kExceptionBit & 0xff; }
};

ParseResult<Frame> ParseFrame(std::span<const std::uint8_t> bytes);

// "read_holding_registers", "write_multiple_coils"...; "function_N" for others.
std::string FunctionName(std::uint8_t function);
// Functions that change a device's state: 5, 6, 15, 16, 21, 22, 23.
bool IsWrite(std::uint8_t function);
// Section 7: "illegal_function", "illegal_data_address"...; "exception_N" for others.
std::string ExceptionName(std::uint8_t code);

inline constexpr std::size_t kMaxObjects = 16;

struct DeviceObject {
  std::uint8_t id = 0;  // 0 VendorName, 1 ProductCode, 2 MajorMinorRevision, 3 VendorUrl...
  std::string value;    // Raw bytes (at most 255).
};

// The data of a Read Device Identification response (after the function code 43): MEI type 14,
// read code, conformity level, more follows, next object id, object count, then the objects.
ParseResult<std::vector<DeviceObject>> ParseDeviceIdentification(
    std::span<const std::uint8_t> data);

}  // namespace vigil::sensor::modbus
