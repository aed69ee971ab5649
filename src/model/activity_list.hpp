// ActivityList: a package's activity records in file order, held in one or
// more segments.
//
// Why segments: a table read in parts on several threads (package/
// split_reader) hands over each part's records as a segment. Moving them into
// one vector would write every record of the later parts a second time: for
// 10 M records about 0.9 GB, a page fault per 4 KiB and a third of a second on
// one thread. Records never move once stored, and index i is found through
// the segments' starts (one segment per part read, so a few at most).
//
// Package order is index order, not address order (segments are allocated
// independently): code that orders records compares indices.
#pragma once

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <span>
#include <vector>

#include "model/activity_record.hpp"

namespace assay {

// The storage of an ActivityList. It stays at one address for the list's
// life, moves of the list included, so what points into the records (calc's
// lineage) may also keep a pointer to this, to find a record by index.
// Cache-line aligned: a reader thread appends to its own list row by row
// (see TextArena).
class alignas(64) ActivitySegments {
 public:
  size_t size() const { return parts_.empty() ? 0 : starts_.back() + parts_.back().size(); }
  const ActivityRecord& operator[](size_t i) const {
    size_t s = 0;
    const size_t last = parts_.size() - 1;
    while (s < last && i >= starts_[s + 1]) ++s;
    return parts_[s][i - starts_[s]];
  }
  // The parts in order: part p holds records part_start(p) ..
  // part_start(p) + part(p).size() - 1 (for loops that visit every record
  // without finding each index's part).
  size_t part_count() const { return parts_.size(); }
  std::span<const ActivityRecord> part(size_t p) const { return parts_[p]; }
  size_t part_start(size_t p) const { return starts_[p]; }
  // The index of a record held here, or size() for any other address.
  size_t index_of(const ActivityRecord* record) const {
    const std::less<const ActivityRecord*> before;
    for (size_t s = 0; s < parts_.size(); ++s) {
      const ActivityRecord* first = parts_[s].data();
      if (!before(record, first) && before(record, first + parts_[s].size())) {
        return starts_[s] + static_cast<size_t>(record - first);
      }
    }
    return size();
  }

 private:
  friend class ActivityList;
  std::vector<std::vector<ActivityRecord>> parts_;
  std::vector<size_t> starts_;  // starts_[s]: index of part s's first record
};

class ActivityList {
 public:
  ActivityList() = default;
  ActivityList(const ActivityList& other) : s_(std::make_unique<ActivitySegments>(*other.s_)) {}
  ActivityList& operator=(const ActivityList& other) {
    if (this != &other) *s_ = *other.s_;
    return *this;
  }
  // The moved-from list is left empty, with storage of its own.
  ActivityList(ActivityList&& other) : s_(std::move(other.s_)) {
    other.s_ = std::make_unique<ActivitySegments>();
  }
  ActivityList& operator=(ActivityList&& other) {
    if (this != &other) {
      std::swap(s_, other.s_);
      other.clear();
    }
    return *this;
  }
  ActivityList(std::initializer_list<ActivityRecord> records) { *this = records; }
  ActivityList& operator=(std::initializer_list<ActivityRecord> records) {
    clear();
    if (records.size() > 0) flat().assign(records.begin(), records.end());
    return *this;
  }

  size_t size() const { return s_->size(); }
  bool empty() const { return size() == 0; }
  const ActivityRecord& operator[](size_t i) const { return (*s_)[i]; }
  ActivityRecord& operator[](size_t i) { return const_cast<ActivityRecord&>((*s_)[i]); }
  const ActivityRecord& front() const { return (*this)[0]; }
  ActivityRecord& front() { return (*this)[0]; }
  const ActivityRecord& back() const { return s_->parts_.back().back(); }
  ActivityRecord& back() { return s_->parts_.back().back(); }
  size_t index_of(const ActivityRecord* record) const { return s_->index_of(record); }
  const ActivitySegments& segments() const { return *s_; }
  size_t segment_count() const { return s_->parts_.size(); }

  void push_back(ActivityRecord record) {
    if (s_->parts_.empty()) add_segment();
    s_->parts_.back().push_back(std::move(record));
  }
  // Room for `n` more records in the last segment (pages never written cost
  // no memory: a generous estimate is cheap).
  void reserve_more(size_t n) {
    if (s_->parts_.empty()) add_segment();
    auto& last = s_->parts_.back();
    last.reserve(last.size() + n);
  }
  void clear() {
    s_->parts_.clear();
    s_->starts_.clear();
  }
  // Keeps the first `n` records.
  void truncate(size_t n) {
    auto& parts = s_->parts_;
    auto& starts = s_->starts_;
    while (!parts.empty() && starts.back() >= n) {
      parts.pop_back();
      starts.pop_back();
    }
    if (!parts.empty() && parts.back().size() > n - starts.back()) {
      auto& last = parts.back();
      last.erase(last.begin() + static_cast<std::ptrdiff_t>(n - starts.back()), last.end());
    }
  }
  // Appends the records of `other` (left empty) without moving them.
  void append(ActivityList&& other) {
    for (auto& part : other.s_->parts_) {
      if (part.empty()) continue;
      if (!s_->parts_.empty() && s_->parts_.back().empty()) {
        s_->parts_.back() = std::move(part);
      } else {
        s_->starts_.push_back(size());
        s_->parts_.push_back(std::move(part));
      }
    }
    other.clear();
  }
  // The records as one vector (moved together first when there are several
  // segments): for code that edits the list as a whole (tests, tools).
  std::vector<ActivityRecord>& flat() {
    auto& parts = s_->parts_;
    if (parts.size() != 1) {
      std::vector<ActivityRecord> all;
      all.reserve(size());
      for (auto& part : parts) {
        all.insert(all.end(), std::make_move_iterator(part.begin()),
                   std::make_move_iterator(part.end()));
      }
      parts.clear();
      parts.push_back(std::move(all));
      s_->starts_.assign(1, 0);
    }
    return parts.back();  // the last segment: size() follows what is done to it
  }

  template <typename Record>
  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = ActivityRecord;
    using difference_type = std::ptrdiff_t;
    using pointer = Record*;
    using reference = Record&;
    Iterator() = default;
    Iterator(const ActivitySegments* s, size_t part, size_t offset)
        : s_(s), part_(part), offset_(offset) {
      skip_empty();
    }
    reference operator*() const { return const_cast<reference>(s_->parts_[part_][offset_]); }
    pointer operator->() const { return &**this; }
    Iterator& operator++() {
      ++offset_;
      skip_empty();
      return *this;
    }
    Iterator operator++(int) {
      Iterator before = *this;
      ++*this;
      return before;
    }
    bool operator==(const Iterator& o) const { return part_ == o.part_ && offset_ == o.offset_; }

   private:
    void skip_empty() {
      while (s_ && part_ < s_->parts_.size() && offset_ == s_->parts_[part_].size()) {
        ++part_;
        offset_ = 0;
      }
    }
    const ActivitySegments* s_ = nullptr;
    size_t part_ = 0;
    size_t offset_ = 0;
  };
  using iterator = Iterator<ActivityRecord>;
  using const_iterator = Iterator<const ActivityRecord>;
  iterator begin() { return iterator(s_.get(), 0, 0); }
  iterator end() { return iterator(s_.get(), s_->parts_.size(), 0); }
  const_iterator begin() const { return const_iterator(s_.get(), 0, 0); }
  const_iterator end() const { return const_iterator(s_.get(), s_->parts_.size(), 0); }

 private:
  void add_segment() {
    s_->starts_.push_back(size());
    s_->parts_.emplace_back();
  }
  std::unique_ptr<ActivitySegments> s_ = std::make_unique<ActivitySegments>();
};

}  // namespace assay
