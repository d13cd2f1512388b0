#include "sensor/dissect/snmp/message.h"

#include <algorithm>

#include "sensor/decode/byte_reader.h"

namespace vigil::sensor::snmp {
namespace {

using Bytes = std::span<const std::uint8_t>;

constexpr std::uint8_t kUsmSecurityModel = 3;

std::string Cut(Bytes bytes, std::size_t max) {
  std::string_view text = AsText(bytes);
  return std::string(text.substr(0, std::min(text.size(), max)));
}

ParseResult<VarBind> ReadVarBind(const Tlv& binding) {
  if (binding.tag != kTagSequence) return tl::unexpected(ParseError::kMalformed);
  BerReader fields(binding.content);
  auto name = fields.Expect(kTagOid);
  if (!name) return tl::unexpected(name.error());
  auto value = fields.Next();
  if (!value) return tl::unexpected(value.error());
  auto oid = DecodeOid(name->content);
  if (!oid) return tl::unexpected(oid.error());
  VarBind out{.oid = std::move(*oid), .value_tag = value->tag};
  if (value->tag == kTagOctetString) {
    out.value = Cut(value->content, kMaxValueBytes);
  } else if (value->tag == kTagOid) {
    if (auto text = DecodeOid(value->content)) out.value = std::move(*text);
  } else if (value->tag == kTagInteger) {
    if (auto number = DecodeInteger(value->content)) out.value = std::to_string(*number);
  }
  return out;
}

// RFC 3416 section 3: PDU and BulkPDU share the layout request-id, two integers, bindings;
// RFC 1157's Trap-PDU has enterprise, agent-addr, generic, specific, time-stamp, bindings.
ParseResult<void> ReadPdu(const Tlv& pdu, SnmpMessage& message) {
  if (pdu.tag < 0xa0 || pdu.tag > 0xa8) return tl::unexpected(ParseError::kMalformed);
  message.pdu = static_cast<PduType>(pdu.tag);
  BerReader fields(pdu.content);
  const int leading = message.pdu == PduType::kTrapV1 ? 5 : 3;
  for (int i = 0; i < leading; ++i) {
    if (auto field = fields.Next(); !field) return tl::unexpected(field.error());
  }
  auto list = fields.Expect(kTagSequence);
  if (!list) return tl::unexpected(list.error());
  BerReader bindings(list->content);
  while (!bindings.empty() && message.varbinds.size() < kMaxVarBinds) {
    auto binding = bindings.Next();
    if (!binding) return tl::unexpected(binding.error());
    auto varbind = ReadVarBind(*binding);
    if (!varbind) return tl::unexpected(varbind.error());
    message.varbinds.push_back(std::move(*varbind));
  }
  return {};
}

// RFC 3414 section 2.4: UsmSecurityParameters, an OCTET STRING wrapping a SEQUENCE.
ParseResult<void> ReadUsm(Bytes parameters, SnmpMessage& message) {
  BerReader outer(parameters);
  auto usm = outer.Expect(kTagSequence);
  if (!usm) return tl::unexpected(usm.error());
  BerReader fields(usm->content);
  for (int i = 0; i < 3; ++i) {  // Engine id, boots, time.
    if (auto field = fields.Next(); !field) return tl::unexpected(field.error());
  }
  auto user = fields.Expect(kTagOctetString);
  if (!user) return tl::unexpected(user.error());
  message.user_name = Cut(user->content, kMaxValueBytes);
  return {};
}

// RFC 3412 section 6: header data, security parameters, then a ScopedPDU (or, with privacy,
// an OCTET STRING of ciphertext).
ParseResult<void> ReadV3(BerReader& fields, SnmpMessage& message) {
  auto header = fields.Expect(kTagSequence);
  if (!header) return tl::unexpected(header.error());
  BerReader global(header->content);
  auto msg_id = global.Integer();
  auto max_size = msg_id ? global.Integer() : msg_id;
  if (!max_size) return tl::unexpected(max_size.error());
  auto flags = global.Expect(kTagOctetString);
  if (!flags) return tl::unexpected(flags.error());
  if (flags->content.size() != 1) return tl::unexpected(ParseError::kMalformed);
  message.auth = flags->content[0] & 0x01;
  message.priv = flags->content[0] & 0x02;
  auto model = global.Integer();
  if (!model) return tl::unexpected(model.error());
  auto security = fields.Expect(kTagOctetString);
  if (!security) return tl::unexpected(security.error());
  if (*model == kUsmSecurityModel) {
    if (auto usm = ReadUsm(security->content, message); !usm) return usm;
  }
  auto data = fields.Next();
  if (!data) return tl::unexpected(data.error());
  if (data->tag == kTagOctetString) return {};  // Encrypted: the PDU stays unknown.
  if (data->tag != kTagSequence) return tl::unexpected(ParseError::kMalformed);
  BerReader scoped(data->content);
  auto engine = scoped.Expect(kTagOctetString);
  auto context = engine ? scoped.Expect(kTagOctetString) : engine;
  auto pdu = context ? scoped.Next() : context;
  if (!pdu) return tl::unexpected(pdu.error());
  return ReadPdu(*pdu, message);
}

}  // namespace

std::string_view PduTypeName(PduType type) {
  switch (type) {
    case PduType::kGetRequest:
      return "get_request";
    case PduType::kGetNextRequest:
      return "get_next_request";
    case PduType::kResponse:
      return "response";
    case PduType::kSetRequest:
      return "set_request";
    case PduType::kTrapV1:
      return "trap";
    case PduType::kGetBulkRequest:
      return "get_bulk_request";
    case PduType::kInformRequest:
      return "inform_request";
    case PduType::kTrapV2:
      return "trap_v2";
    case PduType::kReport:
      return "report";
    case PduType::kUnknown:
      break;
  }
  return "unknown";
}

bool SentByAgent(PduType type) {
  return type == PduType::kResponse || type == PduType::kTrapV1 || type == PduType::kTrapV2 ||
         type == PduType::kInformRequest || type == PduType::kReport;
}

ParseResult<SnmpMessage> ParseSnmp(Bytes payload) {
  BerReader outer(payload);
  auto message_tlv = outer.Expect(kTagSequence);
  if (!message_tlv) return tl::unexpected(message_tlv.error());
  BerReader fields(message_tlv->content);
  auto version = fields.Integer();
  if (!version) return tl::unexpected(version.error());
  SnmpMessage message;
  switch (*version) {
    case 0:
    case 1: {
      message.version = static_cast<Version>(*version);
      auto community = fields.Expect(kTagOctetString);
      if (!community) return tl::unexpected(community.error());
      message.community = Cut(community->content, kMaxCommunityBytes);
      auto pdu = fields.Next();
      if (!pdu) return tl::unexpected(pdu.error());
      if (auto read = ReadPdu(*pdu, message); !read) return tl::unexpected(read.error());
      return message;
    }
    case 3: {
      message.version = Version::kV3;
      if (auto read = ReadV3(fields, message); !read) return tl::unexpected(read.error());
      return message;
    }
    default:
      return tl::unexpected(ParseError::kUnsupported);
  }
}

}  // namespace vigil::sensor::snmp
