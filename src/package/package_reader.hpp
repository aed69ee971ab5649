// Reading a data package (spec/data-package.md) into the model.
//
// A package is a folder or a .zip of one. read_package() reads package.toml,
// every known CSV table and any .xlsx workbook whose sheets are named after
// tables, validates each row against the contract, keeps the good rows and
// writes each bad row verbatim to the quarantine folder with its reasons.
// Nothing is dropped silently: every rejected row has at least one error
// Diagnostic, and every error Diagnostic about a row has a quarantined row.
//
// Readings (readings/*.csv) are listed, not loaded: telemetry streams them.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "model/records.hpp"
#include "units/diagnostic.hpp"
#include "units/status.hpp"

namespace assay {

struct ReadOptions {
  // Where rejected rows go; empty means "<package>.quarantine" beside the package.
  std::string quarantine_dir;
  bool write_quarantine = true;
  // false: check every row but keep no records (assay validate); ids are
  // still remembered so duplicates are found.
  bool keep_records = true;
  // Called now and then with (bytes done, bytes total) while reading big tables.
  std::function<void(uint64_t, uint64_t)> progress;
  // false: readings/*.csv are listed in Package.reading_files but neither
  // validated nor hashed here (assay telemetry streams and checks them itself,
  // in parallel, by the same rules).
  bool stream_readings = true;
  // Threads that read a big CSV table of a folder package (activities.csv)
  // in parts at once; 0: std::thread::hardware_concurrency(), at most 8; 1:
  // one reader. The result is the same whatever the count (docs/data-package.md).
  unsigned read_threads = 0;
  // A table is cut into parts of at least this many bytes (tests use tiny parts).
  uint64_t min_chunk_bytes = 8u << 20;
  // false: no SHA-256 of the files (PackageReadResult::content_hash stays
  // empty). calc identifies its input by its records instead
  // (ledger/identity.hpp), and hashing W2's 830 MB of CSV cost its reader
  // 0.45 s of CPU, a quarter of a second on the critical path.
  bool hash_files = true;
};

struct PackageReadResult {
  Package package;
  DiagnosticSink diagnostics;
  // SHA-256 (hex) over the names and bytes of every input file, in name order:
  // the identity of what was read, which the ledger keeps with a batch.
  // Empty when ReadOptions::hash_files is false.
  std::string content_hash;
  uint64_t rows_read = 0;
  uint64_t rows_rejected = 0;
  // Parts of big tables read on other threads and used (the output is the same
  // either way; tests and benchmarks look at it).
  uint64_t parts_merged = 0;
  std::string quarantine_dir;  // where rejected rows were written ("" if none)
};

// Returns a non-ok Status only when the package cannot be read at all (path
// missing, not a folder or zip, package.toml unreadable as TOML); row and file
// problems are Diagnostics in `out`.
Status read_package(const std::string& path, const ReadOptions& options, PackageReadResult* out);

}  // namespace assay
