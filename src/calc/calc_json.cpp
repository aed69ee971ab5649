#include "calc/calc_json.hpp"

#include <charconv>
#include <cmath>

namespace assay {

void json_append_string(std::string* out, std::string_view s) {
  out->push_back('"');
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      default:
        if (c < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          *out += "\\u00";
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 15]);
        } else {
          out->push_back(ch);
        }
    }
  }
  out->push_back('"');
}

void json_append_number(std::string* out, double v) {
  if (!std::isfinite(v)) {
    *out += "null";
    return;
  }
  if (v == 0) v = 0;  // -0 prints as 0
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  out->append(buf, p);
}

void json_append_diagnostic(std::string* out, const Diagnostic& d) {
  *out += "{\"code\":";
  json_append_string(out, d.code);
  *out += ",\"message\":";
  json_append_string(out, d.message);
  if (!d.file.empty()) {
    *out += ",\"file\":";
    json_append_string(out, d.file);
  }
  if (d.line > 0) {
    *out += ",\"line\":";
    *out += std::to_string(d.line);
  }
  const std::pair<const char*, const std::string*> opt[] = {
      {"record", &d.record}, {"site", &d.site}, {"region", &d.region}, {"metric", &d.metric}};
  for (const auto& [name, value] : opt) {
    if (value->empty()) continue;
    *out += ",\"";
    *out += name;
    *out += "\":";
    json_append_string(out, *value);
  }
  *out += "}";
}

std::string calc_document_json(const std::string& package_name, int reporting_year,
                               const std::string& run_hash, const Inventory& inventory,
                               const std::vector<Diagnostic>& extra) {
  std::string out;
  out.reserve(256 + inventory.figures.size() * 96);
  out += "{\"package\":";
  json_append_string(&out, package_name);
  out += ",\"reporting_year\":";
  out += std::to_string(reporting_year);
  out += ",\"run_hash\":";
  json_append_string(&out, run_hash);
  out += ",\"metrics\":[";
  bool first = true;
  for (const auto& f : inventory.figures) {
    out += first ? "\n" : ",\n";
    first = false;
    out += "{\"id\":";
    json_append_string(&out, f.id);
    out += ",\"year\":";
    out += std::to_string(f.year);
    if (!f.site.empty()) {
      out += ",\"site\":";
      json_append_string(&out, f.site);
    }
    if (!f.category.empty()) {
      out += ",\"category\":";
      json_append_string(&out, f.category);
    }
    out += ",\"value\":";
    if (f.value) {
      json_append_number(&out, *f.value);
    } else {
      out += "null,\"status\":";
      json_append_string(&out, status_name(f.status));
    }
    out += ",\"unit\":";
    json_append_string(&out, f.unit);
    out += "}";
  }
  out += "],\n\"warnings\":[";
  first = true;
  auto put = [&](const Diagnostic& d) {
    out += first ? "\n" : ",\n";
    first = false;
    json_append_diagnostic(&out, d);
  };
  for (const auto& d : extra) put(d);
  for (const auto& d : inventory.diagnostics.items()) put(d);
  out += "]}\n";
  return out;
}

}  // namespace assay
