#include "ledger/record_codec.hpp"

#include <stdexcept>

namespace assay::ledger_internal {

using nlohmann::json;

namespace {

struct TableInfo {
  LedgerTable table;
  const char* name;
  bool composite;
};

constexpr TableInfo kTableInfo[] = {
    {LedgerTable::kManifest, "manifest", false},
    {LedgerTable::kSites, "sites", false},
    {LedgerTable::kActivities, "activities", false},
    {LedgerTable::kInstruments, "instruments", false},
    {LedgerTable::kFactors, "factors", true},
    {LedgerTable::kMeters, "meters", false},
    {LedgerTable::kWorkforce, "workforce", true},
    {LedgerTable::kTargets, "targets", false},
    {LedgerTable::kDisclosures, "disclosures", true},
};

// Vocabulary of the contract (spec/data-package.md) for the enums.
const char* site_kind_name(SiteKind k) {
  switch (k) {
    case SiteKind::kDataCenter:
      return "data_center";
    case SiteKind::kLeasedDataCenter:
      return "leased_data_center";
    case SiteKind::kOffice:
      return "office";
    case SiteKind::kOther:
      return "other";
  }
  return "other";
}
SiteKind parse_site_kind(const std::string& s) {
  if (s == "data_center") return SiteKind::kDataCenter;
  if (s == "leased_data_center") return SiteKind::kLeasedDataCenter;
  if (s == "office") return SiteKind::kOffice;
  if (s == "other") return SiteKind::kOther;
  throw std::runtime_error("unknown site kind '" + s + "'");
}
const char* instrument_kind_name(InstrumentKind k) {
  switch (k) {
    case InstrumentKind::kGreenPowerPurchase:
      return "green_power_purchase";
    case InstrumentKind::kPpa:
      return "ppa";
    case InstrumentKind::kCertificate:
      return "certificate";
    case InstrumentKind::kSupplierSpecific:
      return "supplier_specific";
  }
  return "certificate";
}
InstrumentKind parse_instrument_kind(const std::string& s) {
  if (s == "green_power_purchase") return InstrumentKind::kGreenPowerPurchase;
  if (s == "ppa") return InstrumentKind::kPpa;
  if (s == "certificate") return InstrumentKind::kCertificate;
  if (s == "supplier_specific") return InstrumentKind::kSupplierSpecific;
  throw std::runtime_error("unknown instrument kind '" + s + "'");
}
const char* meter_role_name(MeterRole r) {
  switch (r) {
    case MeterRole::kFacility:
      return "facility";
    case MeterRole::kIt:
      return "it";
    case MeterRole::kCooling:
      return "cooling";
    case MeterRole::kOnsiteGeneration:
      return "onsite_generation";
  }
  return "facility";
}
MeterRole parse_meter_role(const std::string& s) {
  if (s == "facility") return MeterRole::kFacility;
  if (s == "it") return MeterRole::kIt;
  if (s == "cooling") return MeterRole::kCooling;
  if (s == "onsite_generation") return MeterRole::kOnsiteGeneration;
  throw std::runtime_error("unknown meter role '" + s + "'");
}

json dec(const Decimal& d) { return d.to_string(); }
json opt_dec(const std::optional<Decimal>& d) { return d ? json(d->to_string()) : json(nullptr); }
json opt_month(const std::optional<int32_t>& m) {
  return m ? json(format_month(*m)) : json(nullptr);
}

Decimal get_dec(const json& j, const char* field) {
  auto d = Decimal::parse(j.at(field).get<std::string>());
  if (!d) throw std::runtime_error(std::string("field ") + field + " is not a decimal");
  return *d;
}
std::optional<Decimal> get_opt_dec(const json& j, const char* field) {
  if (j.at(field).is_null()) return std::nullopt;
  return get_dec(j, field);
}
Date get_date(const json& j, const char* field) {
  auto d = parse_date(j.at(field).get<std::string>());
  if (!d) throw std::runtime_error(std::string("field ") + field + " is not a date");
  return *d;
}
std::optional<int32_t> get_opt_month(const json& j, const char* field) {
  if (j.at(field).is_null()) return std::nullopt;
  auto m = parse_month(j.at(field).get<std::string>());
  if (!m) throw std::runtime_error(std::string("field ") + field + " is not a month");
  return m;
}
std::string str(const json& j, const char* field) { return j.at(field).get<std::string>(); }

json manifest_json(const Package& p) {
  const Manifest& m = p.manifest;
  json revenue = json::object();
  for (const auto& [year, value] : m.revenue) revenue[std::to_string(year)] = value.to_string();
  return json{{"name", m.name},
              {"reporting_year", m.reporting_year},
              {"years", m.years},
              {"base_year", m.base_year ? json(*m.base_year) : json(nullptr)},
              {"consolidation", m.consolidation},
              {"currency", m.currency},
              {"languages", m.languages},
              {"factor_sets", m.factor_sets},
              {"factor_files", m.factor_files},
              {"revenue", revenue},
              {"reading_files", p.reading_files}};
}

std::string composite(std::initializer_list<std::string> parts) {
  return canonical_dump(json(std::vector<std::string>(parts)));
}

}  // namespace

const char* table_name(LedgerTable table) {
  for (const auto& info : kTableInfo) {
    if (info.table == table) return info.name;
  }
  return "?";
}

std::optional<LedgerTable> parse_table_name(std::string_view name) {
  for (const auto& info : kTableInfo) {
    if (name == info.name) return info.table;
  }
  return std::nullopt;
}

bool has_composite_key(LedgerTable table) {
  for (const auto& info : kTableInfo) {
    if (info.table == table) return info.composite;
  }
  return false;
}

void hash_version_row(Sha256& h, std::string_view table, std::string_view key, int64_t version,
                      bool tombstone, std::string_view content_hash, std::string_view source_file,
                      int64_t source_line) {
  auto field = [&h](std::string_view s) {
    h.update(std::to_string(s.size()));
    h.update(":");
    h.update(s);
    h.update(";");
  };
  field(table);
  field(key);
  field(std::to_string(version));
  field(tombstone ? "1" : "0");
  field(content_hash);
  field(source_file);
  field(std::to_string(source_line));
}

std::string canonical_dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::strict);
}

size_t record_count(const Package& p, LedgerTable table) {
  switch (table) {
    case LedgerTable::kManifest:
      return 1;
    case LedgerTable::kSites:
      return p.sites.size();
    case LedgerTable::kActivities:
      return p.activities.size();
    case LedgerTable::kInstruments:
      return p.instruments.size();
    case LedgerTable::kFactors:
      return p.user_factors.size();
    case LedgerTable::kMeters:
      return p.meters.size();
    case LedgerTable::kWorkforce:
      return p.workforce.size();
    case LedgerTable::kTargets:
      return p.targets.size();
    case LedgerTable::kDisclosures:
      return p.disclosures.size();
  }
  return 0;
}

EncodedRecord encode_record(const Package& p, LedgerTable table, size_t i) {
  switch (table) {
    case LedgerTable::kManifest:
      return {std::string(kManifestKey), canonical_dump(manifest_json(p)), {"package.toml", 0}};
    case LedgerTable::kSites: {
      const Site& s = p.sites[i];
      json j{{"site_id", s.site_id},           {"name", s.name},
             {"kind", site_kind_name(s.kind)}, {"country", s.country},
             {"grid_region", s.grid_region},   {"opened", opt_month(s.opened)},
             {"closed", opt_month(s.closed)},  {"in_boundary", s.in_boundary}};
      return {s.site_id, canonical_dump(j), s.source};
    }
    case LedgerTable::kActivities: {
      const ActivityRecord& a = p.activities[i];
      json j{{"record_id", a.record_id},
             {"site_id", a.site_id},
             {"start", format_date(a.start)},
             {"end", format_date(a.end)},
             {"activity", a.activity},
             {"quantity", dec(a.quantity)},
             {"unit", a.unit},
             {"scope3_category", a.scope3_category},
             {"evidence", a.evidence},
             {"note", a.note}};
      return {a.record_id, canonical_dump(j), a.source};
    }
    case LedgerTable::kInstruments: {
      const Instrument& n = p.instruments[i];
      json j{{"instrument_id", n.instrument_id},
             {"kind", instrument_kind_name(n.kind)},
             {"site_id", n.site_id},
             {"grid_region", n.grid_region},
             {"start", format_date(n.start)},
             {"end", format_date(n.end)},
             {"mwh", dec(n.mwh)},
             {"emission_factor", dec(n.emission_factor)},
             {"renewable", n.renewable},
             {"certificate_ref", n.certificate_ref}};
      return {n.instrument_id, canonical_dump(j), n.source};
    }
    case LedgerTable::kFactors: {
      const FactorRow& f = p.user_factors[i];
      json j{{"factor_set", f.factor_set},
             {"key", f.key},
             {"region", f.region},
             {"year", f.year},
             {"quantity", f.quantity},
             {"value", dec(f.value)},
             {"unit", f.unit},
             {"source", f.source},
             {"confidence", f.confidence}};
      return {composite({f.factor_set, f.key, f.region, f.year, f.quantity}), canonical_dump(j),
              f.origin};
    }
    case LedgerTable::kMeters: {
      const Meter& m = p.meters[i];
      json j{{"meter_id", m.meter_id},
             {"site_id", m.site_id},
             {"role", meter_role_name(m.role)},
             {"unit", m.unit}};
      return {m.meter_id, canonical_dump(j), m.source};
    }
    case LedgerTable::kWorkforce: {
      const WorkforceRow& w = p.workforce[i];
      json j{{"year", w.year},
             {"measure", w.measure},
             {"dimension", w.dimension},
             {"category", w.category},
             {"value", dec(w.value)}};
      return {composite({std::to_string(w.year), w.measure, w.dimension, w.category}),
              canonical_dump(j), w.source};
    }
    case LedgerTable::kTargets: {
      const TargetRow& t = p.targets[i];
      json j{{"target_id", t.target_id},
             {"metric", t.metric},
             {"kind", t.kind},
             {"base_year", t.base_year},
             {"base_value", opt_dec(t.base_value)},
             {"target_year", t.target_year},
             {"target_value", dec(t.target_value)},
             {"note", t.note}};
      return {t.target_id, canonical_dump(j), t.source};
    }
    case LedgerTable::kDisclosures: {
      const DisclosureRow& d = p.disclosures[i];
      json j{{"year", d.year},
             {"metric", d.metric},
             {"category", d.category},
             {"value", opt_dec(d.value)},
             {"not_material", d.not_material},
             {"unit", d.unit},
             {"evidence", d.evidence}};
      return {composite({std::to_string(d.year), d.metric, d.category}), canonical_dump(j),
              d.source};
    }
  }
  throw std::logic_error("unknown ledger table");
}

void decode_record(LedgerTable table, const std::string& content, const SourceRef& source,
                   Package* out) {
  const json j = json::parse(content);
  switch (table) {
    case LedgerTable::kManifest: {
      Manifest m;
      m.name = str(j, "name");
      m.reporting_year = j.at("reporting_year").get<int>();
      m.years = j.at("years").get<std::vector<int>>();
      if (!j.at("base_year").is_null()) m.base_year = j.at("base_year").get<int>();
      m.consolidation = str(j, "consolidation");
      m.currency = str(j, "currency");
      m.languages = j.at("languages").get<std::vector<std::string>>();
      m.factor_sets = j.at("factor_sets").get<std::vector<std::string>>();
      m.factor_files = j.at("factor_files").get<std::vector<std::string>>();
      for (const auto& [year, value] : j.at("revenue").items()) {
        auto d = Decimal::parse(value.get<std::string>());
        if (!d) throw std::runtime_error("revenue is not a decimal");
        m.revenue[std::stoi(year)] = *d;
      }
      out->manifest = std::move(m);
      out->reading_files = j.at("reading_files").get<std::vector<std::string>>();
      return;
    }
    case LedgerTable::kSites: {
      Site s;
      s.site_id = str(j, "site_id");
      s.name = str(j, "name");
      s.kind = parse_site_kind(str(j, "kind"));
      s.country = str(j, "country");
      s.grid_region = str(j, "grid_region");
      s.opened = get_opt_month(j, "opened");
      s.closed = get_opt_month(j, "closed");
      s.in_boundary = j.at("in_boundary").get<bool>();
      s.source = source;
      out->sites.push_back(std::move(s));
      return;
    }
    case LedgerTable::kActivities: {
      ActivityRecord a;
      a.record_id = str(j, "record_id");
      a.site_id = str(j, "site_id");
      a.start = get_date(j, "start");
      a.end = get_date(j, "end");
      a.activity = str(j, "activity");
      a.quantity = get_dec(j, "quantity");
      a.unit = str(j, "unit");
      a.scope3_category = j.at("scope3_category").get<int>();
      a.evidence = str(j, "evidence");
      a.note = str(j, "note");
      a.source = source;
      out->activities.push_back(std::move(a));
      return;
    }
    case LedgerTable::kInstruments: {
      Instrument n;
      n.instrument_id = str(j, "instrument_id");
      n.kind = parse_instrument_kind(str(j, "kind"));
      n.site_id = str(j, "site_id");
      n.grid_region = str(j, "grid_region");
      n.start = get_date(j, "start");
      n.end = get_date(j, "end");
      n.mwh = get_dec(j, "mwh");
      n.emission_factor = get_dec(j, "emission_factor");
      n.renewable = j.at("renewable").get<bool>();
      n.certificate_ref = str(j, "certificate_ref");
      n.source = source;
      out->instruments.push_back(std::move(n));
      return;
    }
    case LedgerTable::kFactors: {
      FactorRow f;
      f.factor_set = str(j, "factor_set");
      f.key = str(j, "key");
      f.region = str(j, "region");
      f.year = str(j, "year");
      f.quantity = str(j, "quantity");
      f.value = get_dec(j, "value");
      f.unit = str(j, "unit");
      f.source = str(j, "source");
      f.confidence = str(j, "confidence");
      f.origin = source;
      out->user_factors.push_back(std::move(f));
      return;
    }
    case LedgerTable::kMeters: {
      Meter m;
      m.meter_id = str(j, "meter_id");
      m.site_id = str(j, "site_id");
      m.role = parse_meter_role(str(j, "role"));
      m.unit = str(j, "unit");
      m.source = source;
      out->meters.push_back(std::move(m));
      return;
    }
    case LedgerTable::kWorkforce: {
      WorkforceRow w;
      w.year = j.at("year").get<int>();
      w.measure = str(j, "measure");
      w.dimension = str(j, "dimension");
      w.category = str(j, "category");
      w.value = get_dec(j, "value");
      w.source = source;
      out->workforce.push_back(std::move(w));
      return;
    }
    case LedgerTable::kTargets: {
      TargetRow t;
      t.target_id = str(j, "target_id");
      t.metric = str(j, "metric");
      t.kind = str(j, "kind");
      t.base_year = j.at("base_year").get<int>();
      t.base_value = get_opt_dec(j, "base_value");
      t.target_year = j.at("target_year").get<int>();
      t.target_value = get_dec(j, "target_value");
      t.note = str(j, "note");
      t.source = source;
      out->targets.push_back(std::move(t));
      return;
    }
    case LedgerTable::kDisclosures: {
      DisclosureRow d;
      d.year = j.at("year").get<int>();
      d.metric = str(j, "metric");
      d.category = str(j, "category");
      d.value = get_opt_dec(j, "value");
      d.not_material = j.at("not_material").get<bool>();
      d.unit = str(j, "unit");
      d.evidence = str(j, "evidence");
      d.source = source;
      out->disclosures.push_back(std::move(d));
      return;
    }
  }
  throw std::logic_error("unknown ledger table");
}

std::optional<std::pair<int, int>> years_touched(LedgerTable table, const std::string& content) {
  switch (table) {
    case LedgerTable::kActivities:
    case LedgerTable::kInstruments: {
      const json j = json::parse(content);
      return std::make_pair(get_date(j, "start").year(), get_date(j, "end").year());
    }
    case LedgerTable::kWorkforce:
    case LedgerTable::kDisclosures: {
      int year = json::parse(content).at("year").get<int>();
      return std::make_pair(year, year);
    }
    default:
      return std::nullopt;
  }
}

}  // namespace assay::ledger_internal
