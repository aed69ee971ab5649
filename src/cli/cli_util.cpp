#include "cli/cli_util.hpp"

#include <unistd.h>

#include <cstdio>

#include "cli/command.hpp"

namespace assay::cli {

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

std::function<void(uint64_t, uint64_t)> terminal_progress(std::string what) {
  if (!stderr_is_terminal()) return nullptr;
  return [what](uint64_t done, uint64_t total) {
    if (total > 0) {
      std::fprintf(stderr, "\r%s: %.0f MB of %.0f MB (%3.0f%%)", what.c_str(), done / 1e6,
                   total / 1e6, 100.0 * static_cast<double>(done) / static_cast<double>(total));
    } else {
      std::fprintf(stderr, "\r%s: %.0f MB", what.c_str(), done / 1e6);
    }
    std::fflush(stderr);
  };
}

void clear_progress_line() {
  if (stderr_is_terminal()) std::fprintf(stderr, "\r\033[K");
}

void print_diagnostics(const DiagnosticSink& sink) {
  for (const auto& d : sink.items()) {
    std::string loc;
    if (!d.file.empty()) {
      loc = d.file;
      if (d.line > 0) loc += ":" + std::to_string(d.line);
      if (d.line > 0 && d.column > 0) loc += ":" + std::to_string(d.column);
      loc += ": ";
    }
    std::fprintf(stderr, "%s%s: %s [%s]\n", loc.c_str(), d.is_error() ? "error" : "warning",
                 d.message.c_str(), d.code.c_str());
  }
}

nlohmann::ordered_json diagnostics_json(const DiagnosticSink& sink) {
  nlohmann::ordered_json out;
  out["errors"] = nlohmann::ordered_json::array();
  out["warnings"] = nlohmann::ordered_json::array();
  for (const auto& d : sink.items()) {
    nlohmann::ordered_json j;
    j["file"] = d.file;
    j["line"] = d.line;
    j["column"] = d.column;
    j["code"] = d.code;
    j["message"] = d.message;
    out[d.is_error() ? "errors" : "warnings"].push_back(std::move(j));
  }
  return out;
}

}  // namespace assay::cli
