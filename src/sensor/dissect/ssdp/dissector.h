#pragma once

// The SSDP dissector (UDP; UPnP Device Architecture 1.1): what UPnP devices (printers, media
// renderers, cameras, some monitors and gateways) say about themselves. Chosen by payload, from
// any port: "NOTIFY * HTTP/1.1", "M-SEARCH * HTTP/1.1", or "HTTP/1.1 200" with an ST or USN
// header (search responses come from high ports).
//
// Subject: the sender. A NOTIFY or a response describes the device that sent it (peer: the
// searcher a response goes to); an M-SEARCH describes the searcher (peer: the device asked,
// unless the search was multicast or broadcast). Facts (only those present):
//   ssdp.message        notify, m-search or response
//   ssdp.server         SERVER header: the device's OS, UPnP and product versions
//   ssdp.user_agent     USER-AGENT header of a search
//   ssdp.usn            USN header: the unique service name (uuid:...::type)
//   ssdp.nt             NT header of a NOTIFY: the advertised type
//   ssdp.nts            NTS header of a NOTIFY: ssdp:alive, ssdp:byebye or ssdp:update
//   ssdp.st             ST header of a response: the type found
//   ssdp.search_target  ST header of an M-SEARCH: what the subject looks for
//   ssdp.device_type    the device type advertised in NT, ST or USN:
//                       urn:schemas-upnp-org:device:MediaRenderer:1
//   ssdp.location       LOCATION header: the URL of the device description
// No findings.

#include "sensor/dissect/dissector.h"

namespace vigil::sensor::ssdp {

const DissectorInfo& Info();

}  // namespace vigil::sensor::ssdp
