#include "package/manifest.hpp"

#include <toml++/toml.h>
#include <algorithm>
#include <charconv>
#include <set>

#include "package/cells.hpp"
#include "package/utf8.hpp"

namespace assay {
namespace {

struct ManifestChecker {
  std::string_view text;
  const std::string& file;
  DiagnosticSink* sink;

  void error(const toml::source_region& at, std::string code, std::string message) {
    sink->error(file, at.begin.line, static_cast<int32_t>(at.begin.column), std::move(code),
                std::move(message));
  }
  void error_top(std::string code, std::string message) {
    sink->error(file, 0, 0, std::move(code), std::move(message));
  }

  // The exact text of a value as written (so numbers stay decimal-exact).
  std::string source_text(const toml::node& node) {
    const auto& r = node.source();
    size_t line = 1, start = std::string_view::npos, end = std::string_view::npos;
    size_t line_start = 0;
    for (size_t i = 0; i <= text.size(); ++i) {
      if (line == r.begin.line && start == std::string_view::npos)
        start = line_start + r.begin.column - 1;
      if (line == r.end.line && end == std::string_view::npos) end = line_start + r.end.column - 1;
      if (i == text.size()) break;
      if (text[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    if (start == std::string_view::npos || end == std::string_view::npos || end < start ||
        end > text.size()) {
      return "";
    }
    std::string s(text.substr(start, end - start));
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
    std::erase(s, '_');  // TOML allows 1_000; the value is the same
    return s;
  }

  std::optional<int> integer(const toml::table& t, std::string_view key, bool required) {
    const toml::node* n = t.get(key);
    if (!n) {
      if (required)
        error_top("manifest_missing", std::string(key) + " is required (expected an integer year)");
      return std::nullopt;
    }
    auto v = n->value<int64_t>();
    if (!n->is_integer() || !v || *v < 1000 || *v > 9999) {
      error(n->source(), "manifest_type",
            std::string(key) + " must be a year (expected an integer such as 2024)");
      return std::nullopt;
    }
    return static_cast<int>(*v);
  }

  std::optional<std::string> string(const toml::table& t, std::string_view key, bool required,
                                    std::string_view expected) {
    const toml::node* n = t.get(key);
    if (!n) {
      if (required)
        error_top("manifest_missing",
                  std::string(key) + " is required (expected " + std::string(expected) + ")");
      return std::nullopt;
    }
    if (!n->is_string()) {
      error(n->source(), "manifest_type",
            std::string(key) + " must be a string (expected " + std::string(expected) + ")");
      return std::nullopt;
    }
    return *n->value<std::string>();
  }

  std::vector<std::string> strings(const toml::table& t, std::string_view key, bool required,
                                   std::string_view expected) {
    std::vector<std::string> out;
    const toml::node* n = t.get(key);
    if (!n) {
      if (required)
        error_top("manifest_missing",
                  std::string(key) + " is required (expected " + std::string(expected) + ")");
      return out;
    }
    const toml::array* a = n->as_array();
    if (!a) {
      error(n->source(), "manifest_type",
            std::string(key) + " must be an array of strings (expected " + std::string(expected) +
                ")");
      return out;
    }
    for (const auto& e : *a) {
      if (!e.is_string()) {
        error(
            e.source(), "manifest_type",
            std::string(key) + " must hold strings only (expected " + std::string(expected) + ")");
        continue;
      }
      out.push_back(*e.value<std::string>());
    }
    return out;
  }
};

}  // namespace

void parse_manifest(std::string_view text, const std::string& file,
                    const std::vector<std::string>& builtin_sets, Manifest* out,
                    DiagnosticSink* sink) {
  if (size_t bad = first_invalid_utf8(text); bad != std::string_view::npos) {
    sink->error(
        file, 0, 0, "encoding",
        "bytes that are not UTF-8 at byte " + std::to_string(bad + 1) + " (expected UTF-8 text)");
    return;
  }
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  toml::table doc;
  try {
    doc = toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    sink->error(file, e.source().begin.line, static_cast<int32_t>(e.source().begin.column),
                "toml_syntax", std::string(e.description()) + " (expected TOML)");
    return;
  }
  ManifestChecker c{text, file, sink};
  static const std::set<std::string_view> kKnown = {
      "name",     "reporting_year", "years",       "base_year",    "consolidation",
      "currency", "languages",      "factor_sets", "factor_files", "revenue"};
  for (const auto& [key, node] : doc) {
    if (!kKnown.count(key.str())) {
      sink->warning(file, node.source().begin.line,
                    static_cast<int32_t>(node.source().begin.column), "manifest_unknown_key",
                    "unknown key \"" + std::string(key.str()) + "\" is ignored");
    }
  }
  if (auto name = c.string(doc, "name", true, "the organisation's name")) out->name = *name;
  if (auto y = c.integer(doc, "reporting_year", true)) out->reporting_year = *y;
  if (const toml::node* n = doc.get("years")) {
    const toml::array* a = n->as_array();
    if (!a || a->empty()) {
      c.error(n->source(), "manifest_type",
              "years must be a non-empty array of years (expected e.g. [2022, 2023, 2024])");
    } else {
      std::set<int> seen;
      for (const auto& e : *a) {
        auto v = e.value<int64_t>();
        if (!e.is_integer() || !v || *v < 1000 || *v > 9999) {
          c.error(e.source(), "manifest_type",
                  "years must hold integer years (expected e.g. 2024)");
        } else if (!seen.insert(static_cast<int>(*v)).second) {
          c.error(e.source(), "manifest_duplicate",
                  "year " + std::to_string(*v) + " appears twice in years");
        } else {
          out->years.push_back(static_cast<int>(*v));
        }
      }
    }
  } else {
    c.error_top("manifest_missing", "years is required (expected e.g. [2022, 2023, 2024])");
  }
  if (out->reporting_year && !out->years.empty() &&
      std::find(out->years.begin(), out->years.end(), out->reporting_year) == out->years.end()) {
    c.error(doc.get("reporting_year")->source(), "manifest_value",
            "reporting_year " + std::to_string(out->reporting_year) + " is not one of years");
  }
  out->base_year = c.integer(doc, "base_year", false);
  if (auto v = c.string(doc, "consolidation", true, "operational_control or financial_control")) {
    if (*v != "operational_control" && *v != "financial_control") {
      c.error(doc.get("consolidation")->source(), "manifest_value",
              "consolidation \"" + *v +
                  "\" is not known (expected operational_control or financial_control)");
    } else {
      out->consolidation = *v;
    }
  }
  if (auto v = c.string(doc, "currency", true, "an ISO 4217 code such as CNY")) {
    if (v->size() != 3 ||
        !std::all_of(v->begin(), v->end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; })) {
      c.error(doc.get("currency")->source(), "manifest_value",
              "currency \"" + *v +
                  "\" is not an ISO 4217 code (expected three capital letters such as CNY)");
    } else {
      out->currency = *v;
    }
  }
  out->languages = c.strings(doc, "languages", false, "en, zh-Hant or zh-Hans");
  for (const auto& l : out->languages) {
    if (l != "en" && l != "zh-Hant" && l != "zh-Hans") {
      c.error(doc.get("languages")->source(), "manifest_value",
              "language \"" + l + "\" is not supported (expected en, zh-Hant or zh-Hans)");
    }
  }
  if (out->languages.empty()) out->languages = {"en"};
  out->factor_sets =
      c.strings(doc, "factor_sets", true, "names of built-in factor sets such as ar6");
  for (const auto& s : out->factor_sets) {
    if (std::find(builtin_sets.begin(), builtin_sets.end(), s) == builtin_sets.end()) {
      std::string known;
      for (const auto& b : builtin_sets) known += (known.empty() ? "" : ", ") + b;
      c.error(doc.get("factor_sets")->source(), "factor_set_unknown",
              "factor set \"" + s + "\" is not built in (expected one of " + known + ")");
    }
  }
  out->factor_files = c.strings(doc, "factor_files", false, "file names such as factors.csv");
  if (const toml::node* n = doc.get("revenue")) {
    const toml::table* t = n->as_table();
    if (!t) {
      c.error(n->source(), "manifest_type",
              "revenue must be a table of year = amount (expected [revenue] with 2024 = 660257)");
    } else {
      for (const auto& [key, value] : *t) {
        int year = 0;
        std::string_view k = key.str();
        auto [ptr, ec] = std::from_chars(k.data(), k.data() + k.size(), year);
        if (ec != std::errc() || ptr != k.data() + k.size() || year < 1000 || year > 9999) {
          c.error(value.source(), "manifest_value",
                  "revenue key \"" + std::string(k) + "\" is not a year (expected YYYY)");
          continue;
        }
        std::optional<Decimal> amount;
        if (value.is_integer() || value.is_floating_point())
          amount = Decimal::parse(c.source_text(value));
        if (!amount || amount->is_negative()) {
          c.error(value.source(), "manifest_value",
                  "revenue for " + std::string(k) +
                      " must be a number >= 0 (millions of the currency)");
          continue;
        }
        out->revenue[year] = *amount;
      }
    }
  }
}

}  // namespace assay
