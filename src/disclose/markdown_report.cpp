// The Markdown report: the same tables as the HTML page (GitHub-flavoured
// tables), for review in a pull request or a wiki. Charts are left out:
// Markdown has no inline SVG that every viewer shows.
#include <string>

#include "disclose/html_escape.hpp"
#include "disclose/renderers.hpp"

namespace assay::disclose {

namespace {

using internal::md_cell;

// Nested rows are indented with no-break spaces, which Markdown keeps.
std::string indent(int level) {
  std::string s;
  for (int i = 0; i < level * 2; ++i) s += "\u00a0";
  return s;
}

void table(const Report& r, const KpiTable& t, std::string* out) {
  std::string& o = *out;
  o += "### " + t.title + "\n\n| " + md_cell(r.ui.indicator) + " | " + md_cell(r.ui.unit) + " |";
  for (int y : r.years) o += " " + std::to_string(y) + md_cell(r.ui.year_suffix) + " |";
  o += " " + md_cell(r.ui.notes) + " |\n| --- | --- |";
  for (size_t i = 0; i < r.years.size(); ++i) o += " ---: |";
  o += " --- |\n";
  for (const KpiRow& row : t.rows) {
    o += "| " + indent(row.indent) +
         (row.heading ? "**" + md_cell(row.label) + "**" : md_cell(row.label)) + " | " +
         md_cell(row.unit) + " |";
    for (const Cell& c : row.cells) o += " " + md_cell(c.text) + " |";
    if (row.heading) {
      for (size_t i = 0; i < r.years.size(); ++i) o += " |";
    }
    std::string refs;
    for (size_t i = 0; i < row.notes.size(); ++i)
      refs += (i ? ", " : "") + std::to_string(row.notes[i]);
    o += " " + refs + " |\n";
  }
  o += "\n";
  for (size_t i = 0; i < t.notes.size(); ++i) o += std::to_string(i + 1) + ". " + t.notes[i] + "\n";
  if (!t.notes.empty()) o += "\n";
}

}  // namespace

std::string render_markdown(const Report& r) {
  std::string o;
  o += "# " + r.ui.report_title + " — " + r.package_name + " " + std::to_string(r.reporting_year) +
       r.ui.year_suffix + "\n\n" + r.ui.generated_by + (r.language == "en" ? ". " : "。") +
       r.ui.run_hash + " `" + r.run_hash + "`\n\n";
  const std::pair<std::string, std::string> areas[] = {{"environment", r.ui.areas_environment},
                                                       {"social", r.ui.areas_social},
                                                       {"other", r.ui.areas_other}};
  for (const auto& [id, title] : areas) {
    bool any = false;
    for (const KpiTable& t : r.tables) any |= t.area == id;
    if (!any) continue;
    o += "## " + title + "\n\n" + r.ui.year_ended + "\n\n";
    for (const KpiTable& t : r.tables) {
      if (t.area == id) table(r, t, &o);
    }
  }
  if (!r.targets.empty()) {
    o += "## " + r.ui.targets + "\n\n| " + md_cell(r.ui.target_id) + " | " +
         md_cell(r.ui.target_metric) + " | " + md_cell(r.ui.target_kind) + " | " +
         md_cell(r.ui.target_base) + " | " + md_cell(r.ui.target_goal) + " | " +
         md_cell(r.ui.target_current) + " | " + md_cell(r.ui.target_progress) + " | " +
         md_cell(r.ui.target_required) +
         " |\n| --- | --- | --- | --- | --- | --- | ---: | ---: |\n";
    for (const TargetRow& t : r.targets) {
      o += "| " + md_cell(t.target_id) + " | " + md_cell(t.metric_label) + " | " + md_cell(t.kind) +
           " | " + md_cell(t.base_value) + " (" + std::to_string(t.base_year) + ") | " +
           md_cell(t.target_value) + " (" + std::to_string(t.target_year) + ") | " +
           md_cell(t.current_value) + " (" + std::to_string(t.current_year) + ") | " +
           md_cell(t.progress_text) + " | " + md_cell(t.required_annual_text) + " |\n";
    }
    o += "\n";
  }
  o += "## " + r.ui.framework_index + "\n\n";
  for (const FrameworkIndex& fi : r.indexes) {
    o += "### " + fi.title + "\n\n| " + md_cell(r.ui.index_code) + " | " +
         md_cell(r.ui.index_requirement) + " | " + md_cell(r.ui.index_status) + " | " +
         md_cell(r.ui.index_where) + " |\n| --- | --- | --- | --- |\n";
    for (const IndexEntry& e : fi.entries) {
      std::string where;
      for (size_t i = 0; i < e.answered_in.size(); ++i) {
        where +=
            (i ? "; " : "") + e.answered_in[i].table_title + " — " + e.answered_in[i].metric_label;
      }
      if (where.empty()) where = e.explanation;
      o += "| " + md_cell(e.code_text) + " | " + md_cell(e.title) + " | " + md_cell(e.status_text) +
           " | " + md_cell(where) + " |\n";
    }
    o += "\n";
  }
  o += "## " + r.ui.method + "\n\n";
  for (size_t i = 0; i < r.method_notes.size(); ++i)
    o += std::to_string(i + 1) + ". " + r.method_notes[i] + "\n";
  o += "\n## " + r.ui.warnings + "\n\n";
  if (r.warnings.empty()) o += r.ui.no_warnings + "\n";
  for (const ReportWarning& w : r.warnings) {
    o += "- " + w.severity + " `" + w.code + "`" + (w.where.empty() ? "" : " (" + w.where + ")") +
         ": " + w.message + "\n";
  }
  return o;
}

}  // namespace assay::disclose
