// Ledger: the append-only, versioned, hash-chained store of validated
// packages (one SQLite file per organisation). docs/ledger-schema.md is the
// file format and its guarantees; this header is the programming surface.
//
// Invariants a caller may rely on:
//  - Nothing is overwritten. An ingest writes new record versions (a changed
//    row, a tombstone for a row that disappeared from a re-submitted package
//    of the same name); old versions stay readable through history() and
//    load_package(as_of).
//  - Every write (ingest, lock, unlock, signoff) is one SQLite transaction
//    (BEGIN IMMEDIATE .. COMMIT, WAL, synchronous=FULL): after a crash at any
//    point the file holds all of it or none of it.
//  - Ingesting content the ledger already holds changes nothing: no version,
//    no batch, no audit entry (IngestResult::batch_id is 0).
//  - Every write appends one audit entry; entry_hash = SHA-256(prev_hash ||
//    payload), so verify() can detect any edit, deletion or reordering of
//    entries, record versions or batches short of rewriting the whole tail of
//    the chain, and with an expected head (kept outside the file) that too.
//  - An ingest that would write a version touching a locked year is refused
//    whole; nothing of it is written.
//  - load_package() is deterministic: rows in the order they were first
//    ingested (first batch, then position in that batch).
//
// A Ledger is not thread-safe; use one per thread. Do not carry an open
// Ledger across fork().
//
// Fault injection (for the crash tests; never set in production): the
// environment variable ASSAY_FAULT_INGEST makes ingest() kill its own process
// with SIGKILL at a chosen point inside the write:
//    rows:N          after the N-th record version row was inserted
//    before_commit   after everything was written, just before COMMIT
//    after_commit    just after COMMIT returned
// ASSAY_FAULT_LOCK = before_commit | after_commit does the same for lock().
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/date.hpp"
#include "model/records.hpp"
#include "units/status.hpp"

namespace assay {

namespace ledger_internal {
class Database;
}

// Who changes the ledger, why, and the clock that stamps it.
struct ChangeOptions {
  std::string user;
  std::string reason;
  // Seconds since the epoch, UTC. Empty: the system clock. Stamps never go
  // backwards: a stamp earlier than the last batch's is raised to it.
  std::function<int64_t()> clock;
};
using IngestOptions = ChangeOptions;

struct IngestResult {
  int64_t batch_id = 0;  // 0: nothing changed, nothing written
  int64_t created_at = 0;
  uint64_t inserted = 0;    // keys new to the ledger (or re-created after a tombstone)
  uint64_t updated = 0;     // keys whose content changed: a new version
  uint64_t tombstoned = 0;  // keys of this package name absent from the package
  uint64_t unchanged = 0;   // keys whose latest version has the same content
  std::string audit_hash;   // entry_hash of the ingest's audit entry ("" if none)
};

// One version of one record, with the batch that wrote it.
struct RecordVersion {
  std::string table;  // "activities", "sites", ... (docs/ledger-schema.md)
  std::string key;
  int64_t version = 0;
  bool tombstone = false;
  std::string content;  // canonical JSON; "null" for a tombstone
  std::string content_hash;
  SourceRef source;
  int64_t batch_id = 0;
  std::string package_name;
  std::string user;
  std::string reason;
  int64_t created_at = 0;
};

struct VerifyResult {
  bool ok = true;
  int64_t entries = 0;     // audit entries checked
  int64_t batches = 0;     // batches recomputed
  int64_t versions = 0;    // record versions rehashed
  std::string head;        // entry_hash of the last entry (64 zeros if none)
  int64_t failed_seq = 0;  // audit entry where the first mismatch was found (0: none/head)
  std::string reason;      // what did not match, for a person
};

struct PeriodLock {
  int year = 0;
  std::string locked_by;
  int64_t locked_at = 0;
};

class Ledger {
 public:
  // Opens or creates the ledger at `path`, applying pending schema migrations
  // (PRAGMA user_version). Refuses a file that is not an Assay ledger or has
  // a newer schema than this build knows.
  static Status open(const std::string& path, std::unique_ptr<Ledger>* out);
  ~Ledger();
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  // Writes `package` as one batch (see the invariants above). `content_hash`
  // is the package reader's hash of the input files, recorded with the batch.
  Status ingest(const Package& package, const std::string& content_hash,
                const IngestOptions& options, IngestResult* result);

  // The records as they stood at `as_of` (inclusive; nullopt: now): the
  // latest non-tombstone version of each key from batches created at or
  // before it. An empty ledger (or as_of before the first batch) gives an
  // empty Package.
  Status load_package(std::optional<int64_t> as_of_unix_seconds, Package* out);

  // Every version of `key`, oldest first, in `table` or (table empty) in any
  // table. Keys of composite tables are JSON arrays of strings, e.g.
  // ["2024","headcount","gender","female"].
  Status history(const std::string& table, const std::string& key, std::vector<RecordVersion>* out);

  // Recomputes the audit chain, every batch's records hash and every record
  // version's content hash. A mismatch is reported in `result` (the Status
  // is for failures to read the file). With `expected_head`, the chain must
  // contain an entry with that hash (a head published at sign-off); a
  // truncated or rewritten log fails.
  Status verify(const std::optional<std::string>& expected_head, VerifyResult* result);

  // Period locks: after lock(year), ingests touching `year` are refused
  // until unlock(year) (which needs a reason). Both are audited.
  Status lock(int year, const ChangeOptions& options);
  Status unlock(int year, const ChangeOptions& options);
  Status locks(std::vector<PeriodLock>* out);

  // Records that `user` approved the calc run `run_hash` for `year`; returns
  // the chain head after the sign-off entry, to be kept outside the ledger.
  Status signoff(int year, const std::string& run_hash, const ChangeOptions& options,
                 std::string* chain_head);

  // entry_hash of the last audit entry (64 zeros for an empty log).
  Status chain_head(std::string* out);

 private:
  explicit Ledger(std::unique_ptr<ledger_internal::Database> db);
  std::unique_ptr<ledger_internal::Database> db_;
};

}  // namespace assay

namespace assay {

// format_utc_timestamp() is in model/date.hpp.

// The identity of a package's records as calc sees them:
// "records-sha256:<hex>", SHA-256 over every record's table, key, content
// and source (file, line), in table order and record order
// (docs/ledger-schema.md, "Records identity"). A package read from its files
// and the same records loaded back from the ledger have the same identity,
// so the run hash computed from it is the same for both. `max_threads` (0:
// the machine's cores, at most 4) never changes the result, only the speed:
// calc hashes on one thread beside its own work.
std::string records_identity(const Package& package, unsigned max_threads = 0);

}  // namespace assay
