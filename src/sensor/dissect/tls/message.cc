#include "sensor/dissect/tls/message.h"

#include <algorithm>
#include <cstdio>

#include "sensor/decode/byte_reader.h"

namespace vigil::sensor::tls {
namespace {

using Bytes = std::span<const std::uint8_t>;

// Reads a list of 16-bit values whose byte length is `length`, keeping at most kMaxListEntries.
bool ReadU16List(ByteReader& reader, std::size_t length, std::vector<std::uint16_t>& out) {
  if (length % 2 != 0) return false;
  ByteReader list(reader.Bytes(length));
  if (!reader.ok()) return false;
  out.reserve(std::min(length / 2, kMaxListEntries));
  while (!list.empty()) {
    std::uint16_t v = list.U16();
    if (out.size() < kMaxListEntries) out.push_back(v);
  }
  return true;
}

std::string Cut(std::string_view raw) {
  return std::string(raw.substr(0, std::min(raw.size(), kMaxNameBytes)));
}

// RFC 6066 section 3: a list of (type, 16-bit length, name); host_name is type 0.
void ReadServerName(ByteReader ext, ClientHello& hello) {
  ByteReader list(ext.Bytes(ext.U16()));
  while (list.ok() && !list.empty()) {
    std::uint8_t type = list.U8();
    std::string_view name = list.Text(list.U16());
    if (list.ok() && type == 0) {
      hello.server_name = Cut(name);
      return;
    }
  }
}

// RFC 7301 section 3.1: a 16-bit list length, then 8-bit length-prefixed protocol names.
void ReadAlpn(ByteReader ext, std::vector<std::string>& out) {
  ByteReader list(ext.Bytes(ext.U16()));
  while (list.ok() && !list.empty() && out.size() < kMaxListEntries) {
    std::string_view name = list.Text(list.U8());
    if (list.ok()) out.push_back(Cut(name));
  }
}

void ReadClientExtension(std::uint16_t type, Bytes data, ClientHello& hello) {
  ByteReader ext(data);
  switch (type) {
    case kExtServerName:
      ReadServerName(ext, hello);
      break;
    case kExtSupportedGroups:
      ReadU16List(ext, ext.U16(), hello.supported_groups);
      break;
    case kExtEcPointFormats: {
      Bytes formats = ext.Bytes(ext.U8());
      std::size_t n = std::min(formats.size(), kMaxListEntries);
      hello.ec_point_formats.assign(formats.begin(), formats.begin() + static_cast<long>(n));
      break;
    }
    case kExtSignatureAlgorithms:
      ReadU16List(ext, ext.U16(), hello.signature_algorithms);
      break;
    case kExtAlpn:
      ReadAlpn(ext, hello.alpn);
      break;
    case kExtSupportedVersions:  // RFC 8446 section 4.2.1: an 8-bit byte length in a hello.
      ReadU16List(ext, ext.U8(), hello.supported_versions);
      break;
    default:
      break;
  }
}

// Skips the 32-byte random and the 8-bit length-prefixed session id.
void SkipRandomAndSession(ByteReader& reader) {
  reader.Skip(32);
  reader.Skip(reader.U8());
}

}  // namespace

const char* ParseErrorName(ParseError error) {
  switch (error) {
    case ParseError::kTruncated:
      return "truncated";
    case ParseError::kMalformed:
      return "malformed";
    case ParseError::kTooLarge:
      return "too_large";
  }
  return "unknown";
}

ParseResult<ClientHello> ParseClientHello(Bytes body) {
  ByteReader reader(body);
  ClientHello hello;
  hello.legacy_version = reader.U16();
  SkipRandomAndSession(reader);
  std::uint16_t suites_length = reader.U16();
  if (!reader.ok()) return tl::unexpected(ParseError::kTruncated);
  if (!ReadU16List(reader, suites_length, hello.cipher_suites)) {
    return tl::unexpected(reader.ok() ? ParseError::kMalformed : ParseError::kTruncated);
  }
  reader.Skip(reader.U8());  // Compression methods.
  if (!reader.ok()) return tl::unexpected(ParseError::kTruncated);
  if (reader.empty()) return hello;  // No extensions (allowed before TLS 1.3).
  ByteReader extensions(reader.Bytes(reader.U16()));
  if (!reader.ok()) return tl::unexpected(ParseError::kTruncated);
  while (!extensions.empty()) {
    std::uint16_t type = extensions.U16();
    Bytes data = extensions.Bytes(extensions.U16());
    if (!extensions.ok()) return tl::unexpected(ParseError::kTruncated);
    if (hello.extensions.size() < kMaxListEntries) hello.extensions.push_back(type);
    ReadClientExtension(type, data, hello);
  }
  return hello;
}

ParseResult<ServerHello> ParseServerHello(Bytes body) {
  ByteReader reader(body);
  ServerHello hello;
  hello.legacy_version = reader.U16();
  SkipRandomAndSession(reader);
  hello.cipher_suite = reader.U16();
  reader.U8();  // Compression method.
  if (!reader.ok()) return tl::unexpected(ParseError::kTruncated);
  if (reader.empty()) return hello;
  ByteReader extensions(reader.Bytes(reader.U16()));
  if (!reader.ok()) return tl::unexpected(ParseError::kTruncated);
  while (!extensions.empty()) {
    std::uint16_t type = extensions.U16();
    ByteReader ext(extensions.Bytes(extensions.U16()));
    if (!extensions.ok()) return tl::unexpected(ParseError::kTruncated);
    if (hello.extensions.size() < kMaxListEntries) hello.extensions.push_back(type);
    if (type == kExtSupportedVersions) {
      // RFC 8446 section 4.2.1: a ServerHello carries the one selected version.
      std::uint16_t v = ext.U16();
      if (ext.ok()) hello.selected_version = v;
    } else if (type == kExtAlpn) {
      std::vector<std::string> chosen;
      ReadAlpn(ext, chosen);
      if (!chosen.empty()) hello.alpn = std::move(chosen.front());
    }
  }
  return hello;
}

ParseResult<Bytes> FirstCertificate(Bytes body) {
  ByteReader reader(body);
  std::uint32_t list_length = reader.U24();
  std::uint32_t first_length = reader.U24();
  if (!reader.ok()) return tl::unexpected(ParseError::kTruncated);
  if (list_length == 0 || first_length == 0 || first_length + 3 > list_length) {
    return tl::unexpected(ParseError::kMalformed);
  }
  Bytes der = reader.Bytes(first_length);
  if (!reader.ok()) return tl::unexpected(ParseError::kTruncated);
  return der;
}

std::string VersionName(std::uint16_t version) {
  switch (version) {
    case kSsl30:
      return "SSL 3.0";
    case kTls10:
      return "TLS 1.0";
    case kTls11:
      return "TLS 1.1";
    case kTls12:
      return "TLS 1.2";
    case kTls13:
      return "TLS 1.3";
    default: {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "0x%04x", version);
      return buffer;
    }
  }
}

}  // namespace vigil::sensor::tls
