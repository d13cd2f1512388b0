#pragma once

// The DICOM upper layer stream dissector (PS3.8 section 9): follows one association per
// connection, from A-ASSOCIATE-RQ to A-RELEASE-RP, A-ASSOCIATE-RJ or A-ABORT. P-DATA-TF PDUs
// are counted and skipped unread (datasets carry patient data). Chosen by payload: first byte
// 0x01 (A-ASSOCIATE-RQ), a plausible length and protocol version 0x0001, on any port.
//
// Facts about the requester (subject: client), from A-ASSOCIATE-RQ:
//   dicom.calling_ae              the requester's AE title
//   dicom.application_context     application context name UID (1.2.840.10008.3.1.1.1)
//   dicom.abstract_syntax         a proposed abstract syntax (SOP class UID); one per distinct UID
//   dicom.sop_class               the name of a proposed SOP class in the table ("CT Image
//   Storage") dicom.role                    a hint: storage_scu (a modality or a forwarder),
//   query_scu,
//                                 worklist_scu, verification_scu (echo only) or scu
//   dicom.implementation_class    implementation class UID: names the vendor's toolkit
//   dicom.implementation_version  implementation version name ("OFFIS_DCMTK_367")
//   dicom.max_pdu_length          maximum PDU length it receives
// Facts about the acceptor (subject: server), from A-ASSOCIATE-AC or -RJ:
//   dicom.called_ae               the acceptor's AE title (as the requester called it)
//   dicom.implementation_class    implementation class UID of the acceptor
//   dicom.implementation_version  implementation version name of the acceptor
//   dicom.max_pdu_length          maximum PDU length it receives
//   dicom.accepted_sop_class      a SOP class it accepted (name if known, else UID), distinct
//   dicom.transfer_syntax         a transfer syntax it accepted (name if known, else UID), distinct
//   dicom.reject                  A-ASSOCIATE-RJ: "result, source, reason" as text
// From the end of the association (subject: the side that sent the PDU):
//   dicom.abort                   A-ABORT: "source, reason" as text
//   dicom.pdata_pdus_sent         (client, on A-RELEASE-RP, A-ABORT or the connection's end)
//                                 P-DATA-TF PDUs it sent
//   dicom.pdata_bytes_sent        their bytes (PDU bodies)
//   dicom.pdata_pdus_received     P-DATA-TF PDUs the server sent it
//   dicom.pdata_bytes_received    their bytes
//
// Finding: "cleartext_patient_data" (high, subject the requester) when P-DATA flows after a
// storage, query/retrieve or worklist class was accepted: those datasets carry patient data,
// and this connection is not encrypted. Once per connection. Bounded: an association PDU larger
// than kMaxAssociationPdu ends the dissection of its direction; everything else is skipped by its
// length without buffering.

#include "sensor/dissect/dissector.h"

namespace vigil::sensor::dicom {

inline constexpr std::size_t kMaxAssociationPdu = 60 * 1024;

const DissectorInfo& Info();

}  // namespace vigil::sensor::dicom
