// The ledger's schema migrations (docs/ledger-schema.md). Migration i (1-based)
// brings a file from PRAGMA user_version i-1 to i. Migrations are append-only:
// a released one is never edited, a change is a new migration.
#pragma once

#include <cstdint>
#include <string_view>

namespace assay::ledger_internal {

// PRAGMA application_id of an Assay ledger: "ASSY".
inline constexpr int64_t kApplicationId = 0x41535359;

inline constexpr std::string_view kMigrations[] = {
    // 1: batches, record versions, audit log, period locks, sign-offs.
    R"sql(
CREATE TABLE batch (
  id            INTEGER PRIMARY KEY,
  package_name  TEXT    NOT NULL,
  content_hash  TEXT    NOT NULL,
  records_hash  TEXT    NOT NULL,
  user          TEXT    NOT NULL,
  reason        TEXT    NOT NULL,
  created_at    INTEGER NOT NULL,
  inserted      INTEGER NOT NULL,
  updated       INTEGER NOT NULL,
  tombstoned    INTEGER NOT NULL,
  unchanged     INTEGER NOT NULL,
  audit_seq     INTEGER NOT NULL
);
CREATE TABLE record_version (
  id            INTEGER PRIMARY KEY,
  table_name    TEXT    NOT NULL,
  record_key    TEXT    NOT NULL,
  version       INTEGER NOT NULL CHECK (version >= 1),
  batch_id      INTEGER NOT NULL REFERENCES batch(id),
  tombstone     INTEGER NOT NULL CHECK (tombstone IN (0, 1)),
  content       TEXT    NOT NULL,
  content_hash  TEXT    NOT NULL,
  source_file   TEXT    NOT NULL,
  source_line   INTEGER NOT NULL,
  UNIQUE (table_name, record_key, version)
);
CREATE TABLE audit_log (
  seq         INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL,
  payload     TEXT NOT NULL,
  prev_hash   TEXT NOT NULL,
  entry_hash  TEXT NOT NULL
);
CREATE TABLE period_lock (
  year        INTEGER PRIMARY KEY,
  locked_by   TEXT    NOT NULL,
  locked_at   INTEGER NOT NULL,
  audit_seq   INTEGER NOT NULL
);
CREATE TABLE signoff (
  id          INTEGER PRIMARY KEY,
  year        INTEGER NOT NULL,
  run_hash    TEXT    NOT NULL,
  user        TEXT    NOT NULL,
  signed_at   INTEGER NOT NULL,
  chain_head  TEXT    NOT NULL,
  audit_seq   INTEGER NOT NULL
);
)sql",
};

inline constexpr int64_t kSchemaVersion = sizeof(kMigrations) / sizeof(kMigrations[0]);

}  // namespace assay::ledger_internal
