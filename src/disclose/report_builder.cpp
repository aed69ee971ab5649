#include "disclose/report_builder.hpp"

#include <algorithm>
#include <set>

#include "disclose/number_format.hpp"
#include "disclose/report_context.hpp"

namespace assay::disclose {

namespace internal {

std::string Context::metric_label(const std::string& id) const {
  const MetricDef* m = catalog.find(id);
  return m ? m->label.in(lang) : id;
}

std::string Context::unit_label(const std::string& contract_unit) const {
  return data.unit_label(contract_unit, lang);
}

std::string Context::metric_unit(const MetricDef* def) const {
  return def ? def->unit_for(package().manifest.currency) : std::string();
}

const std::string& Context::word(const std::string& key) const {
  static const std::string kEmpty;
  auto l = data.ui.find(lang);
  if (l == data.ui.end()) return kEmpty;
  auto w = l->second.find(key);
  return w == l->second.end() ? kEmpty : w->second;
}

std::string Context::category_label(const std::string& metric, const std::string& category) const {
  if (metric.starts_with("ghg.scope3")) {
    if (auto it = data.scope3_categories.find(category); it != data.scope3_categories.end()) {
      return it->second.in(lang);
    }
  }
  const auto colon = category.find(':');
  if (colon != std::string::npos) {
    auto dim = catalog.dimensions.find(category.substr(0, colon));
    if (dim != catalog.dimensions.end()) {
      auto cat = dim->second.categories.find(category.substr(colon + 1));
      if (cat != dim->second.categories.end()) return cat->second.in(lang);
    }
  }
  return category;
}

namespace {

Cell make_cell(const Context& cx, const Figure* f, int decimals) {
  Cell c;
  if (f && f->value && f->status == FigureStatus::kOk) {
    c.value = *f->value;
    c.rounded = round_for_report(*f->value, decimals);
    c.text = format_number(*c.rounded, decimals);
    c.status = "ok";
  } else {
    c.text = cx.word("not_available");
    c.status = f ? std::string(status_name(f->status)) : "not_available";
  }
  return c;
}

KpiRow make_row(const Context& cx, const std::string& metric, const std::string& category,
                int indent, std::string label) {
  KpiRow row;
  row.metric = metric;
  row.category = category;
  row.indent = indent;
  row.label = std::move(label);
  const MetricDef* def = cx.catalog.find(metric);
  row.decimals = def ? def->decimals : 0;
  row.unit_code = cx.metric_unit(def);
  for (int y : cx.years) {
    const Figure* f = cx.inventory().find(metric, y, {}, category);
    if (row.unit_code.empty() && f) row.unit_code = f->unit;
    row.cells.push_back(make_cell(cx, f, row.decimals));
  }
  row.unit = cx.unit_label(row.unit_code);
  return row;
}

KpiRow heading_row(std::string label, int indent) {
  KpiRow row;
  row.heading = true;
  row.indent = indent;
  row.label = std::move(label);
  return row;
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Categories of a breakdown metric in the report's years: workforce
// dimensions in workforce.csv order, counted facts in disclosures.csv order,
// scope 3 categories by number, others as the inventory sorts them.
std::vector<std::string> categories_of(const Context& cx, const std::string& metric) {
  std::set<std::string> present;
  for (const Figure& f : cx.inventory().figures) {
    if (f.id == metric && f.site.empty() && !f.category.empty() &&
        std::find(cx.years.begin(), cx.years.end(), f.year) != cx.years.end()) {
      present.insert(f.category);
    }
  }
  std::vector<std::string> order;
  auto add = [&](const std::string& c) {
    if (present.contains(c) && std::find(order.begin(), order.end(), c) == order.end())
      order.push_back(c);
  };
  for (const WorkforceRow& w : cx.package().workforce) add(w.dimension + ":" + w.category);
  for (const DisclosureRow& d : cx.package().disclosures) {
    if (d.metric == metric) add(d.category);
  }
  std::vector<std::string> rest;
  for (const std::string& c : present) {
    if (std::find(order.begin(), order.end(), c) == order.end()) rest.push_back(c);
  }
  std::stable_sort(rest.begin(), rest.end(), [](const std::string& a, const std::string& b) {
    if (all_digits(a) && all_digits(b)) return std::stoi(a) < std::stoi(b);
    return false;
  });
  order.insert(order.end(), rest.begin(), rest.end());
  return order;
}

std::string breakdown_heading(const Context& cx, const std::string& metric,
                              const std::string& dimension) {
  auto dim = cx.catalog.dimensions.find(dimension);
  const std::string dim_label =
      dim != cx.catalog.dimensions.end() ? dim->second.label.in(cx.lang) : dimension;
  auto noun_it = cx.data.breakdown_nouns.find(metric);
  const std::string noun = noun_it != cx.data.breakdown_nouns.end() ? noun_it->second.in(cx.lang)
                                                                    : cx.metric_label(metric);
  if (cx.lang == "en") {
    std::string d = dim_label;
    if (!d.empty() && d[0] >= 'A' && d[0] <= 'Z') d[0] = static_cast<char>(d[0] - 'A' + 'a');
    return noun + ", " + d;
  }
  return dim_label + "的" + noun;
}

void add_layout_row(const Context& cx, const LayoutRow& lr, std::vector<KpiRow>* rows) {
  const MetricDef* def = cx.catalog.find(lr.metric);
  const bool has_total = lr.total && (!def || def->total);
  if (has_total)
    rows->push_back(make_row(cx, lr.metric, "", lr.indent, cx.metric_label(lr.metric)));
  if (lr.breakdown == "categories") {
    const int indent = has_total ? std::min(lr.indent + 1, 2) : lr.indent;
    if (!has_total) {
      // A breakdown without a total row still says what it breaks down.
      rows->push_back(heading_row(cx.metric_label(lr.metric), lr.indent));
    }
    for (const std::string& c : categories_of(cx, lr.metric)) {
      rows->push_back(make_row(cx, lr.metric, c, has_total ? indent : std::min(lr.indent + 1, 2),
                               cx.category_label(lr.metric, c)));
    }
  } else if (lr.breakdown == "dimensions") {
    const std::vector<std::string> cats = categories_of(cx, lr.metric);
    for (const std::string& dim : lr.dimensions) {
      std::vector<std::string> of_dim;
      for (const std::string& c : cats) {
        if (c.starts_with(dim + ":")) of_dim.push_back(c);
      }
      if (of_dim.empty()) continue;
      rows->push_back(heading_row(breakdown_heading(cx, lr.metric, dim), lr.indent));
      for (const std::string& c : of_dim) {
        rows->push_back(make_row(cx, lr.metric, c, std::min(lr.indent + 1, 2),
                                 cx.category_label(lr.metric, c)));
      }
    }
  }
}

bool has_any_value(const KpiTable& t) {
  for (const KpiRow& r : t.rows) {
    for (const Cell& c : r.cells) {
      if (c.value) return true;
    }
  }
  return false;
}

// Drops heading rows left with no row under them.
void drop_empty_headings(std::vector<KpiRow>* rows) {
  std::vector<KpiRow> out;
  for (size_t i = 0; i < rows->size(); ++i) {
    const KpiRow& r = (*rows)[i];
    if (r.heading &&
        (i + 1 == rows->size() || (*rows)[i + 1].heading || (*rows)[i + 1].indent <= r.indent)) {
      continue;
    }
    out.push_back(r);
  }
  *rows = std::move(out);
}

// A row with no value in any year is kept only when it is a figure the
// layout asks for by name (a gap a reader should see), not a breakdown row.
void drop_empty_rows(std::vector<KpiRow>* rows) {
  std::vector<KpiRow> out;
  for (const KpiRow& r : *rows) {
    const bool empty =
        !r.heading && std::none_of(r.cells.begin(), r.cells.end(),
                                   [](const Cell& c) { return c.value.has_value(); });
    if (empty && !r.category.empty()) continue;
    out.push_back(r);
  }
  *rows = std::move(out);
}

}  // namespace

std::vector<KpiTable> build_tables(const Context& cx) {
  std::vector<KpiTable> tables;
  for (const LayoutTable& lt : cx.data.tables) {
    KpiTable t;
    t.id = lt.id;
    t.area = lt.area;
    t.title = lt.title.in(cx.lang);
    for (const LayoutRow& lr : lt.rows) add_layout_row(cx, lr, &t.rows);
    drop_empty_rows(&t.rows);
    drop_empty_headings(&t.rows);
    if (!has_any_value(t)) continue;
    add_table_notes(cx, &t);
    tables.push_back(std::move(t));
  }
  return tables;
}

std::vector<TargetRow> build_targets(const Context& cx) {
  std::vector<TargetRow> out;
  const int year = cx.package().manifest.reporting_year;
  const MetricDef* progress_def = cx.catalog.find("target.progress");
  const MetricDef* required_def = cx.catalog.find("target.required_annual");
  for (const assay::TargetRow& t : cx.package().targets) {
    TargetRow r;
    r.target_id = t.target_id;
    r.metric = t.metric;
    r.metric_label = cx.metric_label(t.metric);
    r.base_year = t.base_year;
    r.target_year = t.target_year;
    r.current_year = year;
    r.note = t.note;
    const MetricDef* def = cx.catalog.find(t.metric);
    const int decimals = def ? def->decimals : 1;
    const std::string unit = cx.unit_label(cx.metric_unit(def));
    auto with_unit = [&](double v) { return format_with_unit(v, decimals, unit); };
    const Figure* base = cx.inventory().find(t.metric, t.base_year);
    if (t.base_value) {
      r.base_value = with_unit(t.base_value->to_double());
    } else if (base && base->value) {
      r.base_value = with_unit(*base->value);
    } else {
      r.base_value = cx.word("not_available");
    }
    const Figure* cur = cx.inventory().find(t.metric, year);
    r.current_value = cur && cur->value ? with_unit(*cur->value) : cx.word("not_available");
    const std::string target_number = t.target_value.to_string();
    if (t.kind == "reduction") {
      r.kind = cx.word("kind_reduction");
      r.target_value = "-" + target_number + "%";
    } else if (t.kind == "at_most") {
      r.kind = cx.word("kind_at_most");
      r.target_value = "≤ " + with_unit(t.target_value.to_double());
    } else {
      r.kind = cx.word("kind_at_least");
      r.target_value = "≥ " + with_unit(t.target_value.to_double());
    }
    const Figure* p = cx.inventory().find("target.progress", year, {}, t.target_id);
    if (p && p->value && progress_def) {
      r.progress = *p->value;
      const int pd = p->unit == "%" ? progress_def->decimals : decimals;
      r.progress_text = format_with_unit(*p->value, pd, cx.unit_label(p->unit));
    } else {
      r.progress_text = cx.word("not_available");
    }
    const Figure* q = cx.inventory().find("target.required_annual", year, {}, t.target_id);
    if (q && q->value && required_def) {
      r.required_annual_text =
          format_with_unit(*q->value, required_def->decimals, cx.unit_label(q->unit));
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace internal

namespace {

UiText ui_text(const internal::Context& cx, const std::string& version) {
  UiText u;
  auto w = [&](const char* k) { return cx.word(k); };
  u.report_title = w("report_title");
  u.indicator = w("indicator");
  u.unit = w("unit");
  u.year_suffix = w("year_suffix");
  u.notes = w("notes");
  u.targets = w("targets");
  u.framework_index = w("framework_index");
  u.charts = w("charts");
  u.warnings = w("warnings");
  u.method = w("method");
  u.not_available = w("not_available");
  u.run_hash = w("run_hash");
  u.generated_by = w("generated_by");
  if (auto p = u.generated_by.find("{version}"); p != std::string::npos)
    u.generated_by.replace(p, 9, version);
  u.areas_environment = w("areas_environment");
  u.areas_social = w("areas_social");
  u.areas_other = w("areas_other");
  u.target_id = w("target_id");
  u.target_metric = w("target_metric");
  u.target_kind = w("target_kind");
  u.target_base = w("target_base");
  u.target_goal = w("target_goal");
  u.target_current = w("target_current");
  u.target_progress = w("target_progress");
  u.target_required = w("target_required");
  u.index_code = w("index_code");
  u.index_requirement = w("index_requirement");
  u.index_status = w("index_status");
  u.index_where = w("index_where");
  u.index_explanation = w("index_explanation");
  u.warning_severity = w("warning_severity");
  u.warning_code = w("warning_code");
  u.warning_where = w("warning_where");
  u.warning_message = w("warning_message");
  u.kind_reduction = w("kind_reduction");
  u.kind_at_most = w("kind_at_most");
  u.kind_at_least = w("kind_at_least");
  u.status_answered = w("status_answered");
  u.status_not_material = w("status_not_material");
  u.status_narrative = w("status_narrative");
  u.status_not_answered = w("status_not_answered");
  u.no_warnings = w("no_warnings");
  u.contents = w("contents");
  u.year_ended = w("year_ended");
  return u;
}

ReportWarning to_warning(const Diagnostic& d) {
  ReportWarning w;
  w.code = d.code;
  w.message = d.message;
  w.severity = d.is_error() ? "error" : d.code == "sbti_ambition" ? "info" : "warning";
  if (!d.file.empty()) {
    w.where = d.file + (d.line > 0 ? ":" + std::to_string(d.line) : "");
  } else if (!d.metric.empty()) {
    w.where = d.metric;
  } else if (!d.site.empty()) {
    w.where = d.site;
  }
  return w;
}

}  // namespace

Report build_report(const ReportInput& input, const std::string& language, const ReportData& data,
                    const MetricCatalog& catalog) {
  internal::Context cx{input, language, data, catalog, {}};
  const Manifest& m = input.package->manifest;
  cx.years = m.years;
  std::sort(cx.years.begin(), cx.years.end(), std::greater<int>());
  cx.years.erase(std::unique(cx.years.begin(), cx.years.end()), cx.years.end());

  Report r;
  r.language = language;
  r.package_name = m.name;
  r.reporting_year = m.reporting_year;
  r.years = cx.years;
  r.currency = m.currency;
  r.run_hash = input.run_hash;
  r.engine_version = input.engine_version;
  r.ui = ui_text(cx, input.engine_version);
  r.tables = internal::build_tables(cx);
  r.method_notes = internal::method_notes(cx);
  r.targets = internal::build_targets(cx);
  for (const Diagnostic& d : input.diagnostics) r.warnings.push_back(to_warning(d));
  for (const Diagnostic& d : input.inventory->diagnostics.items())
    r.warnings.push_back(to_warning(d));
  r.indexes = internal::build_indexes(cx, r.tables, &r.warnings);
  r.charts = internal::build_report_charts(cx);
  return r;
}

}  // namespace assay::disclose
