#pragma once

// The LLDP dissector (link layer, ethertype 0x88cc; IEEE 802.1AB): what a switch (or any LLDP
// speaker: IP phones, some medical devices) says about itself and the port it sends from. A
// switch's LLDPDU on an access port tells where the device on that port is plugged in. Chosen
// by the ethertype and a chassis id as the first TLV.
//
// Subject: the sender (the frame's source MAC, VLAN). No peer: LLDP frames go to a multicast
// address. Facts (only those present; descriptions are cut at their first line):
//   lldp.chassis_id             chassis id: a MAC, an address or a name, by subtype
//   lldp.port_id                port id: an interface name, MAC or local id, by subtype
//   lldp.port_description       port description: "GigabitEthernet0/13"
//   lldp.system_name            system name: "S2.cisco.com"
//   lldp.system_description     system description, first line (vendor, model, software)
//   lldp.capabilities           system capabilities: "bridge,router"
//   lldp.enabled_capabilities   enabled capabilities: "bridge"
//   lldp.management_address     a management address (IPv4, IPv6 or MAC), repeating
//   lldp.port_vlan              IEEE 802.1 port VLAN id (PVID) of the sending port
//   lldp.mud_url                MUD URL (RFC 8520), the device's Manufacturer Usage Description
//   lldp.med_manufacturer       LLDP-MED manufacturer name
//   lldp.med_model              LLDP-MED model name
//   lldp.med_hardware_revision  LLDP-MED hardware revision
//   lldp.med_firmware_revision  LLDP-MED firmware revision
//   lldp.med_software_revision  LLDP-MED software revision
//   lldp.med_serial_number      LLDP-MED serial number
// No findings.

#include "sensor/dissect/dissector.h"

namespace vigil::sensor::lldp {

const DissectorInfo& Info();

}  // namespace vigil::sensor::lldp
