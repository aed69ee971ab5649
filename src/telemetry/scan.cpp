#include "telemetry/scan.hpp"

#include <algorithm>
#include <cstring>
#include <optional>

#include "model/date.hpp"
#include "package/byte_source.hpp"
#include "package/csv_reader.hpp"
#include "units/decimal.hpp"

namespace assay::telemetry_internal {
namespace {

constexpr int32_t kNoMonth = INT32_MIN;

EnergyUnits pow10_units(int n) {
  EnergyUnits p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

// The hot per-meter state of one chunk.
struct Cursor {
  Reading first, last;
  EnergyUnits month_sum = 0;
  EnergyUnits hour_sum = 0;
  int64_t hour = kNoTime;
  int64_t run_len = 0;
  int64_t run_count = 0;
  int64_t min_len = INT64_MAX;
  int32_t month = kNoMonth;
  uint32_t next = 0;  // the meter that followed this one last time (a guess for the next row)
};

std::string quote_cell(std::string_view v) {
  return "\"" + std::string(v.substr(0, 80)) + (v.size() > 80 ? "...\"" : "\"");
}

// A time bucket of a timestamp: its UTC month and hour.
struct Bucket {
  int64_t ts;
  int32_t month;
  int64_t hour;
};

Bucket bucket_of(int64_t ts) {
  Date d{static_cast<int32_t>(floor_div(ts, 86400))};
  return Bucket{ts, d.year() * 12 + d.month() - 1, floor_div(ts, 3600)};
}

inline unsigned digit(char c) { return static_cast<unsigned>(static_cast<unsigned char>(c) - '0'); }

// YYYY-MM-DDTHH:MM:SSZ exactly; anything else goes to parse_timestamp.
inline bool fast_timestamp(const char* p, Bucket* out) {
  static constexpr int kDigits[] = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18};
  for (int i : kDigits) {
    if (digit(p[i]) > 9) return false;
  }
  if (p[4] != '-' || p[7] != '-' || p[10] != 'T' || p[13] != ':' || p[16] != ':' || p[19] != 'Z') {
    return false;
  }
  int y = static_cast<int>(digit(p[0]) * 1000 + digit(p[1]) * 100 + digit(p[2]) * 10 + digit(p[3]));
  int mo = static_cast<int>(digit(p[5]) * 10 + digit(p[6]));
  int d = static_cast<int>(digit(p[8]) * 10 + digit(p[9]));
  int hh = static_cast<int>(digit(p[11]) * 10 + digit(p[12]));
  int mi = static_cast<int>(digit(p[14]) * 10 + digit(p[15]));
  int ss = static_cast<int>(digit(p[17]) * 10 + digit(p[18]));
  if (!is_valid_civil(y, mo, d) || hh > 23 || mi > 59 || ss > 59) return false;
  int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  out->ts = days * 86400 + hh * 3600 + mi * 60 + ss;
  out->month = y * 12 + mo - 1;
  out->hour = floor_div(out->ts, 3600);
  return true;
}

class Scanner {
 public:
  Scanner(const ScanSettings& s, const std::string& file, ChunkResult* out)
      : s_(s), m_(*s.meters), file_(file), out_(out), cursors_(std::max<size_t>(m_.ids.size(), 1)) {
    out_->acc.init(m_.ids.size(), m_.groups);
  }

  // Fast path over whole lines; false when the file must go through the CSV reader.
  void scan(const char* p, const char* end) {
    int64_t line = 0;
    uint32_t prev = 0;
    char cached_ts[20] = {};
    bool have_cached = false;
    Bucket cached{kNoTime, 0, 0};
    while (p < end) {
      ++line;
      // ts (20 bytes) ',' meter ',' value '\n': needs at least 24 bytes.
      if (end - p >= 24 && p[20] == ',') {
        bool ts_ok = true;
        if (!have_cached || std::memcmp(p, cached_ts, 20) != 0) {
          Bucket b;
          if (fast_timestamp(p, &b)) {
            std::memcpy(cached_ts, p, 20);
            have_cached = true;
            cached = b;
          } else {
            ts_ok = false;
          }
        }
        if (ts_ok) {
          const char* id = p + 21;
          const char* q = id;
          while (q < end && *q != ',' && *q != '\n' && *q != '"') ++q;
          if (q < end && *q == ',') {
            std::string_view idv(id, static_cast<size_t>(q - id));
            uint32_t meter = cursors_[prev].next;
            if (meter >= m_.ids.size() || m_.ids[meter] != idv) {
              const uint32_t* found = m_.index.find(idv);
              meter = found ? *found : UINT32_MAX;
              if (found) cursors_[prev].next = meter;
            }
            if (meter != UINT32_MAX) {
              // value: up to 15 digits, optionally '.' and 1..3 digits
              const char* v = q + 1;
              uint64_t mant = 0;
              int n = 0;
              while (v < end && digit(*v) <= 9 && n < 16) {
                mant = mant * 10 + digit(*v++);
                ++n;
              }
              int dec = 0;
              bool ok = n > 0 && n <= 15;
              if (ok && v < end && *v == '.') {
                ++v;
                while (v < end && digit(*v) <= 9 && dec < 4) {
                  mant = mant * 10 + digit(*v++);
                  ++dec;
                }
                ok = dec >= 1 && dec <= 3;
              }
              if (ok && v < end && *v == '\r') ++v;
              if (ok && (v == end || *v == '\n')) {
                EnergyUnits units = static_cast<EnergyUnits>(mant) * m_.scale[meter * 4 + dec];
                accept(meter, cached, units, line);
                prev = meter;
                p = v == end ? v : v + 1;
                continue;
              }
            }
          }
        }
      }
      // Not of the common form: split the line and use the general parsers.
      const char* eol =
          static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
      if (!eol) eol = end;
      std::string_view text(p, static_cast<size_t>(eol - p));
      p = eol == end ? end : eol + 1;
      if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
      if (text.empty()) continue;
      if (text.find('"') != std::string_view::npos) {
        out_->needs_general = true;
        return;
      }
      std::string_view cells[3];
      size_t count = 0;
      size_t start = 0;
      for (;;) {
        size_t comma = text.find(',', start);
        if (count < 3) cells[count] = text.substr(start, comma - start);
        ++count;
        if (comma == std::string_view::npos) break;
        start = comma + 1;
      }
      if (count != 3) {
        error(
            line, 0, "field_count",
            "a reading has " + std::to_string(count) + " fields (expected 3: ts, meter_id, value)");
        continue;
      }
      general_row(cells[0], cells[1], cells[2], line);
    }
    out_->lines = line;
  }

  // One row given as cells (general path).
  void general_row(std::string_view ts_text, std::string_view id, std::string_view value_text,
                   int64_t line) {
    ++out_->readings;
    bool bad = false;
    std::optional<int64_t> ts;
    if (ts_text.empty()) {
      error(line, 1, "required_missing",
            "ts is empty (expected an ISO 8601 timestamp with Z or an offset)");
      bad = true;
    } else if (!(ts = parse_timestamp(ts_text))) {
      error(line, 1, "timestamp_invalid",
            "ts " + quote_cell(ts_text) +
                " is not a timestamp (expected ISO 8601 with Z or an offset, e.g. "
                "2024-01-01T00:15:00Z)");
      bad = true;
    }
    const uint32_t* meter = nullptr;
    if (id.empty()) {
      error(line, 2, "required_missing", "meter_id is empty (expected a meter_id of meters.csv)");
      bad = true;
    } else if (!(meter = m_.index.find(id))) {
      error(line, 2, "meter_unknown",
            "meter_id " + quote_cell(id) + " is not a meter of meters.csv");
      bad = true;
    }
    EnergyUnits units = 0;
    if (value_text.empty()) {
      error(line, 3, "required_missing",
            "value is empty (expected a cumulative register reading >= 0)");
      bad = true;
    } else if (meter) {
      bool negative = false;
      if (!parse_energy(value_text, m_.unit_pow[*meter], &units, &negative)) {
        if (negative) {
          error(line, 3, "number_negative",
                "value " + quote_cell(value_text) + " is negative (expected a value >= 0)");
        } else {
          error(
              line, 3, "number_invalid",
              "value " + quote_cell(value_text) +
                  " is not a number (expected digits with '.' as the decimal point, e.g. 1234.5)");
        }
        bad = true;
      }
    }
    if (bad) return;
    --out_->readings;  // accept() counts it
    accept(*meter, bucket_of(*ts), units, line);
  }

  void finish() {
    for (uint32_t m = 0; m < m_.ids.size(); ++m) {
      Cursor& c = cursors_[m];
      if (c.first.ts == kNoTime) continue;
      MeterTotals& t = out_->acc.meters[m];
      if (c.month != kNoMonth) t.add_month(c.month, c.month_sum);
      if (c.hour != kNoTime) out_->acc.hours.add(m_.group[m], c.hour, c.hour_sum);
      if (c.run_count) t.add_length(c.run_len, c.run_count);
      out_->segments.push_back(Segment{m, c.first, c.last});
    }
  }

 private:
  inline void accept(uint32_t m, const Bucket& b, EnergyUnits value, int64_t line) {
    ++out_->readings;
    Cursor& c = cursors_[m];
    if (c.last.ts == kNoTime) {
      c.first = c.last = Reading{b.ts, value, line};
      return;
    }
    if (b.ts <= c.last.ts) {
      reject(m, c, b.ts, value, line);
      return;
    }
    EnergyUnits e = value - c.last.value;
    if (e < 0) e = value;  // register reset: the new reading is the energy since the reset
    int64_t len = b.ts - c.last.ts;
    if (b.month != c.month) {
      if (c.month != kNoMonth) out_->acc.meters[m].add_month(c.month, c.month_sum);
      c.month = b.month;
      c.month_sum = 0;
    }
    c.month_sum += e;
    if (s_.hourly) {
      if (b.hour != c.hour) {
        if (c.hour != kNoTime) out_->acc.hours.add(m_.group[m], c.hour, c.hour_sum);
        c.hour = b.hour;
        c.hour_sum = 0;
      }
      c.hour_sum += e;
    }
    if (len != c.run_len) {
      if (c.run_count) out_->acc.meters[m].add_length(c.run_len, c.run_count);
      c.run_len = len;
      c.run_count = 0;
    }
    ++c.run_count;
    if (s_.gap_threshold) {
      if (len > s_.gap_threshold[m]) out_->acc.candidates.push_back({m, c.last.ts, b.ts});
    } else {
      if (len < c.min_len) c.min_len = len;
      if (len > 2 * c.min_len) out_->acc.candidates.push_back({m, c.last.ts, b.ts});
    }
    c.last = Reading{b.ts, value, line};
  }

  void reject(uint32_t m, const Cursor& c, int64_t ts, EnergyUnits value, int64_t line) {
    const std::string& id = m_.ids[m];
    if (ts < c.last.ts) {
      error(line, 1, "readings_out_of_order",
            "reading of meter " + id + " at " + format_utc_timestamp(ts) + " comes after one at " +
                format_utc_timestamp(c.last.ts) + " (line @" + std::to_string(c.last.line) +
                "; expected rows of a meter in time order)");
    } else if (value != c.last.value) {
      error(line, 3, "duplicate_timestamp",
            "meter " + id + " has two readings at " + format_utc_timestamp(ts) +
                " with different values (the other on line @" + std::to_string(c.last.line) + ")");
    } else {
      Diagnostic d;
      d.severity = Severity::kWarning;
      d.file = file_;
      d.line = line;
      d.column = 1;
      d.code = "duplicate_reading";
      d.message = "reading of meter " + id + " at " + format_utc_timestamp(ts) + " repeats line @" +
                  std::to_string(c.last.line) + "; counted once";
      out_->diagnostics.push_back(std::move(d));
    }
  }

  void error(int64_t line, int32_t column, std::string code, std::string message) {
    Diagnostic d;
    d.file = file_;
    d.line = line;
    d.column = column;
    d.code = std::move(code);
    d.message = std::move(message);
    out_->diagnostics.push_back(std::move(d));
  }

  const ScanSettings& s_;
  const MeterTable& m_;
  const std::string& file_;
  ChunkResult* out_;
  std::vector<Cursor> cursors_;
};

}  // namespace

bool parse_energy(std::string_view text, int unit_pow, EnergyUnits* out, bool* negative) {
  *negative = false;
  auto d = Decimal::parse(text);
  if (!d) return false;
  if (d->is_negative()) {
    *negative = true;
    return false;
  }
  // value = c x 10^e (unit) = c x 10^(e + unit_pow + 12) units
  __int128 c = d->coefficient();
  int64_t shift = static_cast<int64_t>(d->exponent()) + unit_pow + kEnergyDecimals;
  if (shift >= 0) {
    for (int64_t i = 0; i < shift; ++i) {
      if (c > (static_cast<__int128>(1) << 120) / 10) return false;  // beyond any register
      c *= 10;
    }
  } else {
    // Finer than 1e-12 kWh: round half to even, once per reading.
    if (shift < -38) {
      *out = 0;
      return true;
    }
    __int128 p = pow10_units(static_cast<int>(-shift));
    __int128 q = c / p, r = c % p;
    if (2 * r > p || (2 * r == p && (q & 1))) ++q;
    c = q;
  }
  *out = c;
  return true;
}

void scan_lines(const ScanSettings& settings, const std::string& file, const char* begin,
                const char* end, ChunkResult* out) {
  Scanner s(settings, file, out);
  s.scan(begin, end);
  if (!out->needs_general) s.finish();
}

void scan_csv(const ScanSettings& settings, const std::string& file, ByteSource* source,
              ChunkResult* out) {
  Scanner s(settings, file, out);
  CsvReader reader(source);
  CsvRecord rec;
  int cols[3] = {-1, -1, -1};
  bool header = true;
  auto cell = [&](int i) -> std::string_view {
    return i >= 0 && static_cast<size_t>(i) < rec.fields.size()
               ? rec.fields[static_cast<size_t>(i)].value
               : std::string_view();
  };
  while (reader.next(&rec)) {
    out->lines = rec.line;
    if (rec.has_error) {
      Diagnostic d;
      d.file = file;
      d.line = rec.line;
      d.column = rec.error_column;
      d.code = rec.error_code;
      d.message = rec.error_message;
      out->diagnostics.push_back(std::move(d));
      header = false;
      continue;
    }
    if (header) {
      header = false;
      static constexpr std::string_view kNames[] = {"ts", "meter_id", "value"};
      for (size_t i = 0; i < rec.fields.size(); ++i) {
        for (int k = 0; k < 3; ++k) {
          if (rec.fields[i].value == kNames[k]) cols[k] = static_cast<int>(i);
        }
      }
      for (int k = 0; k < 3; ++k) {
        if (cols[k] < 0) {
          Diagnostic d;
          d.file = file;
          d.line = rec.line;
          d.code = "column_missing";
          d.message = "the header has no column " + std::string(kNames[k]) +
                      " (expected ts, meter_id, value)";
          out->diagnostics.push_back(std::move(d));
          return;
        }
      }
      continue;
    }
    s.general_row(cell(cols[0]), cell(cols[1]), cell(cols[2]), rec.line);
  }
  if (!reader.status()) out->status = reader.status();
  s.finish();
}

}  // namespace assay::telemetry_internal
