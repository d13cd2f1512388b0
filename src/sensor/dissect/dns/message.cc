#include "sensor/dissect/dns/message.h"

#include "sensor/decode/byte_reader.h"

namespace vigil::sensor::dns {
namespace {

enum class Skipped : std::uint8_t { kOk, kTruncated, kBadName };

// Moves past the name at the reader's position without following pointers (RFC 1035 4.1.4).
Skipped SkipName(ByteReader& reader) {
  while (true) {
    const std::uint8_t length = reader.U8();
    if (!reader.ok()) return Skipped::kTruncated;
    if (length == 0) return Skipped::kOk;
    if ((length & 0xC0) == 0xC0) {
      reader.U8();
      return reader.ok() ? Skipped::kOk : Skipped::kTruncated;
    }
    if ((length & 0xC0) != 0) return Skipped::kBadName;  // 0x40 and 0x80 are reserved.
    if (!reader.Skip(length)) return Skipped::kTruncated;
  }
}

std::uint16_t Offset(const ByteReader& reader) {
  // Payloads are UDP datagrams, so positions fit in 16 bits; larger inputs are cut by the caller.
  return static_cast<std::uint16_t>(reader.position());
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

tl::expected<Message, ParseError> ParseDns(std::span<const std::uint8_t> payload) {
  if (payload.size() > 0xFFFF) payload = payload.first(0xFFFF);
  if (payload.size() < kHeaderSize) return tl::unexpected(ParseError::kTruncated);
  Message message;
  message.bytes = payload;
  ByteReader reader(payload);
  Header& header = message.header;
  header.id = reader.U16();
  header.flags = reader.U16();
  header.question_count = reader.U16();
  header.answer_count = reader.U16();
  header.authority_count = reader.U16();
  header.additional_count = reader.U16();

  for (std::size_t i = 0; i < header.question_count; ++i) {
    if (i == kMaxQuestions) {
      message.truncated = true;
      return message;  // Records follow the questions we did not walk.
    }
    Question question{.name_offset = Offset(reader)};
    const Skipped skipped = SkipName(reader);
    question.type = reader.U16();
    question.klass = reader.U16();
    if (skipped != Skipped::kOk || !reader.ok()) {
      if (i == 0) {
        return tl::unexpected(skipped == Skipped::kBadName ? ParseError::kBadName
                                                           : ParseError::kTruncated);
      }
      message.truncated = true;
      return message;
    }
    message.question_storage[message.question_count++] = question;
  }

  const std::size_t counts[] = {header.answer_count, header.authority_count,
                                header.additional_count};
  for (std::size_t s = 0; s < 3; ++s) {
    for (std::size_t i = 0; i < counts[s]; ++i) {
      if (message.record_count == kMaxRecords) {
        message.truncated = true;
        return message;
      }
      Record record{.name_offset = Offset(reader), .section = static_cast<Section>(s)};
      const Skipped skipped = SkipName(reader);
      record.type = reader.U16();
      record.klass = reader.U16();
      record.ttl = reader.U32();
      record.data_length = reader.U16();
      record.data_offset = Offset(reader);
      reader.Skip(record.data_length);
      if (skipped != Skipped::kOk || !reader.ok()) {
        message.truncated = true;
        return message;
      }
      message.record_storage[message.record_count++] = record;
    }
  }
  return message;
}

std::optional<std::string> DecodeName(std::span<const std::uint8_t> message, std::size_t offset) {
  std::string name;
  std::size_t wire_bytes = 0;
  int pointers = 0;
  while (true) {
    if (offset >= message.size()) return std::nullopt;
    const std::uint8_t length = message[offset];
    if (length == 0) return name;
    if ((length & 0xC0) == 0xC0) {
      if (offset + 1 >= message.size() || ++pointers > kMaxPointers) return std::nullopt;
      offset = static_cast<std::size_t>(((length & 0x3F) << 8) | message[offset + 1]);
      continue;
    }
    if ((length & 0xC0) != 0) return std::nullopt;
    wire_bytes += 1 + std::size_t{length};
    if (wire_bytes + 1 > kMaxNameBytes || offset + 1 + length > message.size()) {
      return std::nullopt;
    }
    if (!name.empty()) name += '.';
    name.append(reinterpret_cast<const char*>(message.data() + offset + 1), length);
    offset += 1 + std::size_t{length};
  }
}

std::optional<IpAddress> AddressOf(const Message& message, const Record& record) {
  const auto data = message.Data(record);
  if (record.type == kTypeA && data.size() == 4) {
    return IpAddress::V4(std::array<std::uint8_t, 4>{data[0], data[1], data[2], data[3]});
  }
  if (record.type == kTypeAaaa && data.size() == 16) {
    std::array<std::uint8_t, 16> bytes{};
    std::copy(data.begin(), data.end(), bytes.begin());
    return IpAddress::V6(bytes);
  }
  return std::nullopt;
}

std::optional<std::string> TargetOf(const Message& message, const Record& record) {
  if (record.data_length == 0) return std::nullopt;
  return DecodeName(message.bytes, record.data_offset);
}

std::optional<Service> ServiceOf(const Message& message, const Record& record) {
  ByteReader reader(message.Data(record));
  Service service{.priority = reader.U16(), .weight = reader.U16(), .port = reader.U16()};
  if (!reader.ok() || reader.empty()) return std::nullopt;
  auto target = DecodeName(message.bytes, std::size_t{record.data_offset} + 6);
  if (!target) return std::nullopt;
  service.target = std::move(*target);
  return service;
}

}  // namespace vigil::sensor::dns
