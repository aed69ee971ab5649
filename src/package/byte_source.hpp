// ByteSource: a forward-only stream of bytes (a file, an entry of a zip).
//
// The CSV reader pulls from it in chunks so a table of any size is read in
// bounded memory; a line longer than the contract's limit is detected while
// streaming, never by loading the whole file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "units/status.hpp"

namespace assay {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `n` bytes into `buf`; returns the count, 0 at end. Sets
  // `status` and returns 0 on an I/O error.
  virtual size_t read(char* buf, size_t n, Status* status) = 0;
  // Total size in bytes if known (for progress), else 0.
  virtual uint64_t size() const { return 0; }
};

// A file on disk.
Status open_file_source(const std::string& path, std::unique_ptr<ByteSource>* out);
// The same file from byte `offset` on, with its own descriptor (for reading
// parts of one file on several threads). size() is still the whole file's.
Status open_file_source_at(const std::string& path, uint64_t offset,
                           std::unique_ptr<ByteSource>* out);
// Bytes held in memory (tests, fuzzing, zip entries already inflated).
std::unique_ptr<ByteSource> make_string_source(std::string bytes);

}  // namespace assay
