#include "sensor/dissect/dicom/dissector.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>
#include <vector>

#include "sensor/decode/byte_reader.h"
#include "sensor/dissect/dicom/message.h"
#include "sensor/dissect/dicom/names.h"
#include "sensor/dissect/observe.h"
#include "sensor/dissect/text.h"

namespace vigil::sensor::dicom {
namespace {

class Facts {
 public:
  void Add(std::string_view key, std::string_view value) {
    if (value.empty()) return;
    model::Fact fact{.key = std::string(key), .value = SafeText(value)};
    if (std::find(facts_.begin(), facts_.end(), fact) == facts_.end()) {
      facts_.push_back(std::move(fact));
    }
  }
  std::vector<model::Fact> Take() { return std::move(facts_); }

 private:
  std::vector<model::Fact> facts_;
};

// A hint from the proposed abstract syntaxes (PS3.4): who proposes storage classes sends
// images (a modality, or a PACS forwarding); Verification alone is an echo.
std::string_view Role(const Association& request) {
  bool storage = false, query = false, worklist = false, other = false;
  for (const auto& context : request.presentation_contexts) {
    const std::string& uid = context.abstract_syntax;
    storage |= IsStorageSopClass(uid);
    query |= IsQueryRetrieveSopClass(uid);
    worklist |= IsWorklistSopClass(uid);
    other |= uid != kVerificationSopClass;
  }
  if (storage) return "storage_scu";
  if (query) return "query_scu";
  if (worklist) return "worklist_scu";
  if (!other && !request.presentation_contexts.empty()) return "verification_scu";
  return "scu";
}

std::string_view NameOr(std::string_view name, std::string_view uid) {
  return name.empty() ? uid : name;
}

class DicomStream final : public StreamDissector {
 public:
  std::size_t OnData(Direction dir, std::span<const std::uint8_t> data,
                     std::int64_t time_unix_nanos, const FlowView& flow, Sink& sink) override {
    Side& side = sides_[Index(dir)];
    std::size_t consumed = 0;
    while (consumed < data.size() && !side.lost && !finished_) {
      if (side.skip > 0) {  // The rest of a P-DATA-TF or other PDU not read.
        const std::size_t n = std::min<std::size_t>(side.skip, data.size() - consumed);
        side.skip -= n;
        consumed += n;
        continue;
      }
      const auto rest = data.subspan(consumed);
      const auto header = ReadPduHeader(rest);
      if (!header) {
        if (rest.size() >= kPduHeaderBytes) side.lost = true;  // Not a PDU: out of step.
        break;
      }
      const std::size_t total = kPduHeaderBytes + header->length;
      if (header->type == PduType::kData) {
        ++side.pdata_pdus;
        side.pdata_bytes += header->length;
        side.skip = total;
        if (patient_data_accepted_ && !patient_data_reported_) {
          ReportPatientData(time_unix_nanos, flow, sink);
        }
        continue;
      }
      if (total > kMaxAssociationPdu) {
        side.lost = true;
        break;
      }
      if (rest.size() < total) break;  // Wait for the whole PDU.
      OnPdu(dir, header->type, rest.first(total), time_unix_nanos, flow, sink);
      consumed += total;
    }
    return side.lost || finished_ ? data.size() : consumed;
  }

  // The PDU stream has no markers to find again after lost bytes.
  void OnGap(Direction dir) override { sides_[Index(dir)].lost = true; }

  // A connection that just closes (no A-RELEASE) still reports what crossed it.
  void OnEnd(std::int64_t time_unix_nanos, const FlowView& flow, Sink& sink) override {
    if (request_seen_ && !finished_) EmitCounts(time_unix_nanos, flow, sink);
  }

  bool Finished() const override { return finished_ || (sides_[0].lost && sides_[1].lost); }

 private:
  struct Side {
    std::uint64_t skip = 0;
    std::uint64_t pdata_pdus = 0;
    std::uint64_t pdata_bytes = 0;
    bool lost = false;
  };

  static std::size_t Index(Direction dir) { return static_cast<std::size_t>(dir); }

  void OnPdu(Direction dir, PduType type, std::span<const std::uint8_t> pdu, std::int64_t time,
             const FlowView& flow, Sink& sink) {
    const bool from_client = dir == Direction::kClientToServer;
    Facts facts;
    switch (type) {
      case PduType::kAssociateRequest:
        if (from_client && !request_seen_) OnRequest(pdu, facts);
        break;
      case PduType::kAssociateAccept:
        if (!from_client && !accept_seen_) OnAccept(pdu, facts);
        break;
      case PduType::kAssociateReject:
        if (const auto reject = ParseReject(pdu); reject && !from_client) {
          facts.Add("dicom.called_ae", called_ae_);
          facts.Add("dicom.reject",
                    std::string(RejectResultName(reject->result)) + ", " +
                        std::string(RejectSourceName(reject->source)) + ", " +
                        std::string(RejectReasonName(reject->source, reject->reason)));
          finished_ = true;
        }
        break;
      case PduType::kAbort:
        if (const auto abort = ParseAbort(pdu)) {
          facts.Add("dicom.abort", std::string(AbortSourceName(abort->source)) + ", " +
                                       std::string(AbortReasonName(abort->source, abort->reason)));
          Emit(from_client, facts.Take(), time, flow, sink);
          EmitCounts(time, flow, sink);
          finished_ = true;
        }
        return;
      case PduType::kReleaseResponse:
        EmitCounts(time, flow, sink);
        finished_ = true;
        return;
      case PduType::kReleaseRequest:
      case PduType::kData:
        return;
    }
    Emit(from_client, facts.Take(), time, flow, sink);
  }

  void OnRequest(std::span<const std::uint8_t> pdu, Facts& facts) {
    const auto request = ParseAssociation(pdu);
    if (!request) return;
    request_seen_ = true;
    called_ae_ = request->called_ae;
    calling_ae_ = request->calling_ae;
    proposed_.clear();
    facts.Add("dicom.calling_ae", request->calling_ae);
    facts.Add("dicom.application_context", request->application_context);
    for (const auto& context : request->presentation_contexts) {
      proposed_.emplace_back(context.id, context.abstract_syntax);
      facts.Add("dicom.abstract_syntax", context.abstract_syntax);
    }
    for (const auto& context : request->presentation_contexts) {
      facts.Add("dicom.sop_class", SopClassName(context.abstract_syntax));
    }
    facts.Add("dicom.role", Role(*request));
    AddImplementation(*request, facts);
  }

  void OnAccept(std::span<const std::uint8_t> pdu, Facts& facts) {
    const auto accept = ParseAssociation(pdu);
    if (!accept) return;
    accept_seen_ = true;
    facts.Add("dicom.called_ae", called_ae_.empty() ? accept->called_ae : called_ae_);
    AddImplementation(*accept, facts);
    for (const auto& context : accept->presentation_contexts) {
      if (context.result != 0) continue;
      const auto proposed = std::find_if(proposed_.begin(), proposed_.end(),
                                         [&](const auto& p) { return p.first == context.id; });
      if (proposed != proposed_.end()) {
        facts.Add("dicom.accepted_sop_class",
                  NameOr(SopClassName(proposed->second), proposed->second));
        const std::string& uid = proposed->second;
        if (IsStorageSopClass(uid) || IsQueryRetrieveSopClass(uid) || IsWorklistSopClass(uid)) {
          patient_data_accepted_ = true;
        }
      }
      for (const auto& syntax : context.transfer_syntaxes) {
        facts.Add("dicom.transfer_syntax", NameOr(TransferSyntaxName(syntax), syntax));
      }
    }
  }

  static void AddImplementation(const Association& association, Facts& facts) {
    facts.Add("dicom.implementation_class", association.implementation_class_uid);
    facts.Add("dicom.implementation_version", association.implementation_version);
    if (association.max_pdu_length != 0) {
      facts.Add("dicom.max_pdu_length", std::to_string(association.max_pdu_length));
    }
  }

  // Storage, query/retrieve and worklist datasets carry patient names, ids and birth dates
  // (PS3.3); seen in clear on the wire, that is a finding, once per connection. The datasets
  // themselves are never read.
  void ReportPatientData(std::int64_t time, const FlowView& flow, Sink& sink) {
    patient_data_reported_ = true;
    ReportSide(
        sink, flow, FlowSide::kClient,
        {.time_unix_nanos = time,
         .kind = "cleartext_patient_data",
         .protocol = "dicom",
         .severity = model::FindingSeverity::kHigh,
         .detail = "dicom association " + SafeText(calling_ae_) + " -> " + SafeText(called_ae_) +
                   " exchanged datasets (which carry patient data) over an unencrypted "
                   "connection"});
  }

  void EmitCounts(std::int64_t time, const FlowView& flow, Sink& sink) {
    const Side& sent = sides_[Index(Direction::kClientToServer)];
    const Side& received = sides_[Index(Direction::kServerToClient)];
    Emit(true,
         {{.key = "dicom.pdata_pdus_sent", .value = std::to_string(sent.pdata_pdus)},
          {.key = "dicom.pdata_bytes_sent", .value = std::to_string(sent.pdata_bytes)},
          {.key = "dicom.pdata_pdus_received", .value = std::to_string(received.pdata_pdus)},
          {.key = "dicom.pdata_bytes_received", .value = std::to_string(received.pdata_bytes)}},
         time, flow, sink);
  }

  static void Emit(bool client_subject, std::vector<model::Fact> facts, std::int64_t time,
                   const FlowView& flow, Sink& sink) {
    ObserveSide(sink, "dicom", flow, client_subject ? FlowSide::kClient : FlowSide::kServer, time,
                std::move(facts));
  }

  std::array<Side, 2> sides_;
  std::string called_ae_;
  std::string calling_ae_;
  bool patient_data_accepted_ = false;  // A storage, query or worklist class was accepted.
  bool patient_data_reported_ = false;
  std::vector<std::pair<std::uint8_t, std::string>> proposed_;  // Context id, abstract syntax.
  bool request_seen_ = false;  // One association per connection: later ones are not read.
  bool accept_seen_ = false;
  bool finished_ = false;
};

// PS3.8 9.3.2: an A-ASSOCIATE-RQ is type 0x01, a reserved byte, a length that covers at least
// the fixed fields, then protocol version 1.
bool Probe(std::span<const std::uint8_t> payload, const ProbeContext& /*context*/) {
  if (payload.size() < 8 || payload[0] != 0x01 || payload[1] != 0x00) return false;
  ByteReader reader(payload.subspan(2));
  const std::uint32_t length = reader.U32();
  return length >= kAssociateFixedBytes && length <= kMaxAssociationPdu && reader.U16() == 1;
}

std::unique_ptr<StreamDissector> MakeStream() { return std::make_unique<DicomStream>(); }

}  // namespace

const DissectorInfo& Info() {
  static const DissectorInfo info{
      .name = "dicom",
      .transport = Transport::kTcp,
      .probe = &Probe,
      .make_stream = &MakeStream,
  };
  return info;
}

}  // namespace vigil::sensor::dicom
