#include "calc/lineage.hpp"

namespace assay {

size_t cover_count(const Contribution& c) {
  if (!c.cover) return 0;
  size_t n = 0;
  c.cover->for_each_allocation([&](const Instrument* in, double, double, std::string_view) {
    if (!c.cover_renewable_only || in->renewable) ++n;
  });
  return n;
}

std::vector<ContributionPtr> cover_nodes(const Contribution& c) {
  std::vector<ContributionPtr> out;
  if (!c.cover) return out;
  const std::string& site = c.cover->site_id;
  c.cover->for_each_allocation(
      [&](const Instrument* in, double mwh, double ef, std::string_view step) {
        if (c.cover_renewable_only && !in->renewable) return;
        auto node = std::make_shared<Contribution>();
        node->kind = Contribution::Kind::kInstrument;
        node->label = in->instrument_id;
        node->instrument = in;
        node->value = mwh;
        node->note = std::string(step) + " -> " + site + ": " + format_number(mwh) + " MWh at " +
                     format_number(ef) + " tCO2e/MWh";
        out.push_back(std::move(node));
      });
  return out;
}

}  // namespace assay
