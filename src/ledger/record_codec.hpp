// The canonical form of each record as the ledger stores it.
//
// A record's content is canonical JSON (docs/ledger-schema.md, "Canonical
// content"): an object with keys in byte order, no whitespace, Decimals as
// their exact canonical text (Decimal::to_string), dates as YYYY-MM-DD and
// months as YYYY-MM, enums as the contract's vocabulary. Two records with the
// same meaning therefore have the same bytes, and so the same content hash.
// The record's SourceRef is not content: moving a row to another line of a
// file is not a change.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "model/records.hpp"
#include "units/sha256.hpp"

namespace assay::ledger_internal {

// Tables of the ledger, in the order a package's rows are written.
enum class LedgerTable {
  kManifest,
  kSites,
  kActivities,
  kInstruments,
  kFactors,
  kMeters,
  kWorkforce,
  kTargets,
  kDisclosures,
};
inline constexpr LedgerTable kAllTables[] = {
    LedgerTable::kManifest,    LedgerTable::kSites,   LedgerTable::kActivities,
    LedgerTable::kInstruments, LedgerTable::kFactors, LedgerTable::kMeters,
    LedgerTable::kWorkforce,   LedgerTable::kTargets, LedgerTable::kDisclosures,
};

const char* table_name(LedgerTable table);
std::optional<LedgerTable> parse_table_name(std::string_view name);
// True for tables whose key is several columns (stored as a JSON array of strings).
bool has_composite_key(LedgerTable table);

// One record ready to be written: key, canonical content, where it came from.
struct EncodedRecord {
  std::string key;
  std::string content;
  SourceRef source;
};

// The key under which the single manifest record is stored.
inline constexpr std::string_view kManifestKey = "manifest";

// Number of records of `table` in `package` and the i-th one encoded.
size_t record_count(const Package& package, LedgerTable table);
EncodedRecord encode_record(const Package& package, LedgerTable table, size_t index);
// The same, reusing `out`'s buffers (the ingest loop's form: no allocation per row).
void encode_record_into(const Package& package, LedgerTable table, size_t index,
                        EncodedRecord* out);
// The key of the i-th record of a table keyed by one id column (sites,
// activities, instruments, meters, targets) without encoding it; empty for
// the others.
std::string_view simple_key(const Package& package, LedgerTable table, size_t index);

// Appends the record with canonical `content` to the matching vector of `out`
// (the manifest replaces out->manifest). Throws std::exception on content the
// codec did not write.
void decode_record(LedgerTable table, const std::string& content, const SourceRef& source,
                   Package* out);

// The reporting years a record's content touches, as an inclusive range, or
// nullopt for tables that are not about a period (docs/ledger-schema.md,
// "Period locks").
std::optional<std::pair<int, int>> years_touched(LedgerTable table, const std::string& content);

// Feeds one record version into a batch's records hash: the fields as
// length-prefixed strings ("5:A-001;") so that no two different rows give
// the same bytes (docs/ledger-schema.md, "Records hash").
void hash_version_row(Sha256& h, std::string_view table, std::string_view key, int64_t version,
                      bool tombstone, std::string_view content_hash, std::string_view source_file,
                      int64_t source_line);

// The same bytes as hash_version_row, appended to `buf` (hashed in large
// chunks by the ingest loop).
void append_version_row(std::string* buf, std::string_view table, std::string_view key,
                        int64_t version, bool tombstone, std::string_view content_hash,
                        std::string_view source_file, int64_t source_line);

// SHA-256 of many small strings with one reused OpenSSL context.
class ContentHasher {
 public:
  ContentHasher();
  ~ContentHasher();
  ContentHasher(const ContentHasher&) = delete;
  ContentHasher& operator=(const ContentHasher&) = delete;
  // Lower-case hex digest of `bytes`; valid until the next call.
  std::string_view hex(std::string_view bytes);

 private:
  struct Impl;
  Impl* impl_;
  char hex_[64];
};

// Canonical text of a JSON value (sorted keys, compact, strict UTF-8).
std::string canonical_dump(const nlohmann::json& value);

// Appends `s` as a JSON string exactly as canonical_dump writes it: `"` and
// `\` escaped, \b \f \n \r \t, other control characters as \u00xx, every
// other character as is. Throws std::runtime_error on invalid UTF-8.
void append_canonical_string(std::string* out, std::string_view s);

}  // namespace assay::ledger_internal
