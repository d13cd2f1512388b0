#pragma once

// Test helpers: the captured handshakes in testdata/ and hand-built hello messages.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "testing/fixtures.h"

namespace vigil::sensor::tls {

using ByteVector = std::vector<std::uint8_t>;

// testdata/<name>: the first client or server flight of a loopback `openssl s_client` to
// `openssl s_server` session (tls12_*: -tls1_2 with ALPN http/1.1; tls13_*: defaults), as
// captured by tcpdump and cut out with tshark.
inline ByteVector Testdata(std::string_view name) {
  std::string text = vigil::testing::ReadFileOrEmpty(vigil::testing::SourceDir() /
                                                     "src/sensor/dissect/tls/testdata" / name);
  return {text.begin(), text.end()};
}

// The body of the first handshake message in a flight that starts with a record.
inline ByteVector FirstMessageBody(const ByteVector& flight) {
  if (flight.size() < 9) return {};
  std::size_t length = (std::size_t{flight[6]} << 16) | (std::size_t{flight[7]} << 8) | flight[8];
  if (flight.size() < 9 + length) return {};
  return {flight.begin() + 9, flight.begin() + 9 + static_cast<long>(length)};
}

inline void PutU16(ByteVector& out, std::size_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}
inline void PutU24(ByteVector& out, std::size_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 16));
  PutU16(out, v & 0xffff);
}
inline void Append(ByteVector& out, const ByteVector& more) {
  out.insert(out.end(), more.begin(), more.end());
}

inline ByteVector Extension(std::uint16_t type, const ByteVector& data) {
  ByteVector out;
  PutU16(out, type);
  PutU16(out, data.size());
  Append(out, data);
  return out;
}

inline ByteVector U16List(const std::vector<std::uint16_t>& values, bool byte_length = false) {
  ByteVector out;
  if (byte_length) {
    out.push_back(static_cast<std::uint8_t>(values.size() * 2));
  } else {
    PutU16(out, values.size() * 2);
  }
  for (auto v : values) PutU16(out, v);
  return out;
}

// A ClientHello body: version, random, empty session id, suites, null compression, extensions.
inline ByteVector ClientHelloBody(std::uint16_t version, const std::vector<std::uint16_t>& suites,
                                  const ByteVector& extensions) {
  ByteVector out;
  PutU16(out, version);
  out.insert(out.end(), 32, 0x11);
  out.push_back(0);
  Append(out, U16List(suites));
  out.push_back(1);
  out.push_back(0);
  PutU16(out, extensions.size());
  Append(out, extensions);
  return out;
}

inline ByteVector ServerHelloBody(std::uint16_t version, std::uint16_t suite,
                                  const ByteVector& extensions) {
  ByteVector out;
  PutU16(out, version);
  out.insert(out.end(), 32, 0x22);
  out.push_back(0);
  PutU16(out, suite);
  out.push_back(0);
  if (!extensions.empty()) {
    PutU16(out, extensions.size());
    Append(out, extensions);
  }
  return out;
}

// A handshake message of `type` in one record of `record_version`.
inline ByteVector Record(std::uint8_t type, const ByteVector& body,
                         std::uint16_t record_version = 0x0303) {
  ByteVector message{type};
  PutU24(message, body.size());
  Append(message, body);
  ByteVector out{22};
  PutU16(out, record_version);
  PutU16(out, message.size());
  Append(out, message);
  return out;
}

}  // namespace vigil::sensor::tls
