// Quarantine: where rejected input goes, verbatim, so nothing is lost.
//
// Layout of the folder (spec: default `<package>.quarantine/`, never read back):
//   <file>                 for each CSV with rejected rows: its header line and
//                          then each rejected row, byte for byte as read
//                          (a file rejected whole is copied whole);
//   <book>.xlsx.<sheet>.csv  rejected workbook rows as CSV, with the columns
//                          x_sheet and x_row first, then the sheet's header;
//   reasons.csv            file,line,column,code,message for every error.
// The folder is emptied of these files at the start of a run, and nothing is
// written at all when nothing was rejected.
#pragma once

#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "units/diagnostic.hpp"
#include "units/status.hpp"

namespace assay {

class Quarantine {
 public:
  // `dir` empty or `enabled` false: nothing is written, but counts are kept.
  Quarantine(std::string dir, bool enabled);
  ~Quarantine();
  // Holds writes and reasons in memory, in order, until move_into(): the
  // quarantine of one part of a table read on its own thread.
  struct InMemory {};
  explicit Quarantine(InMemory);
  // Replays what an in-memory quarantine holds into `target`, as if it had
  // been written there directly.
  void move_into(Quarantine* target);

  // Appends `bytes` to quarantined file `name` (relative path); on first use
  // the file is created and `header` written first.
  void write(const std::string& name, std::string_view header, std::string_view bytes);
  void add_reason(const Diagnostic& d);
  // Flushes and closes; returns the first I/O problem, if any.
  Status finish();

  bool used() const { return used_; }
  const std::string& dir() const { return dir_; }

 private:
  std::ofstream* open(const std::string& name, std::string_view header);
  std::string dir_;
  bool enabled_;
  bool used_ = false;
  bool prepared_ = false;
  std::map<std::string, std::unique_ptr<std::ofstream>> files_;
  std::vector<Diagnostic> reasons_;
  Status status_;
  bool in_memory_ = false;
  struct Held {
    std::string name;
    std::string header;
    std::string bytes;
  };
  std::vector<Held> held_;  // InMemory: writes in order, runs of one file joined
};

// RFC 4180 quoting of one field (quoted only when needed).
std::string csv_escape(std::string_view field);

}  // namespace assay
