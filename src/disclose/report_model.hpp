// The report of one run in one language: what every renderer (HTML,
// Markdown, XLSX, JSON) draws, so that the four formats show the same tables,
// the same rounded numbers and the same notes.
//
// build_report() (report_builder.hpp) makes it from a calc run; renderers
// only lay it out. Invariants a renderer may rely on:
//  - `years` is the package's reporting years, newest first (the reference
//    report's column order); every KpiRow has one Cell per year, same order;
//  - every text is already in `language` (labels, units, notes, index titles);
//  - Cell::text is the figure rounded as the metric catalog says
//    (half away from zero at `decimals`), with thousands separators, or
//    Report::ui.not_available when the figure has no value;
//  - the same run gives the same Report, field for field.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace assay::disclose {

struct Cell {
  std::optional<double> value;    // the figure as computed (not rounded); empty: no value
  std::optional<double> rounded;  // value rounded at the row's decimals (what is shown)
  std::string text;               // "6,056,610.1"; ui.not_available when empty
  std::string status;             // "ok", "not_available", "incomplete"
};

struct KpiRow {
  std::string metric;    // metric id of the catalog ("ghg.scope1"); empty for a heading row
  std::string category;  // breakdown category ("gender:female", "3"); empty for a total
  int indent = 0;        // 0 top level, 1 and 2 nested (the reference report's indentation)
  bool heading = false;  // a group heading ("By gender"): label only, no cells
  std::string label;     // in the report's language
  std::string unit;  // display unit in the report's language ("噸二氧化碳當量"); "" for counts
  std::string unit_code;  // unit as the contract writes it ("tCO2e", "%", "MWh")
  int decimals = 1;
  std::vector<Cell> cells;  // one per Report::years
  std::vector<int> notes;   // numbers of the table's notes this row refers to (1-based)
};

struct KpiTable {
  std::string id;     // "ghg", "energy", "water", "waste", "employment", ...
  std::string area;   // "environment", "social", "other"
  std::string title;  // in the report's language
  std::vector<KpiRow> rows;
  std::vector<std::string> notes;  // numbered 1..n in order
};

struct TargetRow {
  std::string target_id;
  std::string metric;
  std::string metric_label;
  std::string kind;  // "reduction", "at_most", "at_least" as text in the language
  int base_year = 0;
  std::string base_value;  // formatted, with unit
  int target_year = 0;
  std::string target_value;  // formatted ("-70%", "≤ 1.35", "≥ 100%")
  int current_year = 0;
  std::string current_value;       // formatted, with unit
  std::optional<double> progress;  // percent of the way from base to target
  std::string progress_text;
  std::string required_annual_text;  // annual reduction still required, or ""
  std::string note;
};

// One line of a framework content index.
struct IndexEntry {
  std::string code;  // "A1.2", "305-1", "29(a)(i)", "Metrics and targets (b)"
  std::string code_text;  // the code as the language writes it ("B部分：管治架構"); usually == code
  std::string title;  // what the framework asks, in the language
  // "answered", "not_material", "narrative" (answered in the report's text, not a
  // figure of Assay), "not_answered" (a quantitative KPI with neither figures nor
  // an explanation: also a report warning).
  std::string status;
  std::string status_text;  // the status in the language
  struct Place {
    std::string table_id;
    std::string table_title;
    std::string metric;
    std::string metric_label;
  };
  std::vector<Place> answered_in;
  std::string explanation;  // not_material: the package's explanation
};

struct FrameworkIndex {
  std::string id;     // "hkex", "ifrs_s2", "gri"
  std::string title;  // in the language
  std::vector<IndexEntry> entries;
};

struct Chart {
  std::string id;     // "scope_share", "scope3_categories", "emissions_trend",
                      // "target_pathway", "renewable_share", "pue_by_site"
  std::string title;  // in the language
  std::string svg;    // a complete <svg> element, no script
};

struct ReportWarning {
  std::string code;
  std::string message;   // as the engine wrote it (English)
  std::string where;     // "activities.csv:17" or a metric id, may be empty
  std::string severity;  // "error", "warning", "info"
};

// Fixed words of the report in its language (headings, column names).
struct UiText {
  std::string report_title;     // "ESG key performance indicators"
  std::string indicator;        // column head of labels
  std::string unit;             // column head of units
  std::string year_suffix;      // "" (en) or "年"
  std::string notes;            // "Notes"
  std::string targets;          // "Targets and progress"
  std::string framework_index;  // "Content index"
  std::string charts;           // "Charts"
  std::string warnings;         // "Warnings of this run"
  std::string method;           // "Method of this run"
  std::string not_available;    // "—"
  std::string run_hash;         // "Run hash"
  std::string generated_by;     // "Generated by Assay 0.1.0 from package ..."
  std::string areas_environment, areas_social, areas_other;
  // Target table heads.
  std::string target_id, target_metric, target_kind, target_base, target_goal, target_current,
      target_progress, target_required;
  // Index table heads.
  std::string index_code, index_requirement, index_status, index_where, index_explanation;
  // Warning table heads.
  std::string warning_severity, warning_code, warning_where, warning_message;
  // Target kinds and index statuses in words.
  std::string kind_reduction, kind_at_most, kind_at_least;
  std::string status_answered, status_not_material, status_narrative, status_not_answered;
  std::string no_warnings;  // the warnings section when there are none
  std::string contents;     // table of contents heading
  std::string year_ended;   // "Year ended 31 December" above the year columns
};

struct Report {
  std::string language;  // "en", "zh-Hant", "zh-Hans"
  std::string package_name;
  int reporting_year = 0;
  std::vector<int> years;  // newest first
  std::string currency;
  std::string run_hash;
  std::string engine_version;
  UiText ui;
  std::vector<KpiTable> tables;
  std::vector<std::string> method_notes;  // the run's method, one paragraph each
  std::vector<TargetRow> targets;
  std::vector<FrameworkIndex> indexes;
  std::vector<Chart> charts;
  std::vector<ReportWarning> warnings;
};

}  // namespace assay::disclose
