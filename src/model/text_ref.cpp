#include "model/text_ref.hpp"

#include <cstdlib>
#include <deque>
#include <mutex>

namespace assay {

const std::string_view* TextRef::keep_out_of_line(std::string_view s) {
  // Never freed: a TextRef may outlive anything but the process. A deque
  // keeps the views it holds in place as it grows.
  static std::mutex mutex;
  static auto* table = new std::deque<std::string_view>();
  std::lock_guard<std::mutex> lock(mutex);
  const std::string_view* kept = &table->emplace_back(s);
  if ((reinterpret_cast<uintptr_t>(kept) & ~kAddressMask) != 0) std::abort();  // no such heap
  return kept;
}

}  // namespace assay
