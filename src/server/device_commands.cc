// Operator commands for devices (`vigil device ...`), run by RunOperatorCommand in the CLI's own
// process or in the server over the control socket.

#include "server/device_commands.h"

#include <cstdint>

#include "core/time_format.h"
#include "model/device_type.h"
#include "server/identity_text.h"
#include "server/runtime.h"

namespace vigil::server {
namespace {

std::string Pad(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text + " ";
}

std::string Day(std::int64_t unix_seconds) {
  const std::string full = FormatUnix(unix_seconds);
  return full.empty() ? "-" : full.substr(0, 10);
}

std::string Seen(std::int64_t unix_nanos) {
  if (unix_nanos == 0) return "never";
  return FormatRfc3339(unix_nanos, 0).substr(0, 16);
}

// "valid until 2027-02-26", "revoked", "none"...
std::string CertificateText(const DeviceView& view) {
  if (!view.certificate) return "none";
  if (view.certificate_status == "revoked") return "revoked";
  if (view.certificate_status == "expired")
    return "expired " + Day(view.certificate->not_after_unix);
  return view.certificate_status + " until " + Day(view.certificate->not_after_unix);
}

// The gateway URL agents use, from its listen address (a wildcard becomes this host's name).
std::string GatewayUrl(Runtime& rt) {
  std::string listen = rt.devices().GatewayAddress();
  const auto colon = listen.rfind(':');
  std::string host = listen.substr(0, colon);
  if (host == "0.0.0.0" || host == "[::]" || host.empty()) host = "<this server's address>";
  return "https://" + host + listen.substr(colon);
}

Outcome Add(Runtime& rt, const CommandRequest& r, const LineSink& out, const LineSink& err) {
  auto device = rt.devices().AddDevice(r.actor, {.name = Arg(r, "name"),
                                                 .type = Arg(r, "type"),
                                                 .manufacturer = Arg(r, "manufacturer"),
                                                 .model = Arg(r, "model"),
                                                 .firmware = Arg(r, "firmware"),
                                                 .criticality = Arg(r, "criticality"),
                                                 .serial = Arg(r, "serial"),
                                                 .location = Arg(r, "location")});
  if (!device) return Fail(err, device.error());
  out(device->id);
  return Outcome::kOk;
}

Outcome List(Runtime& rt, const LineSink& out, const LineSink& err) {
  auto devices = rt.devices().ListDevices();
  if (!devices) return Fail(err, devices.error());
  out(Pad("ID", 32) + Pad("NAME", 24) + Pad("TYPE", 18) + Pad("CRITICALITY", 15) +
      Pad("CERTIFICATE", 26) + "LAST HEARTBEAT");
  for (const auto& view : *devices) {
    const auto& d = view.device;
    out(Pad(d.id, 32) + Pad(d.name, 24) + Pad(d.type, 18) + Pad(d.criticality, 15) +
        Pad(CertificateText(view), 26) + Seen(d.last_seen_unix_nanos));
  }
  out(std::to_string(devices->size()) + " device" + (devices->size() == 1 ? "" : "s"));
  return Outcome::kOk;
}

Outcome Types(const LineSink& out) {
  out("TYPES");
  for (const auto& t : model::DeviceTypes()) {
    out("  " + Pad(std::string(t.name), 20) + std::string(t.label) + " (usually " +
        std::string(model::Name(t.typical)) + ")");
  }
  out("CRITICALITIES");
  for (const auto& c : model::Criticalities()) {
    out("  " + Pad(std::string(c.name), 20) + std::string(c.label));
  }
  return Outcome::kOk;
}

Outcome Show(Runtime& rt, const CommandRequest& r, const LineSink& out, const LineSink& err) {
  auto view = rt.devices().GetDevice(Arg(r, "id"));
  if (!view) return Fail(err, view.error());
  const auto& d = view->device;
  const auto& hb = d.last_heartbeat;
  out("device        " + d.id);
  out("name          " + d.name);
  out("type          " + d.type);
  out("manufacturer  " + d.manufacturer + ", model " + d.model);
  out("firmware      " + d.firmware +
      (hb.firmware_version.empty() || hb.firmware_version == d.firmware
           ? ""
           : " (device reports " + hb.firmware_version + ")"));
  out("criticality   " + d.criticality);
  if (!d.serial.empty()) out("serial        " + d.serial);
  if (!d.location.empty()) out("location      " + d.location);
  if (d.quarantined) out("quarantined   yes: its reports are flagged");
  out("certificate   " + CertificateText(*view) +
      (view->certificate ? " (serial " + view->certificate->serial + ")" : ""));
  out("heartbeat     " + Seen(d.last_seen_unix_nanos) +
      (hb.state.empty() ? "" : ", state " + hb.state) +
      (hb.agent_version.empty() ? "" : ", agent " + hb.agent_version));
  auto metrics = rt.devices().Metrics(d.id);
  if (!metrics) return Fail(err, metrics.error());
  for (const auto& m : *metrics) {
    std::size_t points = 0;
    auto counted = rt.store().Read([&](store::ReadTransaction& tx) -> Status {
      auto samples = tx.devices().Telemetry(d.id, m.name, 0, INT64_MAX);
      if (!samples) return tl::unexpected(std::move(samples).error());
      points = samples->size();
      return OkStatus();
    });
    if (!counted) return Fail(err, counted.error());
    out("telemetry     " + m.name + " (" + m.unit + ") " + std::to_string(points) +
        " points, last " + Seen(m.last_unix_nanos));
  }
  return Outcome::kOk;
}

Outcome EnrollToken(Runtime& rt, const CommandRequest& r, const LineSink& out,
                    const LineSink& err) {
  auto token = rt.devices().CreateEnrollmentToken(r.actor, Arg(r, "id"));
  if (!token) return Fail(err, token.error());
  out("token:          " + token->token);
  out("expires:        " + FormatUnix(token->expires_unix));
  out("ca fingerprint: " + token->ca_fingerprint_sha256);
  out("It works once and is shown only now. On the device:");
  out("  vigil-agent enroll --server " + GatewayUrl(rt) + " --token " + token->token +
      " --ca-fingerprint " + token->ca_fingerprint_sha256);
  return Outcome::kOk;
}

Outcome Revoke(Runtime& rt, const CommandRequest& r, const LineSink& out, const LineSink& err) {
  auto serials = rt.devices().Revoke(r.actor, Arg(r, "id"), Arg(r, "reason"));
  if (!serials) return Fail(err, serials.error());
  if (serials->empty()) {
    out("device " + Arg(r, "id") + " had no certificate left to revoke");
  } else {
    for (const auto& s : *serials) out("revoked certificate " + s);
    out("The gateway refuses the device from its next request; the CRL was re-issued.");
  }
  return Outcome::kOk;
}

}  // namespace

std::optional<Outcome> RunDeviceCommand(Runtime& rt, const CommandRequest& r, const LineSink& out,
                                        const LineSink& err) {
  const std::string& n = r.name;
  if (n == "device.add") return Add(rt, r, out, err);
  if (n == "device.list") return List(rt, out, err);
  if (n == "device.types") return Types(out);
  if (n == "device.show") return Show(rt, r, out, err);
  if (n == "device.enroll_token") return EnrollToken(rt, r, out, err);
  if (n == "device.revoke") return Revoke(rt, r, out, err);
  return std::nullopt;
}

}  // namespace vigil::server
