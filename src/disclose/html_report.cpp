// The HTML page of a report: one file, no script, no external resource
// (styles and SVG charts inline), so it opens from disk, survives e-mail and
// prints as the published appendix does: A4, one area per page, table heads
// repeated on every page, rows and charts never split across pages.
#include <string>

#include "disclose/html_escape.hpp"
#include "disclose/renderers.hpp"

namespace assay::disclose {

namespace {

using internal::html;

// CJK fonts first for Chinese pages so punctuation takes the Chinese forms;
// every font a reader's machine may have, Debian's Noto CJK first.
std::string font_stack(const std::string& lang) {
  const std::string latin = "\"Noto Sans\", \"Segoe UI\", \"Helvetica Neue\", Arial";
  const std::string tc =
      "\"Noto Sans CJK TC\", \"Noto Sans TC\", \"Source Han Sans TC\", \"Microsoft JhengHei\", "
      "\"PingFang TC\"";
  const std::string sc =
      "\"Noto Sans CJK SC\", \"Noto Sans SC\", \"Source Han Sans SC\", \"Microsoft YaHei\", "
      "\"PingFang SC\"";
  if (lang == "zh-Hant") return tc + ", " + latin + ", " + sc + ", sans-serif";
  if (lang == "zh-Hans") return sc + ", " + latin + ", " + tc + ", sans-serif";
  return latin + ", " + tc + ", " + sc + ", sans-serif";
}

std::string style(const Report& r) {
  return R"(<style>
:root { --ink: #1b1f23; --muted: #5a6470; --rule: #c9d1d9; --band: #f3f6f8; --accent: #0b6e4f; }
* { box-sizing: border-box; }
body { font-family: )" +
         font_stack(r.language) +
         R"(; color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 24px 32px 64px; line-height: 1.45; font-size: 14px; }
header.cover h1 { font-size: 28px; margin: 0 0 4px; color: var(--accent); }
header.cover p { margin: 2px 0; }
.meta { color: var(--muted); font-size: 12px; word-break: break-all; }
nav.toc ol { columns: 2; padding-left: 20px; }
nav.toc a { color: var(--ink); text-decoration: none; }
h2 { font-size: 21px; border-bottom: 2px solid var(--accent); padding-bottom: 4px; margin-top: 36px; }
h3 { font-size: 16px; margin: 24px 0 8px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 4px; font-variant-numeric: tabular-nums; }
table.kpi { table-layout: fixed; }
table.kpi thead th:first-child { width: 40%; }
table.kpi thead th:nth-child(2) { width: 17%; }
table.kpi thead th:last-child { width: 5%; }
th, td { border-bottom: 1px solid var(--rule); padding: 5px 8px; vertical-align: top; }
thead th { background: var(--band); text-align: left; font-weight: 600; }
thead th[data-year], td.num { text-align: right; white-space: nowrap; }
td.unit { color: var(--muted); white-space: nowrap; }
td.note-ref { color: var(--muted); font-size: 12px; white-space: nowrap; }
tbody th { text-align: left; font-weight: normal; }
tr.indent-1 > th { padding-left: 24px; }
tr.indent-2 > th { padding-left: 44px; }
tr.group > th { font-weight: 600; background: #fafbfc; }
tr.indent-0:not(.group) > th { font-weight: 600; }
td.na { color: var(--muted); text-align: right; }
ol.notes { color: var(--muted); font-size: 12px; margin: 4px 0 16px; padding-left: 20px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(480px, 1fr)); gap: 16px; }
figure.chart { margin: 0; border: 1px solid var(--rule); padding: 8px; }
figure.chart figcaption { font-weight: 600; margin-bottom: 4px; }
figure.chart svg { width: 100%; height: auto; display: block; }
table.index th[scope=row] { width: 14%; }
table.index td:nth-child(3) { white-space: nowrap; }
.status-not_answered { color: #b00020; font-weight: 600; }
.status-not_material { color: #8a6d00; }
.sev-error { color: #b00020; font-weight: 600; }
.sev-warning { color: #8a6d00; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav.toc { break-after: page; }
  section.area, section.part { break-before: page; }
  thead { display: table-header-group; }
  tr, figure.chart, ol.notes li { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  .charts { display: block; }
  figure.chart { margin-bottom: 10mm; }
  a { color: inherit; text-decoration: none; }
}
</style>
)";
}

std::string year_head(const Report& r, int year) { return std::to_string(year) + r.ui.year_suffix; }

std::string note_refs(const std::vector<int>& notes) {
  std::string s;
  for (size_t i = 0; i < notes.size(); ++i) s += (i ? ", " : "") + std::to_string(notes[i]);
  return s;
}

void kpi_table(const Report& r, const KpiTable& t, std::string* out) {
  std::string& o = *out;
  o += "<section class=\"kpi-table\" id=\"section-" + html(t.id) + "\">\n<h3>" + html(t.title) +
       "</h3>\n";
  o += "<table class=\"kpi\" id=\"table-" + html(t.id) + "\">\n<thead><tr><th scope=\"col\">" +
       html(r.ui.indicator) + "</th><th scope=\"col\">" + html(r.ui.unit) + "</th>";
  for (int y : r.years)
    o += "<th scope=\"col\" data-year=\"" + std::to_string(y) + "\">" + html(year_head(r, y)) +
         "</th>";
  o += "<th scope=\"col\">" + html(r.ui.notes) + "</th></tr></thead>\n<tbody>\n";
  const std::string span = std::to_string(r.years.size() + 3);
  for (const KpiRow& row : t.rows) {
    const std::string cls = "indent-" + std::to_string(row.indent) + (row.heading ? " group" : "");
    if (row.heading) {
      o += "<tr class=\"" + cls + "\"><th scope=\"rowgroup\" colspan=\"" + span + "\">" +
           html(row.label) + "</th></tr>\n";
      continue;
    }
    o += "<tr class=\"" + cls + "\" data-metric=\"" + html(row.metric) + "\" data-category=\"" +
         html(row.category) + "\"><th scope=\"row\">" + html(row.label) +
         "</th><td class=\"unit\">" + html(row.unit) + "</td>";
    for (size_t i = 0; i < row.cells.size(); ++i) {
      const Cell& c = row.cells[i];
      o += std::string("<td class=\"") + (c.value ? "num" : "num na") + "\" data-year=\"" +
           std::to_string(r.years[i]) + "\"" +
           (c.value ? "" : " title=\"" + html(c.status) + "\"") + ">" + html(c.text) + "</td>";
    }
    o += "<td class=\"note-ref\">" + note_refs(row.notes) + "</td></tr>\n";
  }
  o += "</tbody>\n</table>\n";
  if (!t.notes.empty()) {
    o += "<ol class=\"notes\">\n";
    for (const std::string& n : t.notes) o += "<li>" + html(n) + "</li>\n";
    o += "</ol>\n";
  }
  o += "</section>\n";
}

void area(const Report& r, const std::string& area_id, const std::string& title, std::string* out) {
  bool any = false;
  for (const KpiTable& t : r.tables) any |= t.area == area_id;
  if (!any) return;
  *out += "<section class=\"area\" id=\"area-" + area_id + "\">\n<h2>" + html(title) +
          "</h2>\n<p class=\"meta\">" + html(r.ui.year_ended) + "</p>\n";
  for (const KpiTable& t : r.tables) {
    if (t.area == area_id) kpi_table(r, t, out);
  }
  *out += "</section>\n";
}

void targets(const Report& r, std::string* out) {
  if (r.targets.empty()) return;
  std::string& o = *out;
  o += "<section class=\"part\" id=\"targets\">\n<h2>" + html(r.ui.targets) +
       "</h2>\n<table class=\"targets\">\n<thead><tr>";
  for (const std::string* h :
       {&r.ui.target_id, &r.ui.target_metric, &r.ui.target_kind, &r.ui.target_base,
        &r.ui.target_goal, &r.ui.target_current, &r.ui.target_progress, &r.ui.target_required}) {
    o += "<th scope=\"col\">" + html(*h) + "</th>";
  }
  o += "</tr></thead>\n<tbody>\n";
  for (const TargetRow& t : r.targets) {
    o += "<tr data-target=\"" + html(t.target_id) + "\"><th scope=\"row\">" + html(t.target_id) +
         "</th><td>" + html(t.metric_label) + "</td><td>" + html(t.kind) + "</td><td>" +
         html(t.base_value) + " (" + std::to_string(t.base_year) + ")</td><td>" +
         html(t.target_value) + " (" + std::to_string(t.target_year) + ")</td><td>" +
         html(t.current_value) + " (" + std::to_string(t.current_year) +
         ")</td><td class=\"num\">" + html(t.progress_text) + "</td><td class=\"num\">" +
         html(t.required_annual_text) + "</td></tr>\n";
    if (!t.note.empty())
      o += "<tr class=\"target-note\"><td></td><td colspan=\"7\" class=\"meta\">" + html(t.note) +
           "</td></tr>\n";
  }
  o += "</tbody>\n</table>\n</section>\n";
}

void charts(const Report& r, std::string* out) {
  if (r.charts.empty()) return;
  *out += "<section class=\"part\" id=\"charts\">\n<h2>" + html(r.ui.charts) +
          "</h2>\n<div class=\"charts\">\n";
  for (const Chart& c : r.charts) {
    *out += "<figure class=\"chart\" id=\"chart-" + html(c.id) + "\"><figcaption>" + html(c.title) +
            "</figcaption>\n" + c.svg + "\n</figure>\n";
  }
  *out += "</div>\n</section>\n";
}

void indexes(const Report& r, std::string* out) {
  std::string& o = *out;
  o += "<section class=\"part\" id=\"index\">\n<h2>" + html(r.ui.framework_index) + "</h2>\n";
  for (const FrameworkIndex& fi : r.indexes) {
    o += "<h3 id=\"index-" + html(fi.id) + "\">" + html(fi.title) +
         "</h3>\n<table class=\"index\" id=\"index-table-" + html(fi.id) +
         "\">\n<thead><tr><th scope=\"col\">" + html(r.ui.index_code) + "</th><th scope=\"col\">" +
         html(r.ui.index_requirement) + "</th><th scope=\"col\">" + html(r.ui.index_status) +
         "</th><th scope=\"col\">" + html(r.ui.index_where) + "</th></tr></thead>\n<tbody>\n";
    for (const IndexEntry& e : fi.entries) {
      o += "<tr data-code=\"" + html(e.code) + "\"><th scope=\"row\">" + html(e.code_text) +
           "</th><td>" + html(e.title) + "</td><td class=\"status-" + html(e.status) + "\">" +
           html(e.status_text) + "</td><td>";
      if (!e.answered_in.empty()) {
        for (size_t i = 0; i < e.answered_in.size(); ++i) {
          const auto& p = e.answered_in[i];
          const std::string anchor = p.table_id == "targets" ? "targets" : "section-" + p.table_id;
          o += (i ? "<br>" : "") + std::string("<a href=\"#") + html(anchor) + "\">" +
               html(p.table_title) + "</a> — " + html(p.metric_label);
        }
      } else {
        o += html(e.explanation);
      }
      o += "</td></tr>\n";
    }
    o += "</tbody>\n</table>\n";
  }
  o += "</section>\n";
}

void method_and_warnings(const Report& r, std::string* out) {
  std::string& o = *out;
  o += "<section class=\"part\" id=\"method\">\n<h2>" + html(r.ui.method) +
       "</h2>\n<ol class=\"method\">\n";
  for (const std::string& n : r.method_notes) o += "<li>" + html(n) + "</li>\n";
  o += "</ol>\n<h2 id=\"warnings\">" + html(r.ui.warnings) + "</h2>\n";
  if (r.warnings.empty()) {
    o += "<p>" + html(r.ui.no_warnings) + "</p>\n";
  } else {
    o += "<table class=\"warnings\">\n<tbody>\n";
    for (const ReportWarning& w : r.warnings) {
      o += "<tr><td class=\"sev-" + html(w.severity) + "\">" + html(w.severity) +
           "</td><td><code>" + html(w.code) + "</code></td><td>" + html(w.where) + "</td><td>" +
           html(w.message) + "</td></tr>\n";
    }
    o += "</tbody>\n</table>\n";
  }
  o += "</section>\n";
}

void toc(const Report& r, std::string* out) {
  std::string& o = *out;
  o += "<nav class=\"toc\">\n<h2>" + html(r.ui.contents) + "</h2>\n<ol>\n";
  for (const KpiTable& t : r.tables)
    o += "<li><a href=\"#section-" + html(t.id) + "\">" + html(t.title) + "</a></li>\n";
  if (!r.targets.empty()) o += "<li><a href=\"#targets\">" + html(r.ui.targets) + "</a></li>\n";
  if (!r.charts.empty()) o += "<li><a href=\"#charts\">" + html(r.ui.charts) + "</a></li>\n";
  o += "<li><a href=\"#index\">" + html(r.ui.framework_index) + "</a></li>\n";
  o += "<li><a href=\"#method\">" + html(r.ui.method) + "</a></li>\n";
  o += "<li><a href=\"#warnings\">" + html(r.ui.warnings) + "</a></li>\n</ol>\n</nav>\n";
}

}  // namespace

std::string render_html(const Report& r) {
  std::string o;
  o.reserve(256 * 1024);
  o += "<!DOCTYPE html>\n<html lang=\"" + html(r.language) +
       "\">\n<head>\n<meta charset=\"utf-8\">\n" +
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n" +
       "<meta name=\"generator\" content=\"Assay " + html(r.engine_version) + "\">\n<title>" +
       html(r.package_name) + " — " + html(r.ui.report_title) + " " +
       std::to_string(r.reporting_year) + "</title>\n" + style(r) + "</head>\n<body>\n";
  o += "<header class=\"cover\">\n<h1>" + html(r.ui.report_title) + "</h1>\n<p class=\"package\">" +
       html(r.package_name) + "</p>\n<p class=\"year\">" + std::to_string(r.reporting_year) +
       html(r.ui.year_suffix) + "</p>\n<p class=\"meta\">" + html(r.ui.generated_by) + " · " +
       html(r.ui.run_hash) + " " + html(r.run_hash) + "</p>\n</header>\n";
  toc(r, &o);
  area(r, "environment", r.ui.areas_environment, &o);
  area(r, "social", r.ui.areas_social, &o);
  area(r, "other", r.ui.areas_other, &o);
  targets(r, &o);
  charts(r, &o);
  indexes(r, &o);
  method_and_warnings(r, &o);
  o += "</body>\n</html>\n";
  return o;
}

}  // namespace assay::disclose
