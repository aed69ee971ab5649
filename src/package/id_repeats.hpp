// Whether any id of a long list occurs twice: the uniqueness check of a table
// read in parts (split_reader), done once over the whole table instead of one
// hash-table look-up per row while reading.
//
// Why: a per-row look-up in a table of millions of ids is a cache and TLB
// miss per row, and the table (24-byte slots, keys copied into an arena,
// grown by doubling) touched about 1 GB for 10 M ids. Here the ids stay where
// they are (the package's text); the check holds 8 bytes per slot, is built
// on two threads (each owns the ids whose hash has its top bit), and prefetches
// the slots a batch ahead.
#pragma once

#include <atomic>
#include <cstdint>
#include <string_view>
#include <thread>
#include <vector>

#include "units/flat_string_map.hpp"

namespace assay {

// True when two of the ids id_at(0) .. id_at(n - 1) are equal (or, past 4
// billion ids, when it cannot tell). `id_at` is called from two threads at
// once and must only read.
template <typename IdAt>
bool any_id_repeats(size_t n, const IdAt& id_at) {
  if (n < 2) return false;
  if (n >= UINT32_MAX) return true;  // positions are 32-bit: "maybe", which is always safe
  std::vector<uint64_t> hashes(n);
  auto hash_range = [&](size_t lo, size_t hi) {
    for (size_t i = lo; i < hi; ++i) hashes[i] = hash_bytes(id_at(i));
  };
  {
    std::thread second(hash_range, n / 2, n);
    hash_range(0, n / 2);
    second.join();
  }
  std::atomic<bool> repeated{false};
  // Ids whose hash's top bit is `half`; a slot holds the hash's high 32 bits
  // (a cheap first comparison) and the id's position + 1 (0: empty).
  auto check_half = [&](uint64_t half) {
    size_t members = 0;
    for (uint64_t h : hashes) members += (h >> 63) == half;
    size_t capacity = 16;
    while (capacity < members + members / 2) capacity *= 2;
    std::vector<uint64_t> slots(capacity);
    const size_t mask = capacity - 1;
    constexpr size_t kBatch = 32;
    uint32_t batch[kBatch];
    auto insert_batch = [&](size_t count) {
      for (size_t b = 0; b < count; ++b) __builtin_prefetch(&slots[hashes[batch[b]] & mask]);
      for (size_t b = 0; b < count; ++b) {
        const uint32_t pos = batch[b];
        const uint64_t h = hashes[pos];
        const uint64_t tag = h >> 32;
        for (size_t s = h & mask;; s = (s + 1) & mask) {
          const uint64_t slot = slots[s];
          if (slot == 0) {
            slots[s] = (tag << 32) | (static_cast<uint64_t>(pos) + 1);
            break;
          }
          if ((slot >> 32) == tag && id_at((slot & 0xFFFFFFFFu) - 1) == id_at(pos)) {
            repeated.store(true, std::memory_order_relaxed);
            return;
          }
        }
      }
    };
    size_t count = 0;
    for (size_t i = 0; i < n && !repeated.load(std::memory_order_relaxed); ++i) {
      if ((hashes[i] >> 63) != half) continue;
      batch[count++] = static_cast<uint32_t>(i);
      if (count == kBatch) {
        insert_batch(count);
        count = 0;
      }
    }
    insert_batch(count);
  };
  std::thread second(check_half, 1);
  check_half(0);
  second.join();
  return repeated.load();
}

}  // namespace assay
