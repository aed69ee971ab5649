// Comparing two calc runs: which figures changed, by how much, and which
// changed by more than a materiality threshold (ISO 14064-3 verifiers
// commonly use 5%).
//
// Input: two documents as `assay calc --json` writes them. Figures are
// matched on (id, year, site, category).
//
// Rules a caller may rely on:
//  - A figure is "changed" when its value differs (exact comparison of the
//    doubles), its status differs, or it exists in only one run.
//  - absolute change = B - A; relative change = (B - A) / |A| x 100 (%),
//    absent when A is 0 or either value is null.
//  - Material when |B - A| x 100 > threshold x |A|, i.e. |relative| strictly
//    greater than the threshold: a change of exactly the threshold is NOT
//    flagged (the boundary is exclusive). From A = 0 any change is material;
//    a figure added, removed, or moving to or from null is always material.
//  - Changes are listed in the documents' figure order (id, year, site,
//    category), removed figures where they were.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "units/status.hpp"

namespace assay {

struct FigureChange {
  std::string id;
  int year = 0;
  std::string site;
  std::string category;
  std::string unit;
  std::string kind;  // "changed", "added", "removed", "status"
  std::optional<double> before;
  std::optional<double> after;
  std::string status_before;  // "ok", "not_available", "incomplete", "" when absent
  std::string status_after;
  std::optional<double> absolute;  // after - before, when both are numbers
  std::optional<double> relative;  // percent of |before|, when before != 0
  bool material = false;
};

struct RunDiff {
  std::string package_a, package_b;
  std::string run_a, run_b;  // run hashes
  double threshold = 5.0;    // percent
  size_t figures_a = 0, figures_b = 0;
  size_t unchanged = 0;
  size_t material = 0;
  std::vector<FigureChange> changes;
};

// Compares two calc JSON documents; a Status error when either is not one.
Status diff_calc_documents(const std::string& doc_a, const std::string& doc_b,
                           double threshold_percent, RunDiff* out);

// True when a change from `before` to `after` is material at `threshold_percent`.
bool exceeds_threshold(double before, double after, double threshold_percent);

std::string diff_json(const RunDiff& diff);
std::string diff_text(const RunDiff& diff);

}  // namespace assay
