#include "calc/calc_json.hpp"

#include <charconv>
#include <cmath>

namespace assay {

void json_append_figure_key(std::string* out, std::string_view id_key, std::string_view id,
                            int year, std::string_view site, std::string_view category) {
  *out += '"';
  *out += id_key;
  *out += "\":";
  json_append_string(out, id);
  *out += ",\"year\":" + std::to_string(year);
  if (!site.empty()) {
    *out += ",\"site\":";
    json_append_string(out, site);
  }
  if (!category.empty()) {
    *out += ",\"category\":";
    json_append_string(out, category);
  }
}

void json_append_figure_fields(std::string* out, const Figure& f, std::string_view id_key) {
  json_append_figure_key(out, id_key, f.id, f.year, f.site, f.category);
  *out += ",\"value\":";
  if (f.value) {
    json_append_number(out, *f.value);
  } else {
    *out += "null,\"status\":";
    json_append_string(out, status_name(f.status));
  }
  *out += ",\"unit\":";
  json_append_string(out, f.unit);
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
    out += "{";
    json_append_figure_fields(&out, f, "id");
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
