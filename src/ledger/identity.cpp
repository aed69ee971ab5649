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
#include <algorithm>
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
constexpr std::string_view kVersion = "assay-records-v3";

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

// --- v3 activity layout (docs/ledger-schema.md, "Records identity") -------
//
// Integers are fixed-width little-endian (two's complement), whatever the
// host's byte order; text is its byte length as u32 then its bytes.

template <typename U>
char* put_le(char* p, U v) {
  for (size_t i = 0; i < sizeof(U); ++i) p[i] = static_cast<char>(v >> (8 * i));
  return p + sizeof(U);
}

char* put_text(char* p, std::string_view s) {
  p = put_le(p, static_cast<uint32_t>(s.size()));
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

// The quantity's value in one form: coefficient x 10^exponent with no
// trailing zero in the coefficient, 0 x 10^0 for zero. Decimal::parse gives
// that form already ("1234.50" and "1234.5" are both 12345e-1), but
// Decimal::from_int does not (1200 is 1200e0), so it is normalized here.
void canonical_decimal(const Decimal& d, __int128* coefficient, int32_t* exponent) {
  __int128 c = d.coefficient();
  int32_t e = d.exponent();
  if (c == 0) {
    e = 0;
  } else if (c >= INT64_MIN && c <= INT64_MAX) {
    int64_t c64 = static_cast<int64_t>(c);  // the usual case: 64-bit division
    while (c64 % 10 == 0) {
      c64 /= 10;
      ++e;
    }
    c = c64;
  } else {
    while (c % 10 == 0) {
      c /= 10;
      ++e;
    }
  }
  *coefficient = c;
  *exponent = e;
}

// Bytes of an activity's fixed-width fields and text length prefixes:
// seven texts (u32 length each), start and end (i32), quantity (i128
// coefficient, i32 exponent), scope3_category (i32) and source line (i64).
constexpr size_t kActivityFixedBytes = 7 * 4 + 4 + 4 + 16 + 4 + 4 + 8;

size_t activity_bytes(const ActivityRecord& a) {
  const std::string_view texts[] = {a.record_id, a.site_id, a.activity,   a.unit,
                                    a.evidence,  a.note,    a.source.file};
  size_t n = kActivityFixedBytes;
  for (std::string_view t : texts) {
    if (t.size() > UINT32_MAX) {
      throw std::length_error("records_identity: an activity's text is longer than 4 GiB");
    }
    n += t.size();
  }
  return n;
}

// Writes the record's activity_bytes(a) bytes at `p`. site_index is not
// written: it is where the reader found the site, not what the record says.
char* put_activity(char* p, const ActivityRecord& a) {
  __int128 coefficient;
  int32_t exponent;
  canonical_decimal(a.quantity, &coefficient, &exponent);
  const auto bits = static_cast<unsigned __int128>(coefficient);
  p = put_text(p, a.record_id);
  p = put_text(p, a.site_id);
  p = put_le(p, static_cast<uint32_t>(a.start.days));
  p = put_le(p, static_cast<uint32_t>(a.end.days));
  p = put_text(p, a.activity);
  p = put_le(p, static_cast<uint64_t>(bits));
  p = put_le(p, static_cast<uint64_t>(bits >> 64));
  p = put_le(p, static_cast<uint32_t>(exponent));
  p = put_text(p, a.unit);
  p = put_le(p, static_cast<uint32_t>(static_cast<int32_t>(a.scope3_category)));
  p = put_text(p, a.evidence);
  p = put_text(p, a.note);
  p = put_text(p, a.source.file);
  p = put_le(p, static_cast<uint64_t>(a.source.line));
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
  // v3: the activities' fields in the binary layout.
  std::string activities_digest(const Block& block) {
    Sha256 h;
    size_t used = 0;
    for (size_t i = block.begin; i < block.end; ++i) {
      const ActivityRecord& a = package_.activities[i];
      const size_t n = activity_bytes(a);
      if (used + n > bin_capacity_) {
        h.update(std::string_view(bin_.get(), used));
        used = 0;
        if (n > bin_capacity_) {  // a record with very long text
          bin_.reset(new char[n]);
          bin_capacity_ = n;
        }
      }
      used = static_cast<size_t>(put_activity(bin_.get() + used, a) - bin_.get());
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
