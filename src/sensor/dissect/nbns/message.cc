#include "sensor/dissect/nbns/message.h"

#include "sensor/decode/byte_reader.h"

namespace vigil::sensor::nbns {
namespace {

enum class NameStatus : std::uint8_t { kOk, kTruncated, kBad };

// Decodes 32 first-level characters (RFC 1001 section 14.1) into `name`.
bool DecodeEncoded(std::span<const std::uint8_t> encoded, Name& name) {
  std::array<std::uint8_t, 16> raw{};
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const int hi = encoded[2 * i] - 'A';
    const int lo = encoded[2 * i + 1] - 'A';
    if (hi < 0 || hi > 15 || lo < 0 || lo > 15) return false;
    raw[i] = static_cast<std::uint8_t>((hi << 4) | lo);
  }
  name = NameFromRaw(raw);
  return true;
}

// Reads a compressed NetBIOS name (RFC 1002 section 4.1): either a pointer to an earlier name or
// 0x20, the 32 encoded characters, then the scope's labels.
NameStatus ReadName(ByteReader& reader, std::span<const std::uint8_t> payload, Name& name) {
  const std::size_t start = reader.position();
  const std::uint8_t first = reader.U8();
  if (!reader.ok()) return NameStatus::kTruncated;
  if ((first & 0xC0) == 0xC0) {
    const std::size_t target = ((first & 0x3Fu) << 8) | reader.U8();
    if (!reader.ok()) return NameStatus::kTruncated;
    if (target >= start || !LooksLikeEncodedName(payload.subspan(target))) return NameStatus::kBad;
    return DecodeEncoded(payload.subspan(target + 1, kEncodedNameSize), name) ? NameStatus::kOk
                                                                              : NameStatus::kBad;
  }
  if (first != kEncodedNameSize) return NameStatus::kBad;
  const auto encoded = reader.Bytes(kEncodedNameSize);
  if (!reader.ok()) return NameStatus::kTruncated;
  if (!DecodeEncoded(encoded, name)) return NameStatus::kBad;
  while (true) {  // The scope: DNS labels ending with 0 or a pointer.
    const std::uint8_t length = reader.U8();
    if (!reader.ok()) return NameStatus::kTruncated;
    if (length == 0) return NameStatus::kOk;
    if ((length & 0xC0) == 0xC0) {
      reader.U8();
      return reader.ok() ? NameStatus::kOk : NameStatus::kTruncated;
    }
    if (length > 63 || !reader.Skip(length)) return NameStatus::kBad;
  }
}

}  // namespace

std::string_view ParseErrorName(ParseError error) {
  switch (error) {
    case ParseError::kTruncated:
      return "truncated";
    case ParseError::kBadName:
      return "bad_name";
  }
  return "unknown";
}

std::string NameText(const Name& name) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string text(name.text());
  text += '<';
  text += kDigits[name.suffix >> 4];
  text += kDigits[name.suffix & 0x0F];
  text += '>';
  return text;
}

Name NameFromRaw(std::span<const std::uint8_t, 16> raw) {
  Name name;
  name.suffix = raw[15];
  std::size_t length = 15;
  while (length > 0 && (raw[length - 1] == ' ' || raw[length - 1] == 0)) --length;
  for (std::size_t i = 0; i < length; ++i) name.chars[i] = static_cast<char>(raw[i]);
  name.length = static_cast<std::uint8_t>(length);
  return name;
}

bool LooksLikeEncodedName(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 1 + kEncodedNameSize || bytes[0] != kEncodedNameSize) return false;
  for (std::size_t i = 1; i <= kEncodedNameSize; ++i) {
    if (bytes[i] < 'A' || bytes[i] > 'P') return false;
  }
  return true;
}

tl::expected<Message, ParseError> ParseNbns(std::span<const std::uint8_t> payload) {
  if (payload.size() < kHeaderSize) return tl::unexpected(ParseError::kTruncated);
  ByteReader reader(payload);
  Message message;
  message.id = reader.U16();
  message.flags = reader.U16();
  const std::uint16_t questions = reader.U16();
  const std::size_t records = std::size_t{reader.U16()} + reader.U16() + reader.U16();

  for (std::size_t i = 0; i < questions; ++i) {
    Question question;
    const NameStatus status = ReadName(reader, payload, question.name);
    question.type = reader.U16();
    reader.U16();  // Class: always IN.
    if (status != NameStatus::kOk || !reader.ok()) {
      if (message.question_count == 0 && message.record_count == 0) {
        return tl::unexpected(status == NameStatus::kBad ? ParseError::kBadName
                                                         : ParseError::kTruncated);
      }
      message.truncated = true;
      return message;
    }
    if (message.question_count == kMaxQuestions) {
      message.truncated = true;
      return message;
    }
    message.question_storage[message.question_count++] = question;
  }
  for (std::size_t i = 0; i < records; ++i) {
    Record record;
    const NameStatus status = ReadName(reader, payload, record.name);
    record.type = reader.U16();
    reader.U16();
    record.ttl = reader.U32();
    record.data = reader.Bytes(reader.U16());
    if (status != NameStatus::kOk || !reader.ok()) {
      if (message.question_count == 0 && message.record_count == 0) {
        return tl::unexpected(status == NameStatus::kBad ? ParseError::kBadName
                                                         : ParseError::kTruncated);
      }
      message.truncated = true;
      return message;
    }
    if (message.record_count == kMaxRecords) {
      message.truncated = true;
      return message;
    }
    message.record_storage[message.record_count++] = record;
  }
  return message;
}

NodeStatus ParseNodeStatus(std::span<const std::uint8_t> data) {
  NodeStatus status;
  ByteReader reader(data);
  const std::uint8_t count = reader.U8();
  for (std::size_t i = 0; i < count; ++i) {
    const auto raw = reader.Bytes(16);
    const std::uint16_t flags = reader.U16();
    if (!reader.ok()) return status;
    if (status.entry_count < kMaxStatusNames) {
      status.entry_storage[status.entry_count++] = {
          .name = NameFromRaw(std::span<const std::uint8_t, 16>(raw.data(), 16)),
          .group = (flags & 0x8000) != 0};
    }
  }
  const auto unit_id = reader.Bytes(6);
  if (reader.ok()) {
    std::copy(unit_id.begin(), unit_id.end(), status.unit_id.begin());
    status.has_unit_id = unit_id[0] != 0 || unit_id[1] != 0 || unit_id[2] != 0 || unit_id[3] != 0 ||
                         unit_id[4] != 0 || unit_id[5] != 0;
  }
  return status;
}

}  // namespace vigil::sensor::nbns
