#include "sensor/dissect/dicom/message.h"

#include <algorithm>
#include <string_view>

#include "sensor/decode/byte_reader.h"

namespace vigil::sensor::dicom {
namespace {

// Item types within A-ASSOCIATE-RQ/AC (PS3.8 Tables 9-11, 9-17) and user information
// sub-items (PS3.7 Annex D).
constexpr std::uint8_t kApplicationContextItem = 0x10;
constexpr std::uint8_t kContextRequestItem = 0x20;
constexpr std::uint8_t kContextAcceptItem = 0x21;
constexpr std::uint8_t kAbstractSyntaxItem = 0x30;
constexpr std::uint8_t kTransferSyntaxItem = 0x40;
constexpr std::uint8_t kUserInformationItem = 0x50;
constexpr std::uint8_t kMaximumLengthItem = 0x51;
constexpr std::uint8_t kImplementationClassItem = 0x52;
constexpr std::uint8_t kImplementationVersionItem = 0x55;

std::string Trim(std::string_view text, std::string_view padding) {
  const std::size_t first = text.find_first_not_of(padding);
  if (first == std::string_view::npos) return {};
  const std::size_t last = text.find_last_not_of(padding);
  return std::string(text.substr(first, std::min(last - first + 1, kMaxUidBytes)));
}

std::string Uid(std::span<const std::uint8_t> bytes) {
  return Trim(AsText(bytes), std::string_view("\0 ", 2));
}

struct Item {
  std::uint8_t type = 0;
  std::span<const std::uint8_t> value;
};

// The next item (type, reserved, 16-bit length, value); nullopt when the list ends or the item
// runs past it.
std::optional<Item> NextItem(ByteReader& reader) {
  if (reader.remaining() < 4) return std::nullopt;
  Item item{.type = reader.U8()};
  reader.U8();
  const std::uint16_t length = reader.U16();
  item.value = reader.Bytes(length);
  if (!reader.ok()) return std::nullopt;
  return item;
}

// PS3.8 9.3.2.2 (-RQ: id, 3 reserved, abstract syntax and transfer syntax sub-items) and
// 9.3.3.2 (-AC: id, reserved, result, reserved, one transfer syntax sub-item).
PresentationContext ParseContext(std::span<const std::uint8_t> value) {
  ByteReader reader(value);
  PresentationContext context{.id = reader.U8()};
  reader.U8();
  context.result = reader.U8();
  reader.U8();
  while (auto sub = NextItem(reader)) {
    if (sub->type == kAbstractSyntaxItem && context.abstract_syntax.empty()) {
      context.abstract_syntax = Uid(sub->value);
    } else if (sub->type == kTransferSyntaxItem &&
               context.transfer_syntaxes.size() < kMaxTransferSyntaxes) {
      context.transfer_syntaxes.push_back(Uid(sub->value));
    }
  }
  return context;
}

void ParseUserInformation(std::span<const std::uint8_t> value, Association& association) {
  ByteReader reader(value);
  while (auto sub = NextItem(reader)) {
    if (sub->type == kMaximumLengthItem && sub->value.size() == 4) {
      association.max_pdu_length = ByteReader(sub->value).U32();
    } else if (sub->type == kImplementationClassItem) {
      association.implementation_class_uid = Uid(sub->value);
    } else if (sub->type == kImplementationVersionItem) {
      association.implementation_version = Uid(sub->value);
    }
  }
}

// The PDU's body after its header, checked against the expected type and the declared length.
Result<std::span<const std::uint8_t>> Body(std::span<const std::uint8_t> pdu, PduType type,
                                           std::size_t fixed, std::string_view what) {
  const auto header = ReadPduHeader(pdu);
  if (!header || header->type != type) {
    return MakeError(ErrorCode::kInvalidArgument, "dicom " + std::string(what) + ": wrong type");
  }
  if (header->length > pdu.size() - kPduHeaderBytes) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "dicom " + std::string(what) + ": length beyond the pdu");
  }
  if (header->length < fixed) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "dicom " + std::string(what) + ": truncated header");
  }
  return pdu.subspan(kPduHeaderBytes, header->length);
}

}  // namespace

std::optional<PduHeader> ReadPduHeader(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < kPduHeaderBytes || bytes[0] < 0x01 || bytes[0] > 0x07) return std::nullopt;
  ByteReader reader(bytes);
  PduHeader header{.type = static_cast<PduType>(reader.U8())};
  reader.U8();
  header.length = reader.U32();
  return header;
}

Result<Association> ParseAssociation(std::span<const std::uint8_t> pdu) {
  const auto type = ReadPduHeader(pdu);
  const bool accept = type && type->type == PduType::kAssociateAccept;
  auto body = Body(pdu, accept ? PduType::kAssociateAccept : PduType::kAssociateRequest,
                   kAssociateFixedBytes, accept ? "a-associate-ac" : "a-associate-rq");
  if (!body) return tl::unexpected(std::move(body).error());
  ByteReader reader(*body);
  Association association{.type = accept ? PduType::kAssociateAccept : PduType::kAssociateRequest};
  association.protocol_version = reader.U16();
  reader.Skip(2);
  association.called_ae = Trim(reader.Text(16), " ");
  association.calling_ae = Trim(reader.Text(16), " ");
  reader.Skip(32);
  const std::uint8_t context_item = accept ? kContextAcceptItem : kContextRequestItem;
  while (auto item = NextItem(reader)) {
    if (item->type == kApplicationContextItem) {
      association.application_context = Uid(item->value);
    } else if (item->type == context_item &&
               association.presentation_contexts.size() < kMaxPresentationContexts) {
      association.presentation_contexts.push_back(ParseContext(item->value));
    } else if (item->type == kUserInformationItem) {
      ParseUserInformation(item->value, association);
    }
  }
  return association;
}

Result<Reject> ParseReject(std::span<const std::uint8_t> pdu) {
  auto body = Body(pdu, PduType::kAssociateReject, 4, "a-associate-rj");
  if (!body) return tl::unexpected(std::move(body).error());
  ByteReader reader(*body);
  reader.U8();
  Reject reject{.result = reader.U8()};
  reject.source = reader.U8();
  reject.reason = reader.U8();
  return reject;
}

Result<Abort> ParseAbort(std::span<const std::uint8_t> pdu) {
  auto body = Body(pdu, PduType::kAbort, 4, "a-abort");
  if (!body) return tl::unexpected(std::move(body).error());
  ByteReader reader(*body);
  reader.Skip(2);
  Abort abort{.source = reader.U8()};
  abort.reason = reader.U8();
  return abort;
}

}  // namespace vigil::sensor::dicom
