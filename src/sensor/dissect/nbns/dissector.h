#pragma once

// The NetBIOS name service dissector (UDP 137; RFC 1001/1002): the names Windows hosts and many
// embedded devices claim, query and report. Chosen by payload: a header with a known opcode and
// a first name in the first-level encoding (0x20 then 32 characters 'A' to 'P'), whatever the
// ports. Names read "NAME<XX>" with the suffix in hex: <00> workstation (or, as a group, the
// workgroup), <20> file server, <1C> domain controllers, <1B> domain master browser, <1D>
// master browser, <03> messenger.
//
// Subject: the querier of a query; the registering host of a registration or refresh; for a
// positive name query response, the host at the address the answer gives (with the sender's MAC
// when it answers for itself); for a node status response, the responder.
// Facts (repeating keys; at most 32 per message):
//   nbns.query     a name the subject looks up: "PACS01<20>"
//   nbns.name      a unique name the subject holds: "PUMP12<00>"
//   nbns.group     a group name the subject belongs to: "WORKGROUP<00>"
//   nbns.unit_id   a node status response's unit id (the adapter's MAC address)
// No findings.

#include "sensor/dissect/dissector.h"

namespace vigil::sensor::nbns {

const DissectorInfo& Info();

}  // namespace vigil::sensor::nbns
