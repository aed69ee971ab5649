// Reading an .xlsx back in tests, independently of the writer: libzip opens
// the container, pugixml parses the parts (ECMA-376 Part 1, SpreadsheetML).
//
// For tests of `assay report --format xlsx`: open a workbook, find a sheet by
// name, find a cell by its row label (column A, possibly a path of labels:
// a breakdown's heading, then the category) and its column header text, and see
// what the cell holds: a number or a text, and its style (number format code,
// bold, indent). Header-only; link libzip and pugixml. Failures to read throw
// std::runtime_error (GoogleTest reports it as the test's failure).
#pragma once

#include <zip.h>

#include <charconv>
#include <cstdint>
#include <ctime>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <pugixml.hpp>

namespace assay::test::xlsx {

struct CellValue {
  enum class Kind { kNumber, kText, kBoolean, kError };
  Kind kind = Kind::kText;
  double number = 0;  // kNumber, kBoolean
  std::string text;   // kText: the resolved string; otherwise the <v> as written
  int style = 0;      // index into styles.xml cellXfs (the `s` attribute)

  bool is_number() const { return kind == Kind::kNumber; }
  bool is_text() const { return kind == Kind::kText; }
};

// What a cell's style (an xf of cellXfs) says, resolved through styles.xml.
struct CellStyle {
  int number_format_id = 0;
  std::string number_format;  // formatCode: from numFmts, or the built-in code
  bool bold = false;
  int indent = 0;
};

// How a row's label (column A) is recognised: equal to a text, or holding
// every one of some parts (ASCII case ignored), for headings composed of
// words such as "Number of employees, by gender" / "按性別劃分的員工人數".
struct LabelMatch {
  LabelMatch(const char* text) : parts{text} {}
  LabelMatch(std::string text) : parts{std::move(text)} {}
  static LabelMatch containing(std::vector<std::string> parts) {
    LabelMatch m("");
    m.parts = std::move(parts);
    m.exact = false;
    return m;
  }

  bool matches(const std::string& label) const {
    if (exact) return label == parts.front();
    for (const std::string& part : parts) {
      if (fold(label).find(fold(part)) == std::string::npos) return false;
    }
    return true;
  }
  std::string describe() const {
    if (exact) return parts.front();
    std::string out = "(containing";
    for (const std::string& part : parts) out += " '" + part + "'";
    return out + ")";
  }

  std::vector<std::string> parts;
  bool exact = true;

 private:
  static std::string fold(std::string s) {
    for (char& c : s) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return s;
  }
};

struct Sheet {
  std::string name;
  std::string part;                                          // "xl/worksheets/sheet1.xml"
  std::map<std::pair<uint32_t, uint32_t>, CellValue> cells;  // (row, column), 0-based
  uint32_t frozen_rows = 0;                                  // pane ySplit when frozen
  std::map<uint32_t, double> column_widths;                  // 0-based column -> width

  const CellValue* at(uint32_t row, uint32_t column) const {
    auto it = cells.find({row, column});
    return it == cells.end() ? nullptr : &it->second;
  }
  std::string text_at(uint32_t row, uint32_t column) const {
    const CellValue* v = at(row, column);
    return v == nullptr ? std::string() : v->text;
  }
  uint32_t row_count() const { return cells.empty() ? 0 : cells.rbegin()->first.first + 1; }

  // The first row whose column-A text matches path[0], then the first row
  // below it that matches path[1], and so on: {"Number of employees, by
  // gender", "Female"} picks the female row of that breakdown, not of a later
  // breakdown with the same categories.
  std::optional<uint32_t> find_row(const std::vector<LabelMatch>& path) const {
    uint32_t from = 0;
    std::optional<uint32_t> found;
    for (const LabelMatch& label : path) {
      found.reset();
      for (uint32_t row = from; row < row_count(); ++row) {
        const CellValue* v = at(row, 0);
        if (v != nullptr && v->is_text() && label.matches(v->text)) {
          found = row;
          break;
        }
      }
      if (!found) return std::nullopt;
      from = *found + 1;
    }
    return found;
  }

  // The column of the first text cell (row by row, columns B onwards) equal to
  // `header`; column A holds labels and the title block, never a header of figures.
  std::optional<uint32_t> find_column(const std::string& header) const {
    for (const auto& [key, value] : cells) {
      if (key.second >= 1 && value.is_text() && value.text == header) return key.second;
    }
    return std::nullopt;
  }

  const CellValue* find(const std::vector<LabelMatch>& row_path,
                        const std::string& column_header) const {
    const std::optional<uint32_t> row = find_row(row_path);
    const std::optional<uint32_t> column = find_column(column_header);
    return row && column ? at(*row, *column) : nullptr;
  }
};

namespace detail {

// ECMA-376 Part 1, 18.8.30: number formats every reader knows by id, which
// a writer does not list in numFmts.
inline std::string builtin_number_format(int id) {
  static const std::map<int, std::string> kBuiltin = {{0, "General"},
                                                      {1, "0"},
                                                      {2, "0.00"},
                                                      {3, "#,##0"},
                                                      {4, "#,##0.00"},
                                                      {9, "0%"},
                                                      {10, "0.00%"},
                                                      {11, "0.00E+00"},
                                                      {12, "# ?/?"},
                                                      {13, "# ?\?/??"},
                                                      {14, "mm-dd-yy"},
                                                      {15, "d-mmm-yy"},
                                                      {16, "d-mmm"},
                                                      {17, "mmm-yy"},
                                                      {18, "h:mm AM/PM"},
                                                      {19, "h:mm:ss AM/PM"},
                                                      {20, "h:mm"},
                                                      {21, "h:mm:ss"},
                                                      {22, "m/d/yy h:mm"},
                                                      {37, "#,##0 ;(#,##0)"},
                                                      {38, "#,##0 ;[Red](#,##0)"},
                                                      {39, "#,##0.00;(#,##0.00)"},
                                                      {40, "#,##0.00;[Red](#,##0.00)"},
                                                      {45, "mm:ss"},
                                                      {46, "[h]:mm:ss"},
                                                      {47, "mmss.0"},
                                                      {48, "##0.0E+0"},
                                                      {49, "@"}};
  auto it = kBuiltin.find(id);
  return it == kBuiltin.end() ? std::string() : it->second;
}

inline pugi::xml_document parse(const std::string& xml, const std::string& part) {
  pugi::xml_document doc;
  const pugi::xml_parse_result result = doc.load_buffer(xml.data(), xml.size());
  if (!result) throw std::runtime_error(part + ": not well-formed XML: " + result.description());
  return doc;
}

// All text of a shared or inline string: plain <t>, or the <t> of each rich
// text run <r>; phonetic runs (<rPh>) are not part of the text.
inline std::string string_item_text(pugi::xml_node item) {
  std::string text = item.child("t").text().as_string();
  for (pugi::xml_node run : item.children("r")) text += run.child("t").text().as_string();
  return text;
}

// "AB12" -> (11, 27).
inline std::pair<uint32_t, uint32_t> parse_reference(const std::string& ref) {
  uint32_t column = 0;
  size_t i = 0;
  for (; i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z'; ++i)
    column = column * 26 + (ref[i] - 'A' + 1);
  uint32_t row = 0;
  const auto [end, error] = std::from_chars(ref.data() + i, ref.data() + ref.size(), row);
  if (column == 0 || row == 0 || error != std::errc() || end != ref.data() + ref.size()) {
    throw std::runtime_error("bad cell reference '" + ref + "'");
  }
  return {row - 1, column - 1};
}

inline double parse_number(const std::string& text, const std::string& where) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw std::runtime_error(where + ": not a number: '" + text + "'");
  }
  return value;
}

}  // namespace detail

class Workbook {
 public:
  struct Entry {
    std::string name;
    std::time_t mtime = 0;  // libzip's reading of the DOS date, in local time
  };

  explicit Workbook(const std::string& path) : path_(path) {
    read_archive();
    read_shared_strings();
    read_styles();
    read_sheets();
  }

  const std::vector<std::string>& sheet_names() const { return sheet_names_; }
  const std::vector<Entry>& entries() const { return entries_; }

  const Sheet* find_sheet(const std::string& name) const {
    for (const Sheet& sheet : sheets_) {
      if (sheet.name == name) return &sheet;
    }
    return nullptr;
  }
  const Sheet& sheet(const std::string& name) const {
    const Sheet* found = find_sheet(name);
    if (found == nullptr) throw std::runtime_error(path_ + ": no sheet named '" + name + "'");
    return *found;
  }
  const std::vector<Sheet>& sheets() const { return sheets_; }

  // The raw text of a part ("docProps/core.xml"); throws when it is missing.
  const std::string& part(const std::string& name) const {
    auto it = parts_.find(name);
    if (it == parts_.end()) throw std::runtime_error(path_ + ": no part " + name);
    return it->second;
  }

  CellStyle style(int index) const {
    if (index < 0 || static_cast<size_t>(index) >= styles_.size()) {
      throw std::runtime_error(path_ + ": no cell style " + std::to_string(index));
    }
    return styles_[static_cast<size_t>(index)];
  }
  CellStyle style(const CellValue& value) const { return style(value.style); }

 private:
  void read_archive() {
    int error = 0;
    zip_t* archive = zip_open(path_.c_str(), ZIP_RDONLY, &error);
    if (archive == nullptr) {
      zip_error_t ze;
      zip_error_init_with_code(&ze, error);
      const std::string message = path_ + ": cannot open as zip: " + zip_error_strerror(&ze);
      zip_error_fini(&ze);
      throw std::runtime_error(message);
    }
    const zip_int64_t count = zip_get_num_entries(archive, 0);
    for (zip_int64_t i = 0; i < count; ++i) {
      zip_stat_t stat;
      zip_stat_init(&stat);
      if (zip_stat_index(archive, static_cast<zip_uint64_t>(i), 0, &stat) != 0) continue;
      entries_.push_back({stat.name, stat.mtime});
      std::string data(static_cast<size_t>(stat.size), '\0');
      zip_file_t* file = zip_fopen_index(archive, static_cast<zip_uint64_t>(i), 0);
      const zip_int64_t n = file == nullptr ? -1 : zip_fread(file, data.data(), data.size());
      if (file != nullptr) zip_fclose(file);
      if (n != static_cast<zip_int64_t>(data.size())) {
        zip_discard(archive);
        throw std::runtime_error(path_ + ": cannot read " + stat.name);
      }
      parts_[stat.name] = std::move(data);
    }
    zip_discard(archive);
  }

  void read_shared_strings() {
    if (parts_.count("xl/sharedStrings.xml") == 0) return;  // a workbook of numbers only
    const pugi::xml_document doc = detail::parse(part("xl/sharedStrings.xml"), "sharedStrings");
    for (pugi::xml_node si : doc.child("sst").children("si")) {
      shared_strings_.push_back(detail::string_item_text(si));
    }
  }

  void read_styles() {
    const pugi::xml_document doc = detail::parse(part("xl/styles.xml"), "styles.xml");
    const pugi::xml_node root = doc.child("styleSheet");
    std::map<int, std::string> formats;
    for (pugi::xml_node f : root.child("numFmts").children("numFmt")) {
      formats[f.attribute("numFmtId").as_int()] = f.attribute("formatCode").as_string();
    }
    std::vector<bool> bold_fonts;
    for (pugi::xml_node font : root.child("fonts").children("font")) {
      const pugi::xml_node b = font.child("b");
      bold_fonts.push_back(b && b.attribute("val").as_bool(true));
    }
    for (pugi::xml_node xf : root.child("cellXfs").children("xf")) {
      CellStyle style;
      style.number_format_id = xf.attribute("numFmtId").as_int();
      auto custom = formats.find(style.number_format_id);
      style.number_format = custom != formats.end()
                                ? custom->second
                                : detail::builtin_number_format(style.number_format_id);
      const size_t font = xf.attribute("fontId").as_uint();
      style.bold = font < bold_fonts.size() && bold_fonts[font];
      style.indent = xf.child("alignment").attribute("indent").as_int();
      styles_.push_back(style);
    }
  }

  // workbook.xml names the sheets in order and points at each through its
  // relationships (xl/_rels/workbook.xml.rels), relative to xl/.
  void read_sheets() {
    const pugi::xml_document rels_doc = detail::parse(part("xl/_rels/workbook.xml.rels"), "rels");
    std::map<std::string, std::string> targets;
    for (pugi::xml_node rel : rels_doc.child("Relationships").children("Relationship")) {
      std::string target = rel.attribute("Target").as_string();
      target = !target.empty() && target[0] == '/' ? target.substr(1) : "xl/" + target;
      targets[rel.attribute("Id").as_string()] = target;
    }
    const pugi::xml_document doc = detail::parse(part("xl/workbook.xml"), "workbook.xml");
    for (pugi::xml_node s : doc.child("workbook").child("sheets").children("sheet")) {
      Sheet sheet;
      sheet.name = s.attribute("name").as_string();
      auto target = targets.find(s.attribute("r:id").as_string());
      if (target == targets.end()) throw std::runtime_error(path_ + ": sheet without part");
      sheet.part = target->second;
      read_sheet(sheet);
      sheet_names_.push_back(sheet.name);
      sheets_.push_back(std::move(sheet));
    }
  }

  void read_sheet(Sheet& sheet) const {
    const pugi::xml_document doc = detail::parse(part(sheet.part), sheet.part);
    const pugi::xml_node root = doc.child("worksheet");
    const pugi::xml_node pane = root.child("sheetViews").child("sheetView").child("pane");
    if (std::string(pane.attribute("state").as_string()) == "frozen") {
      sheet.frozen_rows = pane.attribute("ySplit").as_uint();
    }
    for (pugi::xml_node col : root.child("cols").children("col")) {
      for (uint32_t c = col.attribute("min").as_uint(); c <= col.attribute("max").as_uint(); ++c) {
        sheet.column_widths[c - 1] = col.attribute("width").as_double();
      }
    }
    for (pugi::xml_node row : root.child("sheetData").children("row")) {
      for (pugi::xml_node c : row.children("c")) {
        const std::string ref = c.attribute("r").as_string();
        const std::string type = c.attribute("t").as_string("n");
        const std::string v = c.child("v").text().as_string();
        CellValue value;
        value.style = c.attribute("s").as_int();
        if (type == "s") {
          const size_t index = static_cast<size_t>(detail::parse_number(v, ref));
          if (index >= shared_strings_.size()) throw std::runtime_error(ref + ": bad string");
          value.text = shared_strings_[index];
        } else if (type == "inlineStr") {
          value.text = detail::string_item_text(c.child("is"));
        } else if (type == "str") {
          value.text = v;
        } else if (type == "n" || type == "b" || type == "e") {
          if (v.empty()) continue;  // a styled blank cell holds nothing
          value.kind = type == "n"   ? CellValue::Kind::kNumber
                       : type == "b" ? CellValue::Kind::kBoolean
                                     : CellValue::Kind::kError;
          value.text = v;
          if (type != "e") value.number = detail::parse_number(v, sheet.name + "!" + ref);
        } else {
          throw std::runtime_error(sheet.name + "!" + ref + ": unknown cell type " + type);
        }
        sheet.cells[detail::parse_reference(ref)] = std::move(value);
      }
    }
  }

  std::string path_;
  std::map<std::string, std::string> parts_;
  std::vector<Entry> entries_;
  std::vector<std::string> shared_strings_;
  std::vector<CellStyle> styles_;
  std::vector<std::string> sheet_names_;
  std::vector<Sheet> sheets_;
};

}  // namespace assay::test::xlsx
