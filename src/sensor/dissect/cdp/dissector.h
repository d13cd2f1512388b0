#pragma once

// The CDP dissector (link layer; LLC/SNAP OUI 00-00-0C protocol 0x2000; Cisco Discovery
// Protocol v1/v2): what a Cisco switch, router or IP phone says about itself and the port it
// sends from, which tells where the device on that port is plugged in. Chosen by the SNAP OUI
// and protocol and a version of 1 or 2. Packet.payload starts after the SNAP header.
//
// Subject: the sender (the frame's source MAC, VLAN). No peer (CDP goes to a multicast address).
// Facts (only those present; unspecified addresses 0.0.0.0 and :: are left out):
//   cdp.device_id           device id: the host name (or serial number) of the sender
//   cdp.address             an address of the sender (IPv4 or IPv6), repeating
//   cdp.port_id             the sending port: "FastEthernet0/13"
//   cdp.capabilities        capabilities: "switch,igmp"
//   cdp.software_version    software version, first line
//   cdp.platform            hardware platform: "cisco WS-C3560-24TS"
//   cdp.vtp_domain          VTP management domain, when not empty
//   cdp.native_vlan         native VLAN of the sending port
//   cdp.management_address  a management address, repeating
// No findings.

#include "sensor/dissect/dissector.h"

namespace vigil::sensor::cdp {

const DissectorInfo& Info();

}  // namespace vigil::sensor::cdp
