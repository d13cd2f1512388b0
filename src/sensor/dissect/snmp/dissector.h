#pragma once

// The SNMP datagram dissector (UDP; any port by signature: a BER SEQUENCE whose first element
// is INTEGER 0, 1 or 3 followed by a community OCTET STRING or a v3 header SEQUENCE; 161/162
// are only a hint). The subject is the agent, the managed device: the sender of a Response,
// Trap, Inform or Report, the receiver of a request (for an encrypted v3 PDU, the side on port 161,
// or the sender to port 162). The peer is the manager.
//
// Community strings are secrets: only the defaults "public" and "private" are named; any other
// is recorded as "other", never its value, in facts, findings or anywhere else.
//
// Facts (subject the agent, peer the manager):
//   snmp.version        "1", "2c" or "3"
//   snmp.pdu            the PDU type: get_request, get_next_request, response, set_request, trap,
//                       get_bulk_request, inform_request, trap_v2, report (unknown if encrypted)
//   snmp.community      v1/v2c: "public" or "private" when a default, else "other"
//   snmp.user           v3: the USM user name (msgUserName)
//   snmp.auth           v3: "true" when the message is authenticated (msgFlags authFlag)
//   snmp.priv           v3: "true" when the PDU is encrypted (msgFlags privFlag)
//   snmp.sys_descr      a Response's value of sysDescr.0 (1.3.6.1.2.1.1.1.0)
//   snmp.sys_object_id  a Response's value of sysObjectID.0 (1.3.6.1.2.1.1.2.0): the vendor's OID
//   snmp.sys_name       a Response's value of sysName.0 (1.3.6.1.2.1.1.5.0)
//
// Findings (subject the agent, peer the manager):
//   snmp_default_community  high: a v1/v2c message with the community "public" or "private"
//
// Thread safety: stateless; called on the packet thread.

#include "sensor/dissect/dissector.h"

namespace vigil::sensor::snmp {

const DissectorInfo& Info();

}  // namespace vigil::sensor::snmp
