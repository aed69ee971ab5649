// The domain records of a data package (spec/data-package.md), after
// validation. Field names follow the contract's column names. Every record
// keeps `line` (its physical line, or row in a workbook) and `file` so that a
// figure's lineage can point back to where the number was written.
//
// Quantities are kept as the exact Decimal that was written plus its unit
// symbol; conversion happens in calc, with the factor that justifies it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/activity_list.hpp"
#include "model/date.hpp"
#include "model/text_arena.hpp"
#include "units/decimal.hpp"

namespace assay {

enum class SiteKind { kDataCenter, kLeasedDataCenter, kOffice, kOther };

struct Site {
  std::string site_id;
  std::string name;
  SiteKind kind = SiteKind::kOther;
  std::string country;            // ISO 3166-1 alpha-2
  std::string grid_region;        // "CN", "CN-East", ...
  std::optional<int32_t> opened;  // month index (year*12 + month-1)
  std::optional<int32_t> closed;
  bool in_boundary = true;
  SourceRef source;
};

enum class InstrumentKind { kGreenPowerPurchase, kPpa, kCertificate, kSupplierSpecific };

struct Instrument {
  std::string instrument_id;
  InstrumentKind kind = InstrumentKind::kCertificate;
  std::string site_id;  // empty: pooled
  std::string grid_region;
  Date start;
  Date end;
  Decimal mwh;
  Decimal emission_factor;  // tCO2e/MWh
  bool renewable = false;
  std::string certificate_ref;
  SourceRef source;
};

// One row of a factor set (built-in data/factors/*.csv or a user factors.csv).
struct FactorRow {
  std::string factor_set;
  std::string key;
  std::string region;  // region, country or "*"
  std::string year;    // "2024" or "*"
  std::string quantity;
  Decimal value;
  std::string unit;
  std::string source;
  std::string confidence;
  SourceRef origin;
};

enum class MeterRole { kFacility, kIt, kCooling, kOnsiteGeneration };

struct Meter {
  std::string meter_id;
  std::string site_id;
  MeterRole role = MeterRole::kFacility;
  std::string unit;  // kWh or MWh
  SourceRef source;
};

struct WorkforceRow {
  int year = 0;
  std::string measure;
  std::string dimension;
  std::string category;
  Decimal value;
  SourceRef source;
};

struct TargetRow {
  std::string target_id;
  std::string metric;
  std::string kind;  // reduction, at_most, at_least
  int base_year = 0;
  std::optional<Decimal> base_value;
  int target_year = 0;
  Decimal target_value;
  std::string note;
  SourceRef source;
};

struct DisclosureRow {
  int year = 0;
  std::string metric;
  std::string category;
  std::optional<Decimal> value;  // empty when not_material
  bool not_material = false;
  std::string unit;
  std::string evidence;
  SourceRef source;
};

// package.toml
struct Manifest {
  std::string name;
  int reporting_year = 0;
  std::vector<int> years;
  std::optional<int> base_year;
  std::string consolidation;  // operational_control | financial_control
  std::string currency;
  std::vector<std::string> languages;
  std::vector<std::string> factor_sets;
  std::vector<std::string> factor_files;
  std::map<int, Decimal> revenue;  // millions of `currency`, per year
};

// A validated package: the good rows of every table.
struct Package {
  Manifest manifest;
  std::vector<Site> sites;
  ActivityList activities;
  std::vector<Instrument> instruments;
  std::vector<FactorRow> user_factors;
  std::vector<Meter> meters;
  std::vector<std::string>
      reading_files;  // relative paths of readings/*.csv (streamed by telemetry)
  std::vector<WorkforceRow> workforce;
  std::vector<TargetRow> targets;
  std::vector<DisclosureRow> disclosures;
  // Owns the text the activity records view. Shared by copies of the package
  // (the views of a copy's records point into the same text).
  std::shared_ptr<TextArena> text = std::make_shared<TextArena>();

  // A view of `s` that lives as long as this package's text. Not
  // thread-safe, and copies share the text: keep into one copy at a time.
  std::string_view keep(std::string_view s) {
    if (!text) text = std::make_shared<TextArena>();  // a moved-from package
    return text->keep(s);
  }
};

}  // namespace assay
