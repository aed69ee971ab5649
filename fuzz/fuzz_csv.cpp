// Fuzzes the CSV reader and the activities/sites validation behind it: any
// bytes must give records whose raw bytes tile the input, and never crash;
// read in parts on several threads, the same diagnostics and records.
#include <cstdint>
#include <string>

#include "package/csv_reader.hpp"
#include "package/quarantine.hpp"
#include "package/split_reader.hpp"
#include "package/table_reader.hpp"
#include "package/tables.hpp"

namespace {

// activities read from `bytes` by one reader (threads 1) or in parts of a
// byte or more on several threads: what comes out, as text to compare.
std::string read_activities(const std::string& bytes, size_t limit, unsigned threads) {
  assay::Package package;
  assay::ReadContext ctx;
  ctx.package = &package;
  ctx.years = {2023, 2024};
  ctx.known_gases = {"CO2", "HFC-134a", "R-410A"};
  ctx.site_index.insert("S1", assay::ReadContext::SiteEntry{0, package.keep("S1").data()});
  assay::DiagnosticSink sink;
  assay::Quarantine quarantine("", false);
  auto handler = assay::make_handler("activities", &ctx);
  auto src = assay::make_string_source(bytes);
  assay::CsvReader reader(src.get(), limit);
  assay::TableInput input;
  input.label = "activities.csv";
  input.quarantine_name = "activities.csv";
  input.next = [&](assay::CsvRecord* r) { return reader.next(r); };
  input.peek_line = [&] { return reader.peek_line(); };
  input.set_overflow_sink = [&](std::function<void(std::string_view)> sink_fn) {
    reader.set_overflow_sink(std::move(sink_fn));
  };
  assay::TableStats stats;
  if (threads == 1) {
    stats = assay::read_table(input, *handler, &sink, &quarantine);
  } else {
    assay::OpenAt open_at = [&](uint64_t offset, std::unique_ptr<assay::ByteSource>* out) {
      *out = assay::make_string_source(bytes.substr(offset));
      return assay::Status::ok();
    };
    stats = assay::read_table_split(input, reader, bytes.size(), open_at, *handler, &sink,
                                    &quarantine, assay::SplitOptions{threads, 1});
  }
  std::string out = std::to_string(stats.rows) + " " + std::to_string(stats.rejected) + "\n";
  for (const auto& d : sink.items()) {
    out += d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + " " + d.code +
           " " + d.message + "\n";
  }
  for (const auto& r : package.activities) {
    out += std::string(r.record_id) + "|" + r.quantity.to_string() + "|" + std::string(r.note) +
           "|" + std::to_string(r.source.line) + "\n";
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  // A small line limit reaches the too-long path with small inputs.
  constexpr size_t kLimit = 64;
  {
    auto src = assay::make_string_source(bytes);
    assay::CsvReader reader(src.get(), kLimit);
    size_t covered = 0;
    reader.set_overflow_sink([&](std::string_view chunk) { covered += chunk.size(); });
    assay::CsvRecord rec;
    while (reader.next(&rec)) {
      covered += rec.raw.size();
      for (const auto& f : rec.fields) {
        if (f.value.size() > size) __builtin_trap();
      }
    }
    if (covered > size) __builtin_trap();
    if (reader.bytes_consumed() != size) __builtin_trap();
  }
  // Through the table layer: sites then activities from the same bytes.
  assay::Package package;
  assay::ReadContext ctx;
  ctx.package = &package;
  ctx.years = {2023, 2024};
  ctx.known_gases = {"CO2", "HFC-134a", "R-410A"};
  assay::DiagnosticSink sink;
  assay::Quarantine quarantine("", false);
  for (const char* table : {"sites", "activities", "workforce"}) {
    auto handler = assay::make_handler(table, &ctx);
    auto src = assay::make_string_source(bytes);
    assay::CsvReader reader(src.get(), kLimit);
    assay::TableInput input;
    input.label = table;
    input.quarantine_name = table;
    input.next = [&](assay::CsvRecord* r) { return reader.next(r); };
    assay::read_table(input, *handler, &sink, &quarantine);
  }
  // Reading in parts on several threads gives what one reader gives.
  const std::string one = read_activities(bytes, kLimit, 1);
  if (read_activities(bytes, kLimit, 3) != one) __builtin_trap();
  return 0;
}
