#pragma once

// TLS handshake messages as the sensor reads them (RFC 8446 section 4, RFC 5246 section 7.4):
// ClientHello and ServerHello with the fields that fingerprint a client or server (JA3, JA3S),
// and the first certificate of a Certificate message (TLS 1.2 and below, where it is in clear).
//
// The parsers take the body of one handshake message (after its 4-byte type and length header)
// and never read outside it. Lists are capped (kMaxListEntries) and strings cut, so hostile
// bytes cannot make them allocate without bound. Errors are a small enum, no allocation:
// kTruncated when a length runs past the body, kMalformed when a field is impossible (an odd
// cipher suite list length, a certificate list that is empty).
//
// Thread safety: pure functions.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <tl/expected.hpp>
#include <vector>

namespace vigil::sensor::tls {

enum class ParseError : std::uint8_t { kTruncated, kMalformed, kTooLarge };
const char* ParseErrorName(ParseError error);  // "truncated", "malformed", "too_large"

template <typename T>
using ParseResult = tl::expected<T, ParseError>;

// Record layer (RFC 8446 section 5.1).
inline constexpr std::uint8_t kContentChangeCipherSpec = 20;
inline constexpr std::uint8_t kContentAlert = 21;
inline constexpr std::uint8_t kContentHandshake = 22;
inline constexpr std::uint8_t kContentApplicationData = 23;
inline constexpr std::size_t kRecordHeaderSize = 5;
inline constexpr std::size_t kMaxRecordLength = (1 << 14) + 2048;  // TLSCiphertext bound.

// Handshake types (RFC 8446 section 4).
inline constexpr std::uint8_t kClientHello = 1;
inline constexpr std::uint8_t kServerHello = 2;
inline constexpr std::uint8_t kCertificate = 11;
inline constexpr std::size_t kHandshakeHeaderSize = 4;

// Protocol versions.
inline constexpr std::uint16_t kSsl30 = 0x0300;
inline constexpr std::uint16_t kTls10 = 0x0301;
inline constexpr std::uint16_t kTls11 = 0x0302;
inline constexpr std::uint16_t kTls12 = 0x0303;
inline constexpr std::uint16_t kTls13 = 0x0304;

// Extension types that carry what we read.
inline constexpr std::uint16_t kExtServerName = 0;
inline constexpr std::uint16_t kExtSupportedGroups = 10;
inline constexpr std::uint16_t kExtEcPointFormats = 11;
inline constexpr std::uint16_t kExtSignatureAlgorithms = 13;
inline constexpr std::uint16_t kExtAlpn = 16;
inline constexpr std::uint16_t kExtSupportedVersions = 43;

inline constexpr std::size_t kMaxListEntries = 256;  // Per list; the rest is ignored.
inline constexpr std::size_t kMaxNameBytes = 255;    // SNI and each ALPN protocol.

struct ClientHello {
  std::uint16_t legacy_version = 0;
  std::vector<std::uint16_t> cipher_suites;
  std::vector<std::uint16_t> extensions;  // Types, in the order sent.
  std::string server_name;                // SNI host_name (raw bytes; pass through SafeText).
  std::vector<std::string> alpn;          // Raw bytes each.
  std::vector<std::uint16_t> supported_groups;
  std::vector<std::uint8_t> ec_point_formats;
  std::vector<std::uint16_t> signature_algorithms;
  std::vector<std::uint16_t> supported_versions;
};

struct ServerHello {
  std::uint16_t legacy_version = 0;
  std::uint16_t cipher_suite = 0;
  std::vector<std::uint16_t> extensions;  // Types, in the order sent.
  std::uint16_t selected_version = 0;     // From supported_versions; 0 when absent.
  std::string alpn;                       // The protocol the server chose; raw bytes.

  // The version in use: supported_versions when present (TLS 1.3), else legacy_version.
  std::uint16_t version() const { return selected_version ? selected_version : legacy_version; }
};

// `body` is the ClientHello's body (RFC 8446 section 4.1.2). Extensions after the cap or a
// malformed extension body are skipped; a truncated extensions block is kTruncated.
ParseResult<ClientHello> ParseClientHello(std::span<const std::uint8_t> body);

// `body` is the ServerHello's body (RFC 8446 section 4.1.3).
ParseResult<ServerHello> ParseServerHello(std::span<const std::uint8_t> body);

// The DER bytes of the first certificate in a Certificate message body (RFC 5246 section
// 7.4.2: a 24-bit list length, then 24-bit length-prefixed certificates). Only the first
// certificate needs to be present: `body` may be cut after it.
ParseResult<std::span<const std::uint8_t>> FirstCertificate(std::span<const std::uint8_t> body);

// RFC 8701: 0x0a0a, 0x1a1a ... 0xfafa, which clients send to keep servers tolerant.
inline bool IsGrease(std::uint16_t value) {
  return (value & 0x0f0f) == 0x0a0a && (value >> 8) == (value & 0xff);
}

// "SSL 3.0", "TLS 1.0" ... "TLS 1.3", else "0x%04x".
std::string VersionName(std::uint16_t version);

}  // namespace vigil::sensor::tls
