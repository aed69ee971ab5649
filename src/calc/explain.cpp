#include "calc/explain.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "calc/calc_json.hpp"
#include "factors/conversion.hpp"

namespace assay {
namespace {

std::string percent(double part, double whole) {
  if (whole == 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", part / whole * 100);
  return buf;
}

std::string record_where(const ActivityRecord& r) {
  std::string s(r.source.file);
  if (r.source.line > 0) s += ":" + std::to_string(r.source.line);
  return s;
}

void text_record(const RecordLeaf& l, const std::string& pad, std::string* out) {
  const ActivityRecord& r = *l.record;
  *out += pad + "record " + std::string(r.record_id) + ", site " + std::string(r.site_id) + ", " +
          std::string(r.activity) + ", " + format_date(r.start) + ".." + format_date(r.end);
  if (!r.source.file.empty()) *out += ", " + record_where(r);
  if (!r.evidence.empty()) *out += ", evidence " + std::string(r.evidence);
  *out += "\n";
  const double share = year_share(r, l.year);
  const double quantity = r.quantity.to_double() * share;
  *out += pad + "quantity " + format_number(quantity) + " " + std::string(r.unit) + " in " +
          std::to_string(l.year);
  if (share != 1.0) {
    *out += " (" + format_number(share) + " of " + r.quantity.to_string() + " " +
            std::string(r.unit) + " by days)";
  }
  *out += "\n";
  // A plain change of unit within a dimension says nothing the quantity line does not.
  const Method* m = l.method;
  const bool identity = m && m->per_unit == 1.0 && m->from_unit == m->to_unit;
  if (m && !identity) {
    for (const auto& t : m->terms) {
      *out += pad + "  " + t.label + ": " + format_number(t.per_unit) + " " + m->to_unit + " per " +
              m->from_unit;
      if (!t.note.empty()) *out += " (" + t.note + ")";
      *out += "\n";
      for (const auto& f : t.factors) *out += pad + "    factor " + f->citation() + "\n";
      for (const auto& st : t.steps) {
        *out += pad + "    step " + st.text;
        if (st.factor) *out += ": " + st.factor->citation();
        *out += "\n";
      }
    }
  }
  if (l.market) {
    const MarketSplit& ms = *l.market;
    const double mwh = l.method ? quantity * l.method->per_unit : 0.0;
    *out += pad + format_number(mwh) + " MWh of the market-based split of site " + ms.site_id +
            " " + std::to_string(ms.year) + ": grid " + format_number(ms.grid_mwh) + " MWh, " +
            format_number(ms.emissions) + " tCO2e\n";
    for (const auto& al : ms.allocations()) {
      *out += pad + "  " + al.instrument->instrument_id + " (" + al.step +
              "): " + format_number(al.mwh) + " MWh x " + format_number(al.emission_factor) +
              " tCO2e/MWh\n";
    }
    if (ms.residual_mwh > 0 && ms.residual_method) {
      *out += pad + "  uncovered " + format_number(ms.residual_mwh) + " MWh x " +
              format_number(ms.residual_method->per_unit) +
              (ms.residual_is_grid ? " tCO2e/MWh (grid factor)\n" : " tCO2e/MWh (residual mix)\n");
      for (const auto& t : ms.residual_method->terms) {
        for (const auto& f : t.factors) *out += pad + "    factor " + f->citation() + "\n";
      }
    }
  }
}

// What a node shows below it: its children, then its record leaves, in
// order; or, when it has more than `top`, the `top` largest by absolute value
// (largest first, ties in order) and how many more there are and what they
// add up to, so that what is shown still sums to the node.
struct Item {
  const Contribution* child = nullptr;  // else `leaf`
  RecordLeaf leaf;
  double value = 0.0;  // before the node's scale
};
struct Selection {
  std::vector<ContributionPtr> cover;  // the node's cover_nodes(), which items may point to
  std::vector<Item> items;
  size_t rest_count = 0;
  double rest_value = 0.0;  // before the node's scale
};

// Children, then instrument leaves of a market split's cover, then record leaves.
template <typename F>
void for_each_item(const Contribution& c, const std::vector<ContributionPtr>& cover, F&& f) {
  size_t index = 0;
  for (const auto& ch : c.children) f(index++, Item{ch.get(), RecordLeaf{}, ch->value});
  for (const auto& ch : cover) f(index++, Item{ch.get(), RecordLeaf{}, ch->value});
  c.leaves.for_each([&](const RecordLeaf& l) { f(index++, Item{nullptr, l, l.value}); });
}

size_t item_count(const Contribution& c) {
  return c.children.size() + cover_count(c) + c.leaves.size();
}

Selection select_items(const Contribution& c, size_t top) {
  Selection s;
  s.cover = cover_nodes(c);
  const size_t n = c.children.size() + s.cover.size() + c.leaves.size();
  auto each = [&](auto&& f) { for_each_item(c, s.cover, f); };
  if (top == 0 || n <= top) {
    each([&](size_t, const Item& it) { s.items.push_back(it); });
    return s;
  }
  // A min-heap of the `top` largest so far: the worst (smallest, then later) on top.
  using Entry = std::pair<double, size_t>;  // |value|, index
  auto worse = [](const Entry& a, const Entry& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  };
  std::vector<Entry> heap;
  heap.reserve(top + 1);
  each([&](size_t i, const Item& it) {
    heap.emplace_back(std::fabs(it.value), i);
    std::push_heap(heap.begin(), heap.end(), worse);
    if (heap.size() > top) {
      std::pop_heap(heap.begin(), heap.end(), worse);
      heap.pop_back();
    }
  });
  std::vector<char> chosen(n, 0);
  for (const auto& e : heap) chosen[e.second] = 1;
  std::vector<std::pair<size_t, Item>> picked;
  each([&](size_t i, const Item& it) {
    if (chosen[i]) {
      picked.emplace_back(i, it);
    } else {
      ++s.rest_count;
      s.rest_value += it.value;
    }
  });
  std::sort(picked.begin(), picked.end(), [](const auto& a, const auto& b) {
    const double x = std::fabs(a.second.value), y = std::fabs(b.second.value);
    return x != y ? x > y : a.first < b.first;
  });
  for (auto& p : picked) s.items.push_back(std::move(p.second));
  return s;
}

std::string rest_label(size_t count) {
  return std::to_string(count) + (count == 1 ? " more contribution" : " more contributions");
}

void text_instrument(const Contribution& c, const std::string& pad, std::string* out) {
  if (c.kind != Contribution::Kind::kInstrument || !c.instrument) return;
  const Instrument& in = *c.instrument;
  *out += pad + "instrument " + in.instrument_id + ", " + in.grid_region + ", " +
          format_date(in.start) + ".." + format_date(in.end) + ", " + in.mwh.to_string() + " MWh";
  if (!in.certificate_ref.empty()) *out += ", certificate " + in.certificate_ref;
  if (!c.note.empty()) *out += "; " + c.note;
  *out += "\n";
}

// Metered energy (a telemetry roll-up row): its meters.
void text_meters(const Contribution& c, const std::string& pad, std::string* out) {
  if (c.meters.empty()) return;
  *out += pad + "meters";
  for (size_t i = 0; i < c.meters.size(); ++i) *out += (i ? ", " : " ") + c.meters[i];
  if (!c.note.empty()) *out += "; " + c.note;
  *out += "\n";
}

void text_node(const Contribution& c, double mult, double root, const std::string& unit, int depth,
               int max_depth, size_t top, std::string* out) {
  const std::string pad(static_cast<size_t>(depth) * 2, ' ');
  const double v = c.value * mult;
  *out += pad + c.label + " = " + format_number(v) + " " + unit + " (" + percent(v, root) + ")";
  if (!c.scale_note.empty()) *out += " [" + c.scale_note + "]";
  *out += "\n";
  text_instrument(c, pad + "  ", out);
  text_meters(c, pad + "  ", out);
  if (c.denominator && (max_depth < 0 || depth < max_depth)) {
    // Not part of the sum: shares are of the denominator itself.
    *out += pad + "  denominator:\n";
    text_node(*c.denominator, 1.0, c.denominator->value, c.denominator_unit, depth + 2, max_depth,
              top, out);
  }
  const size_t n = item_count(c);
  if (max_depth >= 0 && depth >= max_depth) {
    if (n > 0) *out += pad + "  ... " + std::to_string(n) + " contributions\n";
    return;
  }
  const std::string child_pad(static_cast<size_t>(depth + 1) * 2, ' ');
  const Selection sel = select_items(c, top);
  for (const Item& it : sel.items) {
    if (it.child) {
      text_node(*it.child, mult * c.scale, root, unit, depth + 1, max_depth, top, out);
      continue;
    }
    const RecordLeaf& l = it.leaf;
    const double lv = l.value * mult * c.scale;
    *out += child_pad + std::string(l.record->record_id) + " = " + format_number(lv) + " " + unit +
            " (" + percent(lv, root) + ")\n";
    if (max_depth >= 0 && depth + 1 > max_depth) continue;
    text_record(l, child_pad + "  ", out);
  }
  if (sel.rest_count > 0) {
    const double rv = sel.rest_value * mult * c.scale;
    *out += child_pad + "... " + rest_label(sel.rest_count) + " = " + format_number(rv) + " " +
            unit + " (" + percent(rv, root) + ")\n";
  }
}

void json_resolution(std::string* out, const FactorResolution& f) {
  *out += "{\"set\":";
  json_append_string(out, f.set);
  if (f.row) {
    *out += ",\"key\":";
    json_append_string(out, f.row->key);
    *out += ",\"region\":";
    json_append_string(out, f.row->region);
    *out += ",\"year\":";
    json_append_string(out, f.row->year);
    *out += ",\"quantity\":";
    json_append_string(out, f.row->quantity);
    *out += ",\"value\":";
    json_append_string(out, f.row->value.to_string());
    *out += ",\"unit\":";
    json_append_string(out, f.row->unit);
    *out += ",\"source\":";
    json_append_string(out, f.row->source);
    if (!f.row->confidence.empty()) {
      *out += ",\"confidence\":";
      json_append_string(out, f.row->confidence);
    }
  }
  *out += ",\"requested\":";
  json_append_string(out, f.key + " " + f.quantity + " " + f.region + " " + f.year);
  *out += ",\"fallback\":";
  *out += f.fallback() ? "true" : "false";
  *out += "}";
}

void json_method(std::string* out, const Method& m) {
  *out += "{\"from_unit\":";
  json_append_string(out, m.from_unit);
  *out += ",\"to_unit\":";
  json_append_string(out, m.to_unit);
  *out += ",\"per_unit\":";
  json_append_number(out, m.per_unit);
  *out += ",\"terms\":[";
  for (size_t i = 0; i < m.terms.size(); ++i) {
    const auto& t = m.terms[i];
    if (i) *out += ",";
    *out += "{\"label\":";
    json_append_string(out, t.label);
    *out += ",\"per_unit\":";
    json_append_number(out, t.per_unit);
    if (!t.note.empty()) {
      *out += ",\"note\":";
      json_append_string(out, t.note);
    }
    *out += ",\"factors\":[";
    for (size_t k = 0; k < t.factors.size(); ++k) {
      if (k) *out += ",";
      json_resolution(out, *t.factors[k]);
    }
    *out += "],\"steps\":[";
    for (size_t k = 0; k < t.steps.size(); ++k) {
      if (k) *out += ",";
      *out += "{\"text\":";
      json_append_string(out, t.steps[k].text);
      if (t.steps[k].factor) {
        *out += ",\"factor\":";
        json_resolution(out, *t.steps[k].factor);
      }
      *out += "}";
    }
    *out += "]}";
  }
  *out += "]}";
}

void json_market(std::string* out, const MarketSplit& m) {
  *out += "{\"site\":";
  json_append_string(out, m.site_id);
  *out += ",\"grid_mwh\":";
  json_append_number(out, m.grid_mwh);
  *out += ",\"emissions\":";
  json_append_number(out, m.emissions);
  *out += ",\"allocations\":[";
  const std::vector<InstrumentAllocation> allocations = m.allocations();
  for (size_t i = 0; i < allocations.size(); ++i) {
    const auto& al = allocations[i];
    if (i) *out += ",";
    *out += "{\"instrument\":";
    json_append_string(out, al.instrument->instrument_id);
    *out += ",\"step\":";
    json_append_string(out, al.step);
    *out += ",\"mwh\":";
    json_append_number(out, al.mwh);
    *out += ",\"emission_factor\":";
    json_append_number(out, al.emission_factor);
    *out += "}";
  }
  *out += "],\"uncovered_mwh\":";
  json_append_number(out, m.residual_mwh);
  *out += ",\"uncovered_factor\":";
  *out += m.residual_is_grid ? "\"grid\"" : "\"residual_mix\"";
  if (m.residual_method) {
    *out += ",\"uncovered_method\":";
    json_method(out, *m.residual_method);
  }
  *out += "}";
}

void json_record(const RecordLeaf& l, double mult, double root, bool details, std::string* out) {
  const ActivityRecord& r = *l.record;
  const double v = l.value * mult;
  *out += "{\"label\":";
  json_append_string(out, r.record_id);
  *out += ",\"kind\":\"record\",\"value\":";
  json_append_number(out, v);
  *out += ",\"share\":";
  json_append_number(out, root != 0 ? v / root * 100 : 0.0);
  *out += ",\"record\":";
  json_append_string(out, r.record_id);
  *out += ",\"site\":";
  json_append_string(out, r.site_id);
  *out += ",\"evidence\":";
  json_append_string(out, r.evidence);
  if (details) {
    *out += ",\"activity\":";
    json_append_string(out, r.activity);
    *out += ",\"file\":";
    json_append_string(out, r.source.file);
    *out += ",\"line\":" + std::to_string(r.source.line);
    *out += ",\"record_quantity\":";
    json_append_string(out, r.quantity.to_string());
    *out += ",\"unit\":";
    json_append_string(out, r.unit);
    *out += ",\"year\":" + std::to_string(l.year);
    const double share = year_share(r, l.year);
    *out += ",\"year_share\":";
    json_append_number(out, share);
    *out += ",\"quantity\":";
    json_append_number(out, r.quantity.to_double() * share);
    if (l.method) {
      *out += ",\"method\":";
      json_method(out, *l.method);
    }
    if (l.market) {
      *out += ",\"market\":";
      json_market(out, *l.market);
    }
  }
  *out += "}";
}

void json_node(const Contribution& c, double mult, double root, int depth, int max_depth,
               size_t top, std::string* out) {
  const double v = c.value * mult;
  *out += "{\"label\":";
  json_append_string(out, c.label);
  *out += ",\"kind\":";
  *out += c.kind == Contribution::Kind::kInstrument ? "\"instrument\"" : "\"group\"";
  *out += ",\"value\":";
  json_append_number(out, v);
  *out += ",\"share\":";
  json_append_number(out, root != 0 ? v / root * 100 : 0.0);
  if (!c.scale_note.empty()) {
    *out += ",\"scale\":";
    json_append_number(out, c.scale);
    *out += ",\"scale_note\":";
    json_append_string(out, c.scale_note);
  }
  if (c.instrument) {
    *out += ",\"instrument\":";
    json_append_string(out, c.instrument->instrument_id);
    *out += ",\"grid_region\":";
    json_append_string(out, c.instrument->grid_region);
    if (!c.instrument->certificate_ref.empty()) {
      *out += ",\"certificate_ref\":";
      json_append_string(out, c.instrument->certificate_ref);
    }
  }
  if (!c.note.empty()) {
    *out += ",\"note\":";
    json_append_string(out, c.note);
  }
  if (!c.meters.empty()) {
    *out += ",\"meters\":[";
    for (size_t i = 0; i < c.meters.size(); ++i) {
      if (i) *out += ",";
      json_append_string(out, c.meters[i]);
    }
    *out += "]";
  }
  if (c.denominator && (max_depth < 0 || depth < max_depth)) {
    // Not part of the sum: its shares are of the denominator itself.
    *out += ",\"denominator_unit\":";
    json_append_string(out, c.denominator_unit);
    *out += ",\"denominator\":";
    json_node(*c.denominator, 1.0, c.denominator->value, depth + 1, max_depth, top, out);
  }
  const size_t n = item_count(c);
  if (n > 0) {
    if (max_depth >= 0 && depth >= max_depth) {
      *out += ",\"omitted_children\":" + std::to_string(n);
    } else {
      *out += ",\"children\":[";
      bool first = true;
      const bool details = max_depth < 0 || depth + 1 <= max_depth;
      const Selection sel = select_items(c, top);
      for (const Item& it : sel.items) {
        if (!first) *out += ",";
        first = false;
        if (it.child) {
          json_node(*it.child, mult * c.scale, root, depth + 1, max_depth, top, out);
        } else {
          json_record(it.leaf, mult * c.scale, root, details, out);
        }
      }
      if (sel.rest_count > 0) {
        // The contributions not shown, as one entry: what is shown still sums to the node.
        const double rv = sel.rest_value * mult * c.scale;
        if (!first) *out += ",";
        *out += "{\"label\":";
        json_append_string(out, rest_label(sel.rest_count));
        *out += ",\"kind\":\"omitted\",\"count\":" + std::to_string(sel.rest_count);
        *out += ",\"value\":";
        json_append_number(out, rv);
        *out += ",\"share\":";
        json_append_number(out, root != 0 ? rv / root * 100 : 0.0);
        *out += "}";
      }
      *out += "]";
    }
  }
  *out += "}";
}

std::string heading(const Figure& f) {
  std::string s = f.id + " " + std::to_string(f.year);
  if (!f.site.empty()) s += " site " + f.site;
  if (!f.category.empty()) s += " category " + f.category;
  return s;
}

}  // namespace

std::string explain_text(const Figure& f, const ExplainOptions& options) {
  std::string out = heading(f) + ": ";
  if (!f.value) {
    out += "null (" + std::string(status_name(f.status)) + ")\n";
  } else {
    out += format_number(*f.value) + " " + f.unit + "\n";
  }
  if (f.lineage) {
    const double root = f.value ? *f.value : f.lineage->value;
    text_node(*f.lineage, 1.0, root, f.unit, 0, options.depth, options.top, &out);
  }
  return out;
}

std::string explain_json(const Figure& f, const ExplainOptions& options) {
  std::string out = "{";
  json_append_figure_fields(&out, f, "metric");
  if (f.lineage) {
    out += ",\"tree\":";
    const double root = f.value ? *f.value : f.lineage->value;
    json_node(*f.lineage, 1.0, root, 0, options.depth, options.top, &out);
  }
  out += "}\n";
  return out;
}

}  // namespace assay
