// The built-in data of the report (data/report/*.toml, embedded): how the
// KPI tables are arranged, unit and category labels, the fixed words in each
// language, and the framework content indexes (HKEX, IFRS S2 / TCFD, GRI).
//
// load_report_data() checks everything before use: every language has every
// word, every metric a layout row names is in the metric catalog (or an `x.`
// id), every framework item has a code, a kind and titles in all languages.
// A finding is an error naming the file; built-in data with errors is a bug
// (tests/disclose checks it loads clean).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "metrics/catalog.hpp"
#include "units/diagnostic.hpp"

namespace assay::disclose {

struct LayoutRow {
  std::string metric;
  int indent = 0;
  std::string breakdown;                // "", "categories" or "dimensions"
  std::vector<std::string> dimensions;  // breakdown = "dimensions": which, in order
  bool total = true;
};

struct LayoutTable {
  std::string id;
  std::string area;  // environment | social | other
  Labels title;
  std::vector<LayoutRow> rows;
};

struct FrameworkItem {
  std::string code;
  std::string kind;                  // quantitative | narrative
  std::string ifrs_s2;               // IFRS S2 paragraphs of a TCFD item (ifrs_s2.toml)
  std::vector<std::string> metrics;  // extra metric ids answering it
  int until = 0;                     // listed only for reporting years <= until (0: always)
  Labels title;
  Labels code_label;  // empty: the code is written as is in every language
};

struct FrameworkData {
  std::string id;  // hkex | ifrs_s2 | gri
  Labels title;
  std::vector<FrameworkItem> items;
};

// A note under a KPI table: the sentence key (notes.toml) and the rows it annotates.
struct TableNote {
  std::string text;
  std::vector<std::string> metrics;
};

struct ReportData {
  std::vector<LayoutTable> tables;
  std::map<std::string, Labels> units;       // contract unit -> label
  std::map<std::string, Labels> currencies;  // CNY -> 人民幣
  std::map<std::string, Labels> scope3_categories;
  std::map<std::string, Labels> breakdown_nouns;
  std::map<std::string, Labels> factor_sets;  // built-in set -> its edition in words  // metric id
                                              // -> noun of its breakdown headings
  std::map<std::string, std::map<std::string, std::string>> ui;  // language -> key -> word
  std::vector<FrameworkData> frameworks;                         // hkex, ifrs_s2, gri
  std::map<std::string, std::vector<TableNote>> table_notes;     // table id -> its notes
  std::map<std::string, std::map<std::string, std::string>>
      sentences;  // language -> key -> template

  // The unit's label in `language`; units with a currency ("tCO2e/million CNY")
  // are "<label of tCO2e/million><currency label>" in Chinese and
  // "<label> <currency>" in English. Unknown units are returned as written.
  std::string unit_label(const std::string& unit, const std::string& language) const;
};

ReportData load_report_data(const MetricCatalog& catalog, DiagnosticSink* diagnostics);

// The built-in report data, loaded once against the built-in catalog.
const ReportData& builtin_report_data();
const DiagnosticSink& builtin_report_data_diagnostics();

// Languages a report can be written in.
const std::vector<std::string>& report_languages();  // en, zh-Hant, zh-Hans

}  // namespace assay::disclose
