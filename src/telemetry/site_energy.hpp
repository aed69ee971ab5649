// The API calc uses for PUE where a data centre has no it_energy records
// (issue 6, item 3): per site and month, IT and facility energy from meters,
// with the lineage an auditor needs (which meters, which roll-up row).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "telemetry/telemetry.hpp"

namespace assay {

struct MeteredEnergy {
  double kwh = 0;                   // exact sum, correctly rounded once
  std::vector<std::string> meters;  // meter ids that had intervals in the month, in id order
  std::string rollup;               // "telemetry:monthly/SITE/YYYY-MM/ROLE": the roll-up row
};

struct MeteredSiteMonth {
  std::string site;
  int32_t month = 0;  // year*12 + month-1
  std::optional<MeteredEnergy> it;
  std::optional<MeteredEnergy> facility;
};

// Sorted by site, month; one row per (site, month) with any it or facility energy.
std::vector<MeteredSiteMonth> metered_site_months(const TelemetryResult& result);

// The rows of one site and year (empty if none).
std::vector<MeteredSiteMonth> metered_site_year(const TelemetryResult& result,
                                                const std::string& site, int year);

}  // namespace assay
