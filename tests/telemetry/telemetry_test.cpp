// Telemetry (src/telemetry): interval energy, resets, buckets, errors, gaps,
// PUE and reconciliation. Every expectation is computed by hand from the
// readings written in the test (the arithmetic is in the comments), or, for
// the large generated file, by an independent integer sum in the test itself.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "../common/kept_text.hpp"
#include "telemetry/report.hpp"
#include "telemetry/site_energy.hpp"
#include "telemetry/telemetry.hpp"

namespace assay {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    static int n = 0;
    path_ = fs::temp_directory_path() /
            ("assay-telemetry-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string write(const std::string& name, const std::string& text) {
    fs::path p = path_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

Meter meter(std::string id, std::string site, MeterRole role, std::string unit = "kWh") {
  Meter m;
  m.meter_id = std::move(id);
  m.site_id = std::move(site);
  m.role = role;
  m.unit = std::move(unit);
  return m;
}

struct Outcome {
  TelemetryResult result;
  std::string json;
};

// Files are named readings/NAME in diagnostics; written to the temp dir.
Outcome run(const std::vector<Meter>& meters,
            const std::vector<std::pair<std::string, std::string>>& files, unsigned threads = 2,
            bool hourly = true, const Package* package = nullptr) {
  TempDir dir;
  std::vector<ReadingsFile> rf;
  for (const auto& [name, text] : files)
    rf.push_back(ReadingsFile{"readings/" + name, dir.write(name, text), {}});
  TelemetryOptions o;
  o.threads = threads;
  o.hourly = hourly;
  Outcome r;
  Status s = compute_telemetry(meters, rf, o, &r.result);
  EXPECT_TRUE(s.is_ok()) << s.message();
  Package empty;
  TelemetryReport report = build_telemetry_report(package ? *package : empty, r.result);
  r.json = telemetry_json("t", r.result, report, "");
  return r;
}

double monthly(const TelemetryResult& r, const std::string& site, const std::string& month,
               MeterRole role) {
  for (const auto& m : r.monthly) {
    if (m.site == site && format_month(m.month) == month && m.role == role)
      return energy_to_kwh(m.energy);
  }
  return -1;
}

double hourly(const TelemetryResult& r, const std::string& site, const std::string& hour,
              MeterRole role) {
  for (const auto& h : r.hourly) {
    if (h.site == site && format_utc_hour(h.hour) == hour && h.role == role)
      return energy_to_kwh(h.energy);
  }
  return -1;
}

const Diagnostic* find_code(const TelemetryResult& r, const std::string& code) {
  for (const auto& d : r.diagnostics.items()) {
    if (d.code == code) return &d;
  }
  return nullptr;
}

const std::string kHeader = "ts,meter_id,value\n";

// Month and hour boundaries, a reset, and a gap, on one facility meter.
TEST(Telemetry, ResetBoundariesAndGap) {
  std::string text =
      kHeader +
      "2024-01-31T23:00:00Z,F1,100.0\n"
      "2024-01-31T23:45:00Z,F1,110.5\n"  // +10.5 -> January, hour 2024-01-31T23
      "2024-02-01T00:00:00Z,F1,112.0\n"  // +1.5 -> February (the later reading's month)
      "2024-02-01T00:15:00Z,F1,3.25\n"   // reset: the new reading, 3.25
      "2024-02-01T00:30:00Z,F1,5\n";     // +1.75
  Outcome r = run({meter("F1", "S1", MeterRole::kFacility)}, {{"a.csv", text}});
  ASSERT_FALSE(r.result.diagnostics.has_errors());
  EXPECT_EQ(monthly(r.result, "S1", "2024-01", MeterRole::kFacility), 10.5);
  EXPECT_EQ(monthly(r.result, "S1", "2024-02", MeterRole::kFacility), 6.5);  // 1.5 + 3.25 + 1.75
  EXPECT_EQ(hourly(r.result, "S1", "2024-01-31T23:00Z", MeterRole::kFacility), 10.5);
  EXPECT_EQ(hourly(r.result, "S1", "2024-02-01T00:00Z", MeterRole::kFacility), 6.5);
  // Intervals 2700, 900, 900, 900 s: median 900, so 2700 > 1800 is a gap.
  ASSERT_EQ(r.result.gaps.size(), 1u);
  EXPECT_EQ(r.result.gaps[0].meter, "F1");
  EXPECT_EQ(format_utc_timestamp(r.result.gaps[0].from), "2024-01-31T23:00:00Z");
  EXPECT_EQ(format_utc_timestamp(r.result.gaps[0].to), "2024-01-31T23:45:00Z");
  EXPECT_NE(
      r.json.find("\"gaps\": [\n  {\"meter\": \"F1\", \"from\": \"2024-01-31T23:00:00Z\", \"to\": "
                  "\"2024-01-31T23:45:00Z\"}]"),
      std::string::npos)
      << r.json;
}

// A long first interval: the shortest-so-far rule of the first pass cannot
// see it, so the engine's second pass must find it.
TEST(Telemetry, GapBeforeTheShortIntervals) {
  std::string text = kHeader +
                     "2024-03-01T00:00:00Z,F1,1\n"
                     "2024-03-01T01:00:00Z,F1,2\n"  // 3600 s
                     "2024-03-01T01:15:00Z,F1,3\n"
                     "2024-03-01T01:30:00Z,F1,4\n"
                     "2024-03-01T01:45:00Z,F1,5\n";  // median of 3600, 900, 900, 900 = 900
  Outcome r = run({meter("F1", "S1", MeterRole::kFacility)}, {{"a.csv", text}});
  ASSERT_EQ(r.result.gaps.size(), 1u);
  EXPECT_EQ(format_utc_timestamp(r.result.gaps[0].from), "2024-03-01T00:00:00Z");
  EXPECT_EQ(format_utc_timestamp(r.result.gaps[0].to), "2024-03-01T01:00:00Z");
}

// An MWh meter counts x1000; PUE = facility / IT per month and year.
TEST(Telemetry, MwhMeterAndPue) {
  std::string text = kHeader +
                     "2024-01-01T00:00:00Z,F1,10\n"
                     "2024-01-01T00:00:00Z,I1,1.5\n"
                     "2024-01-01T01:00:00Z,F1,25\n"       // F1 +15 kWh
                     "2024-01-01T01:00:00Z,I1,1.5125\n";  // I1 +0.0125 MWh = 12.5 kWh
  Outcome r =
      run({meter("F1", "S1", MeterRole::kFacility), meter("I1", "S1", MeterRole::kIt, "MWh")},
          {{"a.csv", text}});
  ASSERT_FALSE(r.result.diagnostics.has_errors());
  EXPECT_EQ(monthly(r.result, "S1", "2024-01", MeterRole::kIt), 12.5);
  EXPECT_EQ(monthly(r.result, "S1", "2024-01", MeterRole::kFacility), 15.0);
  // 15 / 12.5 = 1.2, month and year alike.
  EXPECT_NE(r.json.find("{\"site\": \"S1\", \"month\": \"2024-01\", \"value\": 1.2}"),
            std::string::npos)
      << r.json;
  EXPECT_NE(r.json.find("{\"site\": \"S1\", \"year\": 2024, \"value\": 1.2}"), std::string::npos)
      << r.json;
  auto months = metered_site_months(r.result);
  ASSERT_EQ(months.size(), 1u);
  ASSERT_TRUE(months[0].it && months[0].facility);
  EXPECT_EQ(months[0].it->kwh, 12.5);
  EXPECT_EQ(months[0].it->meters, std::vector<std::string>{"I1"});
  EXPECT_EQ(months[0].it->rollup, "telemetry:monthly/S1/2024-01/it");
}

TEST(Telemetry, DuplicateTimestampWithAnotherValueIsAnError) {
  std::string text = kHeader +
                     "2024-01-01T00:00:00Z,F1,1\n"
                     "2024-01-01T00:15:00Z,F1,2\n"
                     "2024-01-01T00:15:00Z,F1,2.5\n";  // line 4
  Outcome r = run({meter("F1", "S1", MeterRole::kFacility)}, {{"a.csv", text}});
  const Diagnostic* d = find_code(r.result, "duplicate_timestamp");
  ASSERT_NE(d, nullptr);
  EXPECT_TRUE(d->is_error());
  EXPECT_EQ(d->file, "readings/a.csv");
  EXPECT_EQ(d->line, 4);
  EXPECT_NE(d->message.find("line 3"), std::string::npos) << d->message;
}

TEST(Telemetry, RepeatedReadingIsCountedOnce) {
  std::string text = kHeader +
                     "2024-01-01T00:00:00Z,F1,1\n"
                     "2024-01-01T00:15:00Z,F1,2\n"
                     "2024-01-01T00:15:00Z,F1,2.000\n"  // same value: a warning
                     "2024-01-01T00:30:00Z,F1,4\n";
  Outcome r = run({meter("F1", "S1", MeterRole::kFacility)}, {{"a.csv", text}});
  EXPECT_FALSE(r.result.diagnostics.has_errors());
  ASSERT_NE(find_code(r.result, "duplicate_reading"), nullptr);
  EXPECT_EQ(monthly(r.result, "S1", "2024-01", MeterRole::kFacility), 3.0);  // 1 + 2
}

TEST(Telemetry, OutOfOrderRowNamesFileAndLine) {
  std::string text = kHeader +
                     "2024-01-01T00:00:00Z,F1,1\n"
                     "2024-01-01T00:00:00Z,F2,1\n"
                     "2024-01-01T00:30:00Z,F1,3\n"
                     "2024-01-01T00:15:00Z,F1,2\n"  // line 5: earlier than line 4
                     "2024-01-01T00:15:00Z,F2,2\n";
  Outcome r =
      run({meter("F1", "S1", MeterRole::kFacility), meter("F2", "S1", MeterRole::kFacility)},
          {{"b.csv", text}});
  ASSERT_EQ(r.result.diagnostics.error_count(), 1u);
  const Diagnostic* d = find_code(r.result, "readings_out_of_order");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->file, "readings/b.csv");
  EXPECT_EQ(d->line, 5);
  EXPECT_NE(d->message.find("meter F1"), std::string::npos);
  EXPECT_NE(d->message.find("line 4"), std::string::npos) << d->message;
}

TEST(Telemetry, FilesOfAMeterMayNotOverlap) {
  std::string a = kHeader + "2024-01-01T00:00:00Z,F1,1\n2024-01-01T02:00:00Z,F1,3\n";
  std::string b = kHeader + "2024-01-01T01:00:00Z,F1,2\n2024-01-01T03:00:00Z,F1,4\n";
  Outcome r = run({meter("F1", "S1", MeterRole::kFacility)}, {{"a.csv", a}, {"b.csv", b}});
  const Diagnostic* d = find_code(r.result, "readings_overlap");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->file, "readings/b.csv");
  EXPECT_EQ(d->line, 2);
}

// Files in any order; the interval spanning two files counts.
TEST(Telemetry, IntervalAcrossFilesCounts) {
  std::string feb = kHeader + "2024-02-01T00:00:00Z,F1,130\n2024-02-01T00:15:00Z,F1,131\n";
  std::string jan = kHeader + "2024-01-31T23:30:00Z,F1,100\n2024-01-31T23:45:00Z,F1,120\n";
  Outcome r =
      run({meter("F1", "S1", MeterRole::kFacility)}, {{"a-feb.csv", feb}, {"b-jan.csv", jan}});
  ASSERT_FALSE(r.result.diagnostics.has_errors());
  EXPECT_EQ(monthly(r.result, "S1", "2024-01", MeterRole::kFacility), 20.0);
  EXPECT_EQ(monthly(r.result, "S1", "2024-02", MeterRole::kFacility), 11.0);  // 10 across files + 1
}

// Quoted fields, offsets, more than 3 decimals, CRLF: the general path.
TEST(Telemetry, GeneralForms) {
  std::string text =
      "ts,meter_id,value\r\n"
      "2024-01-01T08:00:00+08:00,\"F1\",1.0000001\r\n"  // 2024-01-01T00:00Z
      "2024-01-01T00:15:00Z,F1,2.5000001\r\n";
  Outcome r = run({meter("F1", "S1", MeterRole::kFacility)}, {{"a.csv", text}});
  ASSERT_FALSE(r.result.diagnostics.has_errors());
  EXPECT_EQ(monthly(r.result, "S1", "2024-01", MeterRole::kFacility), 1.5);
  EXPECT_EQ(r.result.readings, 2u);
}

TEST(Telemetry, BadRowsAreErrors) {
  std::string text = kHeader +
                     "2024-01-01T00:00:00Z,F1,1\n"
                     "2024-13-01T00:15:00Z,F1,2\n"    // line 3: no month 13
                     "2024-01-01T00:30:00Z,X9,2\n"    // line 4: unknown meter
                     "2024-01-01T00:45:00Z,F1,-2\n";  // line 5: negative
  Outcome r = run({meter("F1", "S1", MeterRole::kFacility)}, {{"a.csv", text}});
  ASSERT_EQ(r.result.diagnostics.error_count(), 3u);
  const auto& d = r.result.diagnostics.items();
  EXPECT_EQ(d[0].code, "timestamp_invalid");
  EXPECT_EQ(d[0].line, 3);
  EXPECT_EQ(d[1].code, "meter_unknown");
  EXPECT_EQ(d[1].line, 4);
  EXPECT_EQ(d[2].code, "number_negative");
  EXPECT_EQ(d[2].line, 5);
}

ActivityRecord electricity(std::string site, std::string start, std::string end, std::string qty,
                           std::string unit) {
  ActivityRecord a;
  a.site_id = testing::kept(site);
  a.start = *parse_date(start);
  a.end = *parse_date(end);
  a.activity = "electricity.grid";
  a.quantity = *Decimal::parse(qty);
  a.unit = testing::kept(unit);
  return a;
}

TEST(Telemetry, ReconciliationWarning) {
  // Metered: January 1030 kWh, February 505 kWh.
  std::string text = kHeader +
                     "2024-01-01T00:00:00Z,F1,0\n"
                     "2024-01-31T00:00:00Z,F1,1030\n"
                     "2024-02-15T00:00:00Z,F1,1535\n";
  Package p;
  // January billed 1000 kWh: (1030 - 1000) / 1000 = +3% -> warning.
  p.activities.push_back(electricity("S1", "2024-01-01", "2024-01-31", "1", "MWh"));
  // 2024-02-01..2024-03-01 (30 days) 510 kWh: February's 29 days = 493 kWh;
  // (505 - 493) / 493 = 2.434% -> warning. March has no metered energy: no row.
  p.activities.push_back(electricity("S1", "2024-02-01", "2024-03-01", "510", "kWh"));
  Outcome r = run({meter("F1", "S1", MeterRole::kFacility)}, {{"a.csv", text}}, 2, false, &p);
  TelemetryReport rep = build_telemetry_report(p, r.result);
  ASSERT_EQ(rep.reconciliation.size(), 2u);
  EXPECT_EQ(rep.reconciliation[0].billed_kwh, 1000.0);
  EXPECT_NEAR(*rep.reconciliation[0].difference_pct, 3.0, 1e-12);
  EXPECT_NEAR(rep.reconciliation[1].billed_kwh, 493.0, 1e-9);
  EXPECT_NEAR(*rep.reconciliation[1].difference_pct, 12.0 / 493.0 * 100, 1e-9);
  ASSERT_EQ(rep.warnings.items().size(), 2u);
  EXPECT_EQ(rep.warnings.items()[0].code, "reconciliation_gap");
  EXPECT_EQ(rep.warnings.items()[0].site, "S1");
  // Within 2%: no warning.
  p.activities[0] = electricity("S1", "2024-01-01", "2024-01-31", "1020", "kWh");  // +0.98%
  rep = build_telemetry_report(p, r.result);
  EXPECT_EQ(rep.warnings.items().size(), 1u);
}

// A file large enough to be cut into several chunks (16 MiB each): the bytes
// out are the same for 1, 2 and 3 threads, and equal an integer sum computed
// here from the generated values (thousandths of kWh).
TEST(Telemetry, ThreadCountDoesNotChangeTheBytes) {
  std::mt19937_64 rnd(11);
  const int kMeters = 50;
  std::vector<Meter> meters;
  std::vector<int64_t> reg(kMeters);
  for (int i = 0; i < kMeters; ++i) {
    meters.push_back(meter("M" + std::to_string(100 + i), "S" + std::to_string(i / 10),
                           i % 2 ? MeterRole::kIt : MeterRole::kFacility,
                           i % 7 == 3 ? "MWh" : "kWh"));
    reg[i] = static_cast<int64_t>(rnd() % 100000);
  }
  std::map<std::tuple<std::string, int, int>, int64_t>
      expected;  // (site, month, role) -> thousandths kWh
  std::string text = kHeader;
  text.reserve(48 << 20);
  const int64_t t0 = 1704067200;  // 2024-01-01T00:00:00Z
  for (int k = 0; text.size() < (40u << 20); ++k) {
    int64_t ts = t0 + 900 * k;
    std::string tss = format_utc_timestamp(ts);
    int month = Date{static_cast<int32_t>(ts / 86400)}.month();
    for (int i = 0; i < kMeters; ++i) {
      int64_t step = static_cast<int64_t>(rnd() % 50000);
      int64_t e = step;
      if (rnd() % 5000 == 0) {
        reg[i] = static_cast<int64_t>(rnd() % 10000);  // reset
        e = reg[i];
      } else {
        reg[i] += step;
      }
      if (k > 0) {
        int64_t scale = meters[i].unit == "MWh" ? 1000 : 1;
        expected[{meters[i].site_id, month, static_cast<int>(meters[i].role)}] += e * scale;
      }
      char v[40];
      std::snprintf(v, sizeof v, "%lld.%03lld", static_cast<long long>(reg[i] / 1000),
                    static_cast<long long>(reg[i] % 1000));
      text += tss + "," + meters[i].meter_id + "," + v + "\n";
    }
  }
  Outcome one = run(meters, {{"big.csv", text}}, 1);
  Outcome two = run(meters, {{"big.csv", text}}, 2);
  Outcome three = run(meters, {{"big.csv", text}}, 3);
  ASSERT_FALSE(one.result.diagnostics.has_errors());
  EXPECT_EQ(one.json, two.json);
  EXPECT_EQ(one.json, three.json);
  ASSERT_EQ(one.result.monthly.size(), expected.size());
  for (const MonthlyEnergy& m : one.result.monthly) {
    int64_t want = expected[{m.site, m.month % 12 + 1, static_cast<int>(m.role)}];
    EXPECT_TRUE(m.energy == static_cast<EnergyUnits>(want) * 1000000000)
        << m.site << " " << m.month;
  }
  // Hourly rows add up to the monthly ones.
  EnergyUnits h = 0, mo = 0;
  for (const auto& x : one.result.hourly) h += x.energy;
  for (const auto& x : one.result.monthly) mo += x.energy;
  EXPECT_TRUE(h == mo);
}

// An out-of-order row far into a big file: the line is right whatever the chunking.
TEST(Telemetry, OutOfOrderLineInALaterChunk) {
  std::string text = kHeader;
  const int64_t t0 = 1704067200;
  int64_t bad_line = 0;
  int line = 1;
  for (int k = 0; text.size() < (36u << 20); ++k) {
    std::string tss = format_utc_timestamp(t0 + 60 * k);
    for (int i = 0; i < 10; ++i) {
      text += tss + ",M" + std::to_string(i) + "," + std::to_string(k) + ".5\n";
      ++line;
    }
    if (k == 90000) {
      text += format_utc_timestamp(t0) + ",M3,1\n";
      bad_line = ++line;
    }
  }
  std::vector<Meter> meters;
  for (int i = 0; i < 10; ++i)
    meters.push_back(meter("M" + std::to_string(i), "S", MeterRole::kIt));
  for (unsigned threads : {1u, 2u}) {
    Outcome r = run(meters, {{"big.csv", text}}, threads, false);
    ASSERT_EQ(r.result.diagnostics.error_count(), 1u);
    EXPECT_EQ(r.result.diagnostics.items()[0].code, "readings_out_of_order");
    EXPECT_EQ(r.result.diagnostics.items()[0].line, bad_line);
    EXPECT_NE(r.result.diagnostics.items()[0].message.find("line " + std::to_string(bad_line - 7)),
              std::string::npos)
        << r.result.diagnostics.items()[0].message;
  }
}

}  // namespace
}  // namespace assay
