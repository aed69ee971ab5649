// In-memory packages for metrics tests: every input is written in the test
// itself, so that expectations can be computed by hand.
#pragma once

#include <string>

#include "metrics/evaluate.hpp"

namespace assay::testing {

inline Decimal dec(const std::string& s) { return *Decimal::parse(s); }

inline Package package_for(int reporting_year, std::vector<int> years) {
  Package p;
  p.manifest.name = "test";
  p.manifest.reporting_year = reporting_year;
  p.manifest.years = std::move(years);
  p.manifest.currency = "CNY";
  return p;
}

inline void add_workforce(Package* p, int year, std::string measure, std::string dimension,
                          std::string category, std::string value, int64_t line = 0) {
  WorkforceRow r;
  r.year = year;
  r.measure = std::move(measure);
  r.dimension = std::move(dimension);
  r.category = std::move(category);
  r.value = dec(value);
  r.source = {"workforce.csv", line};
  p->workforce.push_back(std::move(r));
}

// A base figure as calc would give it.
inline Figure base_figure(std::string id, int year, double value, std::string unit) {
  Figure f;
  f.id = std::move(id);
  f.year = year;
  f.value = value;
  f.status = FigureStatus::kOk;
  f.unit = std::move(unit);
  return f;
}

inline const Figure* find(const Inventory& inv, const std::string& id, int year,
                          const std::string& category = {}) {
  return inv.find(id, year, "", category);
}

inline double value_of(const Inventory& inv, const std::string& id, int year,
                       const std::string& category = {}) {
  const Figure* f = find(inv, id, year, category);
  if (!f || !f->value) return -1e300;
  return *f->value;
}

inline std::vector<Diagnostic> with_code(const Inventory& inv, const std::string& code) {
  std::vector<Diagnostic> out;
  for (const auto& d : inv.diagnostics.items()) {
    if (d.code == code) out.push_back(d);
  }
  return out;
}

}  // namespace assay::testing
