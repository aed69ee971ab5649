#include "ledger/record_codec.hpp"

#include <openssl/evp.h>

#include <charconv>
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

// Writes a JSON object field by field, keys given in byte order by the caller
// (tests/assure/canonical_codec_test.cpp checks the bytes against
// nlohmann::json's sorted dump for every table).
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string* out) : out_(out) { out_->push_back('{'); }
  ObjectWriter& str(const char* key, std::string_view value) {
    this->key(key);
    append_canonical_string(out_, value);
    return *this;
  }
  ObjectWriter& opt_str(const char* key, const std::optional<std::string>& value) {
    if (!value) {
      this->key(key);
      out_->append("null");
      return *this;
    }
    return str(key, *value);
  }
  // A date as format_date writes it, without snprintf (two per activity row).
  ObjectWriter& date(const char* key, Date d) {
    this->key(key);
    int32_t z = d.days + 719468;  // H. Hinnant's civil_from_days, as model/date.cpp
    const int32_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned dd = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    const int y = static_cast<int>(yoe) + era * 400 + (m <= 2);
    if (y < 0 || y > 9999) {
      append_canonical_string(out_, format_date(d));
      return *this;
    }
    const unsigned uy = static_cast<unsigned>(y);
    const char text[12] = {'"',
                           static_cast<char>('0' + uy / 1000),
                           static_cast<char>('0' + uy / 100 % 10),
                           static_cast<char>('0' + uy / 10 % 10),
                           static_cast<char>('0' + uy % 10),
                           '-',
                           static_cast<char>('0' + m / 10),
                           static_cast<char>('0' + m % 10),
                           '-',
                           static_cast<char>('0' + dd / 10),
                           static_cast<char>('0' + dd % 10),
                           '"'};
    out_->append(text, sizeof text);
    return *this;
  }
  ObjectWriter& integer(const char* key, int64_t value) {
    this->key(key);
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    out_->append(buf, end);
    return *this;
  }
  ObjectWriter& boolean(const char* key, bool value) {
    this->key(key);
    out_->append(value ? "true" : "false");
    return *this;
  }
  void close() { out_->push_back('}'); }

 private:
  void key(const char* k) {
    if (!first_) out_->push_back(',');
    first_ = false;
    out_->push_back('"');
    out_->append(k);
    out_->append("\":");
  }
  std::string* out_;
  bool first_ = true;
};

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
  std::string out = "[";
  for (const std::string& part : parts) {
    if (out.size() > 1) out.push_back(',');
    append_canonical_string(&out, part);
  }
  out.push_back(']');
  return out;
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

void append_version_row(std::string* buf, std::string_view table, std::string_view key,
                        int64_t version, bool tombstone, std::string_view content_hash,
                        std::string_view source_file, int64_t source_line) {
  char num[24];
  auto field = [buf, &num](std::string_view s) {
    auto [end, ec] = std::to_chars(num, num + sizeof num, s.size());
    buf->append(num, end);
    buf->push_back(':');
    buf->append(s);
    buf->push_back(';');
  };
  auto number = [&field](int64_t v) {
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, v);
    field(std::string_view(digits, static_cast<size_t>(end - digits)));
  };
  field(table);
  field(key);
  number(version);
  field(tombstone ? "1" : "0");
  field(content_hash);
  field(source_file);
  number(source_line);
}

void hash_version_row(Sha256& h, std::string_view table, std::string_view key, int64_t version,
                      bool tombstone, std::string_view content_hash, std::string_view source_file,
                      int64_t source_line) {
  std::string buf;
  append_version_row(&buf, table, key, version, tombstone, content_hash, source_file, source_line);
  h.update(buf);
}

struct ContentHasher::Impl {
  EVP_MD_CTX* ctx = nullptr;
  EVP_MD* md = nullptr;
};

ContentHasher::ContentHasher() : impl_(new Impl) {
  impl_->ctx = EVP_MD_CTX_new();
  impl_->md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (impl_->ctx == nullptr || impl_->md == nullptr) {
    EVP_MD_CTX_free(impl_->ctx);
    EVP_MD_free(impl_->md);
    delete impl_;
    throw std::runtime_error("OpenSSL: cannot start SHA-256");
  }
}

ContentHasher::~ContentHasher() {
  EVP_MD_CTX_free(impl_->ctx);
  EVP_MD_free(impl_->md);
  delete impl_;
}

std::string_view ContentHasher::hex(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestInit_ex(impl_->ctx, impl_->md, nullptr) != 1 ||
      EVP_DigestUpdate(impl_->ctx, bytes.data(), bytes.size()) != 1 ||
      EVP_DigestFinal_ex(impl_->ctx, md, &len) != 1 || len != 32) {
    throw std::runtime_error("OpenSSL: SHA-256 failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned int i = 0; i < 32; ++i) {
    hex_[2 * i] = kHex[md[i] >> 4];
    hex_[2 * i + 1] = kHex[md[i] & 15];
  }
  return std::string_view(hex_, 64);
}

namespace {

// Length of the well-formed UTF-8 sequence at s[i] (Unicode 15, Table 3-7),
// 0 when it is not one: no overlongs, no surrogates, nothing above U+10FFFF.
size_t utf8_length(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const size_t left = s.size() - i;
  const unsigned char c = b(0);
  auto cont = [&](size_t k, unsigned char lo, unsigned char hi) {
    return k < left && b(k) >= lo && b(k) <= hi;
  };
  if (c >= 0xC2 && c <= 0xDF) return cont(1, 0x80, 0xBF) ? 2 : 0;
  if (c == 0xE0) return cont(1, 0xA0, 0xBF) && cont(2, 0x80, 0xBF) ? 3 : 0;
  if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
    return cont(1, 0x80, 0xBF) && cont(2, 0x80, 0xBF) ? 3 : 0;
  }
  if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2, 0x80, 0xBF) ? 3 : 0;
  if (c == 0xF0) return cont(1, 0x90, 0xBF) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) ? 4 : 0;
  if (c >= 0xF1 && c <= 0xF3) {
    return cont(1, 0x80, 0xBF) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) ? 4 : 0;
  }
  if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) ? 4 : 0;
  return 0;
}

}  // namespace

void append_canonical_string(std::string* out, std::string_view s) {
  out->push_back('"');
  size_t run = 0;
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      const size_t n = utf8_length(s, i);
      if (n == 0) {
        throw std::runtime_error("invalid UTF-8 byte at index " + std::to_string(i) +
                                 " of a record's text");
      }
      i += n;
      continue;
    }
    out->append(s.data() + run, i - run);
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out->append(esc, 6);
      }
    }
    run = ++i;
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
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

std::string_view simple_key(const Package& p, LedgerTable table, size_t i) {
  switch (table) {
    case LedgerTable::kSites:
      return p.sites[i].site_id;
    case LedgerTable::kActivities:
      return p.activities[i].record_id;
    case LedgerTable::kInstruments:
      return p.instruments[i].instrument_id;
    case LedgerTable::kMeters:
      return p.meters[i].meter_id;
    case LedgerTable::kTargets:
      return p.targets[i].target_id;
    default:
      return {};
  }
}

EncodedRecord encode_record(const Package& p, LedgerTable table, size_t i) {
  EncodedRecord rec;
  encode_record_into(p, table, i, &rec);
  return rec;
}

void encode_record_into(const Package& p, LedgerTable table, size_t i, EncodedRecord* rec) {
  // Fields are written in byte order of their names: the canonical order
  // nlohmann::json's sorted objects give, without building one per row.
  std::string* out = &rec->content;
  out->clear();
  rec->key.clear();
  switch (table) {
    case LedgerTable::kManifest:
      rec->key = kManifestKey;
      *out = canonical_dump(manifest_json(p));
      rec->source = {"package.toml", 0};
      return;
    case LedgerTable::kSites: {
      const Site& s = p.sites[i];
      ObjectWriter(out)
          .opt_str("closed", s.closed ? format_month(*s.closed) : std::optional<std::string>())
          .str("country", s.country)
          .str("grid_region", s.grid_region)
          .boolean("in_boundary", s.in_boundary)
          .str("kind", site_kind_name(s.kind))
          .str("name", s.name)
          .opt_str("opened", s.opened ? format_month(*s.opened) : std::optional<std::string>())
          .str("site_id", s.site_id)
          .close();
      rec->key = s.site_id;
      rec->source = s.source;
      return;
    }
    case LedgerTable::kActivities: {
      const ActivityRecord& a = p.activities[i];
      ObjectWriter(out)
          .str("activity", a.activity)
          .date("end", a.end)
          .str("evidence", a.evidence)
          .str("note", a.note)
          .str("quantity", a.quantity.to_string())
          .str("record_id", a.record_id)
          .integer("scope3_category", a.scope3_category)
          .str("site_id", a.site_id)
          .date("start", a.start)
          .str("unit", a.unit)
          .close();
      rec->key = a.record_id;
      rec->source = a.source.ref();
      return;
    }
    case LedgerTable::kInstruments: {
      const Instrument& n = p.instruments[i];
      ObjectWriter(out)
          .str("certificate_ref", n.certificate_ref)
          .str("emission_factor", n.emission_factor.to_string())
          .date("end", n.end)
          .str("grid_region", n.grid_region)
          .str("instrument_id", n.instrument_id)
          .str("kind", instrument_kind_name(n.kind))
          .str("mwh", n.mwh.to_string())
          .boolean("renewable", n.renewable)
          .str("site_id", n.site_id)
          .date("start", n.start)
          .close();
      rec->key = n.instrument_id;
      rec->source = n.source;
      return;
    }
    case LedgerTable::kFactors: {
      const FactorRow& f = p.user_factors[i];
      ObjectWriter(out)
          .str("confidence", f.confidence)
          .str("factor_set", f.factor_set)
          .str("key", f.key)
          .str("quantity", f.quantity)
          .str("region", f.region)
          .str("source", f.source)
          .str("unit", f.unit)
          .str("value", f.value.to_string())
          .str("year", f.year)
          .close();
      rec->key = composite({f.factor_set, f.key, f.region, f.year, f.quantity});
      rec->source = f.origin;
      return;
    }
    case LedgerTable::kMeters: {
      const Meter& m = p.meters[i];
      ObjectWriter(out)
          .str("meter_id", m.meter_id)
          .str("role", meter_role_name(m.role))
          .str("site_id", m.site_id)
          .str("unit", m.unit)
          .close();
      rec->key = m.meter_id;
      rec->source = m.source;
      return;
    }
    case LedgerTable::kWorkforce: {
      const WorkforceRow& w = p.workforce[i];
      ObjectWriter(out)
          .str("category", w.category)
          .str("dimension", w.dimension)
          .str("measure", w.measure)
          .str("value", w.value.to_string())
          .integer("year", w.year)
          .close();
      rec->key = composite({std::to_string(w.year), w.measure, w.dimension, w.category});
      rec->source = w.source;
      return;
    }
    case LedgerTable::kTargets: {
      const TargetRow& t = p.targets[i];
      ObjectWriter(out)
          .opt_str("base_value",
                   t.base_value ? t.base_value->to_string() : std::optional<std::string>())
          .integer("base_year", t.base_year)
          .str("kind", t.kind)
          .str("metric", t.metric)
          .str("note", t.note)
          .str("target_id", t.target_id)
          .str("target_value", t.target_value.to_string())
          .integer("target_year", t.target_year)
          .close();
      rec->key = t.target_id;
      rec->source = t.source;
      return;
    }
    case LedgerTable::kDisclosures: {
      const DisclosureRow& d = p.disclosures[i];
      ObjectWriter(out)
          .str("category", d.category)
          .str("evidence", d.evidence)
          .str("metric", d.metric)
          .boolean("not_material", d.not_material)
          .str("unit", d.unit)
          .opt_str("value", d.value ? d.value->to_string() : std::optional<std::string>())
          .integer("year", d.year)
          .close();
      rec->key = composite({std::to_string(d.year), d.metric, d.category});
      rec->source = d.source;
      return;
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
      // The text goes to the package's arena; a value equal to the previous
      // record's (the file, often the site, activity and unit) is kept once.
      const ActivityRecord* prev = out->activities.empty() ? nullptr : &out->activities.back();
      auto keep = [&](std::string_view value, TextRef ActivityRecord::*field) {
        if (prev && prev->*field == value) return prev->*field;
        return TextRef(out->keep(value));
      };
      ActivityRecord a;
      a.record_id = out->keep(str(j, "record_id"));
      a.site_id = keep(str(j, "site_id"), &ActivityRecord::site_id);
      a.start = get_date(j, "start");
      a.end = get_date(j, "end");
      a.activity = keep(str(j, "activity"), &ActivityRecord::activity);
      a.quantity = get_dec(j, "quantity");
      a.unit = keep(str(j, "unit"), &ActivityRecord::unit);
      a.scope3_category = j.at("scope3_category").get<int>();
      a.evidence = out->keep(str(j, "evidence"));
      a.note = out->keep(str(j, "note"));
      a.source.file = prev && prev->source.file == source.file ? prev->source.file
                                                               : TextRef(out->keep(source.file));
      a.source.line = source.line;
      out->activities.push_back(a);
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
