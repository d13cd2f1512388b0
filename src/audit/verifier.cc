#include "audit/verifier.h"

#include "audit/canonical.h"
#include "crypto/ed25519.h"
#include "crypto/hash.h"

namespace vigil::audit {
namespace {

void Fail(VerifyReport& report, std::int64_t seq, std::string problem) {
  if (!report.ok) return;  // Keep the first problem.
  report.ok = false;
  report.broken_seq = seq;
  report.problem = std::move(problem);
}

std::string Seq(std::int64_t seq) { return "entry " + std::to_string(seq); }

// Checks one checkpoint against the chain: signature, then that the entry exists with that hash.
void CheckCheckpoint(const store::AuditCheckpoint& cp, std::span<const std::uint8_t> public_key,
                     const store::AuditReader& audit, std::int64_t last_seq, std::string_view where,
                     VerifyReport& report) {
  ++report.checkpoints_checked;
  if (!crypto::Ed25519Verify(public_key, EncodeCheckpoint(cp.seq, cp.hash, cp.time_unix_ns),
                             cp.signature)) {
    Fail(report, cp.seq,
         std::string(where) + " checkpoint at " + Seq(cp.seq) + " has an invalid signature");
    return;
  }
  if (cp.seq > last_seq) {
    Fail(report, last_seq + 1,
         Seq(last_seq + 1) + " missing: the log ends at " + std::to_string(last_seq) +
             " but a signed " + std::string(where) + " checkpoint covers " + Seq(cp.seq) +
             " (tail truncated)");
    return;
  }
  bool found = false;
  bool matches = false;
  auto scanned = audit.Scan(cp.seq, cp.seq, [&](const store::AuditRow& row) {
    found = true;
    matches = crypto::ConstantTimeEquals(row.hash, cp.hash);
    return false;
  });
  if (!scanned || !found) {
    Fail(report, cp.seq,
         Seq(cp.seq) + " missing under a signed " + std::string(where) + " checkpoint");
  } else if (!matches) {
    Fail(report, cp.seq,
         Seq(cp.seq) + " differs from the signed " + std::string(where) +
             " checkpoint (chain rewritten)");
  }
}

}  // namespace

Result<VerifyReport> Verify(const store::Store& store, AuditLog& log, const CheckpointFile* file,
                            VerifyRange range) {
  VerifyReport report;
  std::optional<FileCheckpoint> file_cp;
  if (file != nullptr) {
    auto last = file->Last();
    if (!last) {
      Fail(report, 0, last.error().message);
    } else {
      file_cp = std::move(*last);
    }
  }
  VIGIL_RETURN_IF_ERROR(store.Read([&](store::ReadTransaction& tx) -> Status {
    const auto& audit = tx.audit();
    auto tail = audit.Head();
    if (!tail) return tl::unexpected(tail.error());
    report.last_seq = *tail ? (*tail)->seq : 0;

    const std::int64_t first = std::max<std::int64_t>(range.first, 1);
    std::int64_t expected = first;
    std::vector<std::uint8_t> prev_hash;
    bool have_prev = false;
    if (first == 1) {
      prev_hash.assign(crypto::kSha256Size, 0);
      have_prev = true;
    }
    auto scanned =
        audit.Scan(first > 1 ? first - 1 : 1, range.last, [&](const store::AuditRow& row) {
          if (row.seq == first - 1) {  // Only the link into the range.
            prev_hash = row.hash;
            have_prev = true;
            return true;
          }
          if (row.seq != expected) {
            Fail(report, expected,
                 row.seq > expected
                     ? Seq(expected) + " missing (next present is " + std::to_string(row.seq) + ")"
                     : Seq(row.seq) + " out of order after " + Seq(expected - 1));
            return false;
          }
          ++report.entries_checked;
          if (have_prev && !crypto::ConstantTimeEquals(row.prev_hash, prev_hash)) {
            Fail(report, row.seq,
                 Seq(row.seq) + " does not link to " + Seq(row.seq - 1) +
                     " (previous hash differs)");
            return false;
          }
          auto hash = log.ComputeHash(row);
          if (!hash) {
            Fail(report, row.seq, Seq(row.seq) + ": " + hash.error().message);
            return false;
          }
          if (!crypto::ConstantTimeEquals(*hash, row.hash)) {
            Fail(report, row.seq, Seq(row.seq) + " was altered (hash does not match its content)");
            return false;
          }
          prev_hash = row.hash;
          have_prev = true;
          ++expected;
          return true;
        });
    if (!scanned) return tl::unexpected(scanned.error());
    if (!report.ok) return OkStatus();

    auto checkpoints = audit.Checkpoints();
    if (!checkpoints) return tl::unexpected(checkpoints.error());
    if (checkpoints->empty() && !file_cp) return OkStatus();
    auto public_key = log.PublicKey(tx);
    if (!public_key) {
      Fail(report, 0,
           "checkpoints exist but the audit signing key cannot be opened: " +
               public_key.error().message);
      return OkStatus();
    }
    for (const auto& cp : *checkpoints) {
      CheckCheckpoint(cp, *public_key, audit, report.last_seq, "database", report);
    }
    if (file_cp) {
      if (!crypto::ConstantTimeEquals(file_cp->public_key, *public_key)) {
        Fail(report, file_cp->checkpoint.seq,
             "the checkpoint file was signed by another key than this database's");
      } else {
        CheckCheckpoint(file_cp->checkpoint, *public_key, audit, report.last_seq, "file", report);
      }
    } else if (file != nullptr && !checkpoints->empty()) {
      Fail(report, checkpoints->back().seq,
           "the database holds signed checkpoints but the checkpoint file " +
               file->path().string() + " has none");
    }
    return OkStatus();
  }));
  return report;
}

}  // namespace vigil::audit
