#include "metrics/catalog.hpp"

#include <cmath>
#include <functional>
#include <mutex>
#include <set>

#include <toml++/toml.h>

#include "units/embedded_data.hpp"

namespace assay {

std::string_view metric_kind_name(MetricKind k) {
  switch (k) {
    case MetricKind::kAggregate:
      return "aggregate";
    case MetricKind::kInput:
      return "input";
    case MetricKind::kWorkforce:
      return "workforce";
    case MetricKind::kFormula:
      return "formula";
    case MetricKind::kDisclosed:
      return "disclosed";
    case MetricKind::kTarget:
      return "target";
  }
  return "aggregate";
}

const std::string& Labels::in(std::string_view language) const {
  static const std::string kNone;
  if (language == "en") return en;
  if (language == "zh-Hant") return zh_hant;
  if (language == "zh-Hans") return zh_hans;
  return kNone;
}

std::string MetricDef::unit_for(const std::string& currency) const {
  std::string out = unit;
  const std::string key = "{currency}";
  for (size_t p; (p = out.find(key)) != std::string::npos;) out.replace(p, key.size(), currency);
  return out;
}

const MetricDef* MetricCatalog::find(std::string_view id) const {
  auto it = metrics.find(std::string(id));
  return it == metrics.end() ? nullptr : &it->second;
}

double round_half_away_from_zero(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;  // std::round: halves away from zero
}

namespace {

class Loader {
 public:
  Loader(std::string file, DiagnosticSink* diags) : file_(std::move(file)), diags_(diags) {}

  MetricCatalog load(std::string_view text) {
    MetricCatalog cat;
    toml::table doc;
    try {
      doc = toml::parse(text, file_);
    } catch (const toml::parse_error& e) {
      Diagnostic d;
      d.file = file_;
      d.line = e.source().begin.line;
      d.column = static_cast<int32_t>(e.source().begin.column);
      d.code = "catalog_syntax";
      d.message = std::string(e.description());
      diags_->add(std::move(d));
      return cat;
    }
    if (const auto* metrics = doc["metric"].as_table()) {
      for (const auto& [key, node] : *metrics) {
        const std::string id(key.str());
        const auto* t = node.as_table();
        if (!t) {
          error(id, node.source().begin.line, "catalog_invalid", "is not a table");
          continue;
        }
        MetricDef m;
        if (read_metric(id, *t, &m)) cat.metrics.emplace(id, std::move(m));
      }
    }
    if (const auto* dims = doc["dimension"].as_table()) {
      for (const auto& [key, node] : *dims) {
        const auto* t = node.as_table();
        if (!t) continue;
        DimensionLabels dl;
        for (const auto& [ck, cn] : *t) {
          Labels l = labels(std::string(key.str()) + "." + std::string(ck.str()), cn);
          if (ck.str() == "label") {
            dl.label = l;
          } else {
            dl.categories.emplace(std::string(ck.str()), l);
          }
        }
        cat.dimensions.emplace(std::string(key.str()), std::move(dl));
      }
    }
    check_formulas(&cat);
    return cat;
  }

 private:
  void error(const std::string& id, int64_t line, std::string code, std::string what) {
    Diagnostic d;
    d.file = file_;
    d.line = line;
    d.code = std::move(code);
    d.message = "metric " + id + ": " + what;
    d.metric = id;
    diags_->add(std::move(d));
  }

  Labels labels(const std::string& id, const toml::node& n) {
    Labels l;
    const auto* t = n.as_table();
    if (t) {
      l.en = (*t)["en"].value_or(std::string());
      l.zh_hant = (*t)["zh-Hant"].value_or(std::string());
      l.zh_hans = (*t)["zh-Hans"].value_or(std::string());
    }
    if (l.en.empty() || l.zh_hant.empty() || l.zh_hans.empty()) {
      error(id, n.source().begin.line, "catalog_label_missing",
            "label needs en, zh-Hant and zh-Hans, none empty");
    }
    return l;
  }

  static std::vector<std::string> strings(const toml::table& t, std::string_view key) {
    std::vector<std::string> out;
    if (const auto* a = t[key].as_array()) {
      for (const auto& v : *a) {
        if (auto s = v.value<std::string>()) out.push_back(*s);
      }
    }
    return out;
  }

  bool read_metric(const std::string& id, const toml::table& t, MetricDef* m) {
    const int64_t line = t.source().begin.line;
    m->id = id;
    lines_[id] = line;
    const std::string kind = t["kind"].value_or(std::string());
    static const std::map<std::string, MetricKind> kKinds = {
        {"aggregate", MetricKind::kAggregate}, {"input", MetricKind::kInput},
        {"workforce", MetricKind::kWorkforce}, {"formula", MetricKind::kFormula},
        {"disclosed", MetricKind::kDisclosed}, {"target", MetricKind::kTarget}};
    auto k = kKinds.find(kind);
    if (k == kKinds.end()) {
      error(id, line, "catalog_invalid",
            "kind \"" + kind +
                "\" is not a metric kind (expected aggregate, input, workforce, formula, "
                "disclosed or target)");
      return false;
    }
    m->kind = k->second;
    m->unit = t["unit"].value_or(std::string());
    auto dims = parse_unit_dimensions(m->unit);
    if (m->unit.empty() || !dims) {
      error(id, line, "catalog_unit_unknown", "unit \"" + m->unit + "\" is not a known unit");
      return false;
    }
    m->dimensions = *dims;
    m->decimals = static_cast<int>(t["decimals"].value_or(int64_t{1}));
    m->rounding = t["rounding"].value_or(std::string("half_away_from_zero"));
    if (m->rounding != "half_away_from_zero") {
      error(id, line, "catalog_invalid",
            "rounding \"" + m->rounding + "\" is not supported (expected half_away_from_zero)");
    }
    m->published = t["published"].value_or(true);
    m->total = t["total"].value_or(true);
    m->per_site = t["per_site"].value_or(false);
    m->category = t["category"].value_or(std::string());
    m->measure = t["measure"].value_or(std::string());
    m->by_category = t["by_category"].value_or(false);
    m->categories_from = t["categories_from"].value_or(std::string());
    m->hkex = strings(t, "hkex");
    m->gri = strings(t, "gri");
    m->ifrs_s2 = strings(t, "ifrs_s2");
    m->tcfd = strings(t, "tcfd");
    m->sasb = strings(t, "sasb");
    if (const auto* l = t.get("label")) {
      m->label = labels(id, *l);
    } else {
      error(id, line, "catalog_label_missing", "label needs en, zh-Hant and zh-Hans, none empty");
    }
    if (m->kind == MetricKind::kWorkforce && m->measure.empty()) {
      error(id, line, "catalog_invalid", "a workforce metric needs its measure");
    }
    m->formula_text = t["formula"].value_or(std::string());
    if (!m->formula_text.empty()) m->formula = parse(id, line, m->formula_text);
    if (const auto* cf = t["category_formula"].as_table()) {
      for (const auto& [ck, cn] : *cf) {
        std::string text = cn.value_or(std::string());
        m->category_formula_text[std::string(ck.str())] = text;
        if (auto e = parse(id, line, text)) m->category_formula[std::string(ck.str())] = e;
      }
    }
    const bool has_formula = !m->formula_text.empty() || !m->category_formula_text.empty();
    if (m->kind == MetricKind::kFormula && !has_formula) {
      error(id, line, "catalog_invalid", "a formula metric needs a formula");
    } else if (m->kind != MetricKind::kFormula && has_formula) {
      error(id, line, "catalog_invalid",
            "only a metric of kind formula has a formula (this one is " +
                std::string(metric_kind_name(m->kind)) + ")");
    }
    return true;
  }

  std::shared_ptr<const Expr> parse(const std::string& id, int64_t line, const std::string& text) {
    std::string err;
    auto e = parse_expression(text, &err);
    if (!e) {
      error(id, line, "catalog_formula", "formula \"" + text + "\" does not parse: " + err);
      return nullptr;
    }
    return std::shared_ptr<const Expr>(std::move(e));
  }

  void check_formulas(MetricCatalog* cat) {
    // Dependencies of each formula metric (on other formula metrics), for the cycle check.
    std::map<std::string, std::vector<std::string>> deps;
    for (auto& [id, m] : cat->metrics) {
      std::vector<std::pair<std::string, const Expr*>> formulas;
      if (m.formula) formulas.emplace_back(m.formula_text, m.formula.get());
      for (const auto& [c, e] : m.category_formula) {
        formulas.emplace_back(m.category_formula_text[c], e.get());
      }
      bool known = true;
      for (const auto& [text, e] : formulas) {
        for (const auto& ref : referenced_ids(*e)) {
          const MetricDef* r = cat->find(ref);
          if (!r) {
            error(
                id, lines_[id], "catalog_unknown_id",
                "formula \"" + text + "\" reads " + ref + ", which is not a metric of the catalog");
            known = false;
            continue;
          }
          if (r->kind == MetricKind::kFormula) deps[id].push_back(ref);
        }
      }
      if (!known) continue;
      for (const auto& [text, e] : formulas) {
        std::string err;
        auto d = infer_dimensions(
            *e, [&](const std::string& ref) { return cat->find(ref)->dimensions; }, &err);
        if (!d) {
          error(id, lines_[id], "catalog_unit_mismatch", "formula \"" + text + "\": " + err);
        } else if (*d != m.dimensions) {
          error(id, lines_[id], "catalog_unit_mismatch",
                "formula \"" + text + "\" gives " + dimensions_text(*d) + ", but the unit \"" +
                    m.unit + "\" is " + dimensions_text(m.dimensions));
        }
      }
      if (m.by_category) {
        bool found = false;
        if (m.formula) {
          for (const auto& ref : referenced_ids(*m.formula))
            found = found || ref == m.categories_from;
        }
        if (!found) {
          error(id, lines_[id], "catalog_invalid",
                "categories_from \"" + m.categories_from + "\" is not an operand of its formula");
        }
      }
    }
    // Cycles, and the evaluation order (depth-first post-order).
    std::map<std::string, int> state;  // 1 visiting, 2 done
    std::vector<std::string> path;
    std::set<std::string> reported;
    std::function<void(const std::string&)> visit = [&](const std::string& id) {
      state[id] = 1;
      path.push_back(id);
      for (const auto& d : deps[id]) {
        if (state[d] == 1) {
          std::string cycle;
          bool on = false;
          for (const auto& p : path) {
            if (p == d) on = true;
            if (on) cycle += p + " -> ";
          }
          cycle += d;
          if (reported.insert(d).second) {
            error(d, lines_[d], "catalog_cycle", "formula depends on itself: " + cycle);
          }
        } else if (state[d] == 0) {
          visit(d);
        }
      }
      path.pop_back();
      state[id] = 2;
      cat->order.push_back(id);
    };
    for (const auto& [id, m] : cat->metrics) {
      if (m.kind == MetricKind::kFormula && state[id] == 0) visit(id);
    }
  }

  std::string file_;
  DiagnosticSink* diags_;
  std::map<std::string, int64_t> lines_;
};

struct Builtin {
  MetricCatalog catalog;
  DiagnosticSink diagnostics;
};

const Builtin& builtin() {
  static const Builtin b = [] {
    Builtin out;
    for (const auto& f : embedded_files()) {
      if (f.path == "metrics/catalog.toml") {
        out.catalog = load_catalog(f.content, "data/metrics/catalog.toml", &out.diagnostics);
        return out;
      }
    }
    out.diagnostics.error("data/metrics/catalog.toml", 0, 0, "catalog_missing",
                          "the built-in metric catalog is not embedded");
    return out;
  }();
  return b;
}

}  // namespace

MetricCatalog load_catalog(std::string_view toml_text, const std::string& file,
                           DiagnosticSink* diagnostics) {
  return Loader(file, diagnostics).load(toml_text);
}

const MetricCatalog& builtin_catalog() { return builtin().catalog; }
const DiagnosticSink& builtin_catalog_diagnostics() { return builtin().diagnostics; }

}  // namespace assay
