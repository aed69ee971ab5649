// The JSON report: the calc document unchanged under "calc", and the
// report's arrangement under "report" with every text in every language of
// the run ({"en": ..., "zh-Hant": ...}), so a web page or a filing tool can
// draw the same tables without the renderers. Written with the project's
// deterministic JSON writer (units/json_text.hpp): same run, same bytes.
#include <string>

#include "disclose/renderers.hpp"
#include "units/json_text.hpp"

namespace assay::disclose {

namespace {

// {"en": a, "zh-Hant": b, ...} of one text taken from each language's Report.
template <typename Get>
void texts(std::string* o, const std::vector<Report>& reports, Get get) {
  *o += '{';
  for (size_t i = 0; i < reports.size(); ++i) {
    if (i) *o += ',';
    json_append_string(o, reports[i].language);
    *o += ':';
    json_append_string(o, get(reports[i]));
  }
  *o += '}';
}

void key(std::string* o, const char* k) {
  json_append_string(o, k);
  *o += ':';
}

void tables(std::string* o, const std::vector<Report>& rs) {
  const Report& r0 = rs.front();
  *o += '[';
  for (size_t t = 0; t < r0.tables.size(); ++t) {
    const KpiTable& table = r0.tables[t];
    if (t) *o += ',';
    *o += '{';
    key(o, "id");
    json_append_string(o, table.id);
    *o += ',';
    key(o, "area");
    json_append_string(o, table.area);
    *o += ',';
    key(o, "title");
    texts(o, rs, [&](const Report& r) { return r.tables[t].title; });
    *o += ',';
    key(o, "rows");
    *o += '[';
    for (size_t i = 0; i < table.rows.size(); ++i) {
      const KpiRow& row = table.rows[i];
      if (i) *o += ',';
      *o += '{';
      key(o, "metric");
      json_append_string(o, row.metric);
      *o += ',';
      key(o, "category");
      json_append_string(o, row.category);
      *o += ',';
      key(o, "indent");
      *o += std::to_string(row.indent);
      *o += ',';
      key(o, "heading");
      *o += row.heading ? "true" : "false";
      *o += ',';
      key(o, "label");
      texts(o, rs, [&](const Report& r) { return r.tables[t].rows[i].label; });
      if (!row.heading) {
        *o += ',';
        key(o, "unit");
        json_append_string(o, row.unit_code);
        *o += ',';
        key(o, "unit_label");
        texts(o, rs, [&](const Report& r) { return r.tables[t].rows[i].unit; });
        *o += ',';
        key(o, "decimals");
        *o += std::to_string(row.decimals);
        *o += ',';
        key(o, "values");
        *o += '[';
        for (size_t c = 0; c < row.cells.size(); ++c) {
          if (c) *o += ',';
          if (row.cells[c].rounded) {
            json_append_number(o, *row.cells[c].rounded);
          } else {
            *o += "null";
          }
        }
        *o += "],";
        key(o, "notes");
        *o += '[';
        for (size_t n = 0; n < row.notes.size(); ++n)
          *o += (n ? "," : "") + std::to_string(row.notes[n]);
        *o += ']';
      }
      *o += '}';
    }
    *o += "],";
    key(o, "notes");
    *o += '[';
    for (size_t n = 0; n < table.notes.size(); ++n) {
      if (n) *o += ',';
      texts(o, rs, [&](const Report& r) { return r.tables[t].notes[n]; });
    }
    *o += "]}";
  }
  *o += ']';
}

void indexes(std::string* o, const std::vector<Report>& rs) {
  const Report& r0 = rs.front();
  *o += '[';
  for (size_t f = 0; f < r0.indexes.size(); ++f) {
    if (f) *o += ',';
    *o += '{';
    key(o, "id");
    json_append_string(o, r0.indexes[f].id);
    *o += ',';
    key(o, "entries");
    *o += '[';
    for (size_t e = 0; e < r0.indexes[f].entries.size(); ++e) {
      const IndexEntry& entry = r0.indexes[f].entries[e];
      if (e) *o += ',';
      *o += '{';
      key(o, "code");
      json_append_string(o, entry.code);
      *o += ',';
      key(o, "status");
      json_append_string(o, entry.status);
      *o += ',';
      key(o, "title");
      texts(o, rs, [&](const Report& r) { return r.indexes[f].entries[e].title; });
      *o += ',';
      key(o, "answered_in");
      *o += '[';
      for (size_t p = 0; p < entry.answered_in.size(); ++p) {
        if (p) *o += ',';
        *o += '{';
        key(o, "table");
        json_append_string(o, entry.answered_in[p].table_id);
        *o += ',';
        key(o, "metric");
        json_append_string(o, entry.answered_in[p].metric);
        *o += '}';
      }
      *o += "],";
      key(o, "explanation");
      json_append_string(o, entry.explanation);
      *o += '}';
    }
    *o += "]}";
  }
  *o += ']';
}

}  // namespace

std::string render_json(const std::vector<Report>& rs, const std::string& calc_document) {
  std::string o = "{";
  key(&o, "calc");
  std::string calc = calc_document;
  while (!calc.empty() && (calc.back() == '\n' || calc.back() == ' ')) calc.pop_back();
  o += calc.empty() ? "null" : calc;
  o += ',';
  key(&o, "report");
  o += '{';
  if (!rs.empty()) {
    const Report& r0 = rs.front();
    key(&o, "languages");
    o += '[';
    for (size_t i = 0; i < rs.size(); ++i) {
      if (i) o += ',';
      json_append_string(&o, rs[i].language);
    }
    o += "],";
    key(&o, "years");
    o += '[';
    for (size_t i = 0; i < r0.years.size(); ++i) o += (i ? "," : "") + std::to_string(r0.years[i]);
    o += "],";
    key(&o, "title");
    texts(&o, rs, [](const Report& r) { return r.ui.report_title; });
    o += ',';
    key(&o, "tables");
    tables(&o, rs);
    o += ',';
    key(&o, "targets");
    o += '[';
    for (size_t t = 0; t < r0.targets.size(); ++t) {
      const TargetRow& tr = r0.targets[t];
      if (t) o += ',';
      o += '{';
      key(&o, "target_id");
      json_append_string(&o, tr.target_id);
      o += ',';
      key(&o, "metric");
      json_append_string(&o, tr.metric);
      o += ',';
      key(&o, "progress");
      if (tr.progress) {
        json_append_number(&o, *tr.progress);
      } else {
        o += "null";
      }
      o += '}';
    }
    o += "],";
    key(&o, "indexes");
    indexes(&o, rs);
    o += ',';
    key(&o, "method");
    o += '[';
    for (size_t n = 0; n < r0.method_notes.size(); ++n) {
      if (n) o += ',';
      texts(&o, rs, [&](const Report& r) { return r.method_notes[n]; });
    }
    o += "],";
    key(&o, "warnings");
    o += '[';
    for (size_t w = 0; w < r0.warnings.size(); ++w) {
      const ReportWarning& rw = r0.warnings[w];
      if (w) o += ',';
      o += '{';
      key(&o, "severity");
      json_append_string(&o, rw.severity);
      o += ',';
      key(&o, "code");
      json_append_string(&o, rw.code);
      o += ',';
      key(&o, "where");
      json_append_string(&o, rw.where);
      o += ',';
      key(&o, "message");
      json_append_string(&o, rw.message);
      o += '}';
    }
    o += ']';
  }
  o += "}}\n";
  return o;
}

}  // namespace assay::disclose
