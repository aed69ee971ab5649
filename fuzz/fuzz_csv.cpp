// Fuzzes the CSV reader and the activities/sites validation behind it: any
// bytes must give records whose raw bytes tile the input, and never crash.
#include <cstdint>
#include <string>

#include "package/csv_reader.hpp"
#include "package/quarantine.hpp"
#include "package/table_reader.hpp"
#include "package/tables.hpp"

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
  return 0;
}
