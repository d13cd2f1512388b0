// Fuzz target: the spool's segment scanner and state parser on arbitrary bytes (a disk that
// lies, a file edited by hand): never a crash, and what the scanner accepts re-encodes to the
// same bytes.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "agent/spool/record_format.h"
#include "agent/spool/spool_state.h"
#include "core/check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigil::agent;
  const std::span<const std::uint8_t> bytes(data, size);
  const auto scan = ScanSegment(bytes);
  VIGIL_CHECK(scan.valid_bytes <= size, "valid bytes beyond the input");
  std::string rebuilt;
  for (const auto& r : scan.records) {
    VIGIL_CHECK(r.offset == rebuilt.size(), "records not contiguous");
    const std::string_view payload(
        reinterpret_cast<const char*>(data) + r.offset + kRecordHeaderSize, r.payload_size);
    rebuilt += EncodeRecord(r.seq, r.kind, r.carried, payload);
  }
  VIGIL_CHECK(rebuilt.size() == scan.valid_bytes, "scan and encoding disagree on size");
  VIGIL_CHECK(rebuilt == std::string_view(reinterpret_cast<const char*>(data), rebuilt.size()),
              "scan accepted bytes that do not re-encode identically");

  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto state = ParseSpoolState(text)) {
    VIGIL_CHECK(FormatSpoolState(*state) == text, "state does not round-trip");
  }
  (void)ParseSegmentFileName(text);
  return 0;
}
