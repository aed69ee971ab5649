// Internal to src/telemetry: the exact accumulators a chunk of readings fills
// and the merge that adds them up (integer sums, so the order of merging
// does not change a bit of the result).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "telemetry/telemetry.hpp"

namespace assay::telemetry_internal {

constexpr int64_t kNoTime = INT64_MIN;

inline int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// Energy per (group, hour) over a growing range of hours; a group is one
// (site, role) pair.
class HourGrid {
 public:
  void init(size_t groups) { groups_ = groups; }
  void add(uint32_t group, int64_t hour, EnergyUnits e) {
    if (cells_.empty() || hour < base_ || hour >= base_ + hours_) extend(hour);
    cells_[static_cast<size_t>(hour - base_) * groups_ + group] += e;
  }
  void merge(const HourGrid& o) {
    for (int64_t h = 0; h < o.hours_; ++h) {
      for (size_t g = 0; g < o.groups_; ++g) {
        EnergyUnits e = o.cells_[static_cast<size_t>(h) * o.groups_ + g];
        if (e != 0) add(static_cast<uint32_t>(g), o.base_ + h, e);
      }
    }
  }
  bool empty() const { return cells_.empty(); }
  int64_t base() const { return base_; }
  int64_t hours() const { return hours_; }
  EnergyUnits at(uint32_t group, int64_t hour) const {
    if (cells_.empty() || hour < base_ || hour >= base_ + hours_) return 0;
    return cells_[static_cast<size_t>(hour - base_) * groups_ + group];
  }

 private:
  void extend(int64_t hour) {
    int64_t lo = cells_.empty() ? hour : std::min(base_, hour);
    int64_t hi = cells_.empty() ? hour + 1 : std::max(base_ + hours_, hour + 1);
    // Grow by at least a quarter (and 256 hours) so that streaming time-ordered
    // data reallocates rarely; toward the side that was asked for.
    int64_t want = std::max<int64_t>(hi - lo, hours_ + std::max<int64_t>(hours_ / 4, 256));
    if (hour < base_ && !cells_.empty()) {
      lo = hi - want;
    } else {
      hi = lo + want;
    }
    std::vector<EnergyUnits> next(static_cast<size_t>(hi - lo) * groups_, 0);
    for (int64_t h = 0; h < hours_; ++h) {
      for (size_t g = 0; g < groups_; ++g) {
        next[static_cast<size_t>(base_ + h - lo) * groups_ + g] =
            cells_[static_cast<size_t>(h) * groups_ + g];
      }
    }
    cells_.swap(next);
    base_ = lo;
    hours_ = hi - lo;
  }
  size_t groups_ = 0;
  int64_t base_ = 0;
  int64_t hours_ = 0;
  std::vector<EnergyUnits> cells_;
};

struct MeterTotals {
  std::vector<std::pair<int32_t, EnergyUnits>> months;  // month -> energy
  std::vector<std::pair<int64_t, int64_t>> lengths;     // interval seconds -> count
  void add_month(int32_t m, EnergyUnits e) {
    for (auto it = months.rbegin(); it != months.rend(); ++it) {
      if (it->first == m) {
        it->second += e;
        return;
      }
    }
    months.emplace_back(m, e);
  }
  void add_length(int64_t len, int64_t n) {
    for (auto& [l, c] : lengths) {
      if (l == len) {
        c += n;
        return;
      }
    }
    lengths.emplace_back(len, n);
  }
};

struct GapCandidate {
  uint32_t meter;
  int64_t from, to;
};

struct Accumulator {
  std::vector<MeterTotals> meters;
  HourGrid hours;
  std::vector<GapCandidate> candidates;

  void init(size_t meter_count, size_t groups) {
    meters.assign(meter_count, MeterTotals{});
    hours.init(groups);
  }
  void merge(const Accumulator& o) {
    for (size_t m = 0; m < o.meters.size(); ++m) {
      for (const auto& [month, e] : o.meters[m].months) meters[m].add_month(month, e);
      for (const auto& [len, n] : o.meters[m].lengths) meters[m].add_length(len, n);
    }
    if (!o.hours.empty()) hours.merge(o.hours);
    candidates.insert(candidates.end(), o.candidates.begin(), o.candidates.end());
  }
};

}  // namespace assay::telemetry_internal
