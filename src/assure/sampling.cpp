#include "assure/sampling.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

namespace assay {

double mus_random_fraction(uint64_t seed) {
  std::mt19937_64 g(seed);
  // 53 random bits scaled to [0, 1): exact, and the same on every platform
  // (std::uniform_real_distribution is not specified bit for bit).
  return static_cast<double>(g() >> 11) * 0x1.0p-53;
}

MusSelection select_monetary_units(const std::vector<double>& weights, size_t n, uint64_t seed) {
  MusSelection out;
  const double u = mus_random_fraction(seed);
  std::vector<size_t> remaining;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] > 0.0) {
      remaining.push_back(i);
      out.total += weights[i];
    }
  }
  std::vector<bool> key(weights.size(), false);
  size_t left = n;
  while (left > 0 && !remaining.empty()) {
    double total = 0.0;
    for (size_t i : remaining) total += weights[i];
    const double interval = total / static_cast<double>(left);
    std::vector<size_t> keep;
    size_t found = 0;
    for (size_t i : remaining) {
      if (weights[i] >= interval) {
        key[i] = true;
        ++found;
      } else {
        keep.push_back(i);
      }
    }
    if (found == 0) break;
    left -= std::min(found, left);
    remaining = std::move(keep);
    out.key_items += found;
  }
  std::map<size_t, MusSelection::Pick> picks;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (key[i]) picks[i] = MusSelection::Pick{i, true, 0.0};
  }
  if (left > 0 && !remaining.empty()) {
    double total = 0.0;
    for (size_t i : remaining) total += weights[i];
    out.interval = total / static_cast<double>(left);
    out.random_start = u * out.interval;
    size_t k = 0;
    double cumulative = 0.0;
    for (size_t r = 0; r < remaining.size() && k < left; ++r) {
      const size_t i = remaining[r];
      const double upper = cumulative + weights[i];
      const bool last = r + 1 == remaining.size();
      // Points are s + kJ < T; rounding may leave the last just past the sum.
      while (k < left) {
        const double point = out.random_start + static_cast<double>(k) * out.interval;
        if (point >= cumulative && (point < upper || last)) {
          picks.emplace(i, MusSelection::Pick{i, false, point});
          ++k;
        } else {
          break;
        }
      }
      cumulative = upper;
    }
  }
  for (auto& [i, p] : picks) out.picks.push_back(p);
  return out;
}

namespace {

void collect(const Contribution& c, double mult,
             std::map<const ActivityRecord*, RecordContribution>* by_record) {
  const double m = mult * c.scale;
  for (const auto& ch : c.children) collect(*ch, m, by_record);
  c.leaves.for_each([&](const RecordLeaf& l) {
    if (l.record == nullptr) return;
    RecordContribution& rc = (*by_record)[l.record];
    if (rc.record == nullptr) {
      rc.record = l.record;
      rc.leaf = l;
    }
    rc.contribution += l.value * m;
    double qty = l.record->quantity.to_double() * year_share(*l.record, l.year);
    if (l.market != nullptr || l.method == nullptr) {
      // A market-based leaf is the record's share of its site's split: the
      // split is shown with the record, its arithmetic is the calc's.
      rc.recomputed += l.value * m;
    } else {
      rc.recomputed += qty * l.method->per_unit * m;
    }
    rc.quantity_in_year += qty;
  });
}

}  // namespace

std::vector<RecordContribution> record_contributions(const Figure& figure) {
  std::map<const ActivityRecord*, RecordContribution> by_record;
  if (figure.lineage) collect(*figure.lineage, 1.0, &by_record);
  std::vector<RecordContribution> out;
  out.reserve(by_record.size());
  for (auto& [r, c] : by_record) out.push_back(c);
  std::sort(out.begin(), out.end(), [](const RecordContribution& a, const RecordContribution& b) {
    return a.record->record_id < b.record->record_id;
  });
  return out;
}

Sample sample_figure(const Figure& figure, size_t n, uint64_t seed) {
  Sample s;
  s.metric = figure.id;
  s.year = figure.year;
  s.unit = figure.unit;
  s.figure_value = figure.value.value_or(0.0);
  s.requested = n;
  s.seed = seed;
  std::vector<RecordContribution> all = record_contributions(figure);
  std::vector<RecordContribution> population;
  for (auto& c : all) {
    if (c.contribution != 0.0) population.push_back(c);
  }
  std::vector<double> weights;
  weights.reserve(population.size());
  for (const auto& c : population) weights.push_back(std::fabs(c.contribution));
  MusSelection sel = select_monetary_units(weights, n, seed);
  s.population = population.size();
  s.population_total = sel.total;
  s.interval = sel.interval;
  s.random_start = sel.random_start;
  s.key_items = sel.key_items;
  for (const auto& p : sel.picks) {
    s.records.push_back(SampledRecord{population[p.index], p.key_item, p.point});
  }
  return s;
}

std::string describe_factors(const RecordContribution& c) {
  if (c.leaf.record == nullptr) return "";
  std::string out;
  auto sep = [&out]() {
    if (!out.empty()) out += "; ";
  };
  if (const Method* m = c.leaf.method) {
    for (const MethodTerm& t : m->terms) {
      sep();
      out += t.label + ": " + format_number(t.per_unit) + " " + m->to_unit + " per " + m->from_unit;
      if (!t.note.empty()) out += " (" + t.note + ")";
    }
  }
  if (const MarketSplit* ms = c.leaf.market) {
    sep();
    out += "market-based split of site " + ms->site_id + " " + std::to_string(ms->year) +
           ": grid " + format_number(ms->grid_mwh) + " MWh, " + format_number(ms->emissions) +
           " tCO2e";
    for (const auto& al : ms->allocations()) {
      out += "; " + al.instrument->instrument_id + " (" + al.step + ") " + format_number(al.mwh) +
             " MWh x " + format_number(al.emission_factor) + " tCO2e/MWh";
    }
    if (ms->residual_mwh > 0 && ms->residual_method) {
      out += "; uncovered " + format_number(ms->residual_mwh) + " MWh x " +
             format_number(ms->residual_method->per_unit) +
             (ms->residual_is_grid ? " tCO2e/MWh (grid factor)" : " tCO2e/MWh (residual mix)");
    }
  }
  return out;
}

std::string describe_citations(const RecordContribution& c) {
  if (c.leaf.record == nullptr) return "";
  std::vector<std::string> seen;
  auto add_method = [&seen](const Method* m) {
    if (m == nullptr) return;
    for (const MethodTerm& t : m->terms) {
      for (const auto& f : t.factors) {
        if (f) seen.push_back(f->citation());
      }
      for (const auto& st : t.steps) {
        if (st.factor) seen.push_back(st.factor->citation());
      }
    }
  };
  add_method(c.leaf.method);
  if (c.leaf.market) add_method(c.leaf.market->residual_method.get());
  std::string out;
  for (size_t i = 0; i < seen.size(); ++i) {
    if (std::find(seen.begin(), seen.begin() + static_cast<std::ptrdiff_t>(i), seen[i]) !=
        seen.begin() + static_cast<std::ptrdiff_t>(i)) {
      continue;
    }
    if (!out.empty()) out += " | ";
    out += seen[i];
  }
  return out;
}

}  // namespace assay
