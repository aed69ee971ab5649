// Records keep their text as views (model/text_arena.hpp). Records that tests
// build outside a Package keep theirs here, for the life of the test binary.
#pragma once

#include <string_view>

#include "model/text_arena.hpp"

namespace assay::testing {

inline std::string_view kept(std::string_view s) {
  static TextArena arena;
  return arena.keep(s);
}

}  // namespace assay::testing
