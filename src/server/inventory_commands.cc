// Operator commands for the observed inventory (`vigil inventory ...`), run by
// RunOperatorCommand in the CLI's own process or in the server over the control socket.

#include "server/inventory_commands.h"

#include <charconv>
#include <cstdint>
#include <limits>

#include "core/time_format.h"
#include "server/runtime.h"

namespace vigil::server {
namespace {

std::string Pad(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text + " ";
}

std::string Seen(std::int64_t unix_nanos) {
  if (unix_nanos == 0) return "never";
  return FormatRfc3339(unix_nanos, 0).substr(0, 19);
}

// "Philips (90%)", or "-" when unknown.
std::string Identified(const model::IdentifiedValue& v) {
  if (v.value.empty()) return "-";
  return v.value + " (" + std::to_string(v.confidence) + "%)";
}

std::string Join(const std::vector<std::string>& parts, std::string_view separator = ", ") {
  std::string out;
  for (const std::string& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out.empty() ? "-" : out;
}

Result<std::int64_t> Number(const CommandRequest& r, const std::string& name, std::int64_t fallback,
                            std::int64_t max) {
  const std::string text = Arg(r, name);
  if (text.empty()) return fallback;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0 || value > max) {
    return MakeError(ErrorCode::kInvalidArgument, "--" + name + " must be a number from 0 to " +
                                                      std::to_string(max) + ", not '" + text + "'");
  }
  return value;
}

std::string FirstAddress(const model::ObservedDevice& d) {
  return d.addresses.empty() ? "-" : d.addresses.front().ip.ToString();
}

Outcome List(Runtime& rt, const CommandRequest& r, const LineSink& out, const LineSink& err) {
  auto limit = Number(r, "limit", 1000, static_cast<std::int64_t>(store::kMaxListLimit));
  if (!limit) return Fail(err, limit.error());
  auto page = rt.inventory().ListDevices({.device_type = Arg(r, "type"),
                                          .manufacturer = Arg(r, "manufacturer"),
                                          .search = Arg(r, "search"),
                                          .offset = 0,
                                          .limit = static_cast<std::size_t>(*limit)});
  if (!page) return Fail(err, page.error());
  out(Pad("ID", 22) + Pad("ADDRESS", 16) + Pad("NAME", 20) + Pad("MANUFACTURER", 24) +
      Pad("TYPE", 18) + "LAST SEEN");
  for (const model::ObservedDevice& d : page->devices) {
    out(Pad(d.id, 22) + Pad(FirstAddress(d), 16) +
        Pad(d.names.empty() ? "-" : d.names.front(), 20) +
        Pad(d.identity.manufacturer.value.empty() ? "-" : d.identity.manufacturer.value, 24) +
        Pad(d.identity.device_type.value.empty() ? "-" : d.identity.device_type.value, 18) +
        Seen(d.last_seen_unix_nanos));
  }
  std::string total = std::to_string(page->total) + " device" + (page->total == 1 ? "" : "s");
  if (static_cast<std::int64_t>(page->devices.size()) < page->total) {
    total += " (" + std::to_string(page->devices.size()) + " shown)";
  }
  out(total);
  return Outcome::kOk;
}

Outcome Show(Runtime& rt, const CommandRequest& r, const LineSink& out, const LineSink& err) {
  const std::string id = Arg(r, "id");
  auto device = rt.inventory().GetDevice(id);
  if (!device) return Fail(err, device.error());
  const model::ObservedDevice& d = *device;
  std::vector<std::string> macs;
  for (const MacAddress& mac : d.macs) macs.push_back(mac.ToString());
  std::vector<std::string> addresses;
  for (const auto& a : d.addresses) addresses.push_back(a.ip.ToString());
  out("device        " + d.id);
  out("macs          " + Join(macs));
  out("addresses     " + Join(addresses));
  out("names         " + Join(d.names));
  out("manufacturer  " + Identified(d.identity.manufacturer));
  out("type          " + Identified(d.identity.device_type));
  out("model         " + Identified(d.identity.model));
  out("firmware      " + Identified(d.identity.firmware));
  out("protocols     " + Join(d.protocols));
  if (!d.cleartext_protocols.empty()) out("cleartext     " + Join(d.cleartext_protocols));
  if (d.vlan != 0) out("vlan          " + std::to_string(d.vlan));
  out("first seen    " + Seen(d.first_seen_unix_nanos));
  out("last seen     " + Seen(d.last_seen_unix_nanos));
  for (const model::Evidence& e : d.identity.evidence) {
    out("evidence      " + e.source + " = " + e.value +
        (e.rule.empty() ? "" : " (rule " + e.rule + ")") + " " + std::to_string(e.confidence) +
        "%");
  }
  for (const model::ObservedService& s : d.services) {
    out("service       " + std::to_string(s.port) + (s.ip_protocol == 17 ? "/udp" : "/tcp") +
        (s.application.empty() ? "" : " " + s.application) + ", last " +
        Seen(s.last_seen_unix_nanos));
  }
  auto findings = rt.inventory().DeviceFindings(id, "", std::numeric_limits<std::int64_t>::min(),
                                                std::numeric_limits<std::int64_t>::max(), 20);
  if (!findings) return Fail(err, findings.error());
  for (const store::StoredFinding& f : *findings) {
    out("finding       " + Seen(f.finding.time_unix_nanos) + " " +
        std::string(model::SeverityName(f.finding.severity)) + " " + f.finding.kind + ": " +
        f.finding.detail);
  }
  auto flows = rt.inventory().DeviceFlows(id, std::numeric_limits<std::int64_t>::min(),
                                          std::numeric_limits<std::int64_t>::max(), 1000);
  if (!flows) return Fail(err, flows.error());
  std::uint64_t count = 0;
  std::uint64_t bytes = 0;
  for (const model::FlowAggregate& f : *flows) {
    count += f.flows;
    bytes += f.bytes;
  }
  out("flows         " + std::to_string(count) + " flows, " + std::to_string(bytes) +
      " bytes in the stored history");
  return Outcome::kOk;
}

Outcome Compare(Runtime& rt, const CommandRequest& r, const LineSink& out, const LineSink& err) {
  auto days = Number(r, "days", 7, 3650);
  if (!days) return Fail(err, days.error());
  auto comparison = rt.inventory().Compare(static_cast<int>(*days));
  if (!comparison) return Fail(err, comparison.error());
  out("OBSERVED, NOT REGISTERED");
  for (const model::ObservedDevice& d : comparison->unregistered) {
    out("  " + Pad(d.id, 22) + Pad(FirstAddress(d), 16) +
        Pad(d.names.empty() ? "-" : d.names.front(), 20) + Seen(d.last_seen_unix_nanos));
  }
  out("REGISTERED, NOT SEEN FOR " + std::to_string(*days) + " DAYS");
  for (const RegisteredNotSeen& n : comparison->not_seen) {
    out("  " + Pad(n.device.id, 32) + Pad(n.device.name, 24) + Seen(n.last_seen_unix_nanos));
  }
  return Outcome::kOk;
}

}  // namespace

std::optional<Outcome> RunInventoryCommand(Runtime& rt, const CommandRequest& r,
                                           const LineSink& out, const LineSink& err) {
  const std::string& n = r.name;
  if (n == "inventory.list") return List(rt, r, out, err);
  if (n == "inventory.show") return Show(rt, r, out, err);
  if (n == "inventory.compare") return Compare(rt, r, out, err);
  return std::nullopt;
}

}  // namespace vigil::server
