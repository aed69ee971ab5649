// Reading one big CSV table on several threads, with the very output of one
// reader: the same records, diagnostics (lines, columns, messages, order),
// quarantined bytes and reasons.
//
// The rows after the header are cut into parts at line starts. The first part
// is read on the calling thread, each other part on its own thread by a
// worker handler (RowHandler::fork) into its own records, diagnostics and
// in-memory quarantine; no part looks ids up while it reads. The parts are
// used only when the whole is provably what the single reader produces:
//  - the reading of each part stopped exactly at the next part's first byte
//    (CsvReader::stop_at), i.e. a record boundary of the single reading lies
//    there: no quoted field, long line or syntax-error resumption spans it. A
//    line start inside a quoted field is therefore never trusted, only tried
//    and thrown away;
//  - each part's first line number (counted) equals the line the part before
//    ended on;
//  - no id checked by a row of the table equals the id of a kept row
//    (RowHandler::settle_parts, once over the whole table): the only way rows
//    depend on earlier rows.
// Otherwise the table is read again from its first row on the calling thread
// by the main handler: the single reader's path. Parts are merged in file
// order.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "package/byte_source.hpp"
#include "package/csv_reader.hpp"
#include "package/table_reader.hpp"

namespace assay {

struct SplitOptions {
  unsigned threads = 1;                 // parts read at once, the calling thread included
  uint64_t min_chunk_bytes = 8u << 20;  // no part smaller than this
};

// std::thread::hardware_concurrency(), at least 1 and at most 8.
unsigned default_read_threads();

// Opens the table's file again with its own descriptor, from `offset` on.
using OpenAt = std::function<Status(uint64_t offset, std::unique_ptr<ByteSource>*)>;

// read_table() for a CSV file of `size` bytes read by `reader` (from offset 0)
// behind `input`. When the reader stops early, the bytes after its stop were
// not read through it: a caller that hashes what the reader reads must read
// the rest of its source itself.
TableStats read_table_split(TableInput& input, CsvReader& reader, uint64_t size,
                            const OpenAt& open_at, RowHandler& handler, DiagnosticSink* sink,
                            Quarantine* quarantine, const SplitOptions& options);

}  // namespace assay
