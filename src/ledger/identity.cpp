// records_identity(): the content identity calc's run hash is built on
// (docs/ledger-schema.md, "Records identity").
//
// Encoding and hashing ten million records one after the other took 4.5 s of
// a 20 s `assay calc`. The identity is therefore a hash of block digests: each
// table's records are cut into blocks of a fixed number of records, which are
// hashed on several threads independently. Where a block starts depends only
// on the record's index, never on the thread count, so any number of threads
// gives the same identity.
//
// Version 3: building every activity's canonical JSON was still most of the
// 2.3 s that took, so activities (the bulk of a package) are hashed from
// their fields in a compact length-prefixed binary layout; the other tables,
// which are small, keep the v2 encoding of their canonical records.
//
// Version 4: SHA-256 of v3's ~131 bytes per W2 activity was ~1 s of CPU,
// which calc's own threads needed. Numbers are varints, a record's end and
// line are differences, and the activity, unit and file (a handful of
// distinct texts) are written once per block and then referred to: ~45 bytes.
#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "ledger/ledger.hpp"
#include "ledger/record_codec.hpp"
#include "model/records.hpp"
#include "units/decimal.hpp"
#include "units/sha256.hpp"

namespace assay {
namespace {

using ledger_internal::EncodedRecord;
using ledger_internal::LedgerTable;

// Part of the definition: changing it changes every identity.
constexpr size_t kBlockRecords = 8192;
// Each thread hashes ~2 MB per block, so more threads than this would gain
// little over memory bandwidth and cost their start-up on small machines.
constexpr unsigned kMaxThreads = 4;
// Hash the buffer once it holds this much, keeping it in cache.
constexpr size_t kFlushBytes = 1 << 16;
// The identity's version: changing any encoding below changes it.
constexpr std::string_view kVersion = "assay-records-v4";

// `<byte length>:<bytes>;`
void append_field(std::string* buf, std::string_view s) {
  char digits[24];
  const auto res = std::to_chars(digits, digits + sizeof digits, s.size());
  buf->append(digits, res.ptr);
  buf->push_back(':');
  buf->append(s);
  buf->push_back(';');
}

void append_field(std::string* buf, int64_t n) {
  char digits[24];
  const auto res = std::to_chars(digits, digits + sizeof digits, n);
  append_field(buf, std::string_view(digits, static_cast<size_t>(res.ptr - digits)));
}

// --- v4 activity layout (docs/ledger-schema.md, "Records identity") -------
//
// An unsigned integer is a LEB128 varint (7 bits a byte, least significant
// first, the high bit set on every byte but the last); a signed one is
// zigzag-encoded first (0, -1, 1, -2 ... as 0, 1, 2, 3 ...). A text is its
// byte length as a varint, then its bytes.

// The most bytes a 128-bit varint takes.
constexpr size_t kMaxVarint = 19;

char* put_varint(char* p, unsigned __int128 v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>(static_cast<uint8_t>(v) | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<char>(v);
  return p;
}

char* put_signed(char* p, __int128 v) {
  const auto u = static_cast<unsigned __int128>(v);
  return put_varint(p, (u << 1) ^ static_cast<unsigned __int128>(v >> 127));
}

char* put_text(char* p, std::string_view s) {
  p = put_varint(p, s.size());
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

// The texts of a block's activity, unit and source file fields, in order of
// first appearance: a field refers to its text by position once it is there.
// Found by content; the reader keeps each such text once per thread, so an
// address seen before (a small cache) spares comparing the text.
class BlockTexts {
 public:
  void clear() {
    positions_.clear();
    seen_.fill(Seen{});
  }
  // 1 + the text's position, or 0 when it is new (it is added).
  size_t refer(TextRef t) {
    const auto address = reinterpret_cast<uintptr_t>(t.data());
    Seen& seen = seen_[((address >> 3) ^ (address >> 11) ^ t.size()) % seen_.size()];
    if (seen.position != 0 && seen.text.same_view(t)) return seen.position;
    auto [it, added] = positions_.try_emplace(t.view(), positions_.size() + 1);
    seen = Seen{t, it->second};
    return added ? 0 : it->second;
  }

 private:
  struct Seen {
    TextRef text;
    size_t position = 0;
  };
  std::unordered_map<std::string_view, size_t> positions_;
  std::array<Seen, 256> seen_{};
};

char* put_referred(char* p, BlockTexts& texts, TextRef t) {
  const size_t position = texts.refer(t);
  p = put_varint(p, position);
  return position == 0 ? put_text(p, t) : p;
}

// Bytes an activity takes at most: each text with its longest length and
// reference, and the numbers at their longest.
size_t activity_bytes_bound(const ActivityRecord& a) {
  const TextRef texts[] = {a.record_id, a.site_id, a.activity,   a.unit,
                           a.evidence,  a.note,    a.source.file};
  size_t n = 6 * kMaxVarint;  // start, end, coefficient, exponent, category, line
  for (TextRef t : texts) n += 2 * kMaxVarint + t.size();
  return n;
}

// Writes the record at `p`; `previous_line` is the line of the block's
// previous activity (0 for its first). site_index is not written: it is
// where the reader found the site, not what the record says.
char* put_activity(char* p, const ActivityRecord& a, BlockTexts& texts, int64_t previous_line) {
  // The quantity in one form ("1234.50", "1234.5" and from_int's 1200e0
  // alike): Decimal::normalized().
  const Decimal quantity = a.quantity.normalized();
  p = put_text(p, a.record_id);
  p = put_text(p, a.site_id);
  p = put_signed(p, a.start.days);
  p = put_signed(p, static_cast<int64_t>(a.end.days) - a.start.days);
  p = put_referred(p, texts, a.activity);
  p = put_signed(p, quantity.coefficient());
  p = put_signed(p, quantity.exponent());
  p = put_referred(p, texts, a.unit);
  p = put_signed(p, a.scope3_category);
  p = put_text(p, a.evidence);
  p = put_text(p, a.note);
  p = put_referred(p, texts, a.source.file);
  p = put_signed(p, static_cast<__int128>(a.source.line) - previous_line);
  return p;
}

struct Block {
  LedgerTable table;
  size_t begin;
  size_t end;
};

// Reused by one thread across its blocks: no allocation per record.
class BlockHasher {
 public:
  explicit BlockHasher(const Package& package)
      : package_(package), bin_(new char[kFlushBytes]), bin_capacity_(kFlushBytes) {
    buf_.reserve(2 * kFlushBytes);
  }

  // Lower-case hex SHA-256 of the block's records.
  std::string digest(const Block& block) {
    return block.table == LedgerTable::kActivities ? activities_digest(block)
                                                   : fields_digest(block);
  }

 private:
  // v4: the activities' fields in the binary layout.
  std::string activities_digest(const Block& block) {
    Sha256 h;
    size_t used = 0;
    texts_.clear();
    int64_t previous_line = 0;
    for (size_t i = block.begin; i < block.end; ++i) {
      const ActivityRecord& a = package_.activities[i];
      const size_t n = activity_bytes_bound(a);
      if (used + n > bin_capacity_) {
        h.update(std::string_view(bin_.get(), used));
        used = 0;
        if (n > bin_capacity_) {  // a record with very long text
          bin_.reset(new char[n]);
          bin_capacity_ = n;
        }
      }
      used = static_cast<size_t>(put_activity(bin_.get() + used, a, texts_, previous_line) -
                                 bin_.get());
      previous_line = a.source.line;
    }
    h.update(std::string_view(bin_.get(), used));
    return h.hex_digest();
  }

  // v2 (other tables): table, key, canonical content, source file and line
  // of each record, each as a field.
  std::string fields_digest(const Block& block) {
    std::string table_field;
    append_field(&table_field, ledger_internal::table_name(block.table));
    Sha256 h;
    buf_.clear();
    for (size_t i = block.begin; i < block.end; ++i) {
      ledger_internal::encode_record_into(package_, block.table, i, &rec_);
      buf_ += table_field;
      append_field(&buf_, rec_.key);
      append_field(&buf_, rec_.content);
      append_field(&buf_, rec_.source.file);
      append_field(&buf_, static_cast<int64_t>(rec_.source.line));
      if (buf_.size() >= kFlushBytes) {
        h.update(buf_);
        buf_.clear();
      }
    }
    h.update(buf_);
    return h.hex_digest();
  }

  const Package& package_;
  std::string buf_;
  EncodedRecord rec_;
  std::unique_ptr<char[]> bin_;
  size_t bin_capacity_;
  BlockTexts texts_;
};

// Digests of `blocks`, in order, on up to `threads` threads (the caller's
// included). The first exception a block throws is rethrown here.
std::vector<std::string> block_digests(const Package& package, const std::vector<Block>& blocks,
                                       unsigned threads) {
  std::vector<std::string> digests(blocks.size());
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&] {
    try {
      BlockHasher hasher(package);
      for (size_t k = next++; k < blocks.size() && !failed; k = next++) {
        digests[k] = hasher.digest(blocks[k]);
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
      failed = true;
    }
  };
  std::vector<std::thread> helpers;
  for (unsigned t = 1; t < threads; ++t) helpers.emplace_back(work);
  work();
  for (std::thread& t : helpers) t.join();
  if (error) std::rethrow_exception(error);
  return digests;
}

}  // namespace

std::string records_identity(const Package& package, unsigned max_threads) {
  std::vector<Block> blocks;
  for (LedgerTable table : ledger_internal::kAllTables) {
    const size_t n = ledger_internal::record_count(package, table);
    for (size_t begin = 0; begin < n; begin += kBlockRecords) {
      blocks.push_back({table, begin, std::min(n, begin + kBlockRecords)});
    }
  }
  // One block is not worth a thread (and most packages are one per table).
  unsigned threads = std::max(1u, std::min(std::thread::hardware_concurrency(), kMaxThreads));
  if (max_threads > 0) threads = std::min(threads, max_threads);
  size_t large_blocks = 0;
  for (const Block& b : blocks) large_blocks += b.end - b.begin == kBlockRecords;
  if (large_blocks < 2) threads = 1;
  threads = static_cast<unsigned>(std::min<size_t>(threads, blocks.size()));
  const std::vector<std::string> digests = block_digests(package, blocks, threads);

  std::string bytes;
  append_field(&bytes, kVersion);
  append_field(&bytes, static_cast<int64_t>(kBlockRecords));
  size_t k = 0;
  for (LedgerTable table : ledger_internal::kAllTables) {
    const size_t n = ledger_internal::record_count(package, table);
    append_field(&bytes, ledger_internal::table_name(table));
    append_field(&bytes, static_cast<int64_t>(n));
    for (size_t begin = 0; begin < n; begin += kBlockRecords) append_field(&bytes, digests[k++]);
  }
  return "records-sha256:" + sha256_hex(bytes);
}

}  // namespace assay
