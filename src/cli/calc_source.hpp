// Where `assay calc`, `explain`, `sample` and `diff` take their records from:
// a data package (folder or .zip), or a ledger as it stood at a time.
//
// Either way the result is a Package plus its content identity, which the
// run hash is computed from: records_identity() (ledger.hpp) over the
// records calc sees, so a package and the ledger holding the same records in
// the same order give the same run hash and byte-identical figures. Reading
// a package with diagnostics (rejected rows, warnings) mixes those into the
// identity, since they are part of the calc document too.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "package/package_reader.hpp"
#include "units/status.hpp"

namespace assay::cli {

struct CalcSource {
  std::string package;           // a package folder or .zip, or
  std::string db;                // a ledger file
  std::optional<int64_t> as_of;  // with db: the ledger as it stood then (inclusive)
};

// `--as-of`: seconds since the epoch ("1735689600"), or ISO 8601 in UTC or
// with an offset: "2025-03-01T09:30:00Z", "2025-03-01T09:30+08:00",
// "2025-03-01 09:30:00". A date alone ("2025-03-01") means the end of that
// day in UTC (23:59:59Z): the ledger as it stood on that date.
Status parse_as_of(const std::string& text, int64_t* out);

// Fills out->package (and, for a package, diagnostics, counts and the file
// content hash; for a ledger these stay empty).
Status load_calc_source(const CalcSource& source, const ReadOptions& options,
                        PackageReadResult* out);

// What the run hash covers: records_identity() of the package, mixed with the
// reader's diagnostics when there are any. A pure function of `read`
// (`max_threads` as records_identity()).
std::string content_identity(const PackageReadResult& read, unsigned max_threads = 0);

}  // namespace assay::cli
