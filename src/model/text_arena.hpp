// TextArena: stable storage for the text of records.
//
// A package of ten million activity rows held each field as a std::string:
// ~360 bytes a record, most of it string headers, and the first touch of that
// memory was half of `assay calc`'s time. Records now keep std::string_view
// fields that point into the arena of their Package (Package::text), which
// hands out views that stay valid while the arena lives: text is appended to
// fixed chunks that never move or shrink.
//
// Not thread-safe: each reader thread fills its own arena and the package
// adopts it (adopt() moves the chunks, so views stay valid).
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace assay {

// Cache-line aligned: each reader thread writes its own arena's cursor for
// every field it keeps; an arena sharing a line with another thread's data
// made both threads wait on that line (perf: keep() was 6% of reading W2).
class alignas(64) TextArena {
 public:
  TextArena() = default;
  TextArena(const TextArena&) = delete;
  TextArena& operator=(const TextArena&) = delete;

  // A view of a copy of `s` that lives as long as this arena.
  std::string_view keep(std::string_view s) {
    if (s.empty()) return {};
    if (s.size() > left_) {
      if (s.size() > kChunk / 8) return keep_alone(s);
      // Not zeroed: every byte is written before a view shows it.
      chunks_.push_back(std::make_unique_for_overwrite<char[]>(kChunk));
      at_ = chunks_.back().get();
      left_ = kChunk;
    }
    std::memcpy(at_, s.data(), s.size());
    std::string_view out(at_, s.size());
    at_ += s.size();
    left_ -= s.size();
    bytes_ += s.size();
    return out;
  }

  // Takes the chunks of `other` (views into them stay valid); `other` is left empty.
  void adopt(TextArena& other) {
    for (auto& c : other.chunks_) chunks_.push_back(std::move(c));
    bytes_ += other.bytes_;
    other.chunks_.clear();
    other.at_ = nullptr;
    other.left_ = 0;
    other.bytes_ = 0;
  }

  size_t bytes() const { return bytes_; }

 private:
  static constexpr size_t kChunk = 1 << 20;

  std::string_view keep_alone(std::string_view s) {
    // Inserted before the current chunk so that its free space stays in use.
    auto block = std::make_unique_for_overwrite<char[]>(s.size());
    std::memcpy(block.get(), s.data(), s.size());
    std::string_view out(block.get(), s.size());
    chunks_.insert(chunks_.end() - (chunks_.empty() ? 0 : 1), std::move(block));
    bytes_ += s.size();
    return out;
  }

  std::vector<std::unique_ptr<char[]>> chunks_;
  char* at_ = nullptr;
  size_t left_ = 0;
  size_t bytes_ = 0;
};

}  // namespace assay
