#pragma once

// The HL7 v2 over MLLP stream dissector. Either side of a connection may send messages (a
// sender's messages one way, its ACKs the other); each message gives an observation about its
// sender (subject: the side that sent it, peer: the other), emitted once per distinct set of
// facts per connection. Chosen by payload (0x0B then "MSH" at the start of either direction),
// on any port: hospitals run HL7 on 2575, 6661 and whatever the interface engine was given.
//
// Facts (values through SafeText; MSH-10 and every patient field are never kept):
//   hl7.sending_application    MSH-3, first component: the sending system
//   hl7.sending_facility       MSH-4, first component
//   hl7.receiving_application  MSH-5, first component: the system it sends to
//   hl7.receiving_facility     MSH-6, first component
//   hl7.message_type           MSH-9, message code and trigger event ("ADT^A01", "ACK")
//   hl7.version                MSH-12, first component ("2.3", "2.5.1")
//   hl7.ack_code               MSA-1 of an acknowledgement ("AA", "AE", "AR", "CA"...)
//   hl7.segments               the segment ids of the message, comma-separated ("MSH,EVN,PID")
//
// Findings:
//   cleartext_patient_data (high), once per connection: a message carried segments with patient
//   data (PID, NK1, PV1, IN1, GT1, OBX with a value...) on this unencrypted connection; the
//   detail names the message type, the segment ids and the sending and receiving applications.
//
// Bounded: a message longer than kMaxMessageBytes is read from its first kMaxMessageBytes only;
// at most kMaxObservations observations per connection.

#include "sensor/dissect/dissector.h"

namespace vigil::sensor::hl7 {

inline constexpr std::size_t kMaxMessageBytes = 32 * 1024;
inline constexpr std::size_t kMaxObservations = 16;

const DissectorInfo& Info();

}  // namespace vigil::sensor::hl7
