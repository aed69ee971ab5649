// The method notes of a report: sentences of data/report/notes.toml filled
// with what this run did (its factor sets in order, its GWP set, coverage
// by instruments, fallbacks and warnings), so the notes cannot drift from
// the figures.
#include <algorithm>
#include <map>
#include <set>

#include "disclose/number_format.hpp"
#include "disclose/report_context.hpp"

namespace assay::disclose::internal {

namespace {

using Vars = std::map<std::string, std::string>;

std::string sentence(const Context& cx, const std::string& key, const Vars& vars = {}) {
  std::string out;
  auto l = cx.data.sentences.find(cx.lang);
  if (l == cx.data.sentences.end()) return out;
  auto t = l->second.find(key);
  if (t == l->second.end()) return out;
  const std::string& text = t->second;
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '{') {
      const auto close = text.find('}', i);
      if (close != std::string::npos) {
        auto v = vars.find(text.substr(i + 1, close - i - 1));
        if (v != vars.end()) {
          out += v->second;
          i = close + 1;
          continue;
        }
      }
    }
    out += text[i++];
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, const std::string& lang) {
  const std::string sep = lang == "en" ? "; " : "；";
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
  return out;
}

// A factor set in words: its edition for a built-in set, else its name.
std::string set_words(const Context& cx, const std::string& set, bool user_set) {
  if (user_set) {
    std::vector<std::string> files = cx.package().manifest.factor_files;
    std::string list;
    for (size_t i = 0; i < files.size(); ++i) list += (i ? ", " : "") + files[i];
    return set + " — " + sentence(cx, "user_factors", {{"files", list}});
  }
  auto it = cx.data.factor_sets.find(set);
  return it == cx.data.factor_sets.end() ? set : set + " — " + it->second.in(cx.lang);
}

// The set that answers a request for (key, quantity), or "" if none does.
std::string answering_set(const FactorLibrary& library, const std::string& key,
                          const std::string& quantity, int year, bool* user_set) {
  FactorResolution r = library.resolve(key, quantity, "*", year);
  if (!r.found()) return {};
  if (user_set) *user_set = r.user_set;
  return r.set;
}

int count_code(const Context& cx, const std::string& code) {
  int n = 0;
  for (const Diagnostic& d : cx.inventory().diagnostics.items()) n += d.code == code;
  for (const Diagnostic& d : cx.in.diagnostics) n += d.code == code;
  return n;
}

std::string figure_text(const Context& cx, const std::string& id, int year, int decimals) {
  const Figure* f = cx.inventory().find(id, year);
  if (!f || !f->value) return {};
  return format_number(round_for_report(*f->value, decimals), decimals);
}

}  // namespace

namespace {

std::string note_text(const Context& cx, const std::string& key) {
  const Manifest& m = cx.package().manifest;
  const int year = m.reporting_year;
  if (key == "gwp") {
    if (!cx.in.library) return {};
    bool user = false;
    const std::string gwp = answering_set(*cx.in.library, "CH4", "gwp100", year, &user);
    return gwp.empty() ? sentence(cx, "gwp_none")
                       : sentence(cx, "gwp", {{"gwp", set_words(cx, gwp, user)}});
  }
  if (key == "coverage") {
    const std::string share = figure_text(cx, "scope2.coverage", year, 1);
    return share.empty()
               ? std::string()
               : sentence(cx, "coverage", {{"year", std::to_string(year)}, {"share", share}});
  }
  if (key == "scope3") {
    std::vector<int> cats;
    for (const Figure& f : cx.inventory().figures) {
      if (f.id == "ghg.scope3.category" && f.year == year && f.value && !f.category.empty()) {
        cats.push_back(std::atoi(f.category.c_str()));
      }
    }
    std::sort(cats.begin(), cats.end());
    if (cats.empty()) return sentence(cx, "scope3_none");
    std::vector<std::string> names;
    for (int c : cats) names.push_back(cx.category_label("ghg.scope3.category", std::to_string(c)));
    return sentence(cx, "scope3", {{"categories", join(names, cx.lang)}});
  }
  if (key == "energy_conversion") {
    if (!cx.in.library) return {};
    bool user = false;
    const std::string ncv = answering_set(*cx.in.library, "fuel.diesel", "ncv", year, &user);
    if (ncv.empty()) return {};
    const std::string ncv_words = set_words(cx, ncv, user);
    bool duser = false;
    const std::string dens = answering_set(*cx.in.library, "fuel.diesel", "density", year, &duser);
    const std::string density =
        dens.empty() ? "" : sentence(cx, "density", {{"sets", set_words(cx, dens, duser)}});
    return sentence(cx, "energy_conversion", {{"ncv", ncv_words}, {"density", density}});
  }
  if (key == "intensity") {
    auto cur = cx.data.currencies.find(m.currency);
    return sentence(
        cx, "intensity",
        {{"currency", cur != cx.data.currencies.end() ? cur->second.in(cx.lang) : m.currency}});
  }
  return sentence(cx, key);
}

}  // namespace

std::vector<std::string> method_notes(const Context& cx) {
  std::vector<std::string> notes;
  const Manifest& m = cx.package().manifest;
  const std::string approach = sentence(
      cx, m.consolidation == "financial_control" ? "financial_control" : "operational_control");
  notes.push_back(sentence(cx, "consolidation", {{"approach", approach}}));
  notes.push_back(sentence(cx, "apportion"));

  // Factor sets in the order the library searches them: the package's own
  // sets first (in order of first appearance), then the built-in ones.
  std::vector<std::string> sets;
  std::set<std::string> seen;
  for (const FactorRow& r : cx.package().user_factors) {
    if (seen.insert("user:" + r.factor_set).second)
      sets.push_back(set_words(cx, r.factor_set, true));
  }
  for (const std::string& s : m.factor_sets) sets.push_back(set_words(cx, s, false));
  notes.push_back(sentence(cx, "factor_sets", {{"sets", join(sets, cx.lang)}}));

  for (const char* key : {"gwp", "scope2_methods", "coverage", "energy_conversion"}) {
    if (std::string text = note_text(cx, key); !text.empty()) notes.push_back(std::move(text));
  }
  if (int n = count_code(cx, "residual_mix_missing")) {
    notes.push_back(sentence(cx, "residual", {{"count", std::to_string(n)}}));
  }
  if (int n = count_code(cx, "factor_fallback")) {
    notes.push_back(sentence(cx, "fallbacks", {{"count", std::to_string(n)}}));
  }
  notes.push_back(sentence(cx, "pue_rule"));
  int errors = 0, warnings = 0;
  for (const Diagnostic& d : cx.in.diagnostics) (d.is_error() ? errors : warnings) += 1;
  for (const Diagnostic& d : cx.inventory().diagnostics.items())
    (d.is_error() ? errors : warnings) += 1;
  notes.push_back(
      sentence(cx, "warnings",
               {{"errors", std::to_string(errors)}, {"warnings", std::to_string(warnings)}}));
  notes.push_back(sentence(cx, "hash", {{"hash", cx.in.run_hash}}));
  return notes;
}

void add_table_notes(const Context& cx, KpiTable* table) {
  auto it = cx.data.table_notes.find(table->id);
  if (it == cx.data.table_notes.end()) return;
  for (const TableNote& note : it->second) {
    std::string text = note_text(cx, note.text);
    if (text.empty()) continue;
    table->notes.push_back(std::move(text));
    const int number = static_cast<int>(table->notes.size());
    for (KpiRow& row : table->rows) {
      if (!row.heading &&
          std::find(note.metrics.begin(), note.metrics.end(), row.metric) != note.metrics.end() &&
          (row.category.empty() || note.metrics.size() == 1)) {
        if (std::find(row.notes.begin(), row.notes.end(), number) == row.notes.end())
          row.notes.push_back(number);
      }
    }
  }
}

}  // namespace assay::disclose::internal
