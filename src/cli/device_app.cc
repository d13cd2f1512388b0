#include "cli/device_app.h"

#include <CLI/CLI.hpp>

#include "cli/app.h"

namespace vigil::cli {

void AddDeviceCommands(CLI::App& app, CommonOptions& options, DeviceArgs& a, int& code) {
  auto* device = app.add_subcommand("device", "device records, enrolment and certificates");
  device->require_subcommand(1);
  auto* add = OperatorCommand(device, "add", "create a device record; prints its id", "device.add",
                              options, code,
                              {{"name", &a.name},
                               {"type", &a.type},
                               {"manufacturer", &a.manufacturer},
                               {"model", &a.model},
                               {"firmware", &a.firmware},
                               {"criticality", &a.criticality},
                               {"serial", &a.serial},
                               {"location", &a.location}});
  add->add_option("--name", a.name, "a label, e.g. \"ICU-3 pump 12\"")->required();
  add->add_option("--type", a.type,
                  "infusion_pump, patient_monitor, ventilator, ... (`vigil device types`)")
      ->required();
  add->add_option("--manufacturer", a.manufacturer, "manufacturer")->required();
  add->add_option("--model", a.model, "model")->required();
  add->add_option("--firmware", a.firmware, "firmware version")->required();
  add->add_option("--criticality", a.criticality,
                  "life_sustaining, life_supporting, diagnostic or non_clinical")
      ->required();
  add->add_option("--serial", a.serial, "serial number");
  add->add_option("--location", a.location, "where it is, e.g. \"ICU bed 3\"");
  OperatorCommand(device, "list", "list devices with certificate and heartbeat state",
                  "device.list", options, code, {});
  OperatorCommand(device, "types", "the device types and criticalities Vigil knows", "device.types",
                  options, code, {});
  auto* show = OperatorCommand(device, "show", "one device in full", "device.show", options, code,
                               {{"id", &a.id}});
  show->add_option("ID", a.id, "device id")->required();
  auto* token =
      OperatorCommand(device, "enroll-token", "a one-time enrolment token for the device's agent",
                      "device.enroll_token", options, code, {{"id", &a.id}});
  token->add_option("ID", a.id, "device id")->required();
  auto* revoke =
      OperatorCommand(device, "revoke", "revoke the device's certificates: it is shut out at once",
                      "device.revoke", options, code, {{"id", &a.id}, {"reason", &a.reason}});
  revoke->add_option("ID", a.id, "device id")->required();
  revoke->add_option("--reason", a.reason,
                     "key_compromise, affiliation_changed, superseded, cessation_of_operation or "
                     "unspecified (default)");
}

}  // namespace vigil::cli
