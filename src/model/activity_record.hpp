// ActivityRecord: one row of activities.csv, and SourceRef / SourceView,
// where a record came from.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/date.hpp"
#include "model/text_ref.hpp"
#include "units/decimal.hpp"

namespace assay {

// Where a record came from: "activities.csv" line 17, or "book.xlsx[activities]" row 4.
struct SourceRef {
  std::string file;
  int64_t line = 0;
};

// SourceRef of an activity record: the file name is a view (see ActivityRecord).
struct SourceView {
  TextRef file;
  int64_t line = 0;
  SourceRef ref() const { return SourceRef{std::string(file), line}; }
};

// The rows of activities.csv, the bulk of a package (W2: ten million). Text
// fields are views (TextRef, 8 bytes) into the package's TextArena
// (Package::text) or static storage, so a record is 104 bytes with no
// allocation of its own; whoever builds records for a Package keeps their
// text there (Package::keep).
struct ActivityRecord {
  TextRef record_id;
  TextRef site_id;
  Date start;
  Date end;
  TextRef activity;  // vocabulary key, e.g. "fuel.diesel.stationary"
  Decimal quantity;
  TextRef unit;
  int scope3_category = 0;  // 1..15 for scope3.* activities, else 0
  // Position of the site in Package::sites, as the package reader found it
  // (kNoSiteIndex when unknown, e.g. records built elsewhere). A hint that
  // spares calc a look-up by name per record; calc checks it against site_id.
  static constexpr uint32_t kNoSiteIndex = UINT32_MAX;
  uint32_t site_index = kNoSiteIndex;
  TextRef evidence;
  TextRef note;
  SourceView source;
};

static_assert(sizeof(ActivityRecord) <= 104, "W2 holds ten million of these: keep it small");

}  // namespace assay
