// The metric catalog (data/metrics/catalog.toml): for every metric id of
// spec/metrics.md its kind, unit, formula, display precision and rounding,
// labels in en / zh-Hant / zh-Hans and framework codes.
//
// load_catalog() checks the whole file before anyone uses it: every formula
// parses, names only ids of the catalog, has the dimension of its metric's
// unit (units.hpp), and no formula depends on itself through others. Each
// finding is an error naming the metric; a catalog with errors must not be
// used. Invariant of a loaded catalog without errors: `order` lists the
// formula metrics so that each comes after every formula it reads.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "metrics/expression.hpp"
#include "units/diagnostic.hpp"

namespace assay {

enum class MetricKind { kAggregate, kInput, kWorkforce, kFormula, kDisclosed, kTarget };
std::string_view metric_kind_name(MetricKind k);

struct Labels {
  std::string en;
  std::string zh_hant;
  std::string zh_hans;
  // "en", "zh-Hant" or "zh-Hans"; empty for an unknown language.
  const std::string& in(std::string_view language) const;
};

struct MetricDef {
  std::string id;
  MetricKind kind = MetricKind::kAggregate;
  std::string unit;  // may hold "{currency}"
  Dimensions dimensions;
  int decimals = 1;
  std::string rounding = "half_away_from_zero";
  bool published = true;  // false: intermediate, usable in formulas, not written out
  bool total = true;      // false: breakdown rows only
  bool per_site = false;
  std::string category;  // what a breakdown's category is ("gas", "dimension:category", ...)
  std::string measure;   // kWorkforce: the workforce.csv measure
  std::string formula_text;
  std::shared_ptr<const Expr> formula;
  bool by_category = false;     // formula also evaluated per category
  std::string categories_from;  // ...of this operand
  std::map<std::string, std::string> category_formula_text;
  std::map<std::string, std::shared_ptr<const Expr>> category_formula;
  Labels label;
  std::vector<std::string> hkex, gri, ifrs_s2, tcfd, sasb;

  // The unit with the package's currency filled in.
  std::string unit_for(const std::string& currency) const;
};

struct DimensionLabels {
  Labels label;
  std::map<std::string, Labels> categories;
};

struct MetricCatalog {
  std::map<std::string, MetricDef> metrics;
  std::map<std::string, DimensionLabels> dimensions;
  std::vector<std::string> order;  // formula metrics, dependencies first

  const MetricDef* find(std::string_view id) const;
};

// Parses and checks a catalog. `file` names it in diagnostics.
MetricCatalog load_catalog(std::string_view toml_text, const std::string& file,
                           DiagnosticSink* diagnostics);

// The built-in catalog (data/metrics/catalog.toml, embedded), loaded once.
// Its diagnostics are available for tests; a built-in catalog with errors is a bug.
const MetricCatalog& builtin_catalog();
const DiagnosticSink& builtin_catalog_diagnostics();

// Rounds for display: half away from zero at `decimals` (the reference
// report's rounding).
double round_half_away_from_zero(double value, int decimals);

}  // namespace assay
