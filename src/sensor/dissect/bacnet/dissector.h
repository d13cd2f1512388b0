#pragma once

// The BACnet/IP datagram dissector. Probe: a BVLC header (type 0x81, a known function, a
// length equal to the payload's), and for NPDU-carrying functions NPDU version 1; any port
// (47808, 0xBAC0, is the usual one). One observation per message; the subject is the sender
// (for a Forwarded-NPDU, the original sender's B/IP address, without MAC), the peer the
// receiver.
//
// Facts (subject the sender):
//   bacnet.bvlc_function        the BVLC function (original_unicast_npdu, forwarded_npdu...)
//   bacnet.network_message      an NPDU network layer message type, as a number
//   bacnet.apdu_type            confirmed_request, unconfirmed_request, complex_ack, error...
//   bacnet.service              the service (who_is, i_am, read_property, write_property...)
//   bacnet.device_instance      I-Am's device instance, or a ReadProperty-ACK of a device's
//                               object-identifier (75)
//   bacnet.vendor_id            I-Am's vendor identifier, or the vendor-identifier (120) property
//   bacnet.object_name          ReadProperty-ACK of a device's object-name (77)
//   bacnet.vendor_name          ReadProperty-ACK of vendor-name (121)
//   bacnet.model_name           ReadProperty-ACK of model-name (70)
//   bacnet.firmware_revision    ReadProperty-ACK of firmware-revision (44)
//   bacnet.application_version  ReadProperty-ACK of application-software-version (12)
//
// Thread safety: stateless; called on the packet thread.

#include "sensor/dissect/dissector.h"

namespace vigil::sensor::bacnet {

const DissectorInfo& Info();

}  // namespace vigil::sensor::bacnet
