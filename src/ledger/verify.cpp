// Ledger::verify: recomputes what the audit chain commits to
// (docs/ledger-schema.md, "Verification").
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "ledger/ledger.hpp"
#include "ledger/record_codec.hpp"
#include "ledger/sqlite_db.hpp"
#include "units/sha256.hpp"

namespace assay {

using ledger_internal::Statement;
using nlohmann::json;

namespace {

struct Entry {
  int64_t seq = 0;
  std::string kind;
  json payload;
  std::string entry_hash;
};

struct Problems {
  std::vector<std::pair<int64_t, std::string>> items;
  void add(int64_t seq, std::string reason) { items.emplace_back(seq, std::move(reason)); }
};

std::string entry_name(int64_t seq) { return "audit entry " + std::to_string(seq); }

}  // namespace

Status Ledger::verify(const std::optional<std::string>& expected_head, VerifyResult* result) {
  try {
    *result = VerifyResult{};
    sqlite3* h = db_->handle();
    Problems problems;

    // 1. The chain: contiguous seqs, each prev_hash the entry before's hash,
    //    each entry_hash the hash of (prev_hash || payload).
    std::vector<Entry> entries;
    std::string prev(64, '0');
    {
      Statement st(h,
                   "SELECT seq, kind, payload, prev_hash, entry_hash FROM audit_log ORDER BY seq");
      int64_t expected_seq = 1;
      while (st.step()) {
        Entry e;
        e.seq = st.column_int(0);
        e.kind = st.column_text(1);
        const std::string payload = st.column_text(2);
        const std::string prev_hash = st.column_text(3);
        e.entry_hash = st.column_text(4);
        if (e.seq != expected_seq) {
          problems.add(
              e.seq,
              entry_name(e.seq) + " follows entry " + std::to_string(expected_seq - 1) + ": " +
                  (e.seq - expected_seq == 1 ? "entry " + std::to_string(expected_seq) + " is"
                                             : "entries " + std::to_string(expected_seq) + ".." +
                                                   std::to_string(e.seq - 1) + " are") +
                  " missing");
        }
        try {
          e.payload = json::parse(payload);
          if (e.payload.at("seq").get<int64_t>() != e.seq ||
              e.payload.at("kind").get<std::string>() != e.kind) {
            problems.add(e.seq, entry_name(e.seq) + ": its payload says it is entry " +
                                    e.payload.at("seq").dump() + " of kind " +
                                    e.payload.at("kind").dump() + " (entries reordered)");
          }
        } catch (const std::exception&) {
          problems.add(e.seq, entry_name(e.seq) + ": payload is not the JSON the ledger wrote");
          e.payload = json::object();
        }
        if (prev_hash != prev) {
          problems.add(e.seq, entry_name(e.seq) +
                                  ": prev_hash does not match the hash of the entry before it "
                                  "(entries deleted, inserted or reordered)");
        }
        if (sha256_hex(prev_hash + payload) != e.entry_hash) {
          problems.add(e.seq, entry_name(e.seq) +
                                  ": entry_hash does not match its content "
                                  "(entry edited)");
        }
        prev = e.entry_hash;
        expected_seq = e.seq + 1;
        entries.push_back(std::move(e));
      }
    }
    result->entries = static_cast<int64_t>(entries.size());
    result->head = prev;

    // 2. Batches against their ingest entries.
    std::map<int64_t, const Entry*> ingest_by_batch;
    for (const Entry& e : entries) {
      if (e.kind != "ingest" || !e.payload.contains("batch")) continue;
      int64_t batch = e.payload["batch"].get<int64_t>();
      if (!ingest_by_batch.emplace(batch, &e).second) {
        problems.add(e.seq,
                     entry_name(e.seq) + ": a second entry for batch " + std::to_string(batch));
      }
    }
    std::map<int64_t, int64_t> batch_seq;  // batch id -> its entry's seq
    {
      Statement st(h,
                   "SELECT id, package_name, content_hash, records_hash, user, reason, "
                   "created_at, inserted, updated, tombstoned, unchanged, audit_seq FROM batch "
                   "ORDER BY id");
      while (st.step()) {
        const int64_t id = st.column_int(0);
        ++result->batches;
        auto it = ingest_by_batch.find(id);
        if (it == ingest_by_batch.end()) {
          problems.add(st.column_int(11), "batch " + std::to_string(id) +
                                              " has no ingest entry in the audit log (entry " +
                                              std::to_string(st.column_int(11)) +
                                              " deleted or rewritten)");
          continue;
        }
        const Entry& e = *it->second;
        batch_seq[id] = e.seq;
        const json& p = e.payload;
        auto text_field = [&](const char* name, int col) {
          if (!p.contains(name) || p[name] != json(st.column_text(col))) {
            problems.add(e.seq, entry_name(e.seq) + " (batch " + std::to_string(id) +
                                    "): the batch's " + name + " differs from the audit entry");
          }
        };
        auto int_field = [&](const char* name, int col) {
          if (!p.contains(name) || p[name] != json(st.column_int(col))) {
            problems.add(e.seq, entry_name(e.seq) + " (batch " + std::to_string(id) +
                                    "): the batch's " + name + " differs from the audit entry");
          }
        };
        text_field("package_name", 1);
        text_field("content_hash", 2);
        text_field("records_hash", 3);
        text_field("user", 4);
        text_field("reason", 5);
        int_field("created_at", 6);
        int_field("inserted", 7);
        int_field("updated", 8);
        int_field("tombstoned", 9);
        int_field("unchanged", 10);
        if (st.column_int(11) != e.seq) {
          problems.add(e.seq, entry_name(e.seq) + " (batch " + std::to_string(id) +
                                  "): the batch points at audit entry " +
                                  std::to_string(st.column_int(11)));
        }
      }
    }
    for (const auto& [batch, e] : ingest_by_batch) {
      if (batch_seq.count(batch) == 0) {
        problems.add(e->seq, entry_name(e->seq) + ": batch " + std::to_string(batch) +
                                 " is missing from the ledger");
      }
    }

    // 3. Record versions: each content against its hash, each batch's rows
    //    (in write order) against the records hash its audit entry holds.
    struct BatchRows {
      std::unique_ptr<Sha256> hash = std::make_unique<Sha256>();
      int64_t rows = 0;
    };
    std::map<int64_t, BatchRows> rows_by_batch;
    {
      Statement st(h,
                   "SELECT table_name, record_key, version, batch_id, tombstone, content, "
                   "content_hash, source_file, source_line FROM record_version ORDER BY id");
      while (st.step()) {
        ++result->versions;
        const std::string table = st.column_text(0), key = st.column_text(1);
        const int64_t version = st.column_int(2), batch = st.column_int(3);
        const std::string content_hash = st.column_text(6);
        if (sha256_hex(st.column_text(5)) != content_hash) {
          int64_t seq = batch_seq.count(batch) ? batch_seq[batch] : 0;
          problems.add(seq, (seq ? entry_name(seq) + " (batch " : std::string("(batch ")) +
                                std::to_string(batch) + "): " + table + " record " + key +
                                " version " + std::to_string(version) +
                                ": content does not match its content_hash (record edited)");
        }
        BatchRows& b = rows_by_batch[batch];
        ++b.rows;
        ledger_internal::hash_version_row(*b.hash, table, key, version, st.column_int(4) != 0,
                                          content_hash, st.column_text(7), st.column_int(8));
      }
    }
    for (auto& [batch, b] : rows_by_batch) {
      if (ingest_by_batch.count(batch) == 0) {
        problems.add(0, "record versions of batch " + std::to_string(batch) +
                            " have no ingest entry in the audit log");
      }
    }
    for (const auto& [batch, e] : ingest_by_batch) {
      auto it = rows_by_batch.find(batch);
      const std::string got =
          it == rows_by_batch.end() ? Sha256().hex_digest() : it->second.hash->hex_digest();
      const int64_t rows = it == rows_by_batch.end() ? 0 : it->second.rows;
      if (got != e->payload.value("records_hash", "") ||
          rows != e->payload.value("rows", int64_t{-1})) {
        problems.add(e->seq, entry_name(e->seq) + " (batch " + std::to_string(batch) + "): its " +
                                 std::to_string(rows) +
                                 " record versions do not hash to the records_hash of the entry "
                                 "(versions edited, added or deleted)");
      }
    }

    // 4. Locks and sign-offs: the tables are what replaying the log gives.
    std::map<int64_t, const Entry*> locks;     // year -> lock entry
    std::map<int64_t, const Entry*> signoffs;  // seq -> entry
    for (const Entry& e : entries) {
      if (e.kind == "lock") locks[e.payload.value("year", int64_t{0})] = &e;
      if (e.kind == "unlock") locks.erase(e.payload.value("year", int64_t{0}));
      if (e.kind == "signoff") signoffs[e.seq] = &e;
    }
    {
      Statement st(h,
                   "SELECT year, locked_by, locked_at, audit_seq FROM period_lock ORDER BY year");
      std::map<int64_t, bool> seen;
      while (st.step()) {
        const int64_t year = st.column_int(0);
        auto it = locks.find(year);
        if (it == locks.end() || it->second->seq != st.column_int(3) ||
            it->second->payload.value("user", "") != st.column_text(1) ||
            it->second->payload.value("at", int64_t{0}) != st.column_int(2)) {
          problems.add(st.column_int(3), "the lock of " + std::to_string(year) +
                                             " does not match the audit log (entry " +
                                             std::to_string(st.column_int(3)) + ")");
        }
        seen[year] = true;
      }
      for (const auto& [year, e] : locks) {
        if (!seen.count(year)) {
          problems.add(e->seq, entry_name(e->seq) + ": year " + std::to_string(year) +
                                   " is locked by the log but not in period_lock");
        }
      }
    }
    {
      Statement st(h,
                   "SELECT year, run_hash, user, signed_at, chain_head, audit_seq FROM signoff "
                   "ORDER BY id");
      std::map<int64_t, bool> seen;
      while (st.step()) {
        const int64_t seq = st.column_int(5);
        auto it = signoffs.find(seq);
        if (it == signoffs.end() ||
            it->second->payload.value("year", int64_t{0}) != st.column_int(0) ||
            it->second->payload.value("run_hash", "") != st.column_text(1) ||
            it->second->payload.value("user", "") != st.column_text(2) ||
            it->second->payload.value("at", int64_t{0}) != st.column_int(3) ||
            it->second->entry_hash != st.column_text(4)) {
          problems.add(seq, "the sign-off recorded at entry " + std::to_string(seq) +
                                " does not match the audit log");
        }
        seen[seq] = true;
      }
      for (const auto& [seq, e] : signoffs) {
        if (!seen.count(seq)) {
          problems.add(seq, entry_name(seq) + ": the sign-off is missing from the signoff table");
        }
      }
    }

    // 5. The head published outside the file must still be in the chain.
    if (expected_head) {
      bool found = false;
      for (const Entry& e : entries) found = found || e.entry_hash == *expected_head;
      if (!found) {
        problems.add(0, "no audit entry has the expected head " + *expected_head +
                            " (the log was truncated or rewritten; its head is now " + prev +
                            ", entry " + std::to_string(entries.size()) + ")");
      }
    }

    if (!problems.items.empty()) {
      // The first entry that does not match; problems not tied to an entry last.
      const std::pair<int64_t, std::string>* first = nullptr;
      for (const auto& p : problems.items) {
        if (p.first <= 0) continue;
        if (first == nullptr || p.first < first->first) first = &p;
      }
      if (first == nullptr) first = &problems.items.front();
      result->ok = false;
      result->failed_seq = first->first;
      result->reason = first->second;
    }
    return Status::ok();
  } catch (const std::exception& e) {
    return Status::error(std::string("verify: ") + e.what());
  }
}

}  // namespace assay
