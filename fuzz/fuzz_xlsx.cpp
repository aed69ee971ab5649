// libFuzzer target: any bytes must give a Workbook or a Status, never a crash,
// a hang or unbounded memory.
//
// Mutating a real .xlsx mostly breaks its deflate streams or CRCs, so the XML
// inside is rarely reached. An input that starts with kPartsMagic is instead
// taken as the XML parts themselves, separated by kPartSeparator, and zipped
// here (stored) before reading: sheet, shared strings, styles, workbook,
// workbook relationships. Parts not given get a plain default.
#include <zip.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "package/xlsx_reader.hpp"

namespace {

constexpr std::string_view kPartsMagic = "XLSXPARTS\n";
constexpr std::string_view kPartSeparator = "\n--PART--\n";

constexpr std::string_view kDefaultWorkbook =
    "<workbook xmlns:r=\"r\"><sheets><sheet name=\"s\" r:id=\"rId1\"/></sheets></workbook>";
constexpr std::string_view kDefaultRels =
    "<Relationships>"
    "<Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"x/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"x/styles\" Target=\"/xl/styles.xml\"/>"
    "</Relationships>";

// Returns an empty string if libzip cannot build the archive.
std::string zip_parts(std::string_view text) {
  std::vector<std::string_view> parts;
  while (parts.size() < 4) {
    const size_t at = text.find(kPartSeparator);
    if (at == std::string_view::npos) break;
    parts.push_back(text.substr(0, at));
    text.remove_prefix(at + kPartSeparator.size());
  }
  parts.push_back(text);
  if (parts.size() < 4) parts.resize(4, std::string_view());
  if (parts[3].empty()) parts[3] = kDefaultWorkbook;
  if (parts.size() < 5) parts.push_back(kDefaultRels);
  static const char* const kNames[] = {"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
                                       "xl/styles.xml", "xl/workbook.xml",
                                       "xl/_rels/workbook.xml.rels"};

  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_error_fini(&error);
  if (out == nullptr) return {};
  zip_source_keep(out);
  zip_t* archive = zip_open_from_source(out, ZIP_TRUNCATE, nullptr);
  if (archive == nullptr) {
    zip_source_free(out);
    zip_source_free(out);
    return {};
  }
  for (size_t i = 0; i < parts.size(); ++i) {
    // Empty optional parts are left out, as a workbook without them would be.
    if (parts[i].empty() && (i == 1 || i == 2)) continue;
    zip_source_t* source = zip_source_buffer(archive, parts[i].data(), parts[i].size(), 0);
    if (source == nullptr) continue;
    const zip_int64_t index = zip_file_add(archive, kNames[i], source, ZIP_FL_OVERWRITE);
    if (index < 0) {
      zip_source_free(source);
      continue;
    }
    zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
  }
  std::string bytes;
  if (zip_close(archive) != 0) {
    zip_discard(archive);
  } else if (zip_source_open(out) == 0) {
    char buffer[4096];
    zip_int64_t n = 0;
    while ((n = zip_source_read(out, buffer, sizeof buffer)) > 0) {
      bytes.append(buffer, static_cast<size_t>(n));
    }
    zip_source_close(out);
  }
  zip_source_free(out);
  return bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  if (std::string_view(bytes).substr(0, kPartsMagic.size()) == kPartsMagic) {
    bytes = zip_parts(std::string_view(bytes).substr(kPartsMagic.size()));
  }
  // Smaller than the defaults so inputs that hit a limit fail fast; the code
  // paths are the same.
  assay::xlsx::Limits limits;
  limits.max_part_bytes = int64_t{16} << 20;
  limits.max_total_bytes = int64_t{64} << 20;
  limits.max_cells = int64_t{1} << 20;
  limits.max_text_bytes = int64_t{64} << 20;
  assay::xlsx::Workbook workbook;
  (void)assay::xlsx::read_workbook(bytes, limits, &workbook);
  return 0;
}
