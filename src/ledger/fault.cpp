#include "ledger/fault.hpp"

#include <csignal>
#include <cstdlib>
#include <string>

namespace assay::ledger_internal {

namespace {

[[noreturn]] void die() {
  std::raise(SIGKILL);
  std::abort();  // not reached: SIGKILL cannot be caught
}

}  // namespace

FaultPlan::FaultPlan(const char* env_name) {
  const char* value = std::getenv(env_name);
  if (value == nullptr) return;
  std::string v(value);
  if (v == "before_commit") {
    point_ = Point::kBeforeCommit;
  } else if (v == "after_commit") {
    point_ = Point::kAfterCommit;
  } else if (v.rfind("rows:", 0) == 0) {
    char* end = nullptr;
    unsigned long long n = std::strtoull(v.c_str() + 5, &end, 10);
    if (end != nullptr && *end == '\0' && n > 0) {
      point_ = Point::kRows;
      rows_ = n;
    }
  }
}

void FaultPlan::after_row(uint64_t rows_written) const {
  if (point_ == Point::kRows && rows_written == rows_) die();
}

void FaultPlan::before_commit() const {
  if (point_ == Point::kBeforeCommit) die();
}

void FaultPlan::after_commit() const {
  if (point_ == Point::kAfterCommit) die();
}

}  // namespace assay::ledger_internal
