#include "telemetry/report.hpp"

#include "units/json_text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>

namespace assay {
namespace {

int days_in_month(int32_t month) {
  int y = month / 12, m = month % 12 + 1;
  return days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : static_cast<unsigned>(m + 1), 1) -
         days_from_civil(y, static_cast<unsigned>(m), 1);
}

}  // namespace

TelemetryReport build_telemetry_report(const Package& package, const TelemetryResult& result) {
  TelemetryReport report;
  // (site, month) -> facility, it
  struct SiteMonth {
    std::optional<EnergyUnits> facility, it;
  };
  std::map<std::pair<std::string, int32_t>, SiteMonth> by_month;
  for (const MonthlyEnergy& row : result.monthly) {
    if (row.role == MeterRole::kFacility) by_month[{row.site, row.month}].facility = row.energy;
    if (row.role == MeterRole::kIt) by_month[{row.site, row.month}].it = row.energy;
  }
  std::string site;
  std::map<int, std::pair<EnergyUnits, EnergyUnits>> years;
  auto flush_years = [&]() {
    for (const auto& [year, sums] : years) {
      if (sums.second > 0) {
        report.pue.push_back(PueRow{site, std::nullopt, year,
                                    energy_to_kwh(sums.first) / energy_to_kwh(sums.second)});
      }
    }
    years.clear();
  };
  for (const auto& [key, sm] : by_month) {
    if (key.first != site) {
      flush_years();
      site = key.first;
    }
    if (!sm.facility || !sm.it || *sm.it <= 0) continue;
    report.pue.push_back(PueRow{key.first, key.second, key.second / 12,
                                energy_to_kwh(*sm.facility) / energy_to_kwh(*sm.it)});
    auto& y = years[key.second / 12];
    y.first += *sm.facility;
    y.second += *sm.it;
  }
  flush_years();

  // Billed electricity per (site, month), apportioned by days.
  std::map<std::pair<std::string, int32_t>, double> billed;
  for (const ActivityRecord& a : package.activities) {
    if (a.activity != "electricity.grid" && a.activity != "electricity.onsite_renewable") continue;
    double kwh = a.quantity.to_double();
    if (a.unit == "MWh") {
      kwh *= 1000;
    } else if (a.unit != "kWh") {
      continue;  // the contract allows kWh and MWh only; validation rejected others
    }
    int64_t days = static_cast<int64_t>(a.end.days) - a.start.days + 1;
    if (days <= 0) continue;
    int32_t m0 = a.start.year() * 12 + a.start.month() - 1;
    int32_t m1 = a.end.year() * 12 + a.end.month() - 1;
    for (int32_t m = m0; m <= m1; ++m) {
      int32_t first = days_from_civil(m / 12, static_cast<unsigned>(m % 12 + 1), 1);
      int32_t last = first + days_in_month(m) - 1;
      int64_t overlap = std::min(last, a.end.days) - std::max(first, a.start.days) + 1;
      if (overlap > 0)
        billed[{std::string(a.site_id), m}] +=
            kwh * static_cast<double>(overlap) / static_cast<double>(days);
    }
  }
  for (const auto& [key, sm] : by_month) {
    auto b = billed.find(key);
    if (!sm.facility || b == billed.end()) continue;
    ReconciliationRow row;
    row.site = key.first;
    row.month = key.second;
    row.metered_kwh = energy_to_kwh(*sm.facility);
    row.billed_kwh = b->second;
    if (row.billed_kwh != 0) {
      row.difference_pct = (row.metered_kwh - row.billed_kwh) / row.billed_kwh * 100;
      if (std::fabs(*row.difference_pct) > 2) {
        Diagnostic d;
        d.severity = Severity::kWarning;
        d.code = "reconciliation_gap";
        d.site = row.site;
        char pct[32];
        std::snprintf(pct, sizeof pct, "%+.2f", *row.difference_pct);
        d.message = "site " + row.site + ", " + format_month(row.month) +
                    ": metered facility energy " + json_number(row.metered_kwh) +
                    " kWh differs from billed electricity " + json_number(row.billed_kwh) +
                    " kWh by " + pct + "% (more than 2%)";
        report.warnings.add(std::move(d));
      }
    }
    report.reconciliation.push_back(std::move(row));
  }
  return report;
}

std::string telemetry_json(const std::string& package, const TelemetryResult& result,
                           const TelemetryReport& report, const std::string& hourly_file) {
  std::string out;
  out.reserve(256 + result.monthly.size() * 80);
  out += "{\"package\": ";
  json_append_string(&out, package);
  out += ",\n \"monthly\": [";
  bool first = true;
  for (const MonthlyEnergy& r : result.monthly) {
    out += first ? "\n  " : ",\n  ";
    first = false;
    out += "{\"site\": ";
    json_append_string(&out, r.site);
    out += ", \"month\": \"" + format_month(r.month) + "\", \"role\": \"";
    out += meter_role_name(r.role);
    out += "\", \"kwh\": " + json_number(energy_to_kwh(r.energy)) + "}";
  }
  out += "]";
  if (!hourly_file.empty()) {
    out += ",\n \"hourly_file\": ";
    json_append_string(&out, hourly_file);
  }
  out += ",\n \"pue\": [";
  first = true;
  for (const PueRow& r : report.pue) {
    out += first ? "\n  " : ",\n  ";
    first = false;
    out += "{\"site\": ";
    json_append_string(&out, r.site);
    if (r.month) {
      out += ", \"month\": \"" + format_month(*r.month) + "\"";
    } else {
      out += ", \"year\": " + std::to_string(r.year);
    }
    out += ", \"value\": " + json_number(r.value) + "}";
  }
  out += "],\n \"gaps\": [";
  first = true;
  for (const MeterGap& g : result.gaps) {
    out += first ? "\n  " : ",\n  ";
    first = false;
    out += "{\"meter\": ";
    json_append_string(&out, g.meter);
    out += ", \"from\": \"" + format_utc_timestamp(g.from) + "\", \"to\": \"" +
           format_utc_timestamp(g.to) + "\"}";
  }
  out += "],\n \"reconciliation\": [";
  first = true;
  for (const ReconciliationRow& r : report.reconciliation) {
    out += first ? "\n  " : ",\n  ";
    first = false;
    out += "{\"site\": ";
    json_append_string(&out, r.site);
    out += ", \"month\": \"" + format_month(r.month) +
           "\", \"metered_kwh\": " + json_number(r.metered_kwh) +
           ", \"billed_kwh\": " + json_number(r.billed_kwh) +
           ", \"difference_pct\": " + (r.difference_pct ? json_number(*r.difference_pct) : "null") +
           "}";
  }
  out += "],\n \"warnings\": [";
  first = true;
  auto warning = [&](const Diagnostic& d) {
    out += first ? "\n  " : ",\n  ";
    first = false;
    out += "{\"code\": ";
    json_append_string(&out, d.code);
    out += ", \"message\": ";
    json_append_string(&out, d.message);
    if (!d.file.empty()) {
      out += ", \"file\": ";
      json_append_string(&out, d.file);
    }
    if (d.line) out += ", \"line\": " + std::to_string(d.line);
    if (!d.site.empty()) {
      out += ", \"site\": ";
      json_append_string(&out, d.site);
    }
    out += "}";
  };
  for (const Diagnostic& d : result.diagnostics.items()) {
    if (!d.is_error()) warning(d);
  }
  for (const Diagnostic& d : report.warnings.items()) warning(d);
  out += "]}\n";
  return out;
}

Status write_hourly_csv(const std::string& path, const TelemetryResult& result) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return Status::error(path + ": cannot write");
  std::string buf = "site,hour,role,kwh\n";
  for (const HourlyEnergy& h : result.hourly) {
    buf += h.site;
    buf += ',';
    buf += format_utc_hour(h.hour);
    buf += ',';
    buf += meter_role_name(h.role);
    buf += ',';
    buf += json_number(energy_to_kwh(h.energy));
    buf += '\n';
    if (buf.size() > (1 << 20)) {
      std::fwrite(buf.data(), 1, buf.size(), f);
      buf.clear();
    }
  }
  std::fwrite(buf.data(), 1, buf.size(), f);
  bool ok = std::fflush(f) == 0;
  ok = std::fclose(f) == 0 && ok;
  return ok ? Status::ok() : Status::error(path + ": write failed");
}

}  // namespace assay
