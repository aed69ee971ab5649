#include "assure/run_diff.hpp"

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

#include "calc/calc_json.hpp"
#include "factors/conversion.hpp"

namespace assay {

namespace {

using Key = std::tuple<std::string, int, std::string, std::string>;

struct Row {
  Key key;
  std::string unit;
  std::optional<double> value;
  std::string status;
  size_t order = 0;
};

Status parse_document(const std::string& text, const char* which, std::string* package,
                      std::string* run_hash, std::vector<Row>* rows) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("metrics") ||
      !doc["metrics"].is_array()) {
    return Status::error(std::string("run ") + which +
                         " is not a calc document (expected the JSON of `assay calc --json`)");
  }
  *package = doc.value("package", "");
  *run_hash = doc.value("run_hash", "");
  size_t order = 0;
  for (const auto& m : doc["metrics"]) {
    if (!m.is_object() || !m.contains("id") || !m.contains("year")) {
      return Status::error(std::string("run ") + which + ": a metric without id or year");
    }
    Row r;
    r.key = Key{m["id"].get<std::string>(), m["year"].get<int>(), m.value("site", ""),
                m.value("category", "")};
    r.unit = m.value("unit", "");
    if (m.contains("value") && m["value"].is_number()) r.value = m["value"].get<double>();
    r.status = m.value("status", r.value ? "ok" : "not_available");
    r.order = order++;
    rows->push_back(std::move(r));
  }
  return Status::ok();
}

}  // namespace

bool exceeds_threshold(double before, double after, double threshold_percent) {
  // Multiplied out rather than divided, so that a change of exactly the
  // threshold (e.g. 200 -> 210 at 5%) compares equal and is not flagged.
  return std::fabs(after - before) * 100.0 > threshold_percent * std::fabs(before);
}

Status diff_calc_documents(const std::string& doc_a, const std::string& doc_b,
                           double threshold_percent, RunDiff* out) {
  *out = RunDiff{};
  out->threshold = threshold_percent;
  std::vector<Row> a, b;
  Status s = parse_document(doc_a, "A", &out->package_a, &out->run_a, &a);
  if (!s) return s;
  s = parse_document(doc_b, "B", &out->package_b, &out->run_b, &b);
  if (!s) return s;
  out->figures_a = a.size();
  out->figures_b = b.size();
  std::map<Key, const Row*> in_a, in_b;
  for (const Row& r : a) in_a[r.key] = &r;
  for (const Row& r : b) in_b[r.key] = &r;
  // Merged in key order: the documents are sorted by (id, year, site, category).
  std::map<Key, std::pair<const Row*, const Row*>> all;
  for (const auto& [k, r] : in_a) all[k].first = r;
  for (const auto& [k, r] : in_b) all[k].second = r;
  for (const auto& [k, pair] : all) {
    const auto& [ra, rb] = pair;
    FigureChange c;
    std::tie(c.id, c.year, c.site, c.category) = k;
    c.unit = rb ? rb->unit : ra->unit;
    if (ra) {
      c.before = ra->value;
      c.status_before = ra->status;
    }
    if (rb) {
      c.after = rb->value;
      c.status_after = rb->status;
    }
    if (!ra) {
      c.kind = "added";
      c.material = true;
    } else if (!rb) {
      c.kind = "removed";
      c.material = true;
    } else if (ra->value && rb->value) {
      if (*ra->value == *rb->value && ra->status == rb->status) {
        ++out->unchanged;
        continue;
      }
      c.kind = "changed";
      c.absolute = *rb->value - *ra->value;
      if (*ra->value != 0.0) c.relative = *c.absolute / std::fabs(*ra->value) * 100.0;
      c.material = exceeds_threshold(*ra->value, *rb->value, threshold_percent);
    } else if (ra->status == rb->status && !ra->value && !rb->value) {
      ++out->unchanged;
      continue;
    } else {
      c.kind = "status";
      c.material = true;
    }
    if (c.material) ++out->material;
    out->changes.push_back(std::move(c));
  }
  return Status::ok();
}

namespace {

void append_opt(std::string* out, const std::optional<double>& v) {
  if (v) {
    json_append_number(out, *v);
  } else {
    *out += "null";
  }
}

std::string figure_name(const FigureChange& c) {
  std::string s = c.id + " " + std::to_string(c.year);
  if (!c.site.empty()) s += " site=" + c.site;
  if (!c.category.empty()) s += " category=" + c.category;
  return s;
}

std::string value_text(const std::optional<double>& v, const std::string& status) {
  if (v) return format_number(*v);
  return status.empty() ? "-" : status;
}

}  // namespace

std::string diff_json(const RunDiff& d) {
  std::string out = "{\"run_a\":";
  json_append_string(&out, d.run_a);
  out += ",\"run_b\":";
  json_append_string(&out, d.run_b);
  out += ",\"threshold_pct\":";
  json_append_number(&out, d.threshold);
  out += ",\"threshold_rule\":\"material when |relative| > threshold (exclusive)\"";
  out += ",\"figures_a\":" + std::to_string(d.figures_a);
  out += ",\"figures_b\":" + std::to_string(d.figures_b);
  out += ",\"unchanged\":" + std::to_string(d.unchanged);
  out += ",\"changed\":" + std::to_string(d.changes.size());
  out += ",\"material\":" + std::to_string(d.material);
  out += ",\"changes\":[";
  for (size_t i = 0; i < d.changes.size(); ++i) {
    const FigureChange& c = d.changes[i];
    if (i) out += ",";
    out += "\n{";
    json_append_figure_key(&out, "id", c.id, c.year, c.site, c.category);
    out += ",\"unit\":";
    json_append_string(&out, c.unit);
    out += ",\"kind\":";
    json_append_string(&out, c.kind);
    out += ",\"before\":";
    append_opt(&out, c.before);
    out += ",\"after\":";
    append_opt(&out, c.after);
    if (c.kind == "status") {
      out += ",\"status_before\":";
      json_append_string(&out, c.status_before);
      out += ",\"status_after\":";
      json_append_string(&out, c.status_after);
    }
    out += ",\"absolute\":";
    append_opt(&out, c.absolute);
    out += ",\"relative_pct\":";
    append_opt(&out, c.relative);
    out += c.material ? ",\"material\":true}" : ",\"material\":false}";
  }
  out += "]}\n";
  return out;
}

std::string diff_text(const RunDiff& d) {
  std::string out = "A " + (d.run_a.empty() ? std::string("(no run hash)") : d.run_a) + "\nB " +
                    (d.run_b.empty() ? std::string("(no run hash)") : d.run_b) + "\n";
  out += std::to_string(d.changes.size()) + " of " +
         std::to_string(d.unchanged + d.changes.size()) + " figures changed, " +
         std::to_string(d.material) + " beyond the threshold of " + format_number(d.threshold) +
         "% (flagged when |relative| > threshold)\n";
  for (const FigureChange& c : d.changes) {
    std::string line = (c.material ? "! " : "  ") + figure_name(c) + ": " +
                       value_text(c.before, c.status_before) + " -> " +
                       value_text(c.after, c.status_after) + " " + c.unit;
    if (c.absolute) {
      line += "  (" + std::string(*c.absolute >= 0 ? "+" : "") + format_number(*c.absolute);
      if (c.relative) {
        line += ", " + std::string(*c.relative >= 0 ? "+" : "") + format_number(*c.relative) + "%";
      }
      line += ")";
    } else {
      line += "  (" + c.kind + ")";
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace assay
