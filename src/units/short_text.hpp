// same_text() and text_less(): == and < of std::string_view without a call
// to memcmp for short text.
//
// Reading ten million activity rows compares short cells all the time (the
// unit against the activity's units, the id against the previous id), and
// each std::string_view comparison called memcmp for a few bytes: the calls
// were 4% of reading W2. Up to 16 bytes these load whole words instead
// (overlapping loads; fixed-size memcpy compiles to plain loads).
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace assay {

namespace short_text_internal {

template <typename U>
inline U load(const char* p) {
  U v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// The bytes of `p` (big-endian, so that numbers compare as the bytes do).
inline uint64_t big_endian64(const char* p) {
  uint64_t v = load<uint64_t>(p);
  if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
  return v;
}

// The first 16 bytes of `s` (at most 16 long) as a big-endian 128-bit number,
// zeros after the end.
inline unsigned __int128 padded128(std::string_view s) {
  const size_t n = s.size();
  const char* p = s.data();
  uint64_t hi = 0, lo = 0;
  if (n >= 8) {
    hi = big_endian64(p);
    if (n > 8) lo = big_endian64(p + n - 8) << (8 * (16 - n));  // drop bytes already in hi
  } else {
    for (size_t i = 0; i < n; ++i) hi |= uint64_t{static_cast<unsigned char>(p[i])} << (56 - 8 * i);
  }
  return (static_cast<unsigned __int128>(hi) << 64) | lo;
}

}  // namespace short_text_internal

inline bool same_text(std::string_view a, std::string_view b) {
  using short_text_internal::load;
  const size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  if (n > 16) return std::memcmp(p, q, n) == 0;
  if (n >= 8) {
    return load<uint64_t>(p) == load<uint64_t>(q) &&
           load<uint64_t>(p + n - 8) == load<uint64_t>(q + n - 8);
  }
  if (n >= 4) {
    return load<uint32_t>(p) == load<uint32_t>(q) &&
           load<uint32_t>(p + n - 4) == load<uint32_t>(q + n - 4);
  }
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != q[i]) return false;
  }
  return true;
}

// a < b in byte order (as std::string_view's <).
inline bool text_less(std::string_view a, std::string_view b) {
  if (a.size() > 16 || b.size() > 16) return a < b;
  const unsigned __int128 x = short_text_internal::padded128(a);
  const unsigned __int128 y = short_text_internal::padded128(b);
  // Equal when padded: one is the other followed by zero bytes, or the same.
  return x != y ? x < y : a.size() < b.size();
}

}  // namespace assay
