#include "telemetry/site_energy.hpp"

namespace assay {

std::vector<MeteredSiteMonth> metered_site_months(const TelemetryResult& result) {
  std::vector<MeteredSiteMonth> out;
  for (const MonthlyEnergy& row : result.monthly) {  // sorted by site, month, role
    if (row.role != MeterRole::kIt && row.role != MeterRole::kFacility) continue;
    if (out.empty() || out.back().site != row.site || out.back().month != row.month) {
      out.push_back(MeteredSiteMonth{row.site, row.month, std::nullopt, std::nullopt});
    }
    MeteredEnergy e;
    e.kwh = energy_to_kwh(row.energy);
    e.meters = row.meters;
    e.rollup = "telemetry:monthly/" + row.site + "/" + format_month(row.month) + "/" +
               std::string(meter_role_name(row.role));
    (row.role == MeterRole::kIt ? out.back().it : out.back().facility) = std::move(e);
  }
  return out;
}

std::vector<MeteredSiteMonth> metered_site_year(const TelemetryResult& result,
                                                const std::string& site, int year) {
  std::vector<MeteredSiteMonth> out;
  for (auto& row : metered_site_months(result)) {
    if (row.site == site && row.month / 12 == year) out.push_back(std::move(row));
  }
  return out;
}

}  // namespace assay
