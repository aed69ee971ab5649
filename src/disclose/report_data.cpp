#include "disclose/report_data.hpp"

#include <toml++/toml.h>

#include "units/embedded_data.hpp"

namespace assay::disclose {

namespace {

// Reads one data/report/*.toml file and reports what is wrong with it,
// naming the file and line.
class DataFile {
 public:
  DataFile(std::string path, DiagnosticSink* diags)
      : file_("data/" + std::move(path)), diags_(diags) {}

  bool parse(toml::table* doc) {
    std::string_view text;
    for (const EmbeddedFile& f : embedded_files()) {
      if ("data/" + std::string(f.path) == file_) text = f.content;
    }
    if (text.empty()) {
      error(0, "report_data_missing", "built-in file is missing");
      return false;
    }
    try {
      *doc = toml::parse(text, file_);
    } catch (const toml::parse_error& e) {
      error(e.source().begin.line, "report_data_syntax", std::string(e.description()));
      return false;
    }
    return true;
  }

  void error(int64_t line, std::string code, std::string message) {
    Diagnostic d;
    d.file = file_;
    d.line = line;
    d.code = std::move(code);
    d.message = std::move(message);
    diags_->add(std::move(d));
  }

  // en / zh-Hant / zh-Hans of an inline table; all three must be present
  // (empty allowed only when `allow_empty`, for units that have no word).
  Labels labels(const toml::node* n, const std::string& what, bool allow_empty = false) {
    Labels l;
    const auto* t = n ? n->as_table() : nullptr;
    if (!t) {
      error(n ? n->source().begin.line : 0, "report_data_invalid",
            what + ": needs en, zh-Hant, zh-Hans");
      return l;
    }
    const auto* en = t->get("en");
    const auto* hant = t->get("zh-Hant");
    const auto* hans = t->get("zh-Hans");
    l.en = en ? en->value_or(std::string()) : std::string();
    l.zh_hant = hant ? hant->value_or(std::string()) : std::string();
    l.zh_hans = hans ? hans->value_or(std::string()) : std::string();
    const bool present =
        en && hant && hans && en->is_string() && hant->is_string() && hans->is_string();
    if (!present || (!allow_empty && (l.en.empty() || l.zh_hant.empty() || l.zh_hans.empty()))) {
      error(n->source().begin.line, "report_data_label",
            what + ": label needs en, zh-Hant and zh-Hans");
    }
    return l;
  }

  std::map<std::string, Labels> label_map(const toml::table& doc, std::string_view key,
                                          bool allow_empty = false) {
    std::map<std::string, Labels> out;
    if (const auto* t = doc[key].as_table()) {
      for (const auto& [k, v] : *t) {
        out.emplace(std::string(k.str()),
                    labels(&v, std::string(key) + "." + std::string(k.str()), allow_empty));
      }
    }
    return out;
  }

 private:
  std::string file_;
  DiagnosticSink* diags_;
};

std::vector<std::string> string_list(const toml::table& t, std::string_view key) {
  std::vector<std::string> out;
  if (const auto* a = t[key].as_array()) {
    for (const auto& v : *a) {
      if (auto s = v.value<std::string>()) out.push_back(*s);
    }
  }
  return out;
}

bool known_metric(const MetricCatalog& catalog, const std::string& id) {
  return id.starts_with("x.") || catalog.find(id) != nullptr;
}

void load_layout(const MetricCatalog& catalog, ReportData* data, DiagnosticSink* diags) {
  DataFile file("report/layout.toml", diags);
  toml::table doc;
  if (!file.parse(&doc)) return;
  const auto* tables = doc["table"].as_array();
  if (!tables) {
    file.error(0, "report_data_invalid", "no [[table]]");
    return;
  }
  for (const auto& node : *tables) {
    const auto* t = node.as_table();
    if (!t) continue;
    LayoutTable table;
    table.id = (*t)["id"].value_or(std::string());
    table.area = (*t)["area"].value_or(std::string());
    table.title = file.labels(t->get("title"), "table " + table.id + " title");
    if (table.area != "environment" && table.area != "social" && table.area != "other") {
      file.error(t->source().begin.line, "report_data_invalid",
                 "table " + table.id + ": area must be environment, social or other");
    }
    if (const auto* rows = (*t)["rows"].as_array()) {
      for (const auto& rn : *rows) {
        const auto* r = rn.as_table();
        if (!r) continue;
        LayoutRow row;
        row.metric = (*r)["metric"].value_or(std::string());
        row.indent = static_cast<int>((*r)["indent"].value_or(int64_t{0}));
        row.breakdown = (*r)["breakdown"].value_or(std::string());
        row.dimensions = string_list(*r, "categories");
        row.total = (*r)["total"].value_or(true);
        const int64_t line = r->source().begin.line;
        if (!known_metric(catalog, row.metric)) {
          file.error(line, "report_data_metric",
                     "table " + table.id + ": unknown metric " + row.metric);
        }
        if (row.indent < 0 || row.indent > 2) {
          file.error(line, "report_data_invalid",
                     "table " + table.id + ": indent must be 0, 1 or 2");
        }
        if (!row.breakdown.empty() && row.breakdown != "categories" &&
            row.breakdown != "dimensions") {
          file.error(line, "report_data_invalid",
                     "table " + table.id + ": breakdown must be categories or dimensions");
        }
        for (const std::string& d : row.dimensions) {
          if (!catalog.dimensions.contains(d)) {
            file.error(line, "report_data_invalid",
                       "table " + table.id + ": unknown dimension " + d);
          }
        }
        table.rows.push_back(std::move(row));
      }
    }
    data->tables.push_back(std::move(table));
  }
}

// Words per language (ui.toml, notes.toml): every language must have every
// key the English has.
void load_words(DataFile* file, const toml::table& doc,
                std::map<std::string, std::map<std::string, std::string>>* out) {
  for (const std::string& lang : report_languages()) {
    const auto* t = doc[lang].as_table();
    if (!t) {
      file->error(0, "report_data_invalid", "no [" + lang + "] table");
      continue;
    }
    auto& words = (*out)[lang];
    for (const auto& [k, v] : *t) words.emplace(std::string(k.str()), v.value_or(std::string()));
  }
  for (const auto& [key, word] : (*out)["en"]) {
    for (const std::string& lang : report_languages()) {
      if (!(*out)[lang].contains(key))
        file->error(0, "report_data_label", lang + " has no word for " + key);
    }
  }
}

void load_ui(ReportData* data, DiagnosticSink* diags) {
  DataFile file("report/ui.toml", diags);
  toml::table doc;
  if (file.parse(&doc)) load_words(&file, doc, &data->ui);
}

void load_notes(ReportData* data, DiagnosticSink* diags) {
  DataFile file("report/notes.toml", diags);
  toml::table doc;
  if (!file.parse(&doc)) return;
  load_words(&file, doc, &data->sentences);
  if (const auto* tables = doc["table"].as_table()) {
    for (const auto& [id, node] : *tables) {
      const auto* notes = node.as_table() ? (*node.as_table())["notes"].as_array() : nullptr;
      if (!notes) continue;
      for (const auto& n : *notes) {
        const auto* t = n.as_table();
        if (!t) continue;
        TableNote note;
        note.text = (*t)["text"].value_or(std::string());
        note.metrics = string_list(*t, "metrics");
        if (!data->sentences["en"].contains(note.text)) {
          file.error(t->source().begin.line, "report_data_invalid",
                     "table " + std::string(id.str()) + ": no sentence " + note.text);
        }
        data->table_notes[std::string(id.str())].push_back(std::move(note));
      }
    }
  }
}

void load_framework(const std::string& id, const Labels& title, ReportData* data,
                    DiagnosticSink* diags) {
  DataFile file("report/" + id + ".toml", diags);
  toml::table doc;
  if (!file.parse(&doc)) return;
  FrameworkData fw;
  fw.id = id;
  fw.title = title;
  if (const auto* items = doc["item"].as_array()) {
    for (const auto& node : *items) {
      const auto* t = node.as_table();
      if (!t) continue;
      FrameworkItem item;
      item.code = (*t)["code"].value_or(std::string());
      item.kind = (*t)["kind"].value_or(std::string());
      item.ifrs_s2 = (*t)["ifrs_s2"].value_or(std::string());
      item.metrics = string_list(*t, "metrics");
      item.until = static_cast<int>((*t)["until"].value_or(int64_t{0}));
      item.title = file.labels(t->get("title"), id + " " + item.code);
      if (t->get("code_label"))
        item.code_label = file.labels(t->get("code_label"), id + " " + item.code);
      if (item.code.empty() || (item.kind != "quantitative" && item.kind != "narrative")) {
        file.error(t->source().begin.line, "report_data_invalid",
                   id + " item " + item.code + ": needs a code and kind quantitative or narrative");
      }
      fw.items.push_back(std::move(item));
    }
  }
  data->frameworks.push_back(std::move(fw));
}

}  // namespace

const std::vector<std::string>& report_languages() {
  static const std::vector<std::string> kLanguages = {"en", "zh-Hant", "zh-Hans"};
  return kLanguages;
}

std::string ReportData::unit_label(const std::string& unit, const std::string& language) const {
  if (auto it = units.find(unit); it != units.end()) return it->second.in(language);
  // "<per-unit>/million <CUR>": the part before the currency, then the currency.
  const auto space = unit.rfind(' ');
  if (space != std::string::npos) {
    auto base = units.find(unit.substr(0, space));
    auto cur = currencies.find(unit.substr(space + 1));
    if (base != units.end()) {
      const std::string currency =
          cur != currencies.end() ? cur->second.in(language) : unit.substr(space + 1);
      return base->second.in(language) + (language == "en" ? " " : "") + currency;
    }
  }
  return unit;
}

ReportData load_report_data(const MetricCatalog& catalog, DiagnosticSink* diagnostics) {
  ReportData data;
  load_layout(catalog, &data, diagnostics);
  {
    DataFile file("report/units.toml", diagnostics);
    toml::table doc;
    if (file.parse(&doc)) {
      data.units = file.label_map(doc, "unit", /*allow_empty=*/true);
      data.currencies = file.label_map(doc, "currency");
    }
  }
  {
    DataFile file("report/labels.toml", diagnostics);
    toml::table doc;
    if (file.parse(&doc)) {
      data.scope3_categories = file.label_map(doc, "scope3_category");
      data.breakdown_nouns = file.label_map(doc, "breakdown_noun");
    }
  }
  {
    DataFile file("report/factor_sets.toml", diagnostics);
    toml::table doc;
    if (file.parse(&doc)) data.factor_sets = file.label_map(doc, "set");
  }
  load_ui(&data, diagnostics);
  load_notes(&data, diagnostics);
  load_framework("hkex",
                 {"HKEX ESG Reporting Code", "香港交易所《環境、社會及管治報告守則》",
                  "香港交易所《环境、社会及管治报告守则》"},
                 &data, diagnostics);
  load_framework("ifrs_s2", {"IFRS S2 / TCFD", "IFRS S2 / TCFD", "IFRS S2 / TCFD"}, &data,
                 diagnostics);
  load_framework("gri", {"GRI Standards", "GRI標準", "GRI标准"}, &data, diagnostics);
  return data;
}

namespace {
struct Builtin {
  DiagnosticSink diagnostics;
  ReportData data;
  Builtin() { data = load_report_data(builtin_catalog(), &diagnostics); }
};
const Builtin& builtin() {
  static const Builtin b;
  return b;
}
}  // namespace

const ReportData& builtin_report_data() { return builtin().data; }
const DiagnosticSink& builtin_report_data_diagnostics() { return builtin().diagnostics; }

}  // namespace assay::disclose
