// In-memory packages and factor rows for calc tests. Every factor value in
// these tests is written in the test itself so that expectations can be
// computed by hand (the arithmetic is in a comment next to each assertion).
#pragma once

#include <string>
#include <vector>

#include "../common/kept_text.hpp"
#include "calc/inventory.hpp"
#include "factors/factor_library.hpp"
// Derived figures (totals, shares, intensities, coverage) come from the metric
// catalog: tests of them use compute_with_metrics().
#include "metrics/evaluate.hpp"
#include "model/records.hpp"

namespace assay::testing {

inline Decimal dec(const std::string& s) { return *Decimal::parse(s); }
inline Date day(const std::string& s) { return *parse_date(s); }

inline FactorRow factor(std::string key, std::string region, std::string year, std::string quantity,
                        std::string value, std::string unit, std::string set = "test") {
  FactorRow r;
  r.factor_set = std::move(set);
  r.key = std::move(key);
  r.region = std::move(region);
  r.year = std::move(year);
  r.quantity = std::move(quantity);
  r.value = dec(value);
  r.unit = std::move(unit);
  r.source = "test fixture " + r.key + " " + r.quantity;
  return r;
}

inline Site site(std::string id, std::string region, SiteKind kind = SiteKind::kOffice,
                 bool in_boundary = true) {
  Site s;
  s.site_id = std::move(id);
  s.name = s.site_id;
  s.kind = kind;
  s.grid_region = std::move(region);
  s.country = s.grid_region.substr(0, s.grid_region.find('-'));
  s.in_boundary = in_boundary;
  return s;
}

inline ActivityRecord activity(std::string id, std::string site_id, std::string activity,
                               std::string quantity, std::string unit,
                               std::string start = "2024-01-01", std::string end = "2024-12-31",
                               int category = 0) {
  using testing::kept;
  ActivityRecord r;
  r.record_id = kept(id);
  r.site_id = kept(site_id);
  r.activity = kept(activity);
  r.quantity = dec(quantity);
  r.unit = kept(unit);
  r.start = day(start);
  r.end = day(end);
  r.scope3_category = category;
  r.evidence = kept("EV-" + id);
  r.source = SourceView{"activities.csv", 0};
  return r;
}

inline Instrument instrument(std::string id, std::string site_id, std::string region,
                             std::string mwh, std::string ef, bool renewable,
                             std::string start = "2024-01-01", std::string end = "2024-12-31") {
  Instrument in;
  in.instrument_id = std::move(id);
  in.site_id = std::move(site_id);
  in.grid_region = std::move(region);
  in.mwh = dec(mwh);
  in.emission_factor = dec(ef);
  in.renewable = renewable;
  in.start = day(start);
  in.end = day(end);
  in.source = SourceRef{"instruments.csv", 0};
  return in;
}

inline Package package(std::vector<int> years = {2024}) {
  Package p;
  p.manifest.name = "Test";
  p.manifest.reporting_year = years.back();
  p.manifest.years = std::move(years);
  p.manifest.currency = "CNY";
  return p;
}

// Numbers the line numbers of records so that diagnostics can point at them.
inline void number_lines(Package* p) {
  int64_t line = 2;
  for (auto& a : p->activities) a.source.line = line++;
  line = 2;
  for (auto& i : p->instruments) i.source.line = line++;
}

inline double value_of(const Inventory& inv, const std::string& id, int year,
                       const std::string& site = {}, const std::string& category = {}) {
  const Figure* f = inv.find(id, year, site, category);
  if (!f || !f->value) return -1e300;
  return *f->value;
}

inline size_t count_code(const Inventory& inv, const std::string& code) {
  size_t n = 0;
  for (const auto& d : inv.diagnostics.items()) n += d.code == code;
  return n;
}

}  // namespace assay::testing
