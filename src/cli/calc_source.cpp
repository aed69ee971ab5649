#include "cli/calc_source.hpp"

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "ledger/ledger.hpp"
#include "model/date.hpp"
#include "units/sha256.hpp"

namespace assay::cli {

namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Reads exactly `n` digits at `pos`.
bool take_number(std::string_view s, size_t* pos, size_t n, int* out) {
  if (*pos + n > s.size() || !all_digits(s.substr(*pos, n))) return false;
  *out = std::stoi(std::string(s.substr(*pos, n)));
  *pos += n;
  return true;
}

}  // namespace

Status parse_as_of(const std::string& text, int64_t* out) {
  const std::string_view s(text);
  if (all_digits(s) && s.size() <= 18) {
    *out = std::stoll(text);
    return Status::ok();
  }
  const Status bad = Status::error(
      "--as-of '" + text +
      "' is not a time: give seconds since the epoch or ISO 8601, e.g. 2025-03-01T09:30:00Z, "
      "2025-03-01T17:30:00+08:00 or 2025-03-01 (the end of that day, UTC)");
  if (s.size() < 10) return bad;
  auto date = parse_date(std::string(s.substr(0, 10)));
  if (!date) return bad;
  const int64_t day_start = static_cast<int64_t>(date->days) * 86400;
  if (s.size() == 10) {
    *out = day_start + 86399;
    return Status::ok();
  }
  size_t pos = 10;
  if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return bad;
  ++pos;
  int hh = 0, mm = 0, ss = 0;
  if (!take_number(s, &pos, 2, &hh) || pos >= s.size() || s[pos] != ':') return bad;
  ++pos;
  if (!take_number(s, &pos, 2, &mm)) return bad;
  if (pos < s.size() && s[pos] == ':') {
    ++pos;
    if (!take_number(s, &pos, 2, &ss)) return bad;
    // Fractions of a second: the ledger's clock has whole seconds; truncate.
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
      ++pos;
      size_t start = pos;
      while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) ++pos;
      if (pos == start) return bad;
    }
  }
  if (hh > 23 || mm > 59 || ss > 60) return bad;
  int64_t offset = 0;
  if (pos < s.size()) {
    if ((s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size()) {
      ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
      const int sign = s[pos] == '-' ? -1 : 1;
      ++pos;
      int oh = 0, om = 0;
      if (!take_number(s, &pos, 2, &oh)) return bad;
      if (pos < s.size() && s[pos] == ':') ++pos;
      if (pos < s.size() && !take_number(s, &pos, 2, &om)) return bad;
      if (pos != s.size() || oh > 23 || om > 59) return bad;
      offset = sign * (oh * 3600 + om * 60);
    } else {
      return bad;
    }
  }
  if (pos != s.size()) return bad;
  *out = day_start + hh * 3600 + mm * 60 + ss - offset;
  return Status::ok();
}

Status load_calc_source(const CalcSource& source, const ReadOptions& options,
                        PackageReadResult* out) {
  if (!source.db.empty()) {
    if (!std::filesystem::exists(source.db)) return Status::error("no ledger at " + source.db);
    std::unique_ptr<Ledger> ledger;
    Status s = Ledger::open(source.db, &ledger);
    if (!s) return s;
    *out = PackageReadResult{};
    s = ledger->load_package(source.as_of, &out->package);
    if (!s) return s;
    if (out->package.manifest.name.empty()) {
      return Status::error(source.as_of ? "the ledger " + source.db + " held no package at " +
                                              format_utc_timestamp(*source.as_of)
                                        : "the ledger " + source.db + " is empty");
    }
    return Status::ok();
  }
  return read_package(source.package, options, out);
}

std::string content_identity(const PackageReadResult& read, unsigned max_threads) {
  std::string identity = records_identity(read.package, max_threads);
  if (read.diagnostics.items().empty()) return identity;
  // The document lists these diagnostics: they are part of what the run says.
  std::string bytes = identity;
  for (const Diagnostic& d : read.diagnostics.items()) {
    bytes += std::string("\n") + (d.is_error() ? "E" : "W") + "\t" + d.code + "\t" + d.file + "\t" +
             std::to_string(d.line) + "\t" + std::to_string(d.column) + "\t" + d.message;
  }
  return "records+diagnostics-sha256:" + sha256_hex(bytes);
}

}  // namespace assay::cli
