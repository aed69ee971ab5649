// The built-in data files (data/ in the source tree: factor sets, metric
// catalog), compiled into the binary. Paths are relative to data/, sorted.
#pragma once

#include <span>
#include <string_view>

namespace assay {

struct EmbeddedFile {
  std::string_view path;     // "factors/ar6.csv"
  std::string_view content;  // the file's bytes
};

std::span<const EmbeddedFile> embedded_files();

}  // namespace assay
