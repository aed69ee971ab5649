// CsvReader: streams RFC 4180 records out of a ByteSource.
//
// Contract (spec/data-package.md, "Text rules"): UTF-8 with an optional BOM
// (ignored), LF or CRLF line ends, comma separator, double-quote quoting with
// "" for a quote inside a quoted field, quoted fields may hold newlines.
//
// Invariants a caller may rely on:
//  - Every byte of the input after the BOM belongs to exactly one record's
//    `raw` bytes (or is an empty line, which is skipped), so bad records can
//    be quarantined byte for byte. A record too long to hold is not kept in
//    memory: its bytes go to the overflow sink instead (`raw_streamed`).
//  - A physical line longer than `max_line_bytes` is reported without reading
//    the rest of the file into memory; memory stays bounded by a few times
//    that limit whatever the input.
//  - A syntax error (stray quote, unbalanced quote, bad UTF-8) is reported on
//    the record it occurs in; reading resumes at the next physical line, so
//    one broken line does not take the rest of the file with it.
//  - Field views stay valid until the next call to next().
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "package/byte_source.hpp"
#include "units/status.hpp"

namespace assay {

constexpr size_t kMaxLineBytes = 1048576;  // spec: a longer physical line is an error

struct CsvField {
  std::string_view value;  // unescaped
  bool quoted = false;
};

struct CsvRecord {
  int64_t line = 0;           // physical line of the record's first byte (1-based)
  std::string_view raw;       // the record's original bytes, line ending included
  bool raw_streamed = false;  // too long: raw bytes went to the overflow sink
  std::vector<CsvField> fields;
  // First syntax problem of the record, if any.
  bool has_error = false;
  int32_t error_column = 0;  // 1-based field position
  std::string error_code;
  std::string error_message;
};

// Where a reader starts when it reads a part of a file (split_reader): the
// byte offset of a line start and that line's number. The BOM is only looked
// for at offset 0.
struct CsvStart {
  uint64_t offset = 0;
  int64_t line = 1;
};

class CsvReader {
 public:
  explicit CsvReader(ByteSource* source, size_t max_line_bytes = kMaxLineBytes);
  // `source` yields the file's bytes from `start.offset` on.
  CsvReader(ByteSource* source, size_t max_line_bytes, CsvStart start);

  // Next record; false at the end of input or on an I/O error (see status()).
  bool next(CsvRecord* record);
  const Status& status() const { return status_; }
  // Receives, in order, the bytes of records too long to keep in memory.
  void set_overflow_sink(std::function<void(std::string_view)> sink) {
    overflow_ = std::move(sink);
  }
  uint64_t bytes_consumed() const { return consumed_; }
  // The next physical line as far as it is already buffered (empty if it is
  // not): a hint for prefetching, valid until the next call to next().
  std::string_view peek_line() const;
  bool had_bom() const { return had_bom_; }
  // Makes next() return false, without consuming anything, when the next
  // record would begin exactly at byte `offset` (after any empty lines): the
  // proof that a record boundary of this reading lies there. A record that
  // spans `offset` is returned whole and the reader goes on to the end.
  void stop_at(uint64_t offset) {
    stop_at_ = offset;
    stopped_ = false;
  }
  void clear_stop() {
    stop_at_ = UINT64_MAX;
    stopped_ = false;
  }
  bool stopped() const { return stopped_; }
  int64_t line() const { return line_; }  // line of the next byte to read
  size_t max_line_bytes() const { return max_line_; }

 private:
  enum class Scan { kComplete, kNeedMore, kTooLong, kUnclosedAtEof };
  bool fill();  // reads more; false if nothing more
  Scan scan_record(CsvRecord* record, size_t* record_end);
  void finish_record(CsvRecord* record, size_t record_end);
  void skip_too_long(CsvRecord* record);
  void check_utf8(CsvRecord* record);

  ByteSource* source_;
  size_t max_line_;
  std::vector<char> buf_;
  size_t pos_ = 0;  // start of unconsumed data
  size_t end_ = 0;  // end of valid data
  bool eof_ = false;
  bool started_ = false;
  bool had_bom_ = false;
  int64_t line_ = 1;
  uint64_t consumed_ = 0;
  uint64_t stop_at_ = UINT64_MAX;
  bool stopped_ = false;
  std::string scratch_;  // unescaped quoted fields
  Status status_;
  std::function<void(std::string_view)> overflow_;
};

}  // namespace assay
