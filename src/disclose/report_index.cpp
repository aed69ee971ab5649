// The framework content indexes: for every item of data/report/{hkex,
// ifrs_s2,gri}.toml, where the report answers it (the KPI tables and rows of
// the metrics that carry its code in the catalog, or the ids the item
// names), or the package's not-material explanation (disclosures.csv rows
// with value = not_material), else narrative / not answered.
#include <algorithm>
#include <set>

#include "disclose/report_context.hpp"

namespace assay::disclose::internal {

namespace {

const std::vector<std::string>& codes_of(const MetricDef& m, const std::string& framework,
                                         std::vector<std::string>* scratch) {
  if (framework == "hkex") return m.hkex;
  if (framework == "gri") return m.gri;
  scratch->assign(m.ifrs_s2.begin(), m.ifrs_s2.end());
  scratch->insert(scratch->end(), m.tcfd.begin(), m.tcfd.end());
  return *scratch;
}

// Metric ids that answer `item`: the catalog's metrics listing its code, then the item's own ids.
std::vector<std::string> answering_metrics(const Context& cx, const std::string& framework,
                                           const FrameworkItem& item) {
  std::vector<std::string> ids;
  for (const auto& [id, def] : cx.catalog.metrics) {
    if (!def.published) continue;
    std::vector<std::string> scratch;
    const auto& codes = codes_of(def, framework, &scratch);
    if (std::find(codes.begin(), codes.end(), item.code) != codes.end()) ids.push_back(id);
  }
  for (const std::string& id : item.metrics) {
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  return ids;
}

// Metric ids with a value in one of the report's years, collected once: an
// index asks about a few hundred ids, an inventory at scale has millions of
// figures.
std::set<std::string> ids_with_values(const Context& cx) {
  std::set<std::string> ids;
  for (const Figure& f : cx.inventory().figures) {
    if (f.value && std::find(cx.years.begin(), cx.years.end(), f.year) != cx.years.end())
      ids.insert(f.id);
  }
  for (const DisclosureRow& d : cx.package().disclosures) {
    if (d.value) ids.insert(d.metric);
  }
  return ids;
}

// Where the metrics with figures appear, in the order a reader meets them:
// tables and rows in report order, then the targets section.
std::vector<IndexEntry::Place> places(const Context& cx, const std::vector<KpiTable>& tables,
                                      const std::vector<std::string>& metrics,
                                      const std::set<std::string>& with_values) {
  std::vector<IndexEntry::Place> out;
  auto answered = [&](const std::string& m) {
    return with_values.contains(m) && std::find(metrics.begin(), metrics.end(), m) != metrics.end();
  };
  for (const KpiTable& t : tables) {
    std::vector<std::string> seen;
    for (const KpiRow& r : t.rows) {
      if (r.heading || !answered(r.metric)) continue;
      if (std::find(seen.begin(), seen.end(), r.metric) != seen.end()) continue;
      seen.push_back(r.metric);
      out.push_back({t.id, t.title, r.metric, cx.metric_label(r.metric)});
    }
  }
  if (!cx.package().targets.empty()) {
    for (const std::string& m : metrics) {
      if (m.starts_with("target.") && answered(m)) {
        out.push_back({"targets", cx.word("targets"), m, cx.metric_label(m)});
      }
    }
  }
  return out;
}

}  // namespace

std::vector<FrameworkIndex> build_indexes(const Context& cx, const std::vector<KpiTable>& tables,
                                          std::vector<ReportWarning>* warnings) {
  std::vector<FrameworkIndex> out;
  const int year = cx.package().manifest.reporting_year;
  const std::set<std::string> with_values = ids_with_values(cx);
  for (const FrameworkData& fw : cx.data.frameworks) {
    FrameworkIndex index;
    index.id = fw.id;
    index.title = fw.title.in(cx.lang);
    for (const FrameworkItem& item : fw.items) {
      if (item.until != 0 && year > item.until) continue;
      IndexEntry e;
      e.code = item.ifrs_s2.empty() ? item.code : item.code + " (IFRS S2 " + item.ifrs_s2 + ")";
      e.code_text = item.code_label.en.empty() ? e.code : item.code_label.in(cx.lang);
      e.title = item.title.in(cx.lang);
      const std::vector<std::string> metrics = answering_metrics(cx, fw.id, item);
      e.answered_in = places(cx, tables, metrics, with_values);
      if (!e.answered_in.empty()) {
        e.status = "answered";
      } else {
        if (cx.in.metrics) {
          for (const NotMaterialKpi& nm : cx.in.metrics->not_material) {
            if (std::find(metrics.begin(), metrics.end(), nm.metric) != metrics.end()) {
              e.status = "not_material";
              e.explanation = nm.explanation;
              break;
            }
          }
        }
        if (e.status.empty()) e.status = item.kind == "narrative" ? "narrative" : "not_answered";
      }
      e.status_text = cx.word("status_" + e.status);
      if (e.status == "not_answered" && fw.id == "hkex") {
        ReportWarning w;
        w.code = "kpi_not_answered";
        w.severity = "warning";
        w.where = "HKEX " + item.code;
        w.message =
            "HKEX KPI " + item.code + " (" + item.title.en +
            ") has no figure in the run and no not_material row in disclosures.csv explaining it";
        warnings->push_back(std::move(w));
      }
      index.entries.push_back(std::move(e));
    }
    out.push_back(std::move(index));
  }
  return out;
}

}  // namespace assay::disclose::internal
