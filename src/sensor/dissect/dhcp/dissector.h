#pragma once

// The DHCP dissector (UDP; RFC 2131, options RFC 2132): one observation per DHCPv4 message
// about the client. Chosen by payload: op 1 or 2 and the magic cookie at offset 236, whatever
// the ports (a message without the cookie is plain BOOTP or not DHCP, and yields nothing).
//
// Subject: the client, by chaddr (when htype is Ethernet) and its address: yiaddr in an OFFER or
// ACK, else the requested address (option 50), else ciaddr. Peer: the server (its id, option 54,
// or the sender of a reply). Facts (only those present):
//   dhcp.message_type    option 53: discover, offer, request, ack, nak, release, inform...
//   dhcp.xid             transaction id, hex: 0x068c4847
//   dhcp.ciaddr          client address in the header, when not 0.0.0.0
//   dhcp.yiaddr          address offered or assigned by the server, when not 0.0.0.0
//   dhcp.relay           relay agent address (giaddr), when relayed
//   dhcp.hostname        option 12, the client's host name
//   dhcp.domain          option 15, the domain name
//   dhcp.requested_addr  option 50, the address the client asks for
//   dhcp.lease_time      option 51, lease in seconds
//   dhcp.server_id       option 54, the server's address
//   dhcp.param_list      option 55, requested options in order, the fingerprint: 1,3,6,15
//   dhcp.vendor_class    option 60, vendor class identifier
//   dhcp.client_id       option 61, type then identifier in hex: 01:b827ebb853c8
//   dhcp.user_class      option 77, user classes joined by ","
//   dhcp.fqdn            option 81, the client's fully qualified domain name
//   dhcp.circuit_id      option 82 sub-option 1 (relay agent circuit id), hex
//   dhcp.remote_id       option 82 sub-option 2 (relay agent remote id), hex
//   dhcp.mud_url         option 161, the device's Manufacturer Usage Description URL
// No findings.

#include "sensor/dissect/dissector.h"

namespace vigil::sensor::dhcp {

const DissectorInfo& Info();

}  // namespace vigil::sensor::dhcp
