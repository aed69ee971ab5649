// Row handlers for the tables of the data package contract v1: one per CSV
// (sites, activities, instruments, factors, meters, workforce, targets,
// disclosures). Each validates a row against the contract and appends the
// record to the Package only when the row has no error.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "model/records.hpp"
#include "package/table_reader.hpp"
#include "units/flat_string_map.hpp"
#include "units/string_map.hpp"

namespace assay {

// What the handlers share: the package being built and the facts rows are checked against.
struct ReadContext {
  Package* package = nullptr;
  bool keep_records = true;  // false: validate only (activities are not stored)
  std::set<int> years;       // package years and base year: records must overlap one
  StringSet known_gases;     // gas and blend names of the chosen factor sets
  // A site of sites.csv: its position in package->sites and its id as kept
  // in the package's text (records view it: no second look-up per row).
  struct SiteEntry {
    size_t index = 0;
    const char* text = nullptr;  // the id's bytes; its length is the key's
  };
  FlatStringMap<SiteEntry> site_index;  // site_id -> SiteEntry
  FlatStringMap<size_t> meter_index;    // meter_id -> index in package->meters
};

// The table names of the contract, in the order they are read (sites first:
// others refer to them).
const std::vector<std::string>& table_names();
std::unique_ptr<RowHandler> make_handler(const std::string& table, ReadContext* context);

}  // namespace assay
