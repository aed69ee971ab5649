// Auditor sampling: monetary-unit sampling (MUS) of the records behind a
// figure, weighted by each record's absolute contribution to it.
//
// The algorithm (documented in src/assure/README.md, reproduced here because
// a test computes expected selections from it by hand):
//
//  1. Population: every record with a non-zero contribution to the figure
//     (the sum of its lineage leaves, ancestors' scales applied), in byte
//     order of record_id. Weight w_i = |contribution_i|.
//  2. Key items: with n' = n and T = sum of the remaining weights, the
//     sampling interval is J = T / n'. Every record with w_i >= J is selected
//     (a "key item"), removed, and n' reduced by their number; repeated until
//     no remaining record reaches the interval or n' is 0. A record at least
//     as large as the interval is therefore always selected.
//  3. Systematic selection over the remaining records (in population order):
//     J = T / n', a random start s = u * J where u = (g() >> 11) * 2^-53 and g
//     is std::mt19937_64 seeded with the seed (the first and only draw,
//     made whether or not this step runs), and the selection points
//     s + k J for k = 0 .. n'-1. A record is selected when a point falls in
//     its half-open cumulative range [C_{i-1}, C_i). Every remaining weight
//     is below J, so each point selects a different record: n' records.
//
// The same (figure, n, seed) always gives the same sample; a population of
// at most n records is selected whole.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "calc/inventory.hpp"

namespace assay {

// Which indexes of `weights` (>= 0) monetary-unit sampling selects.
struct MusSelection {
  struct Pick {
    size_t index = 0;
    bool key_item = false;  // weight >= the interval: selected with certainty
    double point = 0.0;     // systematic: the selection point (monetary unit) that hit it
  };
  std::vector<Pick> picks;  // in index order
  double total = 0.0;       // sum of all weights
  double interval = 0.0;    // the systematic step's interval (0 when that step did not run)
  double random_start = 0.0;
  size_t key_items = 0;
};
MusSelection select_monetary_units(const std::vector<double>& weights, size_t n, uint64_t seed);

// The first draw of the documented generator, as a fraction in [0, 1).
double mus_random_fraction(uint64_t seed);

// One record's part of a figure.
struct RecordContribution {
  const ActivityRecord* record = nullptr;
  double contribution = 0.0;  // in the figure's unit, as calc computed it
  // Re-performed: quantity x year share x per-unit method (or the record's share
  // of a market-based split), times the ancestors' scales.
  double recomputed = 0.0;
  double quantity_in_year = 0.0;  // in the record's unit
  RecordLeaf leaf;  // the first leaf of the record (method, market split); record null if none
};

// Every record under `figure`, aggregated per record, in byte order of record_id.
std::vector<RecordContribution> record_contributions(const Figure& figure);

struct SampledRecord {
  RecordContribution item;
  bool key_item = false;
  double point = 0.0;
};

struct Sample {
  std::string metric;
  int year = 0;
  std::string unit;
  double figure_value = 0.0;
  size_t population = 0;          // records with a non-zero contribution
  double population_total = 0.0;  // sum of |contribution|
  size_t requested = 0;
  uint64_t seed = 0;
  double interval = 0.0;
  double random_start = 0.0;
  size_t key_items = 0;
  std::vector<SampledRecord> records;  // in population order
};

Sample sample_figure(const Figure& figure, size_t n, uint64_t seed);

// Text of the factors a record's contribution used: "CO2: 0.5 tCO2e per MWh" and
// the citations of the factor rows, for the sample listing.
std::string describe_factors(const RecordContribution& c);
std::string describe_citations(const RecordContribution& c);

}  // namespace assay
