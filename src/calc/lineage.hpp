// Lineage: how every figure was made, down to records, factors and their
// citations (DESIGN.md: "every number that leaves the engine can be explained").
//
// A figure's root is a Contribution tree. Invariant a caller may rely on: for
// every node with contributions, value == scale * (sum of its children, its
// cover's instrument leaves and its record leaves) (up to floating-point
// rounding), so the leaves, each multiplied by the scales of its ancestors,
// sum to the root. `scale` is 1 for sums and 1/denominator
// (or 100/denominator) for ratios and shares. Nodes are immutable and shared:
// the same record leaf appears under ghg.scope1, its site and its gas.
//
// How a unit of a record becomes the figure's unit is a Method, shared by all
// records with the same (activity, unit, region, year): the per-unit value,
// its terms (one per gas or factor) with the factor resolutions used and the
// conversion steps. A record leaf's value = quantity in the year * per_unit
// (market-based scope 2 leaves instead take their share of the site's split).
#pragma once

#include <algorithm>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "factors/conversion.hpp"
#include "factors/factor_library.hpp"
#include "model/records.hpp"

namespace assay {

struct MethodTerm {
  std::string label;      // "CO2", "CH4", "HFC-32 (R-410A)", "CO2e", "energy", ...
  double per_unit = 0.0;  // figure unit per record unit from this term
  // Factor rows used, in the order applied (emission factor, blend fraction, GWP...).
  std::vector<std::shared_ptr<const FactorResolution>> factors;
  std::vector<ConversionStep> steps;
  std::string note;  // "x GWP 273", "blend fraction 0.5 kg/kg"
};

struct Method {
  std::string from_unit;  // the record's unit
  std::string to_unit;    // the figure's unit
  double per_unit = 0.0;  // sum of the terms
  std::vector<MethodTerm> terms;
};

// One instrument's cover of one site's grid electricity in one year.
struct InstrumentAllocation {
  const Instrument* instrument = nullptr;
  std::string site_id;
  std::string step;  // "site instrument", "pool CN-East", "pool CN"
  double mwh = 0.0;
  double emission_factor = 0.0;  // tCO2e/MWh
};

// One instrument's turn in a pool (market-based step 3, pro rata): it used
// `use` MWh over the eligible sites, which together had `total` MWh
// uncovered; `covers_all` when use == total (every eligible site covered).
struct PoolShare {
  const Instrument* instrument = nullptr;
  double use = 0.0;
  double total = 0.0;
  bool covers_all = false;
  double emission_factor = 0.0;  // tCO2e/MWh
};

// A pool's instruments in the order they covered. W2's pools give ~2.5
// million (instrument, site) allocations; they are not stored one by one:
// a site keeps its uncovered MWh when the pool began (PoolPart) and its
// allocations are replayed from the shares with calc's own arithmetic.
struct PoolCover {
  std::string step;  // "pool CN-East", "pool CN"
  std::vector<PoolShare> shares;
};

struct PoolPart {
  const PoolCover* pool = nullptr;
  double uncovered = 0.0;  // the site's uncovered MWh when the pool began
};

// Market-based split of one site's grid electricity in one year.
struct MarketSplit {
  std::string site_id;
  int year = 0;
  double grid_mwh = 0.0;
  std::vector<InstrumentAllocation> bound;  // the site's own instruments, in order
  std::vector<PoolPart> pools;              // the pools that covered it, in order
  double residual_mwh = 0.0;
  std::shared_ptr<const Method> residual_method;  // residual mix, or grid with a warning
  bool residual_is_grid = false;
  double emissions = 0.0;  // tCO2e of the grid electricity (heat not included)

  // Calls f(instrument, mwh, emission_factor, step) for every allocation in
  // the order calc made them: the site's instruments, then each pool's
  // instruments. A pool part is the same arithmetic, in the same order, as
  // calc's step 3: part = covers_all ? uncovered : use x (uncovered / total).
  template <typename F>
  void for_each_allocation(F&& f) const {
    for (const auto& al : bound) f(al.instrument, al.mwh, al.emission_factor, al.step);
    for (const auto& p : pools) {
      double rem = p.uncovered;
      for (const auto& sh : p.pool->shares) {
        if (rem <= 0) break;  // covered: no later instrument of the pool reaches it
        const double part = sh.covers_all ? rem : sh.use * (rem / sh.total);
        rem = sh.covers_all ? 0.0 : rem - part;
        f(sh.instrument, part, sh.emission_factor, std::string_view(p.pool->step));
      }
    }
  }
  // tCO2e of the allocations (mwh x emission factor), added in their order.
  double allocated_emissions() const {
    double e = 0.0;
    for_each_allocation(
        [&e](const Instrument*, double mwh, double ef, std::string_view) { e += mwh * ef; });
    return e;
  }
  // The same, materialised (explain and sampling; a handful of splits at a time).
  std::vector<InstrumentAllocation> allocations() const {
    std::vector<InstrumentAllocation> out;
    for_each_allocation([&](const Instrument* in, double mwh, double ef, std::string_view step) {
      out.push_back(InstrumentAllocation{in, site_id, std::string(step), mwh, ef});
    });
    return out;
  }
};

// One record's contribution to one figure, as explain and sampling read it.
// Not stored: a node keeps LeafRuns and materialises these on demand.
struct RecordLeaf {
  const ActivityRecord* record = nullptr;
  const Method* method = nullptr;       // record unit -> figure unit (or -> MWh for market leaves)
  const MarketSplit* market = nullptr;  // market-based scope 2 / category 8 leaves
  double value = 0.0;                   // in the figure's unit
  int32_t year = 0;
};

// Part of a record's period (inclusive) that falls in `year`, by days; the
// record's quantity in the year is quantity x share (spec: apportioned by days).
inline double year_share(const ActivityRecord& r, int year) {
  const int32_t a = std::max(r.start.days, first_day_of_year(year).days);
  const int32_t b = std::min(r.end.days, last_day_of_year(year).days);
  const int32_t total = r.end.days - r.start.days + 1;
  if (b < a || total <= 0) return 0.0;
  if (b - a + 1 == total) return 1.0;
  return static_cast<double>(b - a + 1) / static_cast<double>(total);
}

// One record counted in a year: its package index and its quantity in the
// year (record unit: quantity x year_share). calc writes a year's entries
// once, site by site, and regroups each site's entries by RecordSet; the
// lineage keeps that array (LineageStore::entries), 16 bytes a record.
struct RecordEntry {
  uint32_t record = 0;  // index in the package's activities
  uint32_t kind = 0;    // calc's (activity, unit, category) number, while grouping
  double quantity = 0.0;
};

// The records of one site with the same activity, unit and scope 3 category
// that count in one year, in package order: a range of the year's entries.
// Every figure such a record feeds it feeds the same way, so the figures
// share this range instead of each keeping a copy of its leaves. Records are
// found by index through the package's segments.
struct RecordSet {
  int32_t year = 0;
  const ActivitySegments* package = nullptr;
  const RecordEntry* entries = nullptr;
  size_t count = 0;
  size_t size() const { return count; }
  uint32_t index(size_t i) const { return entries[i].record; }
  double quantity(size_t i) const { return entries[i].quantity; }
  const ActivityRecord* record(size_t i) const { return &(*package)[entries[i].record]; }
};

// Leaves of one node that come from one RecordSet: record i's value is
// quantity(i) x per_unit, or for a market-based run (market set) its share
// by MWh of the site's split: emissions x (quantity(i) x method->per_unit) / grid_mwh.
// The same arithmetic, in the same order, as the figure's sum.
struct LeafRun {
  const RecordSet* set = nullptr;
  const Method* method = nullptr;
  const MarketSplit* market = nullptr;
  double per_unit = 0.0;
  size_t size() const { return set->size(); }
  double value(size_t i) const;  // defined below MarketSplit
  RecordLeaf leaf(size_t i) const {
    return RecordLeaf{set->record(i), method, market, value(i), set->year};
  }
};

// The record leaves of a node: runs over shared RecordSets, read as one list
// in the order calc made them: leaves of records in package order, then
// market-based leaves (a site's split) in package order.
class LeafList {
 public:
  LeafList() = default;
  LeafList(const LeafList&) = default;
  LeafList& operator=(const LeafList&) = default;
  LeafList(LeafList&& other) noexcept { *this = std::move(other); }
  LeafList& operator=(LeafList&& other) noexcept {
    first_ = other.first_;
    has_first_ = std::exchange(other.has_first_, false);
    more_ = std::move(other.more_);
    other.more_.clear();
    return *this;
  }

  void add(const LeafRun& run) {
    if (more_.empty()) {
      if (!has_first_) {
        first_ = run;
        has_first_ = true;
        return;
      }
      more_.reserve(4);
      more_.push_back(first_);
    }
    more_.push_back(run);
  }
  void append(const LeafList& other) {
    for (const LeafRun& run : other.runs()) add(run);
  }
  std::span<const LeafRun> runs() const {
    if (!more_.empty()) return more_;
    return {&first_, has_first_ ? size_t{1} : size_t{0}};
  }
  size_t size() const {
    size_t n = 0;
    for (const auto& r : runs()) n += r.size();
    return n;
  }
  // Stops at the first run with a record: a site's node has a few runs, a
  // total's thousands (each a RecordSet elsewhere in memory).
  bool empty() const {
    for (const auto& r : runs()) {
      if (r.size() != 0) return false;
    }
    return true;
  }
  // Calls f(const RecordLeaf&) for each leaf, in that order.
  template <typename F>
  void for_each(F&& f) const {
    const std::span<const LeafRun> runs = this->runs();
    if (runs.size() == 1) {
      for (size_t i = 0, n = runs[0].size(); i < n; ++i) f(runs[0].leaf(i));
      return;
    }
    std::vector<size_t> at(runs.size(), 0);
    for (;;) {
      size_t best = runs.size();
      for (size_t k = 0; k < runs.size(); ++k) {
        if (at[k] >= runs[k].size()) continue;
        if (best == runs.size() || before(runs[k], at[k], runs[best], at[best])) best = k;
      }
      if (best == runs.size()) return;
      f(runs[best].leaf(at[best]++));
    }
  }
  // Record leaves first, market-based ones after (calc adds a site's split
  // once all its records are read); each in package order.
  static bool before(const LeafRun& a, size_t i, const LeafRun& b, size_t j) {
    const bool am = a.market != nullptr, bm = b.market != nullptr;
    if (am != bm) return bm;
    return a.set->index(i) < b.set->index(j);  // package indices
  }
  // The i-th leaf in that order (walks the list: for small nodes and tests).
  RecordLeaf operator[](size_t i) const {
    RecordLeaf out;
    size_t k = 0;
    for_each([&](const RecordLeaf& l) {
      if (k++ == i) out = l;
    });
    return out;
  }

 private:
  // The first run inline: most site rows have one, and a vector each was a
  // malloc per accumulator (W2: 750,000, made on two threads that then
  // waited on malloc's lock). From the second run on, all are in more_.
  LeafRun first_{};
  bool has_first_ = false;
  std::vector<LeafRun> more_;
};

// Owns what record leaves point to: methods, market splits and record sets.
struct LineageStore {
  std::vector<std::shared_ptr<const Method>> methods;
  std::vector<std::shared_ptr<const MarketSplit>> splits;
  std::vector<std::unique_ptr<PoolCover>> pools;  // what the splits' pool parts point to
  std::deque<RecordSet> record_sets;              // stable addresses
  std::vector<std::vector<RecordEntry>> entries;  // a year's entries, which the sets view
};

inline double LeafRun::value(size_t i) const {
  const double q = set->quantity(i);
  if (!market) return q * per_unit;
  const double mwh = q * method->per_unit;
  return market->grid_mwh > 0 ? market->emissions * (mwh / market->grid_mwh) : 0.0;
}

struct Contribution {
  enum class Kind { kGroup, kInstrument };
  Kind kind = Kind::kGroup;
  std::string label;       // "site DC-01", "ghg.scope2.market 2024", instrument id
  double value = 0.0;      // in the unit of the figure this node sits in (before ancestors' scales)
  double scale = 1.0;      // see the invariant above
  std::string scale_note;  // "/ revenue 660257 million CNY"
  // Instrument leaves (renewable.purchased, coverage, unused).
  const Instrument* instrument = nullptr;
  std::string note;
  // Sub-trees first, then the cover's instrument leaves, then record leaves;
  // value == scale * (sum of all three).
  std::vector<std::shared_ptr<const Contribution>> children;
  LeafList leaves;
  std::shared_ptr<const LineageStore> store;  // set when `leaves` or `cover` is not empty
  // Instrument leaves kept as a market split's allocations (a site's
  // _scope2.covered, or renewable.purchased with `cover_renewable_only`):
  // after `children`, before `leaves`; cover_nodes() makes them on demand.
  const MarketSplit* cover = nullptr;
  bool cover_renewable_only = false;
  // Metered energy (PUE from telemetry): the label is the roll-up row
  // ("telemetry:monthly/SITE/YYYY-MM/ROLE"), these the meters behind it.
  std::vector<std::string> meters;
  // Ratios only: how the denominator was made (not part of the sum above), in
  // `denominator_unit`. PUE sets it when calc was given metered energy.
  std::shared_ptr<const Contribution> denominator;
  std::string denominator_unit;
};

using ContributionPtr = std::shared_ptr<const Contribution>;

// The instrument leaves of `c.cover`, in order: kind kInstrument, label the
// instrument id, value the MWh, note "pool CN -> S1: 12 MWh at 0.5 tCO2e/MWh".
std::vector<ContributionPtr> cover_nodes(const Contribution& c);
// How many cover_nodes(c) would give, without making them.
size_t cover_count(const Contribution& c);

}  // namespace assay
