// Operator commands for sensors (`vigil sensor add|list|revoke`), run by RunOperatorCommand in
// the CLI's own process or in the server over the control socket.

#include "server/sensor_commands.h"

#include "model/device_type.h"
#include "server/identity_text.h"
#include "server/runtime.h"

namespace vigil::server {
namespace {

std::string Pad(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text + " ";
}

// The gateway URL sensors use, from its listen address (a wildcard becomes a placeholder).
std::string GatewayUrl(Runtime& rt) {
  const std::string listen = rt.devices().GatewayAddress();
  const auto colon = listen.rfind(':');
  std::string host = listen.substr(0, colon);
  if (host == "0.0.0.0" || host == "[::]" || host.empty()) host = "<this server's address>";
  return "https://" + host + listen.substr(colon);
}

Outcome Add(Runtime& rt, const CommandRequest& r, const LineSink& out, const LineSink& err) {
  auto sensor = rt.devices().AddSensor(r.actor, Arg(r, "name"));
  if (!sensor) return Fail(err, sensor.error());
  auto token = rt.devices().CreateEnrollmentToken(r.actor, sensor->id);
  if (!token) return Fail(err, token.error());
  out("sensor:         " + sensor->id);
  out("token:          " + token->token);
  out("expires:        " + FormatUnix(token->expires_unix));
  out("ca fingerprint: " + token->ca_fingerprint_sha256);
  out("The token works once and is shown only now. On the sensor:");
  out("  vigil sensor enroll --server " + GatewayUrl(rt) + " --token " + token->token +
      " --ca-fingerprint " + token->ca_fingerprint_sha256);
  return Outcome::kOk;
}

Outcome List(Runtime& rt, const LineSink& out, const LineSink& err) {
  auto sensors = rt.devices().ListSensors();
  if (!sensors) return Fail(err, sensors.error());
  out(Pad("ID", 32) + Pad("NAME", 24) + Pad("CERTIFICATE", 12) + "NOT AFTER");
  for (const auto& view : *sensors) {
    const std::string until =
        view.certificate ? FormatUnix(view.certificate->not_after_unix).substr(0, 10) : "-";
    out(Pad(view.device.id, 32) + Pad(view.device.name, 24) + Pad(view.certificate_status, 12) +
        until);
  }
  out(std::to_string(sensors->size()) + " sensor" + (sensors->size() == 1 ? "" : "s"));
  return Outcome::kOk;
}

Outcome Revoke(Runtime& rt, const CommandRequest& r, const LineSink& out, const LineSink& err) {
  auto view = rt.devices().GetDevice(Arg(r, "id"));
  if (!view) return Fail(err, view.error());
  if (view->device.type != model::Name(model::DeviceType::kSensor)) {
    return Fail(err, {.code = ErrorCode::kInvalidArgument,
                      .message = Arg(r, "id") + " is a device, not a sensor: vigil device revoke"});
  }
  auto serials = rt.devices().Revoke(r.actor, Arg(r, "id"), Arg(r, "reason"));
  if (!serials) return Fail(err, serials.error());
  for (const auto& s : *serials) out("revoked certificate " + s);
  out(serials->empty() ? "sensor " + Arg(r, "id") + " had no certificate left to revoke"
                       : "The gateway refuses the sensor from its next request.");
  return Outcome::kOk;
}

}  // namespace

std::optional<Outcome> RunSensorCommand(Runtime& rt, const CommandRequest& r, const LineSink& out,
                                        const LineSink& err) {
  const std::string& n = r.name;
  if (n == "sensor.add") return Add(rt, r, out, err);
  if (n == "sensor.list") return List(rt, out, err);
  if (n == "sensor.revoke") return Revoke(rt, r, out, err);
  return std::nullopt;
}

}  // namespace vigil::server
