#include "package/xlsx_reader.hpp"

#include <zip.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <optional>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <utility>

#include <pugixml.hpp>

namespace assay::xlsx {
namespace {

// ECMA-376 Part 1, 18.3.1.73 / Excel specifications and limits.
constexpr int64_t kMaxRow = 1'048'576;
constexpr int kMaxColumn = 16'384;
// Excel's last date, 9999-12-31, as a 1900-system serial.
constexpr int64_t kMaxSerialDay = 2'958'465;
// 1899-12-30 counted from 1970-01-01: day 0 of the 1900 system once the
// fictitious 1900-02-29 (serial 60) is behind.
constexpr int64_t kSerialEpochDays = -25'569;
// The 1904 system's day 0 (1904-01-01) is 1900-system serial 1462.
constexpr int64_t kDate1904Offset = 1'462;
constexpr int64_t kSecondsPerDay = 86'400;

Status part_error(std::string_view part, std::string_view message) {
  std::string text(part);
  text += ": ";
  text += message;
  return Status::error(std::move(text));
}

// ---------------------------------------------------------------- zip --

class Archive {
 public:
  Archive(const Limits& limits) : limits_(limits) {}
  ~Archive() {
    if (zip_ != nullptr) zip_discard(zip_);
  }
  Archive(const Archive&) = delete;
  Archive& operator=(const Archive&) = delete;

  Status open(const std::string& bytes) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (source == nullptr) {
      Status status = Status::error(std::string("cannot read xlsx: ") + zip_error_strerror(&error));
      zip_error_fini(&error);
      return status;
    }
    zip_ = zip_open_from_source(source, ZIP_RDONLY, &error);
    if (zip_ == nullptr) {
      zip_source_free(source);
      Status status = Status::error(std::string("not an xlsx file (not a readable zip archive): ") +
                                    zip_error_strerror(&error));
      zip_error_fini(&error);
      return status;
    }
    zip_error_fini(&error);
    return Status::ok();
  }

  // OPC part names compare case-insensitively (ECMA-376 Part 2, 9.1.1.1).
  std::optional<zip_uint64_t> locate(const std::string& part) const {
    zip_int64_t index = zip_name_locate(zip_, part.c_str(), 0);
    if (index < 0) index = zip_name_locate(zip_, part.c_str(), ZIP_FL_NOCASE);
    if (index < 0) return std::nullopt;
    return static_cast<zip_uint64_t>(index);
  }

  Status read(const std::string& part, std::string* out) {
    std::optional<zip_uint64_t> index = locate(part);
    if (!index) return part_error(part, "part is missing from the workbook");
    zip_file_t* file = zip_fopen_index(zip_, *index, 0);
    if (file == nullptr) return part_error(part, std::string("cannot open: ") + zip_strerror(zip_));
    // The sizes in the zip directory are not trusted: a bomb may lie about
    // them, so the limit applies to the bytes actually inflated.
    std::string data;
    constexpr size_t kChunk = 64 * 1024;
    for (;;) {
      const int64_t room = limits_.max_part_bytes - static_cast<int64_t>(data.size());
      const int64_t total_room = limits_.max_total_bytes - total_read_;
      const size_t old_size = data.size();
      data.resize(old_size + kChunk);
      const zip_int64_t n = zip_fread(file, data.data() + old_size, kChunk);
      if (n < 0) {
        Status status =
            part_error(part, std::string("cannot decompress: ") + zip_file_strerror(file));
        zip_fclose(file);
        return status;
      }
      data.resize(old_size + static_cast<size_t>(n));
      if (n == 0) break;
      if (n > room) {
        zip_fclose(file);
        return part_error(part, "part is larger than " + std::to_string(limits_.max_part_bytes) +
                                    " bytes uncompressed");
      }
      if (n > total_room) {
        zip_fclose(file);
        return part_error(part, "workbook is larger than " +
                                    std::to_string(limits_.max_total_bytes) +
                                    " bytes uncompressed");
      }
      total_read_ += n;
    }
    zip_fclose(file);
    *out = std::move(data);
    return Status::ok();
  }

 private:
  const Limits& limits_;
  zip_t* zip_ = nullptr;
  int64_t total_read_ = 0;
};

// ---------------------------------------------------------------- paths --

std::string directory_of(std::string_view part) {
  const size_t slash = part.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(part.substr(0, slash + 1));
}

// ECMA-376 Part 2, 9.3: a relationship target is a URI relative to the source
// part's folder, or absolute from the package root.
std::string resolve_target(std::string_view source_part, std::string_view target) {
  std::string joined;
  if (!target.empty() && target.front() == '/') {
    joined = std::string(target.substr(1));
  } else {
    joined = directory_of(source_part) + std::string(target);
  }
  std::vector<std::string_view> segments;
  std::string_view rest(joined);
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
      continue;
    }
    segments.push_back(segment);
  }
  std::string path;
  for (const std::string_view segment : segments) {
    if (!path.empty()) path += '/';
    path += segment;
  }
  return path;
}

std::string rels_part_of(std::string_view part) {
  const size_t slash = part.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? part : part.substr(slash + 1);
  return directory_of(part) + "_rels/" + std::string(name) + ".rels";
}

// ---------------------------------------------------------------- XML --

// Writers differ in namespace prefixes (Excel none, some SDKs "x:"), so
// elements and attributes are matched by local name.
std::string_view local_name(const char* name) {
  const char* colon = std::strrchr(name, ':');
  return colon == nullptr ? std::string_view(name) : std::string_view(colon + 1);
}

pugi::xml_node child(pugi::xml_node node, std::string_view name) {
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && local_name(c.name()) == name) return c;
  }
  return {};
}

template <typename F>
void for_each_child(pugi::xml_node node, std::string_view name, F&& f) {
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && local_name(c.name()) == name) f(c);
  }
}

pugi::xml_attribute attribute(pugi::xml_node node, std::string_view name) {
  for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
    if (local_name(a.name()) == name) return a;
  }
  return {};
}

std::string element_text(pugi::xml_node node) {
  std::string text;
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) text += c.value();
  }
  return text;
}

// `xml` must outlive `doc`: the document points into it.
Status parse_xml(const std::string& part, std::string& xml, pugi::xml_document* doc) {
  // parse_ws_pcdata keeps a cell whose text is only spaces.
  const pugi::xml_parse_result result =
      doc->load_buffer_inplace(xml.data(), xml.size(), pugi::parse_default | pugi::parse_ws_pcdata);
  if (!result) {
    return part_error(part, "malformed XML at byte " + std::to_string(result.offset) + ": " +
                                result.description());
  }
  return Status::ok();
}

void append_utf8(std::string* out, uint32_t code_point) {
  if (code_point < 0x80) {
    *out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    *out += static_cast<char>(0xC0 | (code_point >> 6));
    *out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    *out += static_cast<char>(0xE0 | (code_point >> 12));
    *out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// ECMA-376 Part 1, 22.9.2.19 (ST_Xstring): characters XML cannot carry, such
// as a carriage return, are written "_xHHHH_"; "_x005F_" escapes an underscore.
std::string decode_xstring(std::string_view s) {
  if (s.find("_x") == std::string_view::npos) return std::string(s);
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '_' && i + 7 <= s.size() && s[i + 1] == 'x' && s[i + 6] == '_') {
      uint32_t code = 0;
      bool hex = true;
      for (size_t k = i + 2; k < i + 6; ++k) {
        const int h = hex_value(s[k]);
        if (h < 0) {
          hex = false;
          break;
        }
        code = code * 16 + static_cast<uint32_t>(h);
      }
      // A lone UTF-16 surrogate has no UTF-8 form; leave the escape as text.
      if (hex && (code < 0xD800 || code > 0xDFFF)) {
        append_utf8(&out, code);
        i += 7;
        continue;
      }
    }
    out += s[i];
    ++i;
  }
  return out;
}

// Rich text (<r><t>) is concatenated; phonetic runs (<rPh>) are not part of
// the value a person typed.
std::string string_item_text(pugi::xml_node item) {
  std::string text;
  for (pugi::xml_node c = item.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    const std::string_view name = local_name(c.name());
    if (name == "t") {
      text += element_text(c);
    } else if (name == "r") {
      for_each_child(c, "t", [&](pugi::xml_node t) { text += element_text(t); });
    }
  }
  return decode_xstring(text);
}

// ---------------------------------------------------------------- numbers --

std::string_view trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

std::optional<double> parse_double(std::string_view s) {
  s = trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

template <typename Int>
std::optional<Int> parse_unsigned(std::string_view s) {
  s = trim(s);
  if (s.empty() || s.front() < '0' || s.front() > '9') return std::nullopt;
  Int value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

// Shortest text that reads back to the same double; plain digits in the range
// where people expect them, an exponent ("1e-7", "1e21") outside it.
std::string format_number(double value) {
  if (value == 0) return "0";  // also drops the sign of -0
  char buffer[64];
  const double magnitude = std::fabs(value);
  if (magnitude >= 1e-6 && magnitude < 1e21) {
    const auto result =
        std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
    return std::string(buffer, result.ptr);
  }
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  const std::string_view text(buffer, static_cast<size_t>(result.ptr - buffer));
  const size_t e = text.find('e');
  std::string out(text.substr(0, e + 1));
  std::string_view exponent = text.substr(e + 1);
  if (!exponent.empty() && (exponent.front() == '+' || exponent.front() == '-')) {
    if (exponent.front() == '-') out += '-';
    exponent.remove_prefix(1);
  }
  while (exponent.size() > 1 && exponent.front() == '0') exponent.remove_prefix(1);
  out += exponent;
  return out;
}

// ---------------------------------------------------------------- dates --

// Howard Hinnant's civil-date algorithms, days counted from 1970-01-01.
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t z, int64_t* y, int64_t* m, int64_t* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (*m <= 2 ? 1 : 0);
}

bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int64_t days_in_month(int64_t y, int64_t m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

void append_padded(std::string* out, int64_t value, int width) {
  std::string digits = std::to_string(value);
  if (static_cast<int>(digits.size()) < width) out->append(width - digits.size(), '0');
  *out += digits;
}

// Days since 1970-01-01 plus seconds into the day, as spec/data-package.md
// writes them: a date alone when there is no time of day.
std::string format_date_time(int64_t days, int64_t seconds) {
  int64_t y = 0;
  int64_t m = 0;
  int64_t d = 0;
  civil_from_days(days, &y, &m, &d);
  std::string out;
  append_padded(&out, y, 4);
  out += '-';
  append_padded(&out, m, 2);
  out += '-';
  append_padded(&out, d, 2);
  if (seconds != 0) {
    out += 'T';
    append_padded(&out, seconds / 3600, 2);
    out += ':';
    append_padded(&out, seconds / 60 % 60, 2);
    out += ':';
    append_padded(&out, seconds % 60, 2);
    out += 'Z';
  }
  return out;
}

// A serial that is no real date (before 1900-01-01, the fictitious
// 1900-02-29, after 9999-12-31) keeps its number text so nothing is invented.
std::optional<std::string> format_serial(double serial, bool date1904) {
  if (!(serial >= -1e7 && serial <= 1e7)) return std::nullopt;
  const int64_t total = std::llround(serial * kSecondsPerDay);
  if (total < 0) return std::nullopt;
  int64_t day = total / kSecondsPerDay;
  const int64_t seconds = total % kSecondsPerDay;
  if (date1904) day += kDate1904Offset;
  if (day < 1 || day == 60 || day > kMaxSerialDay) return std::nullopt;
  // Lotus 1-2-3 treated 1900 as a leap year and Excel kept serial 60 for
  // 1900-02-29, so serials before it are one day later than the calendar.
  const int64_t days = day < 60 ? day + kSerialEpochDays + 1 : day + kSerialEpochDays;
  return format_date_time(days, seconds);
}

bool parse_fixed_digits(std::string_view s, size_t pos, size_t count, int64_t* value) {
  if (pos + count > s.size()) return false;
  int64_t v = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *value = v;
  return true;
}

// t="d" cells (ECMA-376 Part 1, 18.17.4): ISO 8601 text. Returns nullopt for
// text this reader does not understand, which is then kept verbatim.
std::optional<std::string> format_iso_date(std::string_view s) {
  s = trim(s);
  int64_t y = 0;
  int64_t m = 0;
  int64_t d = 0;
  if (!parse_fixed_digits(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' || s[7] != '-' ||
      !parse_fixed_digits(s, 5, 2, &m) || !parse_fixed_digits(s, 8, 2, &d)) {
    return std::nullopt;
  }
  if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return std::nullopt;
  int64_t days = days_from_civil(y, m, d);
  int64_t seconds = 0;
  size_t pos = 10;
  if (pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != ' ') return std::nullopt;
    int64_t hh = 0;
    int64_t mm = 0;
    int64_t ss = 0;
    if (!parse_fixed_digits(s, pos + 1, 2, &hh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !parse_fixed_digits(s, pos + 4, 2, &mm)) {
      return std::nullopt;
    }
    pos += 6;
    double fraction = 0;
    if (pos < s.size() && s[pos] == ':') {
      if (!parse_fixed_digits(s, pos + 1, 2, &ss)) return std::nullopt;
      pos += 3;
      if (pos < s.size() && s[pos] == '.') {
        size_t end = pos + 1;
        while (end < s.size() && s[end] >= '0' && s[end] <= '9' && end - pos < 20) ++end;
        if (end == pos + 1) return std::nullopt;
        std::optional<double> f =
            parse_double(std::string("0") + std::string(s.substr(pos, end - pos)));
        if (!f) return std::nullopt;
        fraction = *f;
        pos = end;
      }
    }
    if (hh > 23 || mm > 59 || ss > 59) return std::nullopt;
    seconds = hh * 3600 + mm * 60 + ss + (fraction >= 0.5 ? 1 : 0);
    if (pos < s.size()) {
      if (s[pos] == 'Z' && pos + 1 == s.size()) {
        // UTC already.
      } else if ((s[pos] == '+' || s[pos] == '-') && pos + 6 == s.size() && s[pos + 3] == ':') {
        int64_t oh = 0;
        int64_t om = 0;
        if (!parse_fixed_digits(s, pos + 1, 2, &oh) || !parse_fixed_digits(s, pos + 4, 2, &om) ||
            oh > 23 || om > 59) {
          return std::nullopt;
        }
        const int64_t offset = oh * 3600 + om * 60;
        seconds += s[pos] == '+' ? -offset : offset;
      } else {
        return std::nullopt;
      }
    }
    const int64_t total = days * kSecondsPerDay + seconds;
    days = total >= 0 ? total / kSecondsPerDay : -((-total + kSecondsPerDay - 1) / kSecondsPerDay);
    seconds = total - days * kSecondsPerDay;
  }
  return format_date_time(days, seconds);
}

// ---------------------------------------------------------------- styles --

// ECMA-376 Part 1, 18.8.30: built-in date and time formats.
bool is_builtin_date_format(int64_t id) { return (id >= 14 && id <= 22) || (id >= 45 && id <= 47); }

// Date-time tokens (d m y h s) count only outside quoted literals, bracketed
// parts ([Red], [$-409]), and escaped, padding and fill characters.
bool is_date_format_code(std::string_view code) {
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (c == '"') {
      const size_t close = code.find('"', i + 1);
      if (close == std::string_view::npos) return false;
      i = close;
    } else if (c == '[') {
      const size_t close = code.find(']', i + 1);
      if (close == std::string_view::npos) return false;
      i = close;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;
    } else if (std::strchr("dmyhsDMYHS", c) != nullptr && c != '\0') {
      return true;
    }
  }
  return false;
}

struct Styles {
  std::vector<bool> date_style;  // by cellXfs index
};

void read_styles(pugi::xml_node root, Styles* styles) {
  std::unordered_map<int64_t, bool> custom;
  for_each_child(child(root, "numFmts"), "numFmt", [&](pugi::xml_node fmt) {
    const std::optional<int64_t> id = parse_unsigned<int64_t>(attribute(fmt, "numFmtId").value());
    if (id) custom[*id] = is_date_format_code(attribute(fmt, "formatCode").value());
  });
  for_each_child(child(root, "cellXfs"), "xf", [&](pugi::xml_node xf) {
    const std::optional<int64_t> id = parse_unsigned<int64_t>(attribute(xf, "numFmtId").value());
    bool is_date = false;
    if (id) {
      const auto it = custom.find(*id);
      is_date = it != custom.end() ? it->second : is_builtin_date_format(*id);
    }
    styles->date_style.push_back(is_date);
  });
}

// ---------------------------------------------------------------- sheets --

struct Context {
  const Limits* limits = nullptr;
  bool date1904 = false;
  std::vector<std::string> shared_strings;
  Styles styles;
  int64_t cells = 0;
  int64_t text_bytes = 0;
};

// "B12" -> column 2, row 12; A1 notation, ECMA-376 Part 1, 18.18.62.
bool parse_cell_reference(std::string_view ref, int* column, int64_t* row) {
  size_t i = 0;
  int col = 0;
  while (i < ref.size() && ((ref[i] >= 'A' && ref[i] <= 'Z') || (ref[i] >= 'a' && ref[i] <= 'z'))) {
    if (i == 3) return false;
    const char upper = ref[i] >= 'a' ? static_cast<char>(ref[i] - 'a' + 'A') : ref[i];
    col = col * 26 + (upper - 'A' + 1);
    ++i;
  }
  if (i == 0 || col > kMaxColumn) return false;
  const std::string_view digits = ref.substr(i);
  if (digits.empty() || digits.size() > 7 || digits.front() < '1' || digits.front() > '9') {
    return false;
  }
  const std::optional<int64_t> r = parse_unsigned<int64_t>(digits);
  if (!r || *r < 1 || *r > kMaxRow) return false;
  *column = col;
  *row = *r;
  return true;
}

std::string column_letters(int column) {
  std::string letters;
  while (column > 0) {
    letters.insert(letters.begin(), static_cast<char>('A' + (column - 1) % 26));
    column = (column - 1) / 26;
  }
  return letters;
}

Status decode_cell(const std::string& part, pugi::xml_node c, const Context& ctx,
                   std::string_view where, Cell* cell) {
  const std::string_view type = attribute(c, "t").value();
  const pugi::xml_node formula = child(c, "f");
  const pugi::xml_node value = child(c, "v");
  if (type == "inlineStr") {
    const pugi::xml_node is = child(c, "is");
    if (is) {
      cell->text = string_item_text(is);
    } else if (value) {
      cell->text = decode_xstring(element_text(value));
    }
    cell->from_formula = static_cast<bool>(formula);
    return Status::ok();
  }
  if (!value) {
    cell->formula_without_value = static_cast<bool>(formula);
    return Status::ok();
  }
  cell->from_formula = static_cast<bool>(formula);
  const std::string raw = element_text(value);
  if (type == "s") {
    const std::optional<size_t> index = parse_unsigned<size_t>(raw);
    if (!index || *index >= ctx.shared_strings.size()) {
      return part_error(part, "cell " + std::string(where) + " refers to shared string \"" + raw +
                                  "\" but the workbook has " +
                                  std::to_string(ctx.shared_strings.size()));
    }
    cell->text = ctx.shared_strings[*index];
  } else if (type == "str") {
    cell->text = decode_xstring(raw);
  } else if (type == "b") {
    const std::string_view b = trim(raw);
    cell->text = b == "1" ? "true" : b == "0" ? "false" : raw;
  } else if (type == "e") {
    cell->text = std::string(trim(raw));
    cell->is_error = true;
  } else if (type == "d") {
    std::optional<std::string> date = format_iso_date(raw);
    cell->text = date ? std::move(*date) : raw;
  } else {
    const std::optional<double> number = parse_double(raw);
    if (!number) {
      cell->text = raw;
      return Status::ok();
    }
    const std::optional<size_t> style = parse_unsigned<size_t>(attribute(c, "s").value());
    if (style && *style < ctx.styles.date_style.size() && ctx.styles.date_style[*style]) {
      std::optional<std::string> date = format_serial(*number, ctx.date1904);
      if (date) {
        cell->text = std::move(*date);
        return Status::ok();
      }
    }
    cell->text = format_number(*number);
  }
  return Status::ok();
}

bool is_blank(const Cell& cell) {
  return cell.text.empty() && !cell.from_formula && !cell.formula_without_value && !cell.is_error;
}

Status read_sheet(const std::string& part, pugi::xml_node root, Context* ctx, Sheet* sheet) {
  const pugi::xml_node sheet_data = child(root, "sheetData");
  int64_t previous_row = 0;
  Status status;
  for (pugi::xml_node row_node = sheet_data.first_child(); row_node;
       row_node = row_node.next_sibling()) {
    if (row_node.type() != pugi::node_element || local_name(row_node.name()) != "row") continue;
    int64_t row_number = 0;
    if (const pugi::xml_attribute r = attribute(row_node, "r")) {
      const std::optional<int64_t> n = parse_unsigned<int64_t>(r.value());
      if (!n || *n < 1 || *n > kMaxRow) {
        return part_error(part, "row number \"" + std::string(r.value()) +
                                    "\" is not between 1 and " + std::to_string(kMaxRow));
      }
      row_number = *n;
    }
    Row row;
    int previous_column = 0;
    for (pugi::xml_node c = row_node.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element || local_name(c.name()) != "c") continue;
      int column = 0;
      std::string where;
      if (const pugi::xml_attribute r = attribute(c, "r")) {
        int64_t cell_row = 0;
        if (!parse_cell_reference(r.value(), &column, &cell_row)) {
          return part_error(part, "cell reference \"" + std::string(r.value()) +
                                      "\" is not a cell in A1:XFD1048576");
        }
        if (row_number == 0) row_number = cell_row;
        if (cell_row != row_number) {
          return part_error(part, "cell " + std::string(r.value()) + " is inside row " +
                                      std::to_string(row_number));
        }
        where = r.value();
      } else {
        // Without a reference a cell sits just right of the previous one.
        column = previous_column + 1;
        if (column > kMaxColumn) {
          return part_error(part, "row " + std::to_string(row_number) + " has more than " +
                                      std::to_string(kMaxColumn) + " columns");
        }
        where = column_letters(column) + (row_number > 0 ? std::to_string(row_number) : "");
      }
      if (column <= previous_column) {
        return part_error(part, "cell " + where + " comes after column " +
                                    column_letters(previous_column) + " of its row");
      }
      previous_column = column;
      Cell cell;
      status = decode_cell(part, c, *ctx, where, &cell);
      if (!status) return status;
      if (is_blank(cell)) continue;
      ctx->cells += column - static_cast<int64_t>(row.cells.size());
      ctx->text_bytes += static_cast<int64_t>(cell.text.size());
      if (ctx->cells > ctx->limits->max_cells) {
        return part_error(part, "the workbook has more than " +
                                    std::to_string(ctx->limits->max_cells) + " cells");
      }
      if (ctx->text_bytes > ctx->limits->max_text_bytes) {
        return part_error(part, "the workbook has more than " +
                                    std::to_string(ctx->limits->max_text_bytes) +
                                    " bytes of cell text");
      }
      row.cells.resize(static_cast<size_t>(column - 1));
      row.cells.push_back(std::move(cell));
    }
    if (row_number == 0) row_number = previous_row + 1;
    if (row_number > kMaxRow) {
      return part_error(part, "row number " + std::to_string(row_number) + " is above " +
                                  std::to_string(kMaxRow));
    }
    if (row_number <= previous_row) {
      return part_error(part, "row " + std::to_string(row_number) + " comes after row " +
                                  std::to_string(previous_row));
    }
    previous_row = row_number;
    if (!row.cells.empty()) {
      row.row_number = row_number;
      sheet->rows.push_back(std::move(row));
    }
  }
  return Status::ok();
}

// ---------------------------------------------------------------- workbook --

struct Relationship {
  std::string type;    // e.g. ".../relationships/worksheet"
  std::string target;  // part name, resolved
};

bool type_is(std::string_view type, std::string_view suffix) {
  return type.size() >= suffix.size() && type.substr(type.size() - suffix.size()) == suffix;
}

Status read_relationships(Archive* archive, const std::string& source_part,
                          std::unordered_map<std::string, Relationship>* rels) {
  const std::string rels_part = rels_part_of(source_part);
  std::string xml;
  Status status = archive->read(rels_part, &xml);
  if (!status) return status;
  pugi::xml_document doc;
  status = parse_xml(rels_part, xml, &doc);
  if (!status) return status;
  for_each_child(child(doc, "Relationships"), "Relationship", [&](pugi::xml_node rel) {
    if (std::string_view(attribute(rel, "TargetMode").value()) == "External") return;
    Relationship r;
    r.type = attribute(rel, "Type").value();
    r.target = resolve_target(source_part, attribute(rel, "Target").value());
    rels->emplace(attribute(rel, "Id").value(), std::move(r));
  });
  return Status::ok();
}

// The package's _rels/.rels names the workbook part (ECMA-376 Part 2, 9.3);
// xl/workbook.xml is where every writer puts it, so it is the fallback.
std::string find_workbook_part(Archive* archive) {
  const std::string fallback = "xl/workbook.xml";
  if (!archive->locate("_rels/.rels")) return fallback;
  std::string xml;
  if (!archive->read("_rels/.rels", &xml)) return fallback;
  pugi::xml_document doc;
  if (!parse_xml("_rels/.rels", xml, &doc)) return fallback;
  std::string found;
  for_each_child(child(doc, "Relationships"), "Relationship", [&](pugi::xml_node rel) {
    if (found.empty() && type_is(attribute(rel, "Type").value(), "/officeDocument")) {
      found = resolve_target("", attribute(rel, "Target").value());
    }
  });
  return found.empty() || !archive->locate(found) ? fallback : found;
}

// Optional parts: a workbook of numbers only has no shared strings, and one
// written by a minimal tool may have no styles.
std::string optional_part(Archive* archive,
                          const std::unordered_map<std::string, Relationship>& rels,
                          std::string_view type_suffix, const std::string& fallback) {
  for (const auto& [id, rel] : rels) {
    if (type_is(rel.type, type_suffix) && archive->locate(rel.target)) return rel.target;
  }
  return archive->locate(fallback) ? fallback : std::string();
}

bool is_true(std::string_view v) { return v == "1" || v == "true"; }

}  // namespace

Status read_workbook(const std::string& bytes, Workbook* out) {
  return read_workbook(bytes, Limits{}, out);
}

Status read_workbook(const std::string& bytes, const Limits& limits, Workbook* out) {
  Archive archive(limits);
  Status status = archive.open(bytes);
  if (!status) return status;

  const std::string workbook_part = find_workbook_part(&archive);
  std::string workbook_xml;
  status = archive.read(workbook_part, &workbook_xml);
  if (!status) return status;
  pugi::xml_document workbook_doc;
  status = parse_xml(workbook_part, workbook_xml, &workbook_doc);
  if (!status) return status;
  const pugi::xml_node workbook_root = child(workbook_doc, "workbook");
  if (!workbook_root) return part_error(workbook_part, "has no <workbook> element");

  std::unordered_map<std::string, Relationship> rels;
  status = read_relationships(&archive, workbook_part, &rels);
  if (!status) return status;

  Context ctx;
  ctx.limits = &limits;
  ctx.date1904 = is_true(attribute(child(workbook_root, "workbookPr"), "date1904").value());

  const std::string dir = directory_of(workbook_part);
  const std::string strings_part =
      optional_part(&archive, rels, "/sharedStrings", dir + "sharedStrings.xml");
  if (!strings_part.empty()) {
    std::string xml;
    status = archive.read(strings_part, &xml);
    if (!status) return status;
    pugi::xml_document doc;
    status = parse_xml(strings_part, xml, &doc);
    if (!status) return status;
    for_each_child(child(doc, "sst"), "si",
                   [&](pugi::xml_node si) { ctx.shared_strings.push_back(string_item_text(si)); });
  }
  const std::string styles_part = optional_part(&archive, rels, "/styles", dir + "styles.xml");
  if (!styles_part.empty()) {
    std::string xml;
    status = archive.read(styles_part, &xml);
    if (!status) return status;
    pugi::xml_document doc;
    status = parse_xml(styles_part, xml, &doc);
    if (!status) return status;
    read_styles(child(doc, "styleSheet"), &ctx.styles);
  }

  Workbook workbook;
  workbook.date1904 = ctx.date1904;
  const pugi::xml_node sheets = child(workbook_root, "sheets");
  for (pugi::xml_node s = sheets.first_child(); s; s = s.next_sibling()) {
    if (s.type() != pugi::node_element || local_name(s.name()) != "sheet") continue;
    Sheet sheet;
    sheet.name = attribute(s, "name").value();
    const std::string id = attribute(s, "id").value();
    const auto rel = rels.find(id);
    if (rel == rels.end()) {
      return part_error(rels_part_of(workbook_part),
                        "sheet \"" + sheet.name + "\" has no relationship \"" + id + "\"");
    }
    std::string xml;
    status = archive.read(rel->second.target, &xml);
    if (!status) return status;
    pugi::xml_document doc;
    status = parse_xml(rel->second.target, xml, &doc);
    if (!status) return status;
    // A chart sheet or dialog sheet has no cells; it reads as an empty sheet.
    status = read_sheet(rel->second.target, child(doc, "worksheet"), &ctx, &sheet);
    if (!status) return status;
    workbook.sheets.push_back(std::move(sheet));
  }
  *out = std::move(workbook);
  return Status::ok();
}

}  // namespace assay::xlsx
