#include "package/tables.hpp"

#include <array>
#include <atomic>
#include <cstring>
#include <deque>
#include <memory>
#include <thread>

#include <toml++/toml.h>

#include "package/cells.hpp"
#include "package/id_repeats.hpp"
#include "package/vocabulary.hpp"
#include "units/embedded_data.hpp"
#include "units/short_text.hpp"
#include "units/unit.hpp"

namespace assay {
namespace {

std::string years_text(const std::set<int>& years) {
  std::string out;
  for (int y : years) out += (out.empty() ? "" : ", ") + std::to_string(y);
  return out;
}

// Keeps the first row of an id; a later one is an error (spec: "the first is kept").
using IdLines = FlatStringMap<int64_t>;  // id -> line of the row that holds it

// Ids with their lines, back to back in one string (ids noted while a table
// is read in parts).
class IdList {
 public:
  void add(std::string_view id, int64_t line) {
    text_.append(id);
    ends_.push_back(text_.size());
    lines_.push_back(line);
  }
  void append(const IdList& other) {
    const size_t base = text_.size();
    text_ += other.text_;
    for (size_t e : other.ends_) ends_.push_back(base + e);
    lines_.insert(lines_.end(), other.lines_.begin(), other.lines_.end());
  }
  size_t size() const { return ends_.size(); }
  std::string_view id(size_t i) const {
    const size_t start = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(text_).substr(start, ends_[i] - start);
  }
  int64_t line(size_t i) const { return lines_[i]; }

 private:
  std::string text_;
  std::vector<size_t> ends_;
  std::vector<int64_t> lines_;
};

// Whether the ids of a table read in parts, in file order, only ever
// increase (byte order). Then none repeats, and no check for repeats is
// needed at all: exports often number their records (R00000001, ...), and
// for ten million ids the check costs a quarter of a second. Each part notes
// its own ids; then() joins the parts in file order.
class IdOrder {
 public:
  void note(std::string_view id) {
    if (!any_) {
      first_.assign(id);
      any_ = true;
    } else if (increasing_ && !text_less(last_, id)) {
      increasing_ = false;
    }
    if (increasing_) last_.assign(id);  // no longer needed once out of order
  }
  // This part's ids followed by those of `next`.
  void then(const IdOrder& next) {
    if (!next.any_) return;
    if (!any_) {
      *this = next;
      return;
    }
    increasing_ = increasing_ && next.increasing_ && text_less(last_, next.first_);
    last_ = next.last_;
  }
  bool increasing() const { return increasing_; }

 private:
  bool any_ = false;
  bool increasing_ = true;
  std::string first_, last_;
};

void report_duplicate(RowContext& row, int col, std::string_view column_name, int64_t first) {
  row.error(col, "duplicate_id",
            "duplicate " + std::string(column_name) + " " + quote_value(row.cell(col)) +
                " (first on line " + std::to_string(first) + "; the first is kept)");
}

bool claim_id(RowContext& row, int col, std::string_view column_name, const IdLines* seen) {
  if (const int64_t* first = seen->find(row.cell(col))) {
    report_duplicate(row, col, column_name, *first);
    return false;
  }
  return true;
}

// Tables without an id column have a natural key; its first row is kept.
void claim_key(RowContext& row, const StringMap<int64_t>& seen, const std::string& key,
               std::string_view what) {
  auto it = seen.find(key);
  if (it != seen.end()) {
    row.error(-1, "duplicate_key",
              "duplicate " + std::string(what) + " (first on line " + std::to_string(it->second) +
                  "; the first is kept)");
  }
}

class SitesHandler final : public RowHandler {
 public:
  explicit SitesHandler(ReadContext* ctx) : ctx_(ctx) {}
  const TableSchema& schema() const override {
    static const TableSchema s{"sites",
                               {{"site_id", true},
                                {"name", true},
                                {"kind", true},
                                {"country", true},
                                {"grid_region", true},
                                {"opened", false},
                                {"closed", false},
                                {"in_boundary", false}}};
    return s;
  }
  void handle(RowContext& row) override {
    enum { kId, kName, kKind, kCountry, kRegion, kOpened, kClosed, kInBoundary };
    Site site;
    if (require_cell(row, kId, "site_id", "an id of letters, digits, _ . -")) {
      if (!is_identifier(row.cell(kId))) {
        row.error(kId, "id_invalid",
                  "site_id " + quote_value(row.cell(kId)) +
                      " is not a valid id (expected letters, digits, _ . - only)");
      } else {
        claim_id(row, kId, "site_id", &seen_);
      }
    }
    require_cell(row, kName, "name", "a display name");
    if (require_cell(row, kKind, "kind", "data_center, leased_data_center, office or other")) {
      std::string_view k = row.cell(kKind);
      if (k == "data_center")
        site.kind = SiteKind::kDataCenter;
      else if (k == "leased_data_center")
        site.kind = SiteKind::kLeasedDataCenter;
      else if (k == "office")
        site.kind = SiteKind::kOffice;
      else if (k == "other")
        site.kind = SiteKind::kOther;
      else
        row.error(kKind, "enum_invalid",
                  "kind " + quote_value(k) +
                      " is not a site kind (expected data_center, leased_data_center, office or "
                      "other)");
    }
    if (require_cell(row, kCountry, "country", "an ISO 3166-1 alpha-2 code such as CN") &&
        !is_country_code(row.cell(kCountry))) {
      row.error(kCountry, "country_invalid",
                "country " + quote_value(row.cell(kCountry)) +
                    " is not an ISO 3166-1 alpha-2 code (expected two capital letters, e.g. CN)");
    }
    if (require_cell(row, kRegion, "grid_region", "a country code or CC-NAME such as CN-East")) {
      std::string_view r = row.cell(kRegion);
      if (!is_grid_region(r)) {
        row.error(kRegion, "region_invalid",
                  "grid_region " + quote_value(r) +
                      " is not a grid region (expected a country code such as CN or CC-NAME such "
                      "as CN-East)");
      } else if (is_country_code(row.cell(kCountry)) &&
                 country_of_region(r) != row.cell(kCountry)) {
        row.error(kRegion, "region_country_mismatch",
                  "grid_region " + quote_value(r) + " is not in country " +
                      std::string(row.cell(kCountry)) + " (expected " +
                      std::string(row.cell(kCountry)) + " or " + std::string(row.cell(kCountry)) +
                      "-NAME)");
      }
    }
    if (!row.empty(kOpened)) site.opened = month_cell(row, kOpened, "opened");
    if (!row.empty(kClosed)) site.closed = month_cell(row, kClosed, "closed");
    if (site.opened && site.closed && *site.closed < *site.opened) {
      row.error(kClosed, "period_reversed",
                "closed " + std::string(row.cell(kClosed)) + " is before opened " +
                    std::string(row.cell(kOpened)) + " (expected closed >= opened)");
    }
    if (!row.empty(kInBoundary)) {
      auto b = bool_cell(row, kInBoundary, "in_boundary");
      if (b) site.in_boundary = *b;
    }
    if (row.has_errors()) return;
    site.site_id = row.cell(kId);
    site.name = row.cell(kName);
    site.country = row.cell(kCountry);
    site.grid_region = row.cell(kRegion);
    site.source = row.source();
    seen_.insert(site.site_id, row.line());
    ctx_->site_index.insert(site.site_id,
                            ReadContext::SiteEntry{ctx_->package->sites.size(),
                                                   ctx_->package->keep(site.site_id).data()});
    ctx_->package->sites.push_back(std::move(site));
  }

 private:
  ReadContext* ctx_;
  IdLines seen_;
};

// Checks that [start, end] is a valid period overlapping the package's years.
bool check_period(RowContext& row, int start_col, int end_col, ReadContext* ctx, Date* start,
                  Date* end) {
  auto s = require_cell(row, start_col, "start", "YYYY-MM-DD") ? date_cell(row, start_col, "start")
                                                               : std::nullopt;
  auto e = require_cell(row, end_col, "end", "YYYY-MM-DD") ? date_cell(row, end_col, "end")
                                                           : std::nullopt;
  if (!s || !e) return false;
  if (*e < *s) {
    row.error(start_col, "period_reversed",
              "start " + format_date(*s) + " is after end " + format_date(*e) +
                  " (expected start <= end)");
    return false;
  }
  *start = *s;
  *end = *e;
  if (ctx->years.empty()) return true;
  bool overlaps = false, outside = false;
  const int lo = *ctx->years.begin(), hi = *ctx->years.rbegin();
  if (hi - lo + 1 == static_cast<int>(ctx->years.size())) {
    // Consecutive years (the usual case: one year, or a base year before it):
    // compare days with the span's bounds instead of visiting each year.
    const int32_t first = first_day_of_year(lo).days, last = last_day_of_year(hi).days;
    overlaps = e->days >= first && s->days <= last;
    outside = s->days < first || e->days > last;
  } else {
    for (int y = s->year(); y <= e->year(); ++y) {
      (ctx->years.count(y) ? overlaps : outside) = true;
    }
  }
  if (!overlaps) {
    row.error(start_col, "period_outside",
              "the period " + format_date(*s) + ".." + format_date(*e) +
                  " does not overlap the package's years or base year (" + years_text(ctx->years) +
                  ")");
    return false;
  }
  if (outside) {
    row.warning(start_col, "period_outside",
                "part of the period " + format_date(*s) + ".." + format_date(*e) +
                    " lies outside the package's years (" + years_text(ctx->years) +
                    "); that part is ignored");
  }
  return true;
}

// Periods already checked without a diagnostic, by the text of their two
// cells: millions of rows share a few hundred periods, and parsing and
// checking both dates was 5% of reading W2. A period is remembered only
// when it gave no error or warning, so a hit means the same dates and no
// diagnostic, as checking again would give (the package's years do not
// change while a table is read).
class PeriodCache {
 public:
  bool find(std::string_view start, std::string_view end, Date* s, Date* e) const {
    if (start.size() != kDate || end.size() != kDate) return false;
    const Key k = key(start, end);
    const Slot& slot = slots_[index(k)];
    if (!slot.used || !(slot.key == k)) return false;
    *s = slot.start;
    *e = slot.end;
    return true;
  }
  void remember(std::string_view start, std::string_view end, Date s, Date e) {
    if (start.size() != kDate || end.size() != kDate) return;
    const Key k = key(start, end);
    slots_[index(k)] = Slot{k, s, e, true};
  }

 private:
  static constexpr size_t kDate = 10;  // YYYY-MM-DD
  struct Key {
    uint64_t start_head, end_head;  // bytes 0-7
    uint32_t tails;                 // bytes 8-9 of each
    bool operator==(const Key&) const = default;
  };
  struct Slot {
    Key key{};
    Date start, end;
    bool used = false;
  };
  static Key key(std::string_view start, std::string_view end) {
    Key k{};
    std::memcpy(&k.start_head, start.data(), 8);
    std::memcpy(&k.end_head, end.data(), 8);
    uint16_t a, b;
    std::memcpy(&a, start.data() + 8, 2);
    std::memcpy(&b, end.data() + 8, 2);
    k.tails = a | (uint32_t{b} << 16);
    return k;
  }
  size_t index(const Key& k) const {
    uint64_t h = (k.start_head ^ (k.end_head * 0x9E3779B97F4A7C15ull)) + k.tails;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    return static_cast<size_t>(h >> 56) % slots_.size();
  }
  std::array<Slot, 256> slots_{};
};

// Cache-line aligned: the handlers of a table read in parts (one per thread)
// each write their state for every row; sharing a cache line with another
// thread's data cost the first part 0.4 s at W2 (model/text_arena.hpp).
class alignas(64) ActivitiesHandler final : public RowHandler {
 public:
  explicit ActivitiesHandler(ReadContext* ctx) : ctx_(ctx) {}
  // A worker for a later part of activities.csv: its own copy of the facts
  // rows are checked against (none of them change while activities are read),
  // its own records and ids.
  ActivitiesHandler(const ReadContext& ctx, Package* records)
      : own_ctx_(std::make_unique<ReadContext>(ctx)), ctx_(own_ctx_.get()), parts_(true) {
    own_ctx_->package = records;
  }

  std::unique_ptr<RowHandler> fork(Package* records) override {
    return std::make_unique<ActivitiesHandler>(*ctx_, records);
  }

  void begin_parts() override {
    parts_ = true;
    parts_from_ = ctx_->package->activities.size();
    id_order_ = IdOrder();
  }

  void absorb(RowHandler& other) override {
    auto& worker = static_cast<ActivitiesHandler&>(other);
    // The worker's records view text its package keeps: this package takes it.
    ctx_->package->text->adopt(*worker.ctx_->package->text);
    checked_ids_.append(worker.checked_ids_);
    kept_ids_.append(worker.kept_ids_);
    id_order_.then(worker.id_order_);  // parts are absorbed in file order
    // Its records become the next segment: never moved, never held twice.
    ctx_->package->activities.append(std::move(worker.ctx_->package->activities));
  }

  // The ids of the table: those of its kept records, then those noted. When
  // they increase in file order (IdOrder) none repeats; otherwise
  // any_id_repeats looks. A repeat among them, or one held before the table,
  // sends the table back to the one-by-one reading (which says which rows
  // are duplicates, and of which line); a rejected row repeating another
  // rejected row's id sends it back too, needlessly but rarely.
  bool settle_parts() override {
    const auto& acts = ctx_->package->activities;
    const size_t from = parts_from_;
    const size_t records = ctx_->keep_records ? acts.size() - from : 0;
    const size_t checked = checked_ids_.size();
    auto id_at = [&](size_t i) {
      if (i < records) return acts[from + i].record_id.view();
      i -= records;
      return i < checked ? checked_ids_.id(i) : kept_ids_.id(i - checked);
    };
    const size_t n = records + checked + kept_ids_.size();
    if (!id_order_.increasing() && any_id_repeats(n, id_at)) return false;
    if (seen_.size() > 0 || !pending_.empty()) {
      for (size_t i = 0; i < n; ++i) {
        if (find_seen(id_at(i))) return false;
      }
    }
    pending_.push_back(
        Pending{from, ctx_->keep_records ? acts.size() : from, std::move(kept_ids_)});
    kept_ids_ = IdList();
    checked_ids_ = IdList();
    parts_ = false;
    return true;
  }

  void abandon_parts() override {
    auto& acts = ctx_->package->activities;
    acts.truncate(parts_from_);
    checked_ids_ = IdList();
    kept_ids_ = IdList();
    id_order_ = IdOrder();
    parts_ = false;
  }

  void reserve_rows(size_t rows) override {
    if (ctx_->keep_records) ctx_->package->activities.reserve_more(rows);
  }
  const TableSchema& schema() const override {
    static const TableSchema s{"activities",
                               {{"record_id", true},
                                {"site_id", true},
                                {"start", true},
                                {"end", true},
                                {"activity", true},
                                {"quantity", true},
                                {"unit", true},
                                {"scope3_category", false},
                                {"evidence", false},
                                {"note", false}}};
    return s;
  }
  // The id and site look-ups of the next row are started now: with millions
  // of ids each is otherwise a wait on memory.
  void prefetch(std::string_view line, const std::vector<int>& field_of_column) override {
    const int id_field = field_of_column[0], site_field = field_of_column[1];
    const int last = std::max(id_field, site_field);
    // A guess is enough (a wrong address only wastes a prefetch): fields end
    // at the next comma; a quoted field (starts with ") is not worth it.
    const char* p = line.data();
    const char* const end = p + line.size();
    for (int f = 0; f <= last && p < end; ++f) {
      if (*p == '"') return;
      const char* stop = p;
      while (stop < end && *stop != ',') ++stop;  // ids are short: no call for them
      const std::string_view field(p, static_cast<size_t>(stop - p));
      if (f == id_field && !parts_) seen_.prefetch(field);
      if (f == site_field) ctx_->site_index.prefetch(field);
      if (stop == end) return;
      p = stop + 1;
    }
  }

  void handle(RowContext& row) override {
    enum { kId, kSite, kStart, kEnd, kActivity, kQuantity, kUnit, kCategory, kEvidence, kNote };
    ActivityRecord rec;
    std::string_view site_text;  // the site id as the package keeps it
    if (!periods_.find(row.cell(kStart), row.cell(kEnd), &rec.start, &rec.end)) {
      const int before = row.diagnostic_count();
      if (check_period(row, kStart, kEnd, ctx_, &rec.start, &rec.end) &&
          row.diagnostic_count() == before) {
        periods_.remember(row.cell(kStart), row.cell(kEnd), rec.start, rec.end);
      }
    }
    const bool id_checked = require_cell(row, kId, "record_id", "an id unique within the package");
    if (id_checked && parts_) id_order_.note(row.cell(kId));
    if (id_checked && !parts_) {
      if (const int64_t* first = find_seen(row.cell(kId)))
        report_duplicate(row, kId, "record_id", *first);
    }
    if (require_cell(row, kSite, "site_id", "a site_id of sites.csv")) {
      if (const auto* site = ctx_->site_index.find(row.cell(kSite))) {
        rec.site_index = static_cast<uint32_t>(site->index);
        // A context filled elsewhere (a fuzz target, a test) may not keep the text.
        site_text = site->text ? std::string_view(site->text, row.cell(kSite).size())
                               : ctx_->package->keep(row.cell(kSite));
      } else {
        row.error(kSite, "site_unknown",
                  "site_id " + quote_value(row.cell(kSite)) + " is not a site of sites.csv");
      }
    }
    const ActivityKind* kind = nullptr;
    if (require_cell(row, kActivity, "activity", "a key of the activity vocabulary")) {
      kind = &classify(row.cell(kActivity));
      if (kind->family == ActivityFamily::kUnknown) {
        row.error(kActivity, "activity_unknown",
                  "activity " + quote_value(row.cell(kActivity)) +
                      " is not in the vocabulary (expected a key such as electricity.grid, "
                      "fuel.diesel.stationary, refrigerant.<GAS> or scope3.spend)");
        kind = nullptr;
      } else if (kind->family == ActivityFamily::kGas &&
                 ctx_->known_gases.find(kind->gas) == ctx_->known_gases.end()) {
        row.error(kActivity, "gas_unknown",
                  "gas " + quote_value(kind->gas) + " of " + std::string(row.cell(kActivity)) +
                      " is not known to the package's factor sets (expected a gas or blend name "
                      "such as CO2, CH4, HFC-134a or R-410A)");
        kind = nullptr;
      }
    }
    std::optional<Decimal> quantity;
    if (require_cell(row, kQuantity, "quantity", "a number >= 0")) {
      quantity = decimal_cell(row, kQuantity, "quantity", Sign::kNonNegative);
    }
    if (require_cell(row, kUnit, "unit", "a unit the activity accepts") && kind) {
      check_unit(row, kUnit, *kind, row.cell(kActivity));
    }
    bool scope3 = kind && (kind->family == ActivityFamily::kScope3Spend ||
                           kind->family == ActivityFamily::kScope3Activity ||
                           kind->family == ActivityFamily::kScope3Supplier);
    if (scope3) {
      if (require_cell(row, kCategory, "scope3_category", "1 to 15 for scope3.* activities")) {
        auto c = int_cell(row, kCategory, "scope3_category", 1, 15);
        if (c) rec.scope3_category = *c;
      }
    } else if (kind && !row.empty(kCategory)) {
      row.error(kCategory, "category_not_applicable",
                "scope3_category is given for " + std::string(row.cell(kActivity)) +
                    " (expected it empty: it applies to scope3.* activities only)");
    }
    if (row.has_errors()) {
      if (parts_ && id_checked) checked_ids_.add(row.cell(kId), row.line());
      return;
    }
    if (!parts_) {
      seen_.insert(row.cell(kId), row.line());
    } else if (!ctx_->keep_records) {
      kept_ids_.add(row.cell(kId), row.line());
    }
    if (!ctx_->keep_records) return;
    Package& pkg = *ctx_->package;
    rec.record_id = pkg.keep(row.cell(kId));
    rec.site_id = site_text;
    rec.activity = kinds_[kind_at_].first;
    rec.quantity = *quantity;
    rec.unit = unit_text(pkg, row.cell(kUnit));
    rec.evidence = pkg.keep(row.cell(kEvidence));
    rec.note = pkg.keep(row.cell(kNote));
    rec.source = SourceView{file_text(pkg, row), row.line()};
    auto& kept = pkg.activities;
    kept.push_back(std::move(rec));
  }

 private:
  // Also sets kind_at_, the index of the key in kinds_.
  const ActivityKind& classify(std::string_view key) {
    if (const size_t* i = kind_index_.find(key)) {
      kind_at_ = *i;
      return kinds_[*i].second;
    }
    // The key is kept in the package (records view it) and the kind's gas
    // view points into that text.
    const std::string_view kept = ctx_->package->keep(key);
    kinds_.emplace_back(kept, classify_activity(kept));
    kind_at_ = kinds_.size() - 1;
    kind_index_.insert(key, kind_at_);
    return kinds_.back().second;
  }

  // The text of a record's activity, unit and file is kept once per package
  // (a few distinct values for millions of records; sites: SiteEntry).
  std::string_view unit_text(Package& pkg, std::string_view unit) {
    for (std::string_view u : unit_text_) {
      if (same_text(u, unit)) return u;
    }
    unit_text_.push_back(pkg.keep(unit));
    return unit_text_.back();
  }
  std::string_view file_text(Package& pkg, const RowContext& row) {
    const std::string& file = row.file();
    if (file_text_.empty() || file_text_ != file) file_text_ = pkg.keep(file);
    return file_text_;
  }

  void check_unit(RowContext& row, int col, const ActivityKind& kind, std::string_view activity) {
    std::string_view unit = row.cell(col);
    switch (kind.family) {
      case ActivityFamily::kFixed:
      case ActivityFamily::kGas:
      case ActivityFamily::kScope3Supplier:
        for (auto u : kind.units) {
          if (same_text(u, unit)) return;
        }
        if (auto known = find_unit(unit); known && known->dimension != Dimension::kCurrency) {
          row.error(col, "unit_dimension",
                    "unit " + quote_value(unit) + " is a unit of " +
                        std::string(dimension_name(known->dimension)) + ", not of " +
                        std::string(activity) + " (expected " + join_alternatives(kind.units) +
                        ")");
          return;
        }
        row.error(col, "unit_invalid",
                  "unit " + quote_value(unit) + " is not a unit of " + std::string(activity) +
                      " (expected " + join_alternatives(kind.units) + ")");
        return;
      case ActivityFamily::kScope3Spend: {
        auto u = find_unit(unit);
        if (!u || u->dimension != Dimension::kCurrency) {
          row.error(col, "unit_invalid",
                    "unit " + quote_value(unit) +
                        " is not a currency code (expected an ISO 4217 code such as CNY)");
        }
        return;
      }
      case ActivityFamily::kScope3Activity:
        if (!find_unit(unit)) {
          row.error(col, "unit_invalid",
                    "unit " + quote_value(unit) +
                        " is not a known unit (expected the unit of the activity's factor, e.g. "
                        "pkm, tkm, t, night, kWh)");
        }
        return;
      case ActivityFamily::kUnknown:
        return;
    }
  }

  const int64_t* find_seen(std::string_view id) {
    if (!pending_.empty()) take_pending();
    return seen_.find(id);
  }
  // The ids of tables read in parts, into seen_: only when a later table
  // looks one up (a workbook sheet after activities.csv), since settle_parts()
  // showed them distinct.
  void take_pending() {
    const auto& acts = ctx_->package->activities;
    for (const Pending& p : pending_) {
      for (size_t i = p.records_from; i < p.records_to; ++i) {
        seen_.insert(acts[i].record_id, acts[i].source.line);
      }
      for (size_t i = 0; i < p.kept.size(); ++i) seen_.insert(p.kept.id(i), p.kept.line(i));
    }
    pending_.clear();
  }

  std::unique_ptr<ReadContext> own_ctx_;  // a worker's copy
  ReadContext* ctx_;
  bool parts_ = false;     // reading in parts: ids noted, not looked up
  size_t parts_from_ = 0;  // the table's first record, while reading in parts
  IdLines seen_;
  // Ids noted while reading in parts: of rows rejected for another reason
  // (only to be checked), and of rows kept when records are not.
  IdList checked_ids_;
  IdList kept_ids_;
  IdOrder id_order_;     // of the ids noted while reading in parts
  PeriodCache periods_;  // of this handler (thread)
  // Tables settled in parts whose ids are not in seen_ yet (take_pending).
  struct Pending {
    size_t records_from = 0, records_to = 0;
    IdList kept;
  };
  std::vector<Pending> pending_;
  std::deque<std::pair<std::string_view, ActivityKind>> kinds_;  // key as the package keeps it
  FlatStringMap<size_t> kind_index_;
  size_t kind_at_ = 0;  // of the row's activity, set by classify()
  std::vector<std::string_view> unit_text_;
  std::string_view file_text_;
};

class InstrumentsHandler final : public RowHandler {
 public:
  explicit InstrumentsHandler(ReadContext* ctx) : ctx_(ctx) {}
  const TableSchema& schema() const override {
    static const TableSchema s{"instruments",
                               {{"instrument_id", true},
                                {"kind", true},
                                {"site_id", false},
                                {"grid_region", true},
                                {"start", true},
                                {"end", true},
                                {"mwh", true},
                                {"emission_factor", true},
                                {"renewable", true},
                                {"certificate_ref", false}}};
    return s;
  }
  void handle(RowContext& row) override {
    enum { kId, kKind, kSite, kRegion, kStart, kEnd, kMwh, kFactor, kRenewable, kRef };
    Instrument ins;
    if (require_cell(row, kId, "instrument_id", "an id unique within the package")) {
      claim_id(row, kId, "instrument_id", &seen_);
    }
    if (require_cell(row, kKind, "kind",
                     "green_power_purchase, ppa, certificate or supplier_specific")) {
      std::string_view k = row.cell(kKind);
      if (k == "green_power_purchase")
        ins.kind = InstrumentKind::kGreenPowerPurchase;
      else if (k == "ppa")
        ins.kind = InstrumentKind::kPpa;
      else if (k == "certificate")
        ins.kind = InstrumentKind::kCertificate;
      else if (k == "supplier_specific")
        ins.kind = InstrumentKind::kSupplierSpecific;
      else
        row.error(kKind, "enum_invalid",
                  "kind " + quote_value(k) +
                      " is not an instrument kind (expected green_power_purchase, ppa, certificate "
                      "or supplier_specific)");
    }
    const Site* site = nullptr;
    if (!row.empty(kSite)) {
      const auto* entry = ctx_->site_index.find(row.cell(kSite));
      if (!entry) {
        row.error(kSite, "site_unknown",
                  "site_id " + quote_value(row.cell(kSite)) + " is not a site of sites.csv");
      } else {
        site = &ctx_->package->sites[entry->index];
      }
    }
    if (require_cell(row, kRegion, "grid_region", "a country code or CC-NAME such as CN-East")) {
      std::string_view r = row.cell(kRegion);
      if (!is_grid_region(r)) {
        row.error(kRegion, "region_invalid",
                  "grid_region " + quote_value(r) +
                      " is not a grid region (expected a country code such as CN or CC-NAME such "
                      "as CN-East)");
      } else if (site) {
        // spec: an instrument covers consumption of the same region, or of its country.
        bool serves = r == site->grid_region ||
                      (is_country_code(r) && country_of_region(site->grid_region) == r);
        if (!serves) {
          row.error(kRegion, "region_mismatch",
                    "grid_region " + quote_value(r) + " cannot serve site " + site->site_id +
                        " in " + site->grid_region + " (expected " + site->grid_region + " or " +
                        std::string(country_of_region(site->grid_region)) + ")");
        }
      }
    }
    check_period(row, kStart, kEnd, ctx_, &ins.start, &ins.end);
    std::optional<Decimal> mwh, factor;
    std::optional<bool> renewable;
    if (require_cell(row, kMwh, "mwh", "a number >= 0"))
      mwh = decimal_cell(row, kMwh, "mwh", Sign::kNonNegative);
    if (require_cell(row, kFactor, "emission_factor", "tCO2e/MWh, a number >= 0")) {
      factor = decimal_cell(row, kFactor, "emission_factor", Sign::kNonNegative);
    }
    if (require_cell(row, kRenewable, "renewable", "true or false")) {
      renewable = bool_cell(row, kRenewable, "renewable");
    }
    if (row.has_errors()) return;
    ins.instrument_id = row.cell(kId);
    ins.site_id = row.cell(kSite);
    ins.grid_region = row.cell(kRegion);
    ins.mwh = *mwh;
    ins.emission_factor = *factor;
    ins.renewable = *renewable;
    ins.certificate_ref = row.cell(kRef);
    ins.source = row.source();
    seen_.insert(ins.instrument_id, row.line());
    ctx_->package->instruments.push_back(std::move(ins));
  }

 private:
  ReadContext* ctx_;
  IdLines seen_;
};

class FactorsHandler final : public RowHandler {
 public:
  explicit FactorsHandler(ReadContext* ctx) : ctx_(ctx) {}
  const TableSchema& schema() const override {
    static const TableSchema s{"factors",
                               {{"factor_set", true},
                                {"key", true},
                                {"region", true},
                                {"year", true},
                                {"quantity", true},
                                {"value", true},
                                {"unit", true},
                                {"source", true},
                                {"confidence", false}}};
    return s;
  }
  void handle(RowContext& row) override {
    enum { kSet, kKey, kRegion, kYear, kQuantity, kValue, kUnit, kSource, kConfidence };
    if (require_cell(row, kSet, "factor_set", "a set name") && !is_identifier(row.cell(kSet))) {
      row.error(kSet, "id_invalid",
                "factor_set " + quote_value(row.cell(kSet)) +
                    " is not a valid name (expected letters, digits, _ . - only)");
    }
    require_cell(row, kKey, "key", "an activity key, a special key or a gas name");
    if (require_cell(row, kRegion, "region", "a grid region, a country or *")) {
      std::string_view r = row.cell(kRegion);
      if (r != "*" && !is_grid_region(r)) {
        row.error(kRegion, "region_invalid",
                  "region " + quote_value(r) + " is not a region (expected CN, CN-East or *)");
      }
    }
    if (require_cell(row, kYear, "year", "YYYY or *") && row.cell(kYear) != "*") {
      year_cell(row, kYear, "year");
    }
    if (require_cell(row, kQuantity, "quantity", "a gas name, CO2e, gwp100, ncv, density, ...")) {
      std::string_view q = row.cell(kQuantity);
      static constexpr std::array<std::string_view, 6> kQuantities = {
          "CO2e", "gwp100", "ncv", "density", "coal_equivalent", "fraction"};
      bool known = ctx_->known_gases.count(q) > 0;
      for (auto k : kQuantities) known = known || k == q;
      if (!known) {
        row.error(kQuantity, "quantity_unknown",
                  "quantity " + quote_value(q) +
                      " is not a factor quantity (expected a gas name known to the factor sets, "
                      "CO2e, gwp100, ncv, density, coal_equivalent or fraction)");
      }
    }
    std::optional<Decimal> value;
    if (require_cell(row, kValue, "value", "a number >= 0")) {
      value = decimal_cell(row, kValue, "value", Sign::kNonNegative);
    }
    if (require_cell(row, kUnit, "unit", "a factor unit such as kg/TJ") &&
        !parse_ratio_unit(row.cell(kUnit))) {
      row.error(kUnit, "unit_invalid",
                "unit " + quote_value(row.cell(kUnit)) +
                    " is not a factor unit (expected numerator/denominator such as kg/TJ, t/MWh, "
                    "kg/L, GJ/t, MJ/m3, kg/CNY, or 1)");
    }
    require_cell(row, kSource, "source", "a citation: document, table, edition");
    std::string_view conf = row.cell(kConfidence);
    if (!conf.empty() && conf != "confirmed" && conf != "secondary" && conf != "unconfirmed") {
      row.error(kConfidence, "enum_invalid",
                "confidence " + quote_value(conf) +
                    " is not a confidence (expected confirmed, secondary or unconfirmed)");
    }
    std::string key = std::string(row.cell(kSet)) + '\x1f' + std::string(row.cell(kKey)) + '\x1f' +
                      std::string(row.cell(kRegion)) + '\x1f' + std::string(row.cell(kYear)) +
                      '\x1f' + std::string(row.cell(kQuantity));
    if (!row.has_errors())
      claim_key(row, seen_, key, "factor (factor_set, key, region, year, quantity)");
    if (row.has_errors()) return;
    seen_.emplace(key, row.line());
    FactorRow f{std::string(row.cell(kSet)),
                std::string(row.cell(kKey)),
                std::string(row.cell(kRegion)),
                std::string(row.cell(kYear)),
                std::string(row.cell(kQuantity)),
                *value,
                std::string(row.cell(kUnit)),
                std::string(row.cell(kSource)),
                std::string(conf),
                row.source()};
    // A gas defined by its GWP may be used by the rows and activities that follow.
    if (f.quantity == "gwp100") ctx_->known_gases.insert(f.key);
    if (f.key.rfind("blend.", 0) == 0) ctx_->known_gases.insert(f.key.substr(6));
    ctx_->package->user_factors.push_back(std::move(f));
  }

 private:
  ReadContext* ctx_;
  StringMap<int64_t> seen_;
};

class MetersHandler final : public RowHandler {
 public:
  explicit MetersHandler(ReadContext* ctx) : ctx_(ctx) {}
  const TableSchema& schema() const override {
    static const TableSchema s{
        "meters", {{"meter_id", true}, {"site_id", true}, {"role", true}, {"unit", true}}};
    return s;
  }
  void handle(RowContext& row) override {
    enum { kId, kSite, kRole, kUnit };
    Meter m;
    if (require_cell(row, kId, "meter_id", "an id unique within the package")) {
      claim_id(row, kId, "meter_id", &seen_);
    }
    if (require_cell(row, kSite, "site_id", "a site_id of sites.csv") &&
        !ctx_->site_index.find(row.cell(kSite))) {
      row.error(kSite, "site_unknown",
                "site_id " + quote_value(row.cell(kSite)) + " is not a site of sites.csv");
    }
    if (require_cell(row, kRole, "role", "facility, it, cooling or onsite_generation")) {
      std::string_view r = row.cell(kRole);
      if (r == "facility")
        m.role = MeterRole::kFacility;
      else if (r == "it")
        m.role = MeterRole::kIt;
      else if (r == "cooling")
        m.role = MeterRole::kCooling;
      else if (r == "onsite_generation")
        m.role = MeterRole::kOnsiteGeneration;
      else
        row.error(kRole, "enum_invalid",
                  "role " + quote_value(r) +
                      " is not a meter role (expected facility, it, cooling or onsite_generation)");
    }
    if (require_cell(row, kUnit, "unit", "kWh or MWh") && row.cell(kUnit) != "kWh" &&
        row.cell(kUnit) != "MWh") {
      row.error(
          kUnit, "unit_invalid",
          "unit " + quote_value(row.cell(kUnit)) + " is not a meter unit (expected kWh or MWh)");
    }
    if (row.has_errors()) return;
    m.meter_id = row.cell(kId);
    m.site_id = row.cell(kSite);
    m.unit = row.cell(kUnit);
    m.source = row.source();
    seen_.insert(m.meter_id, row.line());
    ctx_->meter_index.insert(m.meter_id, ctx_->package->meters.size());
    ctx_->package->meters.push_back(std::move(m));
  }

 private:
  ReadContext* ctx_;
  IdLines seen_;
};

bool year_in_package(RowContext& row, int col, int year, ReadContext* ctx) {
  if (ctx->years.empty() || ctx->years.count(year)) return true;
  row.error(col, "year_outside",
            "year " + std::to_string(year) + " is not one of the package's years or base year (" +
                years_text(ctx->years) + ")");
  return false;
}

class WorkforceHandler final : public RowHandler {
 public:
  explicit WorkforceHandler(ReadContext* ctx) : ctx_(ctx) {}
  const TableSchema& schema() const override {
    static const TableSchema s{"workforce",
                               {{"year", true},
                                {"measure", true},
                                {"dimension", true},
                                {"category", false},
                                {"value", true}}};
    return s;
  }
  void handle(RowContext& row) override {
    enum { kYear, kMeasure, kDimension, kCategory, kValue };
    WorkforceRow w;
    if (require_cell(row, kYear, "year", "YYYY")) {
      auto y = year_cell(row, kYear, "year");
      if (y && year_in_package(row, kYear, *y, ctx_)) w.year = *y;
    }
    static constexpr std::array<std::string_view, 9> kMeasures = {
        "headcount",      "avg_headcount_regular", "leavers_regular", "trained",
        "training_hours", "hours_worked",          "fatalities",      "injuries",
        "lost_days"};
    if (require_cell(row, kMeasure, "measure", "a workforce measure")) {
      bool ok = false;
      for (auto m : kMeasures) ok = ok || m == row.cell(kMeasure);
      if (!ok) {
        row.error(kMeasure, "enum_invalid",
                  "measure " + quote_value(row.cell(kMeasure)) +
                      " is not a workforce measure (expected headcount, avg_headcount_regular, "
                      "leavers_regular, trained, training_hours, hours_worked, fatalities, "
                      "injuries or lost_days)");
      }
    }
    if (require_cell(row, kDimension, "dimension",
                     "total, employment_type, age_band, gender, level or region")) {
      check_category(row, row.cell(kDimension), row.cell(kCategory));
    }
    std::optional<Decimal> value;
    if (require_cell(row, kValue, "value", "a number >= 0")) {
      value = decimal_cell(row, kValue, "value", Sign::kNonNegative);
    }
    std::string key = std::string(row.cell(kYear)) + '\x1f' + std::string(row.cell(kMeasure)) +
                      '\x1f' + std::string(row.cell(kDimension)) + '\x1f' +
                      std::string(row.cell(kCategory));
    if (!row.has_errors()) claim_key(row, seen_, key, "(year, measure, dimension, category)");
    if (row.has_errors()) return;
    seen_.emplace(key, row.line());
    w.measure = row.cell(kMeasure);
    w.dimension = row.cell(kDimension);
    w.category = row.cell(kCategory);
    w.value = *value;
    w.source = row.source();
    ctx_->package->workforce.push_back(std::move(w));
  }

 private:
  void check_category(RowContext& row, std::string_view dim, std::string_view cat) {
    enum { kCategory = 3, kDimension = 2 };
    struct Dim {
      std::string_view name;
      std::vector<std::string_view> categories;
    };
    static const std::vector<Dim> kDims = {
        {"employment_type", {"regular", "other"}},
        {"age_band", {"<30", "30-50", ">50"}},
        {"gender", {"male", "female"}},
        {"level", {"management", "non_management"}},
    };
    if (dim == "total") {
      if (!cat.empty()) {
        row.error(
            kCategory, "category_not_applicable",
            "category " + quote_value(cat) + " is given for dimension total (expected it empty)");
      }
      return;
    }
    if (dim == "region") {
      if (cat.empty() || (cat != "CN" && cat != "other" && !is_country_code(cat))) {
        row.error(kCategory, "category_invalid",
                  "category " + quote_value(cat) +
                      " is not a region category (expected CN, other or an ISO country code)");
      }
      return;
    }
    for (const auto& d : kDims) {
      if (d.name != dim) continue;
      for (auto c : d.categories) {
        if (c == cat) return;
      }
      row.error(kCategory, "category_invalid",
                "category " + quote_value(cat) + " is not a category of " + std::string(dim) +
                    " (expected " + join_alternatives(d.categories) + ")");
      return;
    }
    row.error(kDimension, "enum_invalid",
              "dimension " + quote_value(dim) +
                  " is not a workforce dimension (expected total, employment_type, age_band, "
                  "gender, level or region)");
  }

  ReadContext* ctx_;
  StringMap<int64_t> seen_;
};

class TargetsHandler final : public RowHandler {
 public:
  explicit TargetsHandler(ReadContext* ctx) : ctx_(ctx) {}
  const TableSchema& schema() const override {
    static const TableSchema s{"targets",
                               {{"target_id", true},
                                {"metric", true},
                                {"kind", true},
                                {"base_year", true},
                                {"base_value", false},
                                {"target_year", true},
                                {"target_value", true},
                                {"note", false}}};
    return s;
  }
  void handle(RowContext& row) override {
    enum { kId, kMetric, kKind, kBaseYear, kBaseValue, kTargetYear, kTargetValue, kNote };
    TargetRow t;
    if (require_cell(row, kId, "target_id", "an id unique within the package")) {
      claim_id(row, kId, "target_id", &seen_);
    }
    require_cell(row, kMetric, "metric", "a metric id of the catalog");
    if (require_cell(row, kKind, "kind", "reduction, at_most or at_least")) {
      std::string_view k = row.cell(kKind);
      if (k != "reduction" && k != "at_most" && k != "at_least") {
        row.error(kKind, "enum_invalid",
                  "kind " + quote_value(k) +
                      " is not a target kind (expected reduction, at_most or at_least)");
      }
    }
    if (require_cell(row, kBaseYear, "base_year", "YYYY")) {
      auto y = year_cell(row, kBaseYear, "base_year");
      if (y && year_in_package(row, kBaseYear, *y, ctx_)) t.base_year = *y;
    }
    if (!row.empty(kBaseValue))
      t.base_value = decimal_cell(row, kBaseValue, "base_value", Sign::kAny);
    if (require_cell(row, kTargetYear, "target_year", "YYYY")) {
      auto y = year_cell(row, kTargetYear, "target_year");
      if (y && t.base_year && *y <= t.base_year) {
        row.error(kTargetYear, "period_reversed",
                  "target_year " + std::to_string(*y) + " is not after base_year " +
                      std::to_string(t.base_year));
      } else if (y) {
        t.target_year = *y;
      }
    }
    std::optional<Decimal> value;
    if (require_cell(row, kTargetValue, "target_value", "a number")) {
      value = decimal_cell(row, kTargetValue, "target_value", Sign::kAny);
      if (value && row.cell(kKind) == "reduction" &&
          (value->compare(Decimal::from_int(0)) <= 0 ||
           value->compare(Decimal::from_int(100)) > 0)) {
        row.error(kTargetValue, "number_range",
                  "target_value " + quote_value(row.cell(kTargetValue)) +
                      " is not a reduction in % (expected more than 0 and at most 100)");
      }
    }
    if (row.has_errors()) return;
    t.target_id = row.cell(kId);
    t.metric = row.cell(kMetric);
    t.kind = row.cell(kKind);
    t.target_value = *value;
    t.note = row.cell(kNote);
    t.source = row.source();
    seen_.insert(t.target_id, row.line());
    ctx_->package->targets.push_back(std::move(t));
  }

 private:
  ReadContext* ctx_;
  IdLines seen_;
};

class DisclosuresHandler final : public RowHandler {
 public:
  explicit DisclosuresHandler(ReadContext* ctx) : ctx_(ctx) {}
  const TableSchema& schema() const override {
    static const TableSchema s{"disclosures",
                               {{"year", true},
                                {"metric", true},
                                {"category", false},
                                {"value", true},
                                {"unit", false},
                                {"evidence", false}}};
    return s;
  }
  void handle(RowContext& row) override {
    enum { kYear, kMetric, kCategory, kValue, kUnit, kEvidence };
    DisclosureRow d;
    if (require_cell(row, kYear, "year", "YYYY")) {
      auto y = year_cell(row, kYear, "year");
      if (y && year_in_package(row, kYear, *y, ctx_)) d.year = *y;
    }
    if (require_cell(row, kMetric, "metric", "a metric id of the catalog or x.<name>")) {
      std::string_view m = row.cell(kMetric);
      bool custom = m.size() > 2 && m.substr(0, 2) == "x.";
      if (!custom && !is_counted_fact(m)) {
        row.error(kMetric, "metric_unknown",
                  "metric " + quote_value(m) +
                      " is not a counted fact of the catalog (expected e.g. suppliers.count, "
                      "complaints.consumer, renewable.capacity, or a custom id starting with x.)");
      }
    }
    if (require_cell(row, kValue, "value", "a number or not_material")) {
      if (row.cell(kValue) == "not_material") {
        d.not_material = true;
        if (row.empty(kEvidence)) {
          row.error(kEvidence, "required_missing",
                    "evidence is required when value is not_material (expected the explanation)");
        }
      } else {
        d.value = decimal_cell(row, kValue, "value", Sign::kAny);
      }
    }
    std::string key = std::string(row.cell(kYear)) + '\x1f' + std::string(row.cell(kMetric)) +
                      '\x1f' + std::string(row.cell(kCategory));
    if (!row.has_errors()) claim_key(row, seen_, key, "(year, metric, category)");
    if (row.has_errors()) return;
    seen_.emplace(key, row.line());
    d.metric = row.cell(kMetric);
    d.category = row.cell(kCategory);
    d.unit = row.cell(kUnit);
    d.evidence = row.cell(kEvidence);
    d.source = row.source();
    ctx_->package->disclosures.push_back(std::move(d));
  }

 private:
  // Any published id of the metric catalog (data/metrics/catalog.toml): the
  // counted facts, and any framework KPI a package marks not_material. The
  // catalog is read as data here; src/metrics, which owns it, sits above
  // this module.
  static bool is_counted_fact(std::string_view m) {
    static const StringSet kIds = [] {
      StringSet ids;
      for (const auto& f : embedded_files()) {
        if (f.path != "metrics/catalog.toml") continue;
        try {
          toml::table doc = toml::parse(f.content);
          if (const toml::table* metrics = doc["metric"].as_table()) {
            for (const auto& [id, node] : *metrics) {
              const toml::table* t = node.as_table();
              if (t && t->get("published") && !(*t)["published"].value_or(true)) continue;
              ids.emplace(id.str());
            }
          }
        } catch (const toml::parse_error&) {
          // The catalog's own tests report a malformed catalog.
        }
      }
      return ids;
    }();
    return kIds.find(m) != kIds.end();
  }

  ReadContext* ctx_;
  StringMap<int64_t> seen_;
};

}  // namespace

const std::vector<std::string>& table_names() {
  static const std::vector<std::string> names = {"factors",    "sites",       "meters",
                                                 "activities", "instruments", "workforce",
                                                 "targets",    "disclosures"};
  return names;
}

std::unique_ptr<RowHandler> make_handler(const std::string& table, ReadContext* context) {
  if (table == "sites") return std::make_unique<SitesHandler>(context);
  if (table == "activities") return std::make_unique<ActivitiesHandler>(context);
  if (table == "instruments") return std::make_unique<InstrumentsHandler>(context);
  if (table == "factors") return std::make_unique<FactorsHandler>(context);
  if (table == "meters") return std::make_unique<MetersHandler>(context);
  if (table == "workforce") return std::make_unique<WorkforceHandler>(context);
  if (table == "targets") return std::make_unique<TargetsHandler>(context);
  if (table == "disclosures") return std::make_unique<DisclosuresHandler>(context);
  return nullptr;
}

}  // namespace assay
