// FlatStringMap: an open-addressing hash map from strings to small values,
// for the millions of ids a package holds (record_id uniqueness, site and
// meter look-ups). Keys live in one arena and slots in one array, so a
// look-up costs one probe sequence and no allocation per key; a node-based
// std::unordered_map spent most of validation time in malloc and cache misses.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "units/short_text.hpp"

namespace assay {

// 64-bit FNV-1a over 8-byte words with a final avalanche (good enough for ids;
// not for hostile inputs, where probing stays correct, only slower).
inline uint64_t hash_bytes(std::string_view s) {
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ s.size();
  const char* p = s.data();
  size_t n = s.size();
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0x100000001B3ULL;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  uint64_t tail = 0;
  if (n > 0) std::memcpy(&tail, p, n);  // p may be null for an empty key
  h = (h ^ tail) * 0x100000001B3ULL;
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93ULL;
  h ^= h >> 32;
  return h;
}

template <typename V>
class FlatStringMap {
 public:
  FlatStringMap() { slots_.resize(16); }

  // Starts loading the slot of `key` into the cache, so that a find() or
  // insert() of it a little later does not wait on memory (with millions of
  // ids, each look-up would otherwise be a cache miss).
  void prefetch(std::string_view key) const {
    __builtin_prefetch(&slots_[hash_bytes(key) & (slots_.size() - 1)]);
  }

  // The value of `key`, or nullptr.
  const V* find(std::string_view key) const {
    uint64_t h = hash_bytes(key);
    size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (!s.place) return nullptr;
      if (s.hash == h && same_text(key_of(s), key)) return &s.value;
    }
  }
  // Inserts `key` -> `value` unless present; returns false if it was present.
  bool insert(std::string_view key, V value) {
    if ((count_ + 1) * 4 > slots_.size() * 3) grow();
    uint64_t h = hash_bytes(key);
    size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (!s.place) {
        s.hash = h;
        s.place = (static_cast<uint64_t>(arena_.size()) << 24) | (key.size() + 1);
        s.value = value;
        arena_.append(key);
        ++count_;
        return true;
      }
      if (s.hash == h && same_text(key_of(s), key)) return false;
    }
  }
  size_t size() const { return count_; }

 private:
  // 24 bytes for 8-byte values: a table of millions of ids stays cache-friendly.
  // A key's arena offset (40 bits) and length + 1 (24 bits; a CSV record is at
  // most 4 MiB) share one word; 0 marks an unused slot.
  struct Slot {
    uint64_t hash = 0;
    uint64_t place = 0;
    V value{};
  };
  std::string_view key_of(const Slot& s) const {
    return std::string_view(arena_.data() + (s.place >> 24), (s.place & 0xFFFFFF) - 1);
  }
  void grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.resize(old.size() * 2);
    size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
      if (!s.place) continue;
      size_t i = s.hash & mask;
      while (slots_[i].place) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }
  std::vector<Slot> slots_;
  std::string arena_;
  size_t count_ = 0;
};

}  // namespace assay
