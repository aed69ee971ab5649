// Explaining a figure: its lineage tree, from the figure down to records,
// their evidence, the factor rows used (set, key, region, year, citation,
// fallbacks), the conversions and the instrument allocations.
//
// Values shown are in the figure's unit (ancestors' scales applied), so the
// leaves of the JSON tree sum to the root; share is each node's % of the root.
// A ratio's `denominator` (PUE with metered energy: the IT energy) is shown
// beside the tree, in its own unit, its shares of itself; it is not a child.
#pragma once

#include <string>

#include "calc/inventory.hpp"

namespace assay {

struct ExplainOptions {
  int depth = -1;  // levels below the figure to show; -1: all
  // Contributions shown per node: 0 shows all; N > 0 shows, of a node with
  // more than N, the N largest by absolute value (largest first) and one
  // entry "K more contributions" with their sum (JSON kind "omitted"), so a
  // group total over millions of records stays readable and what is shown
  // still sums to the figure.
  size_t top = 0;
};

std::string explain_text(const Figure& figure, const ExplainOptions& options);
std::string explain_json(const Figure& figure, const ExplainOptions& options);

}  // namespace assay
