// Status: the outcome of an operation that can fail for a reason a person
// must read (I/O failure, malformed container, unsupported input).
//
// Borrowed from LevelDB: errors a caller must handle are values, not
// exceptions. A default-constructed Status is ok. Row-level data errors are
// not Statuses: they are Diagnostics (diagnostic.hpp), collected and reported.
#pragma once

#include <string>
#include <utility>

namespace assay {

class Status {
 public:
  Status() = default;
  static Status ok() { return Status(); }
  static Status error(std::string message) { return Status(std::move(message)); }

  bool is_ok() const { return !failed_; }
  explicit operator bool() const { return !failed_; }
  const std::string& message() const { return message_; }

 private:
  explicit Status(std::string message) : failed_(true), message_(std::move(message)) {}
  bool failed_ = false;
  std::string message_;
};

}  // namespace assay
