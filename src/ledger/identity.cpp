// records_identity(): the content identity calc's run hash is built on
// (docs/ledger-schema.md, "Records identity").
//
// Encoding and hashing ten million records one after the other took 4.5 s of
// a 20 s `assay calc`. The identity is therefore a hash of block digests: each
// table's records are cut into blocks of a fixed number of records, which are
// hashed on several threads independently. Where a block starts depends only
// on the record's index, never on the thread count, so any number of threads
// gives the same identity.
#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdint>
#include <exception>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "ledger/ledger.hpp"
#include "ledger/record_codec.hpp"
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

struct Block {
  LedgerTable table;
  size_t begin;
  size_t end;
};

// Reused by one thread across its blocks: no allocation per record.
class BlockHasher {
 public:
  explicit BlockHasher(const Package& package) : package_(package) {
    buf_.reserve(2 * kFlushBytes);
  }

  // Lower-case hex SHA-256 over the fields of the block's records.
  std::string digest(const Block& block) {
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

 private:
  const Package& package_;
  std::string buf_;
  EncodedRecord rec_;
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

std::string records_identity(const Package& package) {
  std::vector<Block> blocks;
  for (LedgerTable table : ledger_internal::kAllTables) {
    const size_t n = ledger_internal::record_count(package, table);
    for (size_t begin = 0; begin < n; begin += kBlockRecords) {
      blocks.push_back({table, begin, std::min(n, begin + kBlockRecords)});
    }
  }
  // One block is not worth a thread (and most packages are one per table).
  unsigned threads = std::max(1u, std::min(std::thread::hardware_concurrency(), kMaxThreads));
  size_t large_blocks = 0;
  for (const Block& b : blocks) large_blocks += b.end - b.begin == kBlockRecords;
  if (large_blocks < 2) threads = 1;
  threads = static_cast<unsigned>(std::min<size_t>(threads, blocks.size()));
  const std::vector<std::string> digests = block_digests(package, blocks, threads);

  std::string bytes;
  append_field(&bytes, "assay-records-v2");
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
