#pragma once

// Builds DICOM upper layer PDUs for tests (PS3.8 section 9.3), with made-up titles.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::sensor::dicom::test {

using Bytes = std::vector<std::uint8_t>;

inline void Append(Bytes& out, std::string_view text) {
  out.insert(out.end(), text.begin(), text.end());
}

inline Bytes Item(std::uint8_t type, const Bytes& value) {
  Bytes out = {type, 0, static_cast<std::uint8_t>(value.size() >> 8),
               static_cast<std::uint8_t>(value.size())};
  out.insert(out.end(), value.begin(), value.end());
  return out;
}

inline Bytes Item(std::uint8_t type, std::string_view value) {
  return Item(type, Bytes(value.begin(), value.end()));
}

inline Bytes Pdu(std::uint8_t type, const Bytes& body) {
  const auto n = static_cast<std::uint32_t>(body.size());
  Bytes out = {type,
               0,
               static_cast<std::uint8_t>(n >> 24),
               static_cast<std::uint8_t>(n >> 16),
               static_cast<std::uint8_t>(n >> 8),
               static_cast<std::uint8_t>(n)};
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

inline std::string Padded(std::string_view title) {
  std::string out(title);
  out.resize(16, ' ');
  return out;
}

inline Bytes RequestContext(std::uint8_t id, std::string_view abstract_syntax,
                            const std::vector<std::string>& transfer_syntaxes) {
  Bytes value = {id, 0, 0, 0};
  const Bytes abstract = Item(0x30, abstract_syntax);
  value.insert(value.end(), abstract.begin(), abstract.end());
  for (const auto& ts : transfer_syntaxes) {
    const Bytes item = Item(0x40, ts);
    value.insert(value.end(), item.begin(), item.end());
  }
  return Item(0x20, value);
}

inline Bytes AcceptContext(std::uint8_t id, std::uint8_t result, std::string_view ts) {
  Bytes value = {id, 0, result, 0};
  const Bytes item = Item(0x40, ts);
  value.insert(value.end(), item.begin(), item.end());
  return Item(0x21, value);
}

inline Bytes UserInformation(std::uint32_t max_length, std::string_view class_uid,
                             std::string_view version) {
  Bytes value = Item(0x51, Bytes{static_cast<std::uint8_t>(max_length >> 24),
                                 static_cast<std::uint8_t>(max_length >> 16),
                                 static_cast<std::uint8_t>(max_length >> 8),
                                 static_cast<std::uint8_t>(max_length)});
  for (const Bytes& item : {Item(0x52, class_uid), Item(0x55, version)}) {
    value.insert(value.end(), item.begin(), item.end());
  }
  return Item(0x50, value);
}

// An A-ASSOCIATE-RQ (type 1) or -AC (type 2) with the given items after the fixed part.
inline Bytes AssociationPdu(std::uint8_t type, std::string_view called, std::string_view calling,
                            const std::vector<Bytes>& items) {
  Bytes body = {0, 1, 0, 0};
  Append(body, Padded(called));
  Append(body, Padded(calling));
  body.resize(body.size() + 32, 0);
  for (const auto& item : items) body.insert(body.end(), item.begin(), item.end());
  return Pdu(type, body);
}

inline Bytes Concat(const std::vector<Bytes>& parts) {
  Bytes out;
  for (const auto& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

}  // namespace vigil::sensor::dicom::test
