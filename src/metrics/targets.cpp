// targets.csv (spec/data-package.md): progress and required annual rate by
// the contract's formulas, and the SBTi ambition check (information only).
#include <cmath>

#include <toml++/toml.h>

#include "factors/conversion.hpp"
#include "metrics/figure_store.hpp"
#include "units/embedded_data.hpp"

namespace assay::metrics_internal {

namespace {

struct Ambition {
  std::string name;
  std::vector<std::string> metrics;
  double min_annual_pct = 0.0;
  std::string source;
};

// data/metrics/sbti.toml: the thresholds with their citation.
const std::vector<Ambition>& sbti_ambitions() {
  static const std::vector<Ambition> out = [] {
    std::vector<Ambition> v;
    for (const auto& f : embedded_files()) {
      if (f.path != "metrics/sbti.toml") continue;
      toml::table doc = toml::parse(f.content, std::string_view("data/metrics/sbti.toml"));
      if (const auto* arr = doc["ambition"].as_array()) {
        for (const auto& n : *arr) {
          const auto* t = n.as_table();
          if (!t) continue;
          Ambition a;
          a.name = (*t)["name"].value_or(std::string());
          a.min_annual_pct = (*t)["min_annual_pct"].value_or(0.0);
          a.source = (*t)["source"].value_or(std::string());
          if (const auto* ms = (*t)["metrics"].as_array()) {
            for (const auto& m : *ms) a.metrics.push_back(m.value_or(std::string()));
          }
          v.push_back(std::move(a));
        }
      }
    }
    return v;
  }();
  return out;
}

void warn(DiagnosticSink* sink, const TargetRow& t, std::string code, std::string message) {
  Diagnostic d;
  d.severity = Severity::kWarning;
  d.code = std::move(code);
  d.file = t.source.file;
  d.line = t.source.line;
  d.metric = t.metric;
  d.message = std::move(message);
  sink->add(std::move(d));
}

std::string pct(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

}  // namespace

void add_targets(const MetricCatalog& catalog, const Package& package, FigureStore* store,
                 DiagnosticSink* diagnostics) {
  const int reporting_year = package.manifest.reporting_year;
  const std::string& currency = package.manifest.currency;
  const MetricDef* progress_def = catalog.find("target.progress");
  const MetricDef* required_def = catalog.find("target.required_annual");
  if (!progress_def || !required_def) return;
  for (const auto& t : package.targets) {
    const MetricDef* def = catalog.find(t.metric);
    const bool reduction = t.kind == "reduction";
    const std::string progress_unit =
        reduction || !def ? progress_def->unit_for(currency) : def->unit_for(currency);
    Figure& progress = store->at("target.progress", reporting_year, "", t.target_id, progress_unit);
    Figure& required = store->at("target.required_annual", reporting_year, "", t.target_id,
                                 required_def->unit_for(currency));
    if (!def) {
      warn(diagnostics, t, "target_metric_unknown",
           "target " + t.target_id + ": metric " + t.metric + " is not a metric of the catalog");
      continue;
    }
    const Figure* current = store->find(t.metric, reporting_year);
    std::optional<double> base;
    const Figure* base_figure = nullptr;
    if (t.base_value) {
      base = t.base_value->to_double();
    } else {
      base_figure = store->find(t.metric, t.base_year);
      if (base_figure && base_figure->value) base = base_figure->value;
    }
    const double target_value = t.target_value.to_double();
    if (!current || !current->value || (reduction && (!base || *base == 0))) {
      const FigureStatus s =
          (current && current->status == FigureStatus::kIncomplete) ||
                  (base_figure && base_figure->status == FigureStatus::kIncomplete)
              ? FigureStatus::kIncomplete
              : FigureStatus::kNotAvailable;
      progress.status = s;
      if (reduction) required.status = s;
      warn(diagnostics, t, "target_not_evaluable",
           "target " + t.target_id + ": " + t.metric + " has no value for " +
               (!current || !current->value ? std::to_string(reporting_year)
                                            : "the base year " + std::to_string(t.base_year)));
      continue;
    }
    const double cur = *current->value;
    const std::string where = t.source.file + ":" + std::to_string(t.source.line);
    std::string base_text;
    if (reduction) {
      base_text = t.base_value ? "base " + format_number(*base) + " (targets.csv base_value)"
                               : "base " + format_number(*base) + " (" + t.metric + " " +
                                     std::to_string(t.base_year) + ")";
    }
    auto node = [&](const std::string& figure, double value, std::string note) {
      auto c = std::make_shared<Contribution>();
      c->kind = Contribution::Kind::kGroup;
      c->label = figure_label(figure, reporting_year, t.target_id);
      c->value = value;
      c->note = where + ", " + note;
      return c;
    };
    if (reduction) {
      const double r = target_value / 100.0;
      const double goal = *base * (1.0 - r);
      // spec: progress = (base - current) / (base - base x (1 - r)) x 100
      const double p = (*base - cur) / (*base - goal) * 100.0;
      progress.status = FigureStatus::kOk;
      progress.value = p;
      progress.lineage = node("target.progress", p,
                              "(" + base_text + " - current " + format_number(cur) +
                                  ") / (base - base x (1 - " + format_number(r) + ")) x 100");
      const int years_left = t.target_year - reporting_year;
      if (years_left > 0) {
        // spec: required_annual = (current - base x (1 - r)) / base / (target_year -
        // reporting_year) x 100
        const double q = (cur - goal) / *base / years_left * 100.0;
        required.status = FigureStatus::kOk;
        required.value = q;
        required.lineage =
            node("target.required_annual", q,
                 "(current " + format_number(cur) + " - goal " + format_number(goal) + ") / " +
                     base_text + " / " + std::to_string(years_left) + " years x 100");
      }
      // SBTi near-term minimum: implied linear annual rate from the base year.
      for (const auto& a : sbti_ambitions()) {
        bool applies = false;
        for (const auto& m : a.metrics) applies = applies || m == t.metric;
        if (!applies || t.target_year <= t.base_year) continue;
        const double implied = target_value / (t.target_year - t.base_year);
        const bool pass = implied >= a.min_annual_pct - 1e-12;
        warn(diagnostics, t, "sbti_ambition",
             "information: target " + t.target_id + " (" + t.metric + " -" +
                 t.target_value.to_string() + "% by " + std::to_string(t.target_year) +
                 " against " + std::to_string(t.base_year) + ") implies " + pct(implied) +
                 "%/yr linear; SBTi near-term minimum for " + a.name + " is " +
                 pct(a.min_annual_pct) + "%/yr: " + (pass ? "pass" : "short") + " (" + a.source +
                 ")");
      }
    } else {
      // spec: signed distance to the level, >= 0 means met.
      const double p = t.kind == "at_most" ? target_value - cur : cur - target_value;
      progress.status = FigureStatus::kOk;
      progress.value = p;
      progress.lineage =
          node("target.progress", p,
               t.kind + " " + t.target_value.to_string() + ": current " + format_number(cur) +
                   (t.kind == "at_most" ? " (level - current)" : " (current - level)"));
    }
  }
}

}  // namespace assay::metrics_internal
