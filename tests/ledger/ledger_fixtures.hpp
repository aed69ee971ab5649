// Packages and scratch files shared by the ledger tests. Every package here is
// built by hand so that the expected counts in the tests can be worked out on
// paper.
#pragma once

#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "../common/kept_text.hpp"
#include "ledger/ledger.hpp"
#include "model/date.hpp"
#include "model/records.hpp"
#include "units/decimal.hpp"

namespace assay::ledger_test {

inline Decimal dec(const char* text) { return *Decimal::parse(text); }
inline Date date(const char* text) { return *parse_date(text); }

inline ActivityRecord activity(const char* id, const char* start, const char* end,
                               const char* quantity, int64_t line) {
  ActivityRecord a;
  a.record_id = testing::kept(id);
  a.site_id = "S1";
  a.start = date(start);
  a.end = date(end);
  a.activity = "electricity.grid";
  a.quantity = dec(quantity);
  a.unit = "kWh";
  a.evidence = testing::kept(std::string("INV-") + id);
  a.source = {"activities.csv", line};
  return a;
}

// manifest + 1 site + 3 activities (2023, 2024, 2024) + 1 workforce row +
// 1 disclosure: 7 records.
inline Package small_package(const std::string& name = "group-2024") {
  Package p;
  p.manifest.name = name;
  p.manifest.reporting_year = 2024;
  p.manifest.years = {2023, 2024};
  p.manifest.base_year = 2023;
  p.manifest.consolidation = "operational_control";
  p.manifest.currency = "HKD";
  p.manifest.languages = {"en", "zh-Hant"};
  p.manifest.factor_sets = {"hk-clp-2024"};
  p.manifest.revenue[2024] = dec("1234.5");
  Site s;
  s.site_id = "S1";
  s.name = "Tsuen Wan DC";
  s.kind = SiteKind::kDataCenter;
  s.country = "HK";
  s.grid_region = "HK-CLP";
  s.opened = *parse_month("2019-04");
  s.source = {"sites.csv", 2};
  p.sites.push_back(s);
  // Deliberately not in key order: load_package must keep ingest order.
  p.activities.push_back(activity("A-003", "2024-03-01", "2024-03-31", "300", 2));
  p.activities.push_back(activity("A-001", "2023-12-01", "2023-12-31", "100", 3));
  p.activities.push_back(activity("A-002", "2024-01-01", "2024-01-31", "500", 4));
  WorkforceRow w;
  w.year = 2024;
  w.measure = "headcount";
  w.dimension = "gender";
  w.category = "female";
  w.value = dec("12");
  w.source = {"workforce.csv", 2};
  p.workforce.push_back(w);
  DisclosureRow d;
  d.year = 2024;
  d.metric = "water.withdrawal";
  d.category = "";
  d.not_material = true;
  d.source = {"disclosures.csv", 2};
  p.disclosures.push_back(d);
  return p;
}

// A fresh folder under the system temp dir, removed at the end of the test.
class ScratchDir {
 public:
  ScratchDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "assay-ledger-XXXXXX").string();
    path_ = mkdtemp(templ.data());
  }
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// A fixed clock for reproducible stamps.
inline ChangeOptions who(const std::string& user, const std::string& reason, int64_t at) {
  ChangeOptions o;
  o.user = user;
  o.reason = reason;
  o.clock = [at] { return at; };
  return o;
}

// Raw SQLite access for tampering and integrity checks (outside the Ledger).
class RawDb {
 public:
  explicit RawDb(const std::string& path) { sqlite3_open(path.c_str(), &db_); }
  ~RawDb() { sqlite3_close(db_); }
  // Runs `sql`; returns "" on success, else SQLite's message.
  std::string exec(const std::string& sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    std::string message = rc == SQLITE_OK ? "" : (err ? err : "error");
    sqlite3_free(err);
    return message;
  }
  // First column of the first row as text ("" if no row).
  std::string text(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != nullptr) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    return out;
  }
  int64_t count(const std::string& sql) { return std::stoll("0" + text(sql)); }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace assay::ledger_test
