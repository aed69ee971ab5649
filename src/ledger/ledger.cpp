#include "ledger/ledger.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <future>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "ledger/fault.hpp"
#include "ledger/record_codec.hpp"
#include "ledger/schema.hpp"
#include "ledger/sqlite_db.hpp"
#include "model/date.hpp"
#include "units/flat_string_map.hpp"
#include "units/sha256.hpp"

namespace assay {

using ledger_internal::canonical_dump;
using ledger_internal::Database;
using ledger_internal::FaultPlan;
using ledger_internal::LedgerTable;
using ledger_internal::Statement;
using nlohmann::json;

namespace {

const std::string kZeroHash(64, '0');
constexpr char kTombstoneContent[] = "null";

int64_t stamp(const ChangeOptions& options) {
  if (options.clock) return options.clock();
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Turns an exception from SQLite, JSON or the codec into a Status.
template <typename Fn>
Status guarded(const char* what, Fn&& fn) {
  try {
    return fn();
  } catch (const std::exception& e) {
    return Status::error(std::string(what) + ": " + e.what());
  }
}

// Rolls back an open transaction unless it was committed.
class Transaction {
 public:
  explicit Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }
  ~Transaction() {
    if (open_) {
      try {
        db_.exec("ROLLBACK");
      } catch (...) {
      }
    }
  }
  void commit() {
    db_.exec("COMMIT");
    open_ = false;
  }
  void rollback() {
    db_.exec("ROLLBACK");
    open_ = false;
  }

 private:
  Database& db_;
  bool open_ = true;
};

// A batch of at least this many records is written with a rollback journal
// when possible (BulkJournal).
constexpr size_t kBulkRecords = 100000;

// For a large batch, switches the connection from WAL to a rollback journal
// for the one transaction, and back to WAL after it: pages appended to the
// file are then written once, where WAL writes them twice (to the log, then
// to the file at checkpoint) -- half the I/O of a 10 M-row ingest. SQLite
// only allows the switch when no other connection has the file open; when
// another one has, the switch is refused and the ingest runs in WAL as usual.
// Either way the transaction is atomic (docs/ledger-schema.md, "Connection
// settings"); a crash in rollback mode leaves a hot journal that the next
// open rolls back.
class BulkJournal {
 public:
  BulkJournal(Database& db, bool wanted) : db_(db) {
    if (!wanted) return;
    try {
      Statement st(db_.handle(), "PRAGMA journal_mode = DELETE");
      switched_ = st.step() && st.column_text(0) == "delete";
    } catch (const std::exception&) {
      switched_ = false;  // busy: another connection is open
    }
  }
  ~BulkJournal() {
    if (fd_ >= 0) ::close(fd_);
    if (!switched_) return;
    try {
      db_.exec("PRAGMA journal_mode = WAL");
    } catch (...) {
      // The next Ledger::open sets WAL again.
    }
  }
  BulkJournal(const BulkJournal&) = delete;
  BulkJournal& operator=(const BulkJournal&) = delete;

  // Asks the kernel to start writing the file's dirty pages now (without
  // waiting), so that the disk works while the ingest computes instead of
  // all at the final fsync. Durability is unchanged: SQLite still syncs at
  // COMMIT, and pages of an unfinished transaction on disk are rolled back
  // by the journal as ever.
  void start_writeback() {
    if (!switched_) return;
    if (fd_ < 0) {
      const char* path = sqlite3_db_filename(db_.handle(), "main");
      if (path == nullptr || *path == '\0') return;
      fd_ = ::open(path, O_RDONLY | O_CLOEXEC);
      if (fd_ < 0) return;
    }
    ::sync_file_range(fd_, 0, 0, SYNC_FILE_RANGE_WRITE);
  }

 private:
  Database& db_;
  bool switched_ = false;
  int fd_ = -1;
};

// Records encoded and hashed by one task of the ingest's look-ahead.
constexpr size_t kChunkRecords = 4096;
struct EncodedChunk {
  std::vector<ledger_internal::EncodedRecord> records;
  std::vector<std::array<char, 64>> hashes;
  size_t count = 0;
};

void encode_chunk(const Package& package, LedgerTable table, size_t begin, size_t end,
                  EncodedChunk* out) {
  ledger_internal::ContentHasher hasher;
  out->count = end - begin;
  if (out->records.size() < out->count) {
    out->records.resize(out->count);
    out->hashes.resize(out->count);
  }
  for (size_t j = 0; j < out->count; ++j) {
    ledger_internal::encode_record_into(package, table, begin + j, &out->records[j]);
    const std::string_view hex = hasher.hex(out->records[j].content);
    std::copy(hex.begin(), hex.end(), out->hashes[j].begin());
  }
}

// Appends one audit entry and returns its entry_hash. `payload` gets `seq`
// and `kind`; the canonical text of the payload is what is hashed.
struct AuditAppend {
  int64_t seq;
  std::string entry_hash;
};
AuditAppend append_audit(Database& db, const std::string& kind, json payload) {
  int64_t seq = 1;
  std::string prev = kZeroHash;
  {
    Statement last(db.handle(), "SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    if (last.step()) {
      seq = last.column_int(0) + 1;
      prev = last.column_text(1);
    }
  }
  payload["seq"] = seq;
  payload["kind"] = kind;
  const std::string text = canonical_dump(payload);
  const std::string entry_hash = sha256_hex(prev + text);
  Statement insert(db.handle(),
                   "INSERT INTO audit_log(seq, kind, payload, prev_hash, entry_hash) "
                   "VALUES (?1, ?2, ?3, ?4, ?5)");
  insert.bind(1, seq).bind(2, kind).bind(3, text).bind(4, prev).bind(5, entry_hash).run();
  return {seq, entry_hash};
}

// The latest version of a key the ledger holds, and whether the package
// being ingested has it.
struct Head {
  int64_t version = 0;
  bool tombstone = false;
  std::string content_hash;
  int64_t batch_id = 0;
  int64_t id = 0;
  LedgerTable table = LedgerTable::kManifest;
  std::string key;
  bool seen = false;
  SourceRef seen_source;
};

std::string describe_source(const SourceRef& s) {
  if (s.file.empty()) return "";
  if (s.line == 0) return " (" + s.file + ")";
  return " (" + s.file + ":" + std::to_string(s.line) + ")";
}

}  // namespace

Ledger::Ledger(std::unique_ptr<Database> db) : db_(std::move(db)) {}
Ledger::~Ledger() = default;

Status Ledger::open(const std::string& path, std::unique_ptr<Ledger>* out) {
  return guarded(("opening ledger " + path).c_str(), [&]() -> Status {
    auto db = std::make_unique<Database>(path);
    db->exec("PRAGMA busy_timeout = 10000");
    const int64_t app_id = db->query_int("PRAGMA application_id");
    const int64_t user_version = db->query_int("PRAGMA user_version");
    const int64_t objects = db->query_int("SELECT count(*) FROM sqlite_master");
    if (app_id != ledger_internal::kApplicationId && (app_id != 0 || objects != 0)) {
      return Status::error(path + " is not an Assay ledger (it is a SQLite file of another kind)");
    }
    if (user_version > ledger_internal::kSchemaVersion) {
      return Status::error(path + " has ledger schema version " + std::to_string(user_version) +
                           ", newer than this assay knows (" +
                           std::to_string(ledger_internal::kSchemaVersion) + "); upgrade assay");
    }
    // A new file gets 64 KiB pages: a 10 M-row ingest writes a sixteenth of the
    // WAL frames (and system calls) of 4 KiB pages. Only possible before the
    // first table exists and before WAL mode; an existing file keeps its size.
    if (objects == 0) db->exec("PRAGMA page_size = 65536");
    db->exec("PRAGMA journal_mode = WAL");
    db->exec("PRAGMA synchronous = FULL");
    db->exec("PRAGMA foreign_keys = ON");
    for (int64_t v = user_version + 1; v <= ledger_internal::kSchemaVersion; ++v) {
      Transaction tx(*db);
      // Another process may have migrated while we waited for the lock.
      if (db->query_int("PRAGMA user_version") >= v) continue;
      db->exec(std::string(ledger_internal::kMigrations[v - 1]));
      db->exec("PRAGMA user_version = " + std::to_string(v));
      db->exec("PRAGMA application_id = " + std::to_string(ledger_internal::kApplicationId));
      tx.commit();
    }
    out->reset(new Ledger(std::move(db)));
    return Status::ok();
  });
}

Status Ledger::ingest(const Package& package, const std::string& content_hash,
                      const IngestOptions& options, IngestResult* result) {
  return guarded("ingest", [&]() -> Status {
    *result = IngestResult{};
    const FaultPlan fault("ASSAY_FAULT_INGEST");
    Database& db = *db_;
    sqlite3* h = db.handle();
    size_t record_total = 0;
    for (LedgerTable t : ledger_internal::kAllTables) {
      record_total += ledger_internal::record_count(package, t);
    }
    BulkJournal bulk(db, record_total >= kBulkRecords);
    Transaction tx(db);

    // Stamps never go backwards, so that as_of selects a prefix of batches.
    int64_t created_at = stamp(options);
    created_at =
        std::max(created_at, db.query_int("SELECT coalesce(max(created_at), 0) FROM batch"));

    std::map<int, std::pair<std::string, int64_t>> locked;  // year -> (by, at)
    {
      Statement st(h, "SELECT year, locked_by, locked_at FROM period_lock");
      while (st.step()) {
        locked[static_cast<int>(st.column_int(0))] = {st.column_text(1), st.column_int(2)};
      }
    }
    std::unordered_map<int64_t, std::string> batch_package;
    {
      Statement st(h, "SELECT id, package_name FROM batch");
      while (st.step()) batch_package[st.column_int(0)] = st.column_text(1);
    }
    // Latest version of every key (SQLite takes the bare columns from the max
    // row), indexed per table by an open-addressing map: one probe per record
    // of the package, no allocation per key.
    constexpr size_t kTables = std::size(ledger_internal::kAllTables);
    std::vector<Head> heads;
    FlatStringMap<uint64_t> index[kTables];
    {
      Statement st(h,
                   "SELECT table_name, record_key, max(version), tombstone, content_hash, "
                   "batch_id, id FROM record_version GROUP BY table_name, record_key");
      while (st.step()) {
        auto table = ledger_internal::parse_table_name(st.column_text(0));
        if (!table) continue;
        Head head{st.column_int(2),  st.column_int(3) != 0,
                  st.column_text(4), st.column_int(5),
                  st.column_int(6),  *table,
                  st.column_text(1), false,
                  SourceRef{}};
        index[static_cast<size_t>(*table)].insert(head.key, heads.size());
        heads.push_back(std::move(head));
      }
    }

    Statement insert_batch(h,
                           "INSERT INTO batch(package_name, content_hash, records_hash, user, "
                           "reason, created_at, inserted, updated, tombstoned, unchanged, "
                           "audit_seq) VALUES (?1, ?2, '', ?3, ?4, ?5, 0, 0, 0, 0, 0)");
    insert_batch.bind(1, package.manifest.name)
        .bind(2, content_hash)
        .bind(3, options.user)
        .bind(4, options.reason)
        .bind(5, created_at)
        .run();
    const int64_t batch_id = sqlite3_last_insert_rowid(h);

    // Versions are inserted kRowsPerInsert at a time by one multi-row INSERT
    // (a tenth of the statement overhead of one row per statement).
    constexpr int kRowsPerInsert = 64;
    auto insert_sql = [](int n) {
      std::string sql =
          "INSERT INTO record_version(table_name, record_key, version, batch_id, tombstone, "
          "content, content_hash, source_file, source_line) VALUES ";
      for (int r = 0; r < n; ++r) sql += r ? ",(?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?)";
      return sql;
    };
    Statement insert_many(h, insert_sql(kRowsPerInsert));
    Statement insert_one(h, insert_sql(1));
    struct PendingRow {
      const char* table = "";
      std::string key;
      int64_t version = 0;
      bool tombstone = false;
      std::string content;
      std::string hash;
      std::string file;
      int64_t line = 0;
    };
    std::vector<PendingRow> pending(kRowsPerInsert);
    int pending_count = 0;
    uint64_t rows_inserted = 0;
    auto flush = [&]() {
      auto bind_row = [&](Statement& st, int base, const PendingRow& r) {
        st.bind_static(base + 1, std::string_view(r.table))
            .bind_static(base + 2, r.key)
            .bind(base + 3, r.version)
            .bind(base + 4, batch_id)
            .bind(base + 5, int64_t{r.tombstone ? 1 : 0})
            .bind_static(base + 6, r.content)
            .bind_static(base + 7, r.hash)
            .bind_static(base + 8, r.file)
            .bind(base + 9, r.line);
      };
      if (pending_count == kRowsPerInsert) {
        for (int r = 0; r < pending_count; ++r) bind_row(insert_many, 9 * r, pending[r]);
        insert_many.run();
      } else {
        for (int r = 0; r < pending_count; ++r) {
          bind_row(insert_one, 0, pending[r]);
          insert_one.run();
        }
      }
      for (int r = 0; r < pending_count; ++r) fault.after_row(++rows_inserted);
      pending_count = 0;
    };
    Statement old_content(h,
                          "SELECT content FROM record_version WHERE table_name = ?1 AND "
                          "record_key = ?2 AND version = ?3");
    Sha256 records_hash;
    std::string records_rows;  // the records-hash bytes of the rows not yet hashed
    records_rows.reserve(1 << 17);
    uint64_t rows = 0;
    std::string refusal;

    auto check_lock = [&](LedgerTable table, const std::string& key, const std::string& content,
                          const SourceRef& source) {
      if (locked.empty() || !refusal.empty()) return;
      auto years = ledger_internal::years_touched(table, content);
      if (!years) return;
      auto it = locked.lower_bound(years->first);
      if (it == locked.end() || it->first > years->second) return;
      refusal = "ingest refused: year " + std::to_string(it->first) + " is locked (by " +
                it->second.first + " at " + format_utc_timestamp(it->second.second) + "); " +
                ledger_internal::table_name(table) + " record " + key + describe_source(source) +
                " touches it";
    };
    auto previous_content = [&](const char* table, const std::string& key, int64_t version) {
      old_content.bind(1, std::string_view(table)).bind(2, key).bind(3, version);
      std::string content = old_content.step() ? old_content.column_text(0) : "";
      old_content.reset();
      return content;
    };
    auto write = [&](const char* table, std::string_view key, int64_t version, bool tombstone,
                     std::string_view content, std::string_view hash, const SourceRef& source) {
      PendingRow& r = pending[pending_count++];
      r.table = table;
      r.key.assign(key);
      r.version = version;
      r.tombstone = tombstone;
      r.content.assign(content);
      r.hash.assign(hash);
      r.file.assign(source.file);
      r.line = source.line;
      ledger_internal::append_version_row(&records_rows, table, key, version, tombstone, hash,
                                          source.file, source.line);
      if (records_rows.size() >= (1 << 16)) {
        records_hash.update(records_rows);
        records_rows.clear();
      }
      ++rows;
      if (pending_count == kRowsPerInsert) flush();
      if (rows % (1 << 17) == 0) bulk.start_writeback();
    };

    // Map values: an index into `heads` for keys the ledger holds, or
    // kNewKey | row for keys first met in this package (to name a duplicate).
    constexpr uint64_t kNewKey = uint64_t{1} << 63;
    for (LedgerTable table : ledger_internal::kAllTables) {
      const char* name = ledger_internal::table_name(table);
      FlatStringMap<uint64_t>& keys = index[static_cast<size_t>(table)];
      const size_t n = ledger_internal::record_count(package, table);
      // Encoding and hashing (a pure function of the package) runs one chunk
      // ahead on another thread while this one looks keys up and writes.
      // `ahead` is declared after `chunks`, so that an early return waits for
      // the task before the chunk it writes goes away.
      EncodedChunk chunks[2];
      std::future<void> ahead;
      auto encode = [&package, table, n](size_t begin, EncodedChunk* c) {
        encode_chunk(package, table, begin, std::min(n, begin + kChunkRecords), c);
      };
      if (n > 0) encode(0, &chunks[0]);
      constexpr size_t kPrefetch = 16;  // records between a slot's prefetch and its look-up
      for (size_t begin = 0, slot = 0; begin < n; begin += kChunkRecords, slot ^= 1) {
        if (ahead.valid()) ahead.get();  // chunks[slot] is ready (or its exception thrown)
        if (begin + kChunkRecords < n) {
          ahead = std::async(std::launch::async, encode, begin + kChunkRecords, &chunks[slot ^ 1]);
        }
        EncodedChunk& chunk = chunks[slot];
        for (size_t j = 0; j < chunk.count; ++j) {
          const size_t i = begin + j;
          if (j + kPrefetch < chunk.count) keys.prefetch(chunk.records[j + kPrefetch].key);
          const ledger_internal::EncodedRecord& rec = chunk.records[j];
          const std::string_view hash(chunk.hashes[j].data(), chunk.hashes[j].size());
          auto duplicate = [&](const SourceRef& first) {
            return Status::error("ingest refused: " + std::string(name) + " key " + rec.key +
                                 " appears twice in the package" + describe_source(first) +
                                 describe_source(rec.source));
          };
          const uint64_t* found = keys.find(rec.key);
          if (found == nullptr || (*found & kNewKey) != 0) {
            if (found != nullptr) {
              return duplicate(
                  ledger_internal::encode_record(package, table, *found & ~kNewKey).source);
            }
            keys.insert(rec.key, kNewKey | i);
            check_lock(table, rec.key, rec.content, rec.source);
            write(name, rec.key, 1, false, rec.content, hash, rec.source);
            ++result->inserted;
          } else {
            Head& head = heads[*found];
            if (head.seen) return duplicate(head.seen_source);
            head.seen = true;
            head.seen_source = rec.source;
            if (head.tombstone) {
              check_lock(table, rec.key, rec.content, rec.source);
              write(name, rec.key, head.version + 1, false, rec.content, hash, rec.source);
              ++result->inserted;
            } else if (head.content_hash == hash) {
              ++result->unchanged;
            } else {
              check_lock(table, rec.key, rec.content, rec.source);
              if (!locked.empty()) {
                check_lock(table, rec.key, previous_content(name, rec.key, head.version),
                           rec.source);
              }
              write(name, rec.key, head.version + 1, false, rec.content, hash, rec.source);
              ++result->updated;
            }
          }
          if (!refusal.empty()) return Status::error(refusal);
        }
      }
    }

    // Keys this package name wrote last that the re-submitted package lacks,
    // in the order they were first written.
    const std::string tombstone_hash = sha256_hex(kTombstoneContent);
    std::vector<const Head*> gone;
    for (const Head& head : heads) {
      if (head.tombstone || head.seen) continue;
      if (head.table == LedgerTable::kManifest) continue;
      if (batch_package[head.batch_id] != package.manifest.name) continue;
      gone.push_back(&head);
    }
    std::sort(gone.begin(), gone.end(), [](const Head* a, const Head* b) { return a->id < b->id; });
    for (const Head* head : gone) {
      const char* table = ledger_internal::table_name(head->table);
      if (!locked.empty()) {
        check_lock(head->table, head->key, previous_content(table, head->key, head->version),
                   SourceRef{});
        if (!refusal.empty()) return Status::error(refusal + " (it would be tombstoned)");
      }
      write(table, head->key, head->version + 1, true, kTombstoneContent, tombstone_hash,
            SourceRef{});
      ++result->tombstoned;
    }
    flush();
    records_hash.update(records_rows);

    if (rows == 0) {
      tx.rollback();
      return Status::ok();
    }
    const std::string records = records_hash.hex_digest();
    json payload{{"batch", batch_id},
                 {"package_name", package.manifest.name},
                 {"content_hash", content_hash},
                 {"records_hash", records},
                 {"user", options.user},
                 {"reason", options.reason},
                 {"created_at", created_at},
                 {"inserted", result->inserted},
                 {"updated", result->updated},
                 {"tombstoned", result->tombstoned},
                 {"unchanged", result->unchanged},
                 {"rows", rows}};
    AuditAppend entry = append_audit(db, "ingest", std::move(payload));
    Statement finish(h,
                     "UPDATE batch SET records_hash = ?1, inserted = ?2, updated = ?3, "
                     "tombstoned = ?4, unchanged = ?5, audit_seq = ?6 WHERE id = ?7");
    finish.bind(1, records)
        .bind(2, static_cast<int64_t>(result->inserted))
        .bind(3, static_cast<int64_t>(result->updated))
        .bind(4, static_cast<int64_t>(result->tombstoned))
        .bind(5, static_cast<int64_t>(result->unchanged))
        .bind(6, entry.seq)
        .bind(7, batch_id)
        .run();
    fault.before_commit();
    tx.commit();
    fault.after_commit();
    result->batch_id = batch_id;
    result->created_at = created_at;
    result->audit_hash = entry.entry_hash;
    return Status::ok();
  });
}

Status Ledger::load_package(std::optional<int64_t> as_of, Package* out) {
  return guarded("loading from the ledger", [&]() -> Status {
    *out = Package{};
    Statement st(db_->handle(),
                 "SELECT rv.record_key, rv.tombstone, rv.content, rv.source_file, "
                 "rv.source_line, rv.id FROM record_version rv JOIN batch b ON b.id = "
                 "rv.batch_id WHERE rv.table_name = ?1 AND b.created_at <= ?2 "
                 "ORDER BY rv.record_key, rv.version");
    struct Latest {
      int64_t first_id;
      std::string content;
      SourceRef source;
    };
    for (LedgerTable table : ledger_internal::kAllTables) {
      st.bind(1, std::string_view(ledger_internal::table_name(table)))
          .bind(2, as_of.value_or(INT64_MAX));
      std::vector<Latest> live;
      std::string key;
      bool have = false, tombstone = false;
      Latest cur;
      auto flush = [&]() {
        if (have && !tombstone) live.push_back(std::move(cur));
      };
      while (st.step()) {
        std::string k = st.column_text(0);
        if (!have || k != key) {
          flush();
          key = std::move(k);
          have = true;
          cur = Latest{st.column_int(5), {}, {}};
        }
        tombstone = st.column_int(1) != 0;
        cur.content = st.column_text(2);
        cur.source = SourceRef{st.column_text(3), st.column_int(4)};
      }
      flush();
      st.reset();
      std::sort(live.begin(), live.end(),
                [](const Latest& a, const Latest& b) { return a.first_id < b.first_id; });
      for (const Latest& l : live) ledger_internal::decode_record(table, l.content, l.source, out);
    }
    return Status::ok();
  });
}

Status Ledger::history(const std::string& table, const std::string& key,
                       std::vector<RecordVersion>* out) {
  return guarded("reading history", [&]() -> Status {
    out->clear();
    if (!table.empty() && !ledger_internal::parse_table_name(table)) {
      return Status::error("unknown ledger table '" + table +
                           "' (one of manifest, sites, activities, instruments, factors, "
                           "meters, workforce, targets, disclosures)");
    }
    Statement st(db_->handle(),
                 "SELECT rv.version, rv.tombstone, rv.content, rv.content_hash, rv.source_file, "
                 "rv.source_line, rv.batch_id, b.package_name, b.user, b.reason, b.created_at "
                 "FROM record_version rv JOIN batch b ON b.id = rv.batch_id "
                 "WHERE rv.table_name = ?1 AND rv.record_key = ?2 ORDER BY rv.version");
    for (LedgerTable t : ledger_internal::kAllTables) {
      const char* name = ledger_internal::table_name(t);
      if (!table.empty() && table != name) continue;
      st.bind(1, std::string_view(name)).bind(2, key);
      while (st.step()) {
        RecordVersion v;
        v.table = name;
        v.key = key;
        v.version = st.column_int(0);
        v.tombstone = st.column_int(1) != 0;
        v.content = st.column_text(2);
        v.content_hash = st.column_text(3);
        v.source = SourceRef{st.column_text(4), st.column_int(5)};
        v.batch_id = st.column_int(6);
        v.package_name = st.column_text(7);
        v.user = st.column_text(8);
        v.reason = st.column_text(9);
        v.created_at = st.column_int(10);
        out->push_back(std::move(v));
      }
      st.reset();
    }
    return Status::ok();
  });
}

Status Ledger::chain_head(std::string* out) {
  return guarded("reading the audit log", [&]() -> Status {
    Statement st(db_->handle(), "SELECT entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    *out = st.step() ? st.column_text(0) : kZeroHash;
    return Status::ok();
  });
}

Status Ledger::lock(int year, const ChangeOptions& options) {
  return guarded("lock", [&]() -> Status {
    const FaultPlan fault("ASSAY_FAULT_LOCK");
    Transaction tx(*db_);
    Statement existing(db_->handle(),
                       "SELECT locked_by, locked_at FROM period_lock WHERE year = ?1");
    existing.bind(1, int64_t{year});
    if (existing.step()) {
      return Status::error("year " + std::to_string(year) + " is already locked (by " +
                           existing.column_text(0) + " at " +
                           format_utc_timestamp(existing.column_int(1)) + ")");
    }
    const int64_t at = stamp(options);
    AuditAppend entry = append_audit(
        *db_, "lock",
        json{{"year", year}, {"user", options.user}, {"reason", options.reason}, {"at", at}});
    Statement insert(db_->handle(),
                     "INSERT INTO period_lock(year, locked_by, locked_at, audit_seq) "
                     "VALUES (?1, ?2, ?3, ?4)");
    insert.bind(1, int64_t{year}).bind(2, options.user).bind(3, at).bind(4, entry.seq).run();
    fault.before_commit();
    tx.commit();
    fault.after_commit();
    return Status::ok();
  });
}

Status Ledger::unlock(int year, const ChangeOptions& options) {
  return guarded("unlock", [&]() -> Status {
    if (options.reason.empty()) {
      return Status::error("unlocking " + std::to_string(year) + " needs a reason");
    }
    Transaction tx(*db_);
    Statement existing(db_->handle(), "SELECT 1 FROM period_lock WHERE year = ?1");
    existing.bind(1, int64_t{year});
    if (!existing.step()) return Status::error("year " + std::to_string(year) + " is not locked");
    const int64_t at = stamp(options);
    append_audit(
        *db_, "unlock",
        json{{"year", year}, {"user", options.user}, {"reason", options.reason}, {"at", at}});
    Statement del(db_->handle(), "DELETE FROM period_lock WHERE year = ?1");
    del.bind(1, int64_t{year}).run();
    tx.commit();
    return Status::ok();
  });
}

Status Ledger::locks(std::vector<PeriodLock>* out) {
  return guarded("reading locks", [&]() -> Status {
    out->clear();
    Statement st(db_->handle(), "SELECT year, locked_by, locked_at FROM period_lock ORDER BY year");
    while (st.step()) {
      out->push_back({static_cast<int>(st.column_int(0)), st.column_text(1), st.column_int(2)});
    }
    return Status::ok();
  });
}

Status Ledger::signoff(int year, const std::string& run_hash, const ChangeOptions& options,
                       std::string* chain_head) {
  return guarded("signoff", [&]() -> Status {
    if (run_hash.empty()) return Status::error("sign-off needs the run hash it approves");
    Transaction tx(*db_);
    const int64_t at = stamp(options);
    AuditAppend entry = append_audit(*db_, "signoff",
                                     json{{"year", year},
                                          {"run_hash", run_hash},
                                          {"user", options.user},
                                          {"reason", options.reason},
                                          {"at", at}});
    Statement insert(db_->handle(),
                     "INSERT INTO signoff(year, run_hash, user, signed_at, chain_head, audit_seq) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    insert.bind(1, int64_t{year})
        .bind(2, run_hash)
        .bind(3, options.user)
        .bind(4, at)
        .bind(5, entry.entry_hash)
        .bind(6, entry.seq)
        .run();
    tx.commit();
    *chain_head = entry.entry_hash;
    return Status::ok();
  });
}

}  // namespace assay
