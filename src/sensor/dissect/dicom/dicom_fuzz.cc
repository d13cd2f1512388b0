// Fuzz target: the DICOM PDU parsers on arbitrary bytes, and the DICOM stream dissector on a
// connection made of them (split into two directions at a position taken from the first byte,
// delivered in pieces). Nothing may crash, read out of bounds or grow without bound.

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/check.h"
#include "sensor/dissect/dicom/dissector.h"
#include "sensor/dissect/dicom/message.h"
#include "sensor/dissect/stream_feeder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigil::sensor;
  const std::span<const std::uint8_t> input(data, size);
  if (const auto association = dicom::ParseAssociation(input)) {
    VIGIL_CHECK(association->presentation_contexts.size() <= dicom::kMaxPresentationContexts,
                "presentation contexts unbounded");
    for (const auto& context : association->presentation_contexts) {
      VIGIL_CHECK(context.transfer_syntaxes.size() <= dicom::kMaxTransferSyntaxes,
                  "transfer syntaxes unbounded");
      VIGIL_CHECK(context.abstract_syntax.size() <= dicom::kMaxUidBytes, "uid unbounded");
    }
  }
  (void)dicom::ParseReject(input);
  (void)dicom::ParseAbort(input);
  CollectingSink sink;
  auto stream = dicom::Info().make_stream();
  FeedFuzzInput(*stream, input, sink);
  VIGIL_CHECK(sink.observations.size() <= 4, "observations unbounded");
  VIGIL_CHECK(sink.findings.empty(), "dicom reports no findings");
  return 0;
}
