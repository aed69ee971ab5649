// A thin RAII layer over the SQLite C API for the ledger's own use.
//
// SQLite failures inside the ledger are I/O failures (disk full, file locked,
// not a database): they are thrown as SqliteError here and turned into a
// Status at the Ledger's public surface, never let out of it.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace assay::ledger_internal {

class SqliteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds are 1-based like SQLite's.
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, std::string_view value);
  // Binds without copying: `value` must stay unchanged until the statement is
  // reset (run() resets it).
  Statement& bind_static(int index, std::string_view value);
  Statement& bind_null(int index);
  // True while a row is available; false when done. Throws on error.
  bool step();
  // Runs a statement that returns no rows, then resets it for reuse.
  void run();
  void reset();

  int64_t column_int(int index) const;
  std::string column_text(int index) const;
  bool column_is_null(int index) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class Database {
 public:
  explicit Database(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  sqlite3* handle() const { return db_; }
  void exec(const std::string& sql);
  int64_t query_int(const std::string& sql);

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace assay::ledger_internal
