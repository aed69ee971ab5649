#include "package/csv_reader.hpp"

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "package/utf8.hpp"

namespace assay {
namespace {

constexpr size_t kInitialBuffer = 1 << 18;
constexpr size_t kReadChunk = 1 << 20;

// Bytes that end an unquoted run: separator, line ends, quote.
struct SpecialTable {
  bool v[256] = {};
  constexpr SpecialTable() {
    v[static_cast<unsigned char>(',')] = true;
    v[static_cast<unsigned char>('\n')] = true;
    v[static_cast<unsigned char>('\r')] = true;
    v[static_cast<unsigned char>('"')] = true;
  }
};
constexpr SpecialTable kSpecial;

// The first byte at or after `i` (before `end`) that ends an unquoted run, or
// `end`. Sixteen bytes at a time where SSE2 is there (every x86-64): the
// byte-by-byte loop was the largest part of reading W2 (8%).
size_t skip_plain(const char* b, size_t i, size_t end) {
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"');
  const __m128i cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');
  for (; i + 16 <= end; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + i));
    const __m128i hit =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, quote)),
                     _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)));
    const auto mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(mask));
  }
#endif
  while (i < end && !kSpecial.v[static_cast<unsigned char>(b[i])]) ++i;
  return i;
}

}  // namespace

CsvReader::CsvReader(ByteSource* source, size_t max_line_bytes)
    : source_(source), max_line_(max_line_bytes) {
  buf_.resize(kInitialBuffer);
}

CsvReader::CsvReader(ByteSource* source, size_t max_line_bytes, CsvStart start)
    : CsvReader(source, max_line_bytes) {
  if (start.offset > 0) started_ = true;  // a BOM can only be at the start of the file
  consumed_ = start.offset;
  line_ = start.line;
}

bool CsvReader::fill() {
  if (eof_) return false;
  if (pos_ > 0) {
    std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  // A record may span up to four maximal lines before it is refused, plus
  // room for one read.
  const size_t limit = 4 * max_line_ + kReadChunk;
  if (buf_.size() - end_ < kReadChunk / 4 && buf_.size() < limit) {
    buf_.resize(std::min(limit, buf_.size() * 2));
  }
  if (end_ == buf_.size()) return false;  // full: caller treats as too long
  size_t want = std::min(buf_.size() - end_, kReadChunk);
  size_t got = source_->read(buf_.data() + end_, want, &status_);
  if (!status_.is_ok()) {
    eof_ = true;
    return false;
  }
  if (got == 0) {
    eof_ = true;
    return false;
  }
  end_ += got;
  if (!started_) {
    started_ = true;
    // The BOM can only be judged once three bytes (or the end) are there.
    while (end_ < 3 && !eof_) {
      size_t more = source_->read(buf_.data() + end_, buf_.size() - end_, &status_);
      if (more == 0) break;
      end_ += more;
    }
    if (end_ >= 3 && std::memcmp(buf_.data(), "\xEF\xBB\xBF", 3) == 0) {
      pos_ = 3;
      consumed_ = 3;
      had_bom_ = true;
    }
  }
  return true;
}

CsvReader::Scan CsvReader::scan_record(CsvRecord* record, size_t* record_end) {
  const char* b = buf_.data();
  size_t i = pos_;
  size_t line_start = pos_;
  record->fields.clear();
  record->has_error = false;
  scratch_.clear();
  if (scratch_.capacity() < end_ - pos_) scratch_.reserve(end_ - pos_);
  auto set_error = [&](const char* code, std::string message) {
    if (record->has_error) return;
    record->has_error = true;
    record->error_column = static_cast<int32_t>(record->fields.size() + 1);
    record->error_code = code;
    record->error_message = std::move(message);
  };
  auto note_newline = [&](size_t at) -> bool {
    if (at - line_start > max_line_) return false;
    line_start = at + 1;
    return true;
  };
  for (;;) {
    if (i >= end_) {
      if (!eof_) return end_ - line_start > max_line_ ? Scan::kTooLong : Scan::kNeedMore;
      // End of input right after a separator: a last, empty field.
      record->fields.push_back({std::string_view(), false});
      if (end_ - line_start > max_line_) return Scan::kTooLong;
      *record_end = end_;
      return Scan::kComplete;
    }
    CsvField field;
    if (b[i] == '"') {
      field.quoted = true;
      size_t j = i + 1;
      bool escaped = false;
      size_t close;
      for (;;) {
        const void* q = std::memchr(b + j, '"', end_ - j);
        size_t stop = q ? static_cast<size_t>(static_cast<const char*>(q) - b) : end_;
        for (const char* nl = static_cast<const char*>(std::memchr(b + j, '\n', stop - j)); nl;
             nl = static_cast<const char*>(std::memchr(nl + 1, '\n', b + stop - (nl + 1)))) {
          if (!note_newline(static_cast<size_t>(nl - b))) return Scan::kTooLong;
        }
        if (!q) {
          if (!eof_) return end_ - line_start > max_line_ ? Scan::kTooLong : Scan::kNeedMore;
          return Scan::kUnclosedAtEof;
        }
        if (stop + 1 >= end_ && !eof_) return Scan::kNeedMore;
        if (stop + 1 < end_ && b[stop + 1] == '"') {
          escaped = true;
          j = stop + 2;
          continue;
        }
        close = stop;
        break;
      }
      if (escaped) {
        size_t start = scratch_.size();
        for (size_t k = i + 1; k < close; ++k) {
          scratch_.push_back(b[k]);
          if (b[k] == '"') ++k;  // "" -> "
        }
        field.value = std::string_view(scratch_.data() + start, scratch_.size() - start);
      } else {
        field.value = std::string_view(b + i + 1, close - i - 1);
      }
      i = close + 1;
      // After the closing quote only a separator or a line end may follow.
      if (i < end_ && b[i] == '\r' && i + 1 >= end_ && !eof_) return Scan::kNeedMore;
      bool at_end_of_field = i >= end_ || b[i] == ',' || b[i] == '\n' ||
                             (b[i] == '\r' && i + 1 < end_ && b[i + 1] == '\n');
      if (!at_end_of_field) {
        set_error("quote_text_after",
                  "text after the closing quote of a quoted field (expected , or end of line)");
        while (i < end_ && b[i] != ',' && b[i] != '\n') ++i;
        if (i >= end_ && !eof_) return Scan::kNeedMore;
      }
    } else {
      size_t start = i;
      for (;;) {
        i = skip_plain(b, i, end_);
        if (i >= end_) break;
        if (b[i] == '"') {
          set_error("quote_in_unquoted",
                    "a quote inside an unquoted field (expected the whole field in quotes, "
                    "with \"\" for a quote)");
          ++i;
          continue;
        }
        if (b[i] == '\r') {
          if (i + 1 >= end_ && !eof_) return Scan::kNeedMore;
          if (i + 1 < end_ && b[i + 1] == '\n') break;
          ++i;  // a lone CR is data
          continue;
        }
        break;  // ',' or '\n'
      }
      if (i >= end_ && !eof_)
        return end_ - line_start > max_line_ ? Scan::kTooLong : Scan::kNeedMore;
      field.value = std::string_view(b + start, i - start);
    }
    // Now at a separator, a line end or the end of input.
    if (i < end_ && b[i] == '\r') {
      if (i + 1 >= end_ && !eof_) return Scan::kNeedMore;
      if (i + 1 < end_ && b[i + 1] == '\n') ++i;  // CRLF: the CR is not data
    }
    record->fields.push_back(field);
    if (i >= end_) {
      if (end_ - line_start > max_line_) return Scan::kTooLong;
      *record_end = end_;
      return Scan::kComplete;
    }
    if (b[i] == ',') {
      ++i;
      continue;
    }
    // '\n'
    if (!note_newline(i)) return Scan::kTooLong;
    *record_end = i + 1;
    return Scan::kComplete;
  }
}

void CsvReader::finish_record(CsvRecord* record, size_t record_end) {
  record->line = line_;
  record->raw = std::string_view(buf_.data() + pos_, record_end - pos_);
  record->raw_streamed = false;
  line_ += std::count(record->raw.begin(), record->raw.end(), '\n');
  consumed_ += record_end - pos_;
  pos_ = record_end;
}

void CsvReader::skip_too_long(CsvRecord* record) {
  record->line = line_;
  record->raw = std::string_view();
  record->raw_streamed = true;
  record->fields.clear();
  record->has_error = true;
  record->error_column = 0;
  record->error_code = "line_too_long";
  record->error_message =
      "line longer than " + std::to_string(max_line_) + " bytes (the contract's limit)";
  // Stream bytes to the sink until the end of the physical line that overflowed.
  for (;;) {
    const char* b = buf_.data();
    const void* nl = std::memchr(b + pos_, '\n', end_ - pos_);
    size_t stop = nl ? static_cast<size_t>(static_cast<const char*>(nl) - b) + 1 : end_;
    std::string_view chunk(b + pos_, stop - pos_);
    if (overflow_) overflow_(chunk);
    line_ += std::count(chunk.begin(), chunk.end(), '\n');
    consumed_ += chunk.size();
    pos_ = stop;
    if (nl) return;
    pos_ = end_ = 0;
    if (!fill()) return;
  }
}

void CsvReader::check_utf8(CsvRecord* record) {
  if (record->has_error || is_ascii(record->raw)) return;
  for (size_t f = 0; f < record->fields.size(); ++f) {
    size_t bad = first_invalid_utf8(record->fields[f].value);
    if (bad != std::string_view::npos) {
      record->has_error = true;
      record->error_column = static_cast<int32_t>(f + 1);
      record->error_code = "encoding";
      record->error_message = "bytes that are not UTF-8 at byte " + std::to_string(bad + 1) +
                              " of the field (expected UTF-8 text)";
      return;
    }
  }
}

std::string_view CsvReader::peek_line() const {
  const void* nl = std::memchr(buf_.data() + pos_, '\n', end_ - pos_);
  if (!nl) return {};
  return std::string_view(buf_.data() + pos_, static_cast<const char*>(nl) - (buf_.data() + pos_));
}

bool CsvReader::next(CsvRecord* record) {
  if (!started_ && !fill()) return false;
  for (;;) {
    // Skip empty lines: they hold no record.
    while (true) {
      if (consumed_ == stop_at_) {
        stopped_ = true;
        return false;
      }
      if (pos_ >= end_ && !fill()) return false;
      if (pos_ < end_ && buf_[pos_] == '\n') {
        ++pos_;
        ++consumed_;
        ++line_;
        continue;
      }
      if (pos_ < end_ && buf_[pos_] == '\r') {
        if (pos_ + 1 >= end_ && !eof_) {
          fill();
          continue;
        }
        if (pos_ + 1 < end_ && buf_[pos_ + 1] == '\n') {
          pos_ += 2;
          consumed_ += 2;
          ++line_;
          continue;
        }
      }
      break;
    }
    if (pos_ >= end_) return false;
    size_t record_end = 0;
    Scan s = scan_record(record, &record_end);
    while (s == Scan::kNeedMore) {
      if (!fill() && !eof_) {
        s = Scan::kTooLong;  // buffer full: the record exceeds what may be held
        break;
      }
      s = scan_record(record, &record_end);
    }
    if (!status_.is_ok()) return false;
    switch (s) {
      case Scan::kComplete:
        finish_record(record, record_end);
        check_utf8(record);
        return true;
      case Scan::kTooLong:
        skip_too_long(record);
        return true;
      case Scan::kUnclosedAtEof: {
        // Only the record's first physical line is the bad row; the lines after
        // it are read again as records of their own.
        int32_t column = static_cast<int32_t>(record->fields.size() + 1);
        const void* nl = std::memchr(buf_.data() + pos_, '\n', end_ - pos_);
        size_t stop =
            nl ? static_cast<size_t>(static_cast<const char*>(nl) - buf_.data()) + 1 : end_;
        record->fields.clear();
        finish_record(record, stop);
        record->has_error = true;
        record->error_column = column;
        record->error_code = "unbalanced_quote";
        record->error_message =
            "a quoted field is never closed (expected a closing \" before the end of the file)";
        return true;
      }
      case Scan::kNeedMore:
        break;
    }
    return false;
  }
}

}  // namespace assay
