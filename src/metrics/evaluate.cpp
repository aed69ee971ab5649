#include "metrics/evaluate.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include "factors/conversion.hpp"
#include "metrics/figure_store.hpp"

namespace assay {

namespace metrics_internal {

ContributionPtr source_node(std::string label, double value, const SourceRef& at,
                            std::string note) {
  auto c = std::make_shared<Contribution>();
  c->kind = Contribution::Kind::kGroup;
  c->label = std::move(label);
  c->value = value;
  c->note = std::move(note);
  if (!at.file.empty()) {
    std::string where = at.file;
    if (at.line > 0) where += ":" + std::to_string(at.line);
    c->note = c->note.empty() ? where : where + ", " + c->note;
    c->label += " (" + where + ")";  // explain prints labels: the auditor sees the line
  }
  return c;
}

}  // namespace metrics_internal

namespace {

using metrics_internal::figure_label;
using metrics_internal::FigureKey;
using metrics_internal::FigureStore;

class Evaluator {
 public:
  Evaluator(const MetricCatalog& cat, const Package& pkg, Inventory* inv)
      : cat_(cat), pkg_(pkg), inv_(inv) {
    for (int y : pkg.manifest.years) years_.insert(y);
    if (pkg.manifest.base_year) years_.insert(*pkg.manifest.base_year);
  }

  MetricsResult run() {
    // Every figure moves twice here (W2: 250,000): each vector is sized
    // once, not grown by doubling (which touched and moved them again).
    site_rows_.reserve(inv_->intermediates.size() + inv_->figures.size());
    for (auto& f : inv_->intermediates) take(std::move(f));
    const size_t first_of_figures = site_rows_.size();
    for (auto& f : inv_->figures) take(std::move(f));
    merge_site_rows(first_of_figures);
    inv_->figures.clear();
    inv_->intermediates.clear();

    add_revenue();
    metrics_internal::add_workforce(cat_, pkg_, &store_, &inv_->diagnostics);
    MetricsResult result;
    add_disclosures(&result);
    for (int y : years_) {
      for (const auto& id : cat_.order) derive(*cat_.find(id), y);
      // Every published metric with a total row has one per year ("never as 0").
      for (const auto& [id, m] : cat_.metrics) {
        if (!m.published || !m.total) continue;
        if (m.kind == MetricKind::kWorkforce || m.kind == MetricKind::kFormula) {
          store_.at(id, y, "", "", unit(m));
        }
      }
    }
    metrics_internal::add_targets(cat_, pkg_, &store_, &inv_->diagnostics);

    // The store's figures and calc's site rows, merged in key order.
    inv_->figures.reserve(site_rows_.size() + store_.figures.size());
    size_t next_site_row = 0;
    for (auto& [key, f] : store_.figures) {
      while (next_site_row < site_rows_.size() &&
             key_ref(site_rows_[next_site_row]) < key_ref(key)) {
        put(std::move(site_rows_[next_site_row++]));
      }
      put(std::move(f));
    }
    while (next_site_row < site_rows_.size()) put(std::move(site_rows_[next_site_row++]));
    return result;
  }

 private:
  static FigureKey key_of(const Figure& f) { return FigureKey{f.id, f.year, f.site, f.category}; }
  // The store's key order, without copying the strings.
  using KeyRef = std::tuple<const std::string&, const int&, const std::string&, const std::string&>;
  static KeyRef key_ref(const Figure& f) { return std::tie(f.id, f.year, f.site, f.category); }
  static KeyRef key_ref(const FigureKey& k) {
    return std::tie(std::get<0>(k), std::get<1>(k), std::get<2>(k), std::get<3>(k));
  }

  // Formulas, targets and workforce read totals and breakdowns only (site
  // ""): calc's site rows (W2: 250,000 of them) wait aside, in key order,
  // instead of going through the store's map. Totals come sorted as the
  // store's keys, so the end is the place to insert them, not a search.
  void take(Figure&& f) {
    if (!f.site.empty()) {
      site_rows_.push_back(std::move(f));
      return;
    }
    store_.figures.emplace_hint(store_.figures.end(), key_of(f), std::move(f));
  }
  // Sorts the site rows of the intermediates and figures as one list (calc
  // gives each sorted: then a merge is enough).
  void merge_site_rows(size_t first_of_figures) {
    auto before = [](const Figure& a, const Figure& b) { return key_ref(a) < key_ref(b); };
    const auto middle = site_rows_.begin() + static_cast<std::ptrdiff_t>(first_of_figures);
    if (std::is_sorted(site_rows_.begin(), middle, before) &&
        std::is_sorted(middle, site_rows_.end(), before)) {
      std::inplace_merge(site_rows_.begin(), middle, site_rows_.end(), before);
    } else {
      std::stable_sort(site_rows_.begin(), site_rows_.end(), before);
    }
  }
  void put(Figure&& f) {
    const MetricDef* m = cat_.find(f.id);
    const bool published = !f.id.starts_with("_") && (!m || m->published);
    (published ? inv_->figures : inv_->intermediates).push_back(std::move(f));
  }

  std::string unit(const MetricDef& m) const { return m.unit_for(pkg_.manifest.currency); }

  void add_revenue() {
    const MetricDef* m = cat_.find("revenue");
    if (!m) return;
    for (const auto& [year, value] : pkg_.manifest.revenue) {
      if (!years_.count(year)) continue;
      Figure& f = store_.at("revenue", year, "", "", unit(*m));
      f.status = FigureStatus::kOk;
      f.value = value.to_double();
      f.lineage = metrics_internal::source_node(
          "revenue " + std::to_string(year), *f.value, SourceRef{"package.toml", 0},
          "[revenue] " + std::to_string(year) + " = " + value.to_string() + " million " +
              pkg_.manifest.currency);
    }
  }

  void add_disclosures(MetricsResult* result) {
    for (const auto& d : pkg_.disclosures) {
      if (d.not_material) {
        result->not_material.push_back({d.year, d.metric, d.category, d.evidence, d.source});
        continue;
      }
      if (!d.value) continue;
      const MetricDef* m = cat_.find(d.metric);
      const bool custom = d.metric.starts_with("x.");
      if (!custom && (!m || m->kind != MetricKind::kDisclosed)) {
        Diagnostic w;
        w.severity = Severity::kWarning;
        w.code = "disclosure_ignored";
        w.file = d.source.file;
        w.line = d.source.line;
        w.metric = d.metric;
        w.message = d.metric + " " + std::to_string(d.year) +
                    " is computed by the engine, not a counted fact; the disclosed value " +
                    d.value->to_string() + " is not used";
        inv_->diagnostics.add(std::move(w));
        continue;
      }
      const std::string u = d.unit.empty() && m ? unit(*m) : d.unit;
      Figure& f = store_.at(d.metric, d.year, "", d.category, u);
      f.status = FigureStatus::kOk;
      f.value = d.value->to_double();
      std::string label = figure_label(d.metric, d.year, d.category);
      f.lineage = metrics_internal::source_node(
          label, *f.value, d.source, d.evidence.empty() ? "" : "evidence: " + d.evidence);
    }
  }

  Value lookup(const std::string& id, int year, const std::string& category) const {
    const Figure* f = store_.find(id, year, "", category);
    if (!f) return {FigureStatus::kNotAvailable, 0.0};
    return {f->status, f->value.value_or(0.0)};
  }

  void derive(const MetricDef& m, int year) {
    if (m.formula && m.total) evaluate_into(m, *m.formula, m.formula_text, year, "");
    if (m.formula && m.by_category) {
      std::vector<std::string> categories;
      for (auto it = store_.figures.lower_bound(FigureKey{m.categories_from, year, "", ""});
           it != store_.figures.end() && std::get<0>(it->first) == m.categories_from &&
           std::get<1>(it->first) == year;
           ++it) {
        if (std::get<2>(it->first).empty() && !std::get<3>(it->first).empty()) {
          categories.push_back(std::get<3>(it->first));
        }
      }
      for (const auto& c : categories) evaluate_into(m, *m.formula, m.formula_text, year, c);
    }
    for (const auto& [category, e] : m.category_formula) {
      // A breakdown row is written when any of its operands has a figure.
      bool any = false;
      for (const auto& ref : referenced_ids(*e)) {
        any = any || lookup(ref, year, "").status != FigureStatus::kNotAvailable;
      }
      if (any) {
        evaluate_into(m, *e, m.category_formula_text.at(category), year, category, true);
      }
    }
  }

  // `fixed_category`: the row's category names the breakdown, operands are totals.
  void evaluate_into(const MetricDef& m, const Expr& e, const std::string& text, int year,
                     const std::string& category, bool fixed_category = false) {
    const std::string operand_category = fixed_category ? "" : category;
    auto look = [&](const std::string& id) { return lookup(id, year, operand_category); };
    const Value v = evaluate(e, look);
    Figure& f = store_.at(m.id, year, "", category, unit(m));
    f.status = v.status;
    f.value.reset();
    if (v.status == FigureStatus::kNotAvailable) {
      f.lineage = nullptr;
      return;
    }
    const std::string label = figure_label(m.id, year, category);
    auto node = std::make_shared<Contribution>();
    node->kind = Contribution::Kind::kGroup;
    node->label = label;
    if (auto lf = linear_form(e)) {
      // (a + b + ...) x (k / d): the order of operations calc always used, so
      // the figures are the same doubles as before the catalog.
      double s = 0.0;
      for (const auto& t : lf->terms) {
        const Figure* op = store_.find(t, year, "", operand_category);
        if (!op || op->status == FigureStatus::kNotAvailable) continue;
        if (op->value) s += *op->value;
        if (op->lineage) node->children.push_back(op->lineage);
      }
      double scale = lf->factor;
      std::string note;
      if (!lf->denominator.empty()) {
        const Figure* d = store_.find(lf->denominator, year, "", operand_category);
        const double dv = d && d->value ? *d->value : 0.0;
        scale = lf->factor / dv;
        note = "/ " + lf->denominator + " " + format_number(dv) + " " + (d ? d->unit : "");
      }
      if (lf->factor != 1.0) note += (note.empty() ? "x " : " x ") + format_number(lf->factor);
      node->scale = scale;
      node->scale_note = note;
      node->value = s * scale;
    } else {
      node->value = v.value;
      node->note = "formula " + text;
    }
    if (v.status == FigureStatus::kOk) f.value = node->value;
    f.lineage = node;
  }

  const MetricCatalog& cat_;
  const Package& pkg_;
  Inventory* inv_;
  std::set<int> years_;
  FigureStore store_;
  std::vector<Figure> site_rows_;  // calc's per-site figures, in key order
};

}  // namespace

MetricsResult evaluate_metrics(const MetricCatalog& catalog, const Package& package,
                               Inventory* inventory) {
  return Evaluator(catalog, package, inventory).run();
}

Inventory compute_with_metrics(const Package& package, const FactorLibrary& library,
                               const CalcOptions& options, MetricsResult* result) {
  Inventory inv = compute(package, library, options);
  MetricsResult r = evaluate_metrics(builtin_catalog(), package, &inv);
  if (result) *result = std::move(r);
  return inv;
}

}  // namespace assay
