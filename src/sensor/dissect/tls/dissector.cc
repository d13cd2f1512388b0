#include "sensor/dissect/tls/dissector.h"

#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include "sensor/decode/byte_reader.h"
#include "sensor/dissect/text.h"
#include "sensor/dissect/tls/certificate.h"
#include "sensor/dissect/tls/ja3.h"
#include "sensor/dissect/tls/ja4.h"
#include "sensor/dissect/tls/message.h"

namespace vigil::sensor::tls {
namespace {

using Bytes = std::span<const std::uint8_t>;

constexpr std::size_t kMaxHelloBytes = 16 * 1024;
constexpr std::size_t kMaxCertificateBytes = 64 * 1024;
constexpr std::int64_t kNanosPerSecond = 1'000'000'000;

bool Probe(Bytes payload, const ProbeContext& /*context*/) {
  return payload.size() >= 6 && payload[0] == kContentHandshake && payload[1] == 3 &&
         payload[2] <= 4 && payload[5] == kClientHello;
}

std::string Hex16(std::uint16_t v) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "0x%04x", v);
  return buffer;
}

std::string JoinVersions(const std::vector<std::uint16_t>& versions) {
  std::string out;
  for (std::uint16_t v : versions) {
    if (IsGrease(v)) continue;
    if (!out.empty()) out += ',';
    out += VersionName(v);
  }
  return out;
}

class TlsStream final : public StreamDissector {
 public:
  std::size_t OnData(Direction dir, Bytes data, std::int64_t time, const FlowView& flow,
                     Sink& sink) override {
    Side& side = sides_[Index(dir)];
    std::size_t consumed = 0;
    while (!side.done && data.size() - consumed >= kRecordHeaderSize) {
      ByteReader header(data.subspan(consumed, kRecordHeaderSize));
      std::uint8_t type = header.U8();
      std::uint8_t major = header.U8();
      header.U8();
      std::size_t length = header.U16();
      if (major != 3 || length > kMaxRecordLength || type < kContentChangeCipherSpec ||
          type > kContentApplicationData) {
        side.done = true;  // Not TLS records (or lost framing): stop this direction.
        break;
      }
      if (data.size() - consumed < kRecordHeaderSize + length) break;
      Bytes fragment = data.subspan(consumed + kRecordHeaderSize, length);
      consumed += kRecordHeaderSize + length;
      if (type == kContentHandshake) {
        OnHandshake(dir, fragment, {.time = time, .flow = &flow, .sink = &sink});
      } else if (type != kContentAlert) {
        side.done = true;  // ChangeCipherSpec or application data: encrypted from here.
      }
    }
    if (side.done) {
      side.pending = {};
      return data.size();
    }
    return consumed;
  }

  void OnGap(Direction dir) override {
    Side& side = sides_[Index(dir)];
    side.pending = {};
    side.done = true;
  }

  bool Finished() const override { return sides_[0].done && sides_[1].done; }

 private:
  struct Side {
    std::vector<std::uint8_t> pending;  // A handshake message split across records.
    bool done = false;
  };
  struct Context {
    std::int64_t time;
    const FlowView* flow;
    Sink* sink;
  };

  static std::size_t Index(Direction dir) { return dir == Direction::kClientToServer ? 0 : 1; }

  void OnHandshake(Direction dir, Bytes fragment, const Context& context) {
    Side& side = sides_[Index(dir)];
    if (side.pending.empty()) {
      std::size_t used = OnMessages(dir, fragment, context);
      if (!side.done)
        side.pending.assign(fragment.begin() + static_cast<long>(used), fragment.end());
      return;
    }
    if (side.pending.size() + fragment.size() > kMaxCertificateBytes + kHandshakeHeaderSize) {
      side.done = true;
      return;
    }
    side.pending.insert(side.pending.end(), fragment.begin(), fragment.end());
    std::vector<std::uint8_t> buffer = std::move(side.pending);
    std::size_t used = OnMessages(dir, buffer, context);
    if (!side.done) side.pending.assign(buffer.begin() + static_cast<long>(used), buffer.end());
  }

  // Handles the complete handshake messages at the front of `bytes`; returns the bytes used.
  std::size_t OnMessages(Direction dir, Bytes bytes, const Context& context) {
    Side& side = sides_[Index(dir)];
    std::size_t used = 0;
    while (!side.done && bytes.size() - used >= kHandshakeHeaderSize) {
      ByteReader header(bytes.subspan(used, kHandshakeHeaderSize));
      std::uint8_t type = header.U8();
      std::size_t length = header.U24();
      Bytes available = bytes.subspan(used + kHandshakeHeaderSize);
      std::size_t limit = type == kCertificate ? kMaxCertificateBytes : kMaxHelloBytes;
      if (available.size() < length && type == kCertificate && dir == Direction::kServerToClient &&
          FirstCertificate(available)) {
        OnCertificate(available, context);  // The first certificate is all we want.
        side.done = true;
        break;
      }
      if (length > limit) {
        side.done = true;
        break;
      }
      if (available.size() < length) break;
      OnMessage(dir, type, available.first(length), context);
      used += kHandshakeHeaderSize + length;
    }
    return used;
  }

  void OnMessage(Direction dir, std::uint8_t type, Bytes body, const Context& context) {
    Side& side = sides_[Index(dir)];
    if (dir == Direction::kClientToServer) {
      if (type != kClientHello) return;
      if (auto hello = ParseClientHello(body)) OnClientHello(*hello, context);
      side.done = true;
      return;
    }
    if (type == kServerHello) {
      auto hello = ParseServerHello(body);
      if (!hello) {
        side.done = true;
        return;
      }
      OnServerHello(*hello, context);
      if (hello->version() >= kTls13) side.done = true;  // The rest is encrypted.
    } else if (type == kCertificate) {
      OnCertificate(body, context);
      side.done = true;
    }
  }

  model::Observation ServerObservation(const Context& context) const {
    return {.time_unix_nanos = context.time,
            .protocol = "tls",
            .subject = context.flow->server,
            .peer = context.flow->client,
            .vlan = context.flow->vlan};
  }

  model::Finding ServerFinding(const Context& context, std::string kind,
                               model::FindingSeverity severity, std::string detail) const {
    return {.time_unix_nanos = context.time,
            .kind = std::move(kind),
            .protocol = "tls",
            .severity = severity,
            .subject = context.flow->server,
            .peer = context.flow->client,
            .vlan = context.flow->vlan,
            .detail = std::move(detail)};
  }

  void OnClientHello(const ClientHello& hello, const Context& context) {
    model::Observation o{.time_unix_nanos = context.time,
                         .protocol = "tls",
                         .subject = context.flow->client,
                         .peer = context.flow->server,
                         .vlan = context.flow->vlan};
    if (!hello.server_name.empty()) o.facts.push_back({"tls.sni", SafeText(hello.server_name)});
    if (!hello.alpn.empty()) {
      std::string alpn;
      for (const auto& protocol : hello.alpn) {
        if (!alpn.empty()) alpn += ',';
        alpn += protocol;
      }
      o.facts.push_back({"tls.alpn", SafeText(alpn)});
    }
    o.facts.push_back({"tls.client_version", VersionName(hello.legacy_version)});
    if (!hello.supported_versions.empty()) {
      o.facts.push_back({"tls.supported_versions", JoinVersions(hello.supported_versions)});
    }
    std::string ja3 = Ja3String(hello);
    o.facts.push_back({"tls.ja3", Ja3Hash(ja3)});
    o.facts.push_back({"tls.ja3_full", std::move(ja3)});
    o.facts.push_back({"tls.ja4", Ja4(hello)});
    context.sink->Observe(std::move(o));
  }

  void OnServerHello(const ServerHello& hello, const Context& context) {
    model::Observation o = ServerObservation(context);
    std::string version = VersionName(hello.version());
    o.facts.push_back({"tls.version", version});
    o.facts.push_back({"tls.cipher_suite", Hex16(hello.cipher_suite)});
    if (!hello.alpn.empty()) o.facts.push_back({"tls.selected_alpn", SafeText(hello.alpn)});
    std::string ja3s = Ja3sString(hello);
    o.facts.push_back({"tls.ja3s", Ja3Hash(ja3s)});
    o.facts.push_back({"tls.ja3s_full", std::move(ja3s)});
    context.sink->Observe(std::move(o));
    if (hello.version() >= kSsl30 && hello.version() <= kTls11) {
      auto severity = hello.version() == kSsl30 ? model::FindingSeverity::kHigh
                                                : model::FindingSeverity::kMedium;
      context.sink->Report(
          ServerFinding(context, "weak_tls_version", severity, "server selected " + version));
    }
  }

  void OnCertificate(Bytes body, const Context& context) {
    auto der = FirstCertificate(body);
    if (!der) return;
    auto certificate = ParseCertificate(*der);
    if (!certificate) return;
    model::Observation o = ServerObservation(context);
    std::string subject = SafeText(certificate->subject_cn);
    std::string not_after = FormatUtc(certificate->not_after_unix);
    if (!subject.empty()) o.facts.push_back({"tls.cert_subject_cn", subject});
    if (!certificate->issuer_cn.empty()) {
      o.facts.push_back({"tls.cert_issuer_cn", SafeText(certificate->issuer_cn)});
    }
    o.facts.push_back({"tls.cert_not_before", FormatUtc(certificate->not_before_unix)});
    o.facts.push_back({"tls.cert_not_after", not_after});
    context.sink->Observe(std::move(o));
    if (certificate->not_after_unix < context.time / kNanosPerSecond) {
      context.sink->Report(
          ServerFinding(context, "expired_certificate", model::FindingSeverity::kMedium,
                        "certificate for \"" + subject + "\" expired " + not_after));
    }
  }

  std::array<Side, 2> sides_;
};

std::unique_ptr<StreamDissector> MakeStream() { return std::make_unique<TlsStream>(); }

}  // namespace

const DissectorInfo& Info() {
  static const DissectorInfo info{
      .name = "tls", .transport = Transport::kTcp, .probe = Probe, .make_stream = MakeStream};
  return info;
}

}  // namespace vigil::sensor::tls
