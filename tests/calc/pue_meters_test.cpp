// PUE from telemetry where records are missing (spec/metrics.md, PUE; issue 6
// item 3): facility energy = billed electricity.grid + onsite_renewable, the
// facility meter roll-up only for months without billed electricity; IT
// energy = it_energy records, else the it meters; each chosen per month,
// records first. Hand-computed; the arithmetic is next to each assertion.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "calc/explain.hpp"
#include "fixtures.hpp"
#include "telemetry/site_energy.hpp"

namespace assay {
namespace {
using namespace assay::testing;

FactorLibrary grid_only() {
  return FactorLibrary::from_rows({factor("electricity.grid", "CN", "*", "CO2e", "0.5", "t/MWh")},
                                  {}, {});
}

int32_t month(int year, int m) { return year * 12 + m - 1; }

MeteredEnergy metered(const std::string& site, int32_t mon, const std::string& role, double kwh,
                      std::vector<std::string> meters) {
  MeteredEnergy e;
  e.kwh = kwh;
  e.meters = std::move(meters);
  e.rollup = "telemetry:monthly/" + site + "/" + format_month(mon) + "/" + role;
  return e;
}

// Twelve months of `year` for one site: facility and/or IT kWh each month (0 = none).
void add_year(std::vector<MeteredSiteMonth>* out, const std::string& site, int year,
              double facility_kwh, double it_kwh) {
  for (int m = 1; m <= 12; ++m) {
    MeteredSiteMonth row;
    row.site = site;
    row.month = month(year, m);
    if (facility_kwh > 0) {
      row.facility =
          metered(site, row.month, "facility", facility_kwh, {site + "-F1", site + "-F2"});
    }
    if (it_kwh > 0) row.it = metered(site, row.month, "it", it_kwh, {site + "-IT"});
    out->push_back(std::move(row));
  }
}

Inventory run(const Package& p, const std::vector<MeteredSiteMonth>& m) {
  CalcOptions o;
  o.metered = &m;
  return compute(p, grid_only(), o);
}

// The metered month nodes (label = roll-up row) under a site node.
std::vector<const Contribution*> metered_nodes(const Contribution& site_node) {
  std::vector<const Contribution*> out;
  for (const auto& c : site_node.children) {
    if (!c->meters.empty()) out.push_back(c.get());
  }
  return out;
}

TEST(PueMeters, ItMetersOnlyWithBilledFacility) {
  Package p = package();
  p.sites = {site("DC", "CN", SiteKind::kDataCenter)};
  // Billed facility electricity for the whole year: every month is billed.
  p.activities = {activity("G", "DC", "electricity.grid", "1200", "MWh")};
  std::vector<MeteredSiteMonth> m;
  // Facility meters 200,000 kWh a month (ignored: every month has a bill);
  // IT meters 80,000 kWh = 80 MWh a month.
  add_year(&m, "DC", 2024, 200000, 80000);
  // A month of 2025 is not in the package's years: ignored.
  add_year(&m, "DC", 2025, 0, 999999);
  m.resize(13);
  Inventory inv = run(p, m);
  // IT = 12 x 80 = 960 MWh; facility = 1200 MWh (records); PUE = 1200/960 = 1.25
  EXPECT_NEAR(value_of(inv, "pue.site", 2024, "DC"), 1.25, 1e-12);
  // No `opened`: long-running, in the average too.
  EXPECT_NEAR(value_of(inv, "pue.average", 2024), 1.25, 1e-12);
  // Meters feed PUE only: energy.electricity is the bills alone.
  EXPECT_NEAR(value_of(inv, "energy.electricity", 2024), 1200, 1e-9);

  // Without metered energy there is no IT energy and so no PUE (as before).
  Inventory records_only = compute(p, grid_only(), {});
  EXPECT_EQ(records_only.find("pue.site", 2024, "DC"), nullptr);
  EXPECT_EQ(records_only.find("pue.average", 2024)->status, FigureStatus::kNotAvailable);
}

TEST(PueMeters, FacilityMetersFillOnlyMonthsWithoutBills) {
  Package p = package();
  p.sites = {site("DC", "CN", SiteKind::kDataCenter)};
  p.activities = {
      // Jan..Jun billed
      activity("G1", "DC", "electricity.grid", "600", "MWh", "2024-01-01", "2024-06-30"),
      // Jul: on-site renewable counts as billed electricity
      activity("R7", "DC", "electricity.onsite_renewable", "10", "MWh", "2024-07-01", "2024-07-31"),
      // Aug 20 .. Sep 10 (inclusive): days in August and September, both billed
      activity("G2", "DC", "electricity.grid", "50", "MWh", "2024-08-20", "2024-09-10"),
      activity("T", "DC", "it_energy", "800", "MWh")};
  std::vector<MeteredSiteMonth> m;
  add_year(&m, "DC", 2024, 120000, 0);  // facility meters 120 MWh every month
  Inventory inv = run(p, m);
  // Months without bills: Oct, Nov, Dec -> 3 x 120 = 360 MWh metered.
  // Facility = 600 + 10 + 50 + 360 = 1020 MWh; IT = 800 MWh (records);
  // PUE = 1020 / 800 = 1.275
  EXPECT_NEAR(value_of(inv, "pue.site", 2024, "DC"), 1.275, 1e-12);
  EXPECT_NEAR(value_of(inv, "pue.average", 2024), 1.275, 1e-12);
  // energy.electricity = 600 + 10 + 50 = 660 MWh (no metered energy)
  EXPECT_NEAR(value_of(inv, "energy.electricity", 2024), 660, 1e-9);

  const Figure* f = inv.find("pue.site", 2024, "DC");
  ASSERT_TRUE(f && f->lineage);
  ASSERT_EQ(f->lineage->children.size(), 1u);
  const Contribution& fac = *f->lineage->children[0];
  // 3 metered months as children (value 120 MWh each) and the 4 records as leaves.
  EXPECT_NEAR(fac.value, 1020, 1e-9);
  auto months = metered_nodes(fac);
  ASSERT_EQ(months.size(), 3u);
  EXPECT_EQ(months[0]->label, "telemetry:monthly/DC/2024-10/facility");
  EXPECT_EQ(months[1]->label, "telemetry:monthly/DC/2024-11/facility");
  EXPECT_EQ(months[2]->label, "telemetry:monthly/DC/2024-12/facility");
  EXPECT_NEAR(months[0]->value, 120, 1e-12);
  EXPECT_EQ(fac.leaves.size(), 3u);  // G1, R7, G2 (the it_energy record is IT's)
  // The IT side: the records, as the denominator (not part of the sum).
  ASSERT_TRUE(f->lineage->denominator);
  EXPECT_NEAR(f->lineage->denominator->value, 800, 1e-9);
  EXPECT_EQ(f->lineage->denominator_unit, "MWh");
}

TEST(PueMeters, ItRecordsForSomeMonthsMetersForTheOthers) {
  Package p = package();
  Site dc = site("DC", "CN", SiteKind::kDataCenter);
  dc.opened = month(2019, 1);
  p.sites = {dc};
  p.activities = {activity("G", "DC", "electricity.grid", "1443", "MWh"),
                  // IT records for Jan..Mar only
                  activity("T1", "DC", "it_energy", "300", "MWh", "2024-01-01", "2024-03-31")};
  std::vector<MeteredSiteMonth> m;
  add_year(&m, "DC", 2024, 0, 90000);  // IT meters 90 MWh every month
  Inventory inv = run(p, m);
  // IT = 300 (Jan..Mar, records) + 9 x 90 (Apr..Dec, meters) = 300 + 810 = 1110 MWh
  // PUE = 1443 / 1110 = 1.3
  EXPECT_NEAR(value_of(inv, "pue.site", 2024, "DC"), 1.3, 1e-12);
  EXPECT_NEAR(value_of(inv, "pue.average", 2024), 1.3, 1e-12);

  const Figure* f = inv.find("pue.site", 2024, "DC");
  ASSERT_TRUE(f && f->lineage && f->lineage->denominator);
  const Contribution& it = *f->lineage->denominator;
  EXPECT_NEAR(it.value, 1110, 1e-9);
  auto months = metered_nodes(it);
  ASSERT_EQ(months.size(), 9u);
  EXPECT_EQ(months.front()->label, "telemetry:monthly/DC/2024-04/it");
  EXPECT_EQ(months.back()->label, "telemetry:monthly/DC/2024-12/it");
  ASSERT_EQ(it.leaves.size(), 1u);
  EXPECT_EQ(it.leaves[0].record->record_id, "T1");
  // pue.average carries the IT energy of the whole-year data centres too.
  const Figure* avg = inv.find("pue.average", 2024);
  ASSERT_TRUE(avg && avg->lineage && avg->lineage->denominator);
  EXPECT_NEAR(avg->lineage->denominator->value, 1110, 1e-9);
}

TEST(PueMeters, LineageOfAMeteredMonthNamesMetersAndRollup) {
  Package p = package();
  p.sites = {site("DC", "CN", SiteKind::kDataCenter)};
  p.activities = {activity("G", "DC", "electricity.grid", "31", "MWh", "2024-01-01", "2024-01-31"),
                  activity("T", "DC", "it_energy", "20", "MWh", "2024-01-01", "2024-01-31")};
  std::vector<MeteredSiteMonth> m(1);
  m[0].site = "DC";
  m[0].month = month(2024, 2);
  m[0].facility = metered("DC", m[0].month, "facility", 29000, {"F-A", "F-B"});
  m[0].it = metered("DC", m[0].month, "it", 20000, {"IT-A"});
  Inventory inv = run(p, m);
  // Jan from records, Feb from meters: (31 + 29) / (20 + 20) = 60/40 = 1.5
  EXPECT_NEAR(value_of(inv, "pue.site", 2024, "DC"), 1.5, 1e-12);
  const Figure* f = inv.find("pue.site", 2024, "DC");
  ASSERT_TRUE(f);
  const Contribution& node = *metered_nodes(*f->lineage->children[0]).at(0);
  EXPECT_EQ(node.label, "telemetry:monthly/DC/2024-02/facility");
  EXPECT_EQ(node.meters, (std::vector<std::string>{"F-A", "F-B"}));
  EXPECT_NEAR(node.value, 29, 1e-12);  // 29,000 kWh = 29 MWh

  const std::string text = explain_text(*f, {});
  EXPECT_NE(text.find("telemetry:monthly/DC/2024-02/facility"), std::string::npos) << text;
  EXPECT_NE(text.find("meters F-A, F-B; no billed electricity in 2024-02"), std::string::npos)
      << text;
  EXPECT_NE(text.find("telemetry:monthly/DC/2024-02/it"), std::string::npos) << text;
  EXPECT_NE(text.find("meters IT-A"), std::string::npos) << text;

  auto doc = nlohmann::json::parse(explain_json(*f, {}));
  const auto& fac = doc["tree"]["children"][0];
  bool found = false;
  for (const auto& c : fac["children"]) {
    if (c["label"] == "telemetry:monthly/DC/2024-02/facility") {
      found = true;
      EXPECT_EQ(c["meters"], nlohmann::json::array({"F-A", "F-B"}));
      // In the figure's unit: 29 MWh / 40 MWh IT = 0.725 of the PUE
      EXPECT_NEAR(c["value"].get<double>(), 0.725, 1e-12);
    }
  }
  EXPECT_TRUE(found) << doc.dump(1);
  EXPECT_EQ(doc["tree"]["denominator_unit"], "MWh");
  EXPECT_NEAR(doc["tree"]["denominator"]["value"].get<double>(), 40, 1e-12);
  // The leaves of the tree (records and metered months) still sum to the
  // figure; the denominator is beside the tree, not in it:
  // 31/40 (record G) + 29/40 (metered February) = 0.775 + 0.725 = 1.5
  double sum = 0;
  std::function<void(const nlohmann::json&)> walk = [&](const nlohmann::json& n) {
    if (!n.contains("children")) {
      sum += n["value"].get<double>();
      return;
    }
    for (const auto& c : n["children"]) walk(c);
  };
  walk(doc["tree"]);
  EXPECT_NEAR(sum, 1.5, 1e-12);
}

TEST(PueMeters, OnlyDataCentresInTheBoundaryUseMeters) {
  Package p = package();
  p.sites = {site("DC", "CN", SiteKind::kDataCenter),
             site("OUT", "CN", SiteKind::kDataCenter, /*in_boundary=*/false),
             site("OFF", "CN", SiteKind::kOffice)};
  p.activities = {activity("G", "DC", "electricity.grid", "130", "MWh"),
                  activity("T", "DC", "it_energy", "100", "MWh")};
  std::vector<MeteredSiteMonth> m;
  add_year(&m, "OFF", 2024, 50000, 40000);
  add_year(&m, "OUT", 2024, 50000, 40000);
  Inventory inv = run(p, m);
  // DC: 130/100 = 1.3; OUT (outside the boundary) and OFF (an office) get no PUE.
  EXPECT_NEAR(value_of(inv, "pue.site", 2024, "DC"), 1.3, 1e-12);
  EXPECT_EQ(inv.find("pue.site", 2024, "OUT"), nullptr);
  EXPECT_EQ(inv.find("pue.site", 2024, "OFF"), nullptr);
  EXPECT_NEAR(value_of(inv, "pue.average", 2024), 1.3, 1e-12);
}

// ---- end to end: assay calc on examples/datacenter-group -----------------

std::string run_cli(const std::string& args, int* code) {
  std::string cmd = std::string(ASSAY_BIN) + " " + args + " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  int status = pclose(p);
  *code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

TEST(PueMeters, EndToEndDatacenterGroup) {
  const std::string pkg = std::string(ASSAY_SOURCE_DIR) + "/examples/datacenter-group/package";
  int code = 0;
  auto doc = nlohmann::json::parse(run_cli("calc " + pkg + " --json", &code));
  // 1: the example lists only the ar6 set, so grid factors are missing
  // (factor_missing for scope 2); PUE needs no factor.
  EXPECT_TRUE(code == 0 || code == 1) << code;
  const nlohmann::json* pue = nullptr;
  for (const auto& f : doc["metrics"]) {
    if (f["id"] == "pue.site" && f.value("site", "") == "DC-SH1" && f["year"] == 2024) pue = &f;
  }
  ASSERT_TRUE(pue) << doc.dump(1);
  // DC-SH1 has billed electricity every month of 2024 and no it_energy
  // records: facility from the bills, IT from its `it` meter (SH1-IT) in all
  // twelve months.
  // Facility (activities.csv, DC-SH1): electricity.grid, MWh
  //   4009.153 + 3870.246 + 4213.287 + 4351.492 + 4650.395 + 4707.456
  //   + 5204.292 + 4991.268 + 4710.451 + 4673.719 + 4362.389 + 4305.769
  //   = 54049.917 MWh
  // + electricity.onsite_renewable, kWh
  //   92282.3 + 68935.7 + 64161.7 + 77507.5 + 107042.3 + 120704.0
  //   + 119791.9 + 88903.0 + 71732.8 + 83246.9 + 100413.0 + 110404.3
  //   = 1105125.4 kWh = 1105.1254 MWh
  //   -> 55155.0424 MWh
  // IT (`assay telemetry ... --json`, monthly, DC-SH1, role it), kWh
  //   3458055.276 + 3258974.918 + 3494464.556 + 3405928.149 + 3539355.608
  //   + 3432428.114 + 3575932.943 + 3582964.707 + 3486042.141 + 3625568.63
  //   + 3518815.857 + 3653833.625 = 42032364.524 kWh = 42032.364524 MWh
  // PUE = 55155.0424 / 42032.364524 = 1.3122041318543262...
  // (telemetry's own annual PUE, 1.30761, is metered facility over metered
  // IT; calc takes the bills first.)
  EXPECT_NEAR((*pue)["value"].get<double>(), 1.3122041318543262, 1e-9);
  // Every data centre of the example gets its PUE the same way.
  for (const char* s : {"DC-BJ1", "DC-GY1", "DC-HK1"}) {
    bool found = false;
    for (const auto& f : doc["metrics"]) {
      found =
          found || (f["id"] == "pue.site" && f.value("site", "") == s && f["value"].is_number());
    }
    EXPECT_TRUE(found) << s;
  }
  // The lineage of one metered month: `assay explain` names meter and roll-up.
  const std::string text = run_cli("explain pue.site " + pkg + " --year 2024 --site DC-SH1", &code);
  EXPECT_NE(text.find("telemetry:monthly/DC-SH1/2024-07/it"), std::string::npos) << text;
  EXPECT_NE(text.find("meters SH1-IT; no it_energy records in 2024-07"), std::string::npos) << text;
}

}  // namespace
}  // namespace assay
