// Fault injection for the crash tests (see ledger.hpp): reads
// ASSAY_FAULT_INGEST / ASSAY_FAULT_LOCK once per write and kills the process
// with SIGKILL at the chosen point, so the test sees exactly what a power cut
// or `kill -9` at that point leaves behind.
#pragma once

#include <cstdint>

namespace assay::ledger_internal {

class FaultPlan {
 public:
  // Reads the variable `env_name`; an unset or unknown value injects nothing.
  explicit FaultPlan(const char* env_name);
  void after_row(uint64_t rows_written) const;  // rows:N
  void before_commit() const;
  void after_commit() const;

 private:
  enum class Point { kNone, kRows, kBeforeCommit, kAfterCommit };
  Point point_ = Point::kNone;
  uint64_t rows_ = 0;
};

}  // namespace assay::ledger_internal
