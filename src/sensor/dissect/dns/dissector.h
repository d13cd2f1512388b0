#pragma once

// The DNS dissector (UDP): unicast DNS (RFC 1035), multicast DNS with DNS-SD (RFC 6762/6763) and
// LLMNR (RFC 4795) in one module, told apart by port 5353 or 5355 on either side. Chosen by a
// plausible header (opcode 0, Z bit clear, small counts) with port 53, 5353 or 5355 on either
// side (mDNS queries and answers also use high ports on the other side); on other ports only
// when the payload is exactly one well-formed question (never on NetBIOS port 137).
//
// Subject: for a query, the querier (peer: the server, unless the query was multicast). For an
// mDNS or LLMNR response, the responder, which describes itself (peer: the querier of a unicast
// answer). For a unicast DNS response, the querier (peer: the server). An mDNS query's authority
// records (a host probing for its names, RFC 6762 section 8.2) describe the querier.
// Facts (repeating keys; at most 48 per message, duplicates dropped):
//   dns.query      a question's name (what the subject looked up or browses for)
//   dns.answer     an A or AAAA record: "name -> address"
//   dns.hostname   mDNS/LLMNR: a name whose A or AAAA record holds the responder's own address
//   dns.cname      a CNAME record: "name -> target"
//   dns.service    a DNS-SD service type the subject offers: "_ipp._tcp.local"
//   dns.instance   a DNS-SD service instance: "Pump 12._http._tcp.local"
//   dns.srv        an SRV record: "instance -> target:port"
//   dns.ptr        another PTR record (reverse lookups): "name -> target"
//   dns.txt        a TXT key of interest, "key=value": model, mdl, manufacturer, mfg, usb_MFG,
//                  usb_MDL, ty, product, md, am, vendor
//   dns.rcode      a response's error code when not 0: nxdomain, servfail, refused or a number
// No findings.

#include "sensor/dissect/dissector.h"

namespace vigil::sensor::dns {

const DissectorInfo& Info();

}  // namespace vigil::sensor::dns
