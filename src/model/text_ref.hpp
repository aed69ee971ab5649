// TextRef: a view of text kept elsewhere, in 8 bytes.
//
// An ActivityRecord holds seven views of its text, and W2 holds ten million
// records: as std::string_view (16 bytes each) they were 56 bytes of every
// 160, and the records' memory touched for the first time was more than half
// of `assay calc`'s page faults. A TextRef packs the address (user-space
// addresses of x86-64 and AArch64 fit in 48 bits) and the length (up to
// kMaxInline bytes) in one word.
//
// Longer text, or an address that does not fit in 48 bits, keeps its
// std::string_view out of line, in a process-wide table that is never freed:
// 16 bytes per such text (a CSV cell of 64 KiB or more), the price of
// needing no arena to make a TextRef from any view.
//
// Like std::string_view it does not own its text, compares by content and
// converts to std::string_view wherever one is expected.
#pragma once

#include <compare>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>

namespace assay {

class TextRef {
 public:
  // Longest text kept inline; a length field of kOutOfLine means out of line.
  static constexpr size_t kMaxInline = 0xFFFE;

  constexpr TextRef() noexcept = default;
  TextRef(std::string_view s) : bits_(pack(s)) {}           // NOLINT: implicit, like string_view
  TextRef(const char* s) : TextRef(std::string_view(s)) {}  // NOLINT
  TextRef(const std::string& s) : TextRef(std::string_view(s)) {}  // NOLINT

  std::string_view view() const {
    const uint64_t length = bits_ >> kAddressBits;
    if (length == kOutOfLine) return *reinterpret_cast<const std::string_view*>(address());
    return std::string_view(reinterpret_cast<const char*>(address()), length);
  }
  operator std::string_view() const { return view(); }  // NOLINT: implicit

  const char* data() const { return view().data(); }
  size_t size() const {
    const uint64_t length = bits_ >> kAddressBits;
    return length == kOutOfLine ? view().size() : static_cast<size_t>(length);
  }
  size_t length() const { return size(); }
  bool empty() const { return size() == 0; }
  const char* begin() const { return data(); }
  const char* end() const { return data() + size(); }
  char operator[](size_t i) const { return data()[i]; }
  bool starts_with(std::string_view prefix) const { return view().starts_with(prefix); }
  bool ends_with(std::string_view suffix) const { return view().ends_with(suffix); }
  size_t find(std::string_view s, size_t pos = 0) const { return view().find(s, pos); }
  size_t find(char c, size_t pos = 0) const { return view().find(c, pos); }
  std::string_view substr(size_t pos, size_t n = std::string_view::npos) const {
    return view().substr(pos, n);
  }

  // The same address and length (what a view of text kept once tells apart
  // cheaply); == compares the text.
  bool same_view(TextRef other) const { return bits_ == other.bits_ && !out_of_line(); }

  // By content. One overload for two TextRefs and one for anything else that
  // is a view of text ("kWh", std::string, std::string_view), so that no
  // comparison has two equally good ways to convert.
  friend bool operator==(TextRef a, TextRef b) { return a.view() == b.view(); }
  friend std::strong_ordering operator<=>(TextRef a, TextRef b) {
    return a.view().compare(b.view()) <=> 0;
  }
  template <typename T>
  requires(std::is_convertible_v<const T&, std::string_view> &&
           !std::is_same_v<std::remove_cvref_t<T>, TextRef>) friend bool
  operator==(TextRef a, const T& b) {
    return a.view() == std::string_view(b);
  }
  template <typename T>
  requires(std::is_convertible_v<const T&, std::string_view> &&
           !std::is_same_v<std::remove_cvref_t<T>, TextRef>) friend std::strong_ordering
  operator<=>(TextRef a, const T& b) {
    return a.view().compare(std::string_view(b)) <=> 0;
  }
  friend std::ostream& operator<<(std::ostream& os, TextRef t) { return os << t.view(); }

 private:
  static constexpr int kAddressBits = 48;
  static constexpr uint64_t kAddressMask = (uint64_t{1} << kAddressBits) - 1;
  static constexpr uint64_t kOutOfLine = 0xFFFF;

  uintptr_t address() const { return static_cast<uintptr_t>(bits_ & kAddressMask); }
  bool out_of_line() const { return (bits_ >> kAddressBits) == kOutOfLine; }

  static uint64_t pack(std::string_view s) {
    const auto address = reinterpret_cast<uintptr_t>(s.data());
    if (s.size() <= kMaxInline && (address & ~kAddressMask) == 0) {
      return (static_cast<uint64_t>(s.size()) << kAddressBits) | address;
    }
    return (kOutOfLine << kAddressBits) | reinterpret_cast<uintptr_t>(keep_out_of_line(s));
  }
  // The table's copy of the view (model/text_ref.cpp); thread-safe.
  static const std::string_view* keep_out_of_line(std::string_view s);

  uint64_t bits_ = 0;
};

static_assert(sizeof(TextRef) == 8);

}  // namespace assay

template <>
struct std::hash<assay::TextRef> {
  size_t operator()(assay::TextRef t) const noexcept { return std::hash<std::string_view>{}(t); }
};
