#include "package/package_reader.hpp"

#include <algorithm>
#include <filesystem>

#include "package/csv_reader.hpp"
#include "package/manifest.hpp"
#include "package/package_files.hpp"
#include "package/quarantine.hpp"
#include "package/readings.hpp"
#include "package/split_reader.hpp"
#include "package/tables.hpp"
#include "package/xlsx_reader.hpp"
#include "units/embedded_data.hpp"
#include "units/sha256.hpp"

namespace assay {
namespace {

namespace fs = std::filesystem;

// Hashes what passes through, so a file is read once for both purposes.
class HashingSource final : public ByteSource {
 public:
  HashingSource(std::unique_ptr<ByteSource> inner, Sha256* hash)
      : inner_(std::move(inner)), hash_(hash) {}
  size_t read(char* buf, size_t n, Status* status) override {
    size_t got = inner_->read(buf, n, status);
    if (hash_) hash_->update(std::string_view(buf, got));
    return got;
  }
  uint64_t size() const override { return inner_->size(); }

 private:
  std::unique_ptr<ByteSource> inner_;
  Sha256* hash_;
};

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<std::string> builtin_set_names() {
  std::vector<std::string> names;
  for (const auto& f : embedded_files()) {
    std::string_view p = f.path;
    if (p.substr(0, 8) == "factors/" && p.size() > 12 && p.substr(p.size() - 4) == ".csv") {
      names.emplace_back(p.substr(8, p.size() - 12));
    }
  }
  return names;
}

// Gas and blend names defined by the chosen built-in sets (rows of quantity
// gwp100, keys blend.NAME).
void collect_builtin_gases(const std::vector<std::string>& sets, StringSet* gases) {
  for (const auto& f : embedded_files()) {
    std::string_view p = f.path;
    bool chosen = false;
    for (const auto& s : sets) chosen = chosen || p == "factors/" + s + ".csv";
    if (!chosen) continue;
    auto src = make_string_source(std::string(f.content));
    CsvReader reader(src.get());
    CsvRecord rec;
    int key = -1, quantity = -1;
    bool header = true;
    while (reader.next(&rec)) {
      if (header) {
        for (size_t i = 0; i < rec.fields.size(); ++i) {
          if (rec.fields[i].value == "key") key = static_cast<int>(i);
          if (rec.fields[i].value == "quantity") quantity = static_cast<int>(i);
        }
        header = false;
        continue;
      }
      if (key < 0 || quantity < 0 ||
          rec.fields.size() <= static_cast<size_t>(std::max(key, quantity)))
        continue;
      std::string_view k = rec.fields[static_cast<size_t>(key)].value;
      if (rec.fields[static_cast<size_t>(quantity)].value == "gwp100") gases->emplace(k);
      if (k.substr(0, 6) == "blend.") gases->emplace(k.substr(6));
    }
  }
}

class Reader {
 public:
  Reader(PackageFiles* files, const ReadOptions& options, PackageReadResult* out, Quarantine* q)
      : files_(files), options_(options), out_(out), quarantine_(q) {
    context_.package = &out->package;
    context_.keep_records = options.keep_records;
  }

  void run() {
    read_manifest();
    for (const auto& table : table_names()) read_table_everywhere(table);
    read_readings();
    warn_unused_files();
    finish_hash();
  }

 private:
  // The hash of file `rel` so far, or nullptr when files are not hashed.
  Sha256* file_hash(const std::string& rel) {
    if (!options_.hash_files) return nullptr;
    auto& h = hashes_[rel];
    if (!h) h = std::make_unique<Sha256>();
    return h.get();
  }

  void read_manifest() {
    used_.insert("package.toml");
    std::string text;
    if (!files_->contains("package.toml")) {
      out_->diagnostics.error("package.toml", 0, 0, "file_missing",
                              "package.toml is missing (expected the package manifest)");
      return;
    }
    if (Status s = files_->read_all("package.toml", &text); !s) {
      out_->diagnostics.error("package.toml", 0, 0, "io", s.message());
      return;
    }
    if (Sha256* h = file_hash("package.toml")) h->update(text);
    parse_manifest(text, "package.toml", builtin_set_names(), &out_->package.manifest,
                   &out_->diagnostics);
    const Manifest& m = out_->package.manifest;
    context_.years.insert(m.years.begin(), m.years.end());
    if (m.base_year) context_.years.insert(*m.base_year);
    collect_builtin_gases(m.factor_sets, &context_.known_gases);
  }

  void read_csv(const std::string& rel, RowHandler& handler) {
    used_.insert(rel);
    std::unique_ptr<ByteSource> raw;
    if (Status s = files_->open(rel, &raw); !s) {
      out_->diagnostics.error(rel, 0, 0, "io", s.message());
      return;
    }
    HashingSource src(std::move(raw), file_hash(rel));
    CsvReader reader(&src);
    uint64_t size = src.size();
    uint64_t last_report = 0;
    TableInput input;
    input.label = rel;
    input.quarantine_name = rel;
    input.next = [&](CsvRecord* r) {
      bool more = reader.next(r);
      if (options_.progress && reader.bytes_consumed() - last_report > (64u << 20)) {
        last_report = reader.bytes_consumed();
        options_.progress(done_bytes_ + last_report, size);
      }
      return more;
    };
    input.peek_line = [&reader] { return reader.peek_line(); };
    input.set_overflow_sink = [&](std::function<void(std::string_view)> sink) {
      reader.set_overflow_sink(std::move(sink));
    };
    input.copy_whole = [&](Quarantine* q) {
      std::unique_ptr<ByteSource> again;
      if (!files_->open(rel, &again)) return;
      char buf[1 << 16];
      Status st;
      bool first = true;
      for (size_t n; (n = again->read(buf, sizeof buf, &st)) > 0;) {
        q->write(rel, first ? std::string_view() : std::string_view(), std::string_view(buf, n));
        first = false;
      }
    };
    TableStats stats;
    const std::string path = files_->local_path(rel);
    const unsigned threads =
        options_.read_threads == 0 ? default_read_threads() : options_.read_threads;
    if (threads > 1 && !path.empty() && size > 0) {
      OpenAt open_at = [&path](uint64_t offset, std::unique_ptr<ByteSource>* part) {
        return open_file_source_at(path, offset, part);
      };
      stats = read_table_split(input, reader, size, open_at, handler, &out_->diagnostics,
                               quarantine_, SplitOptions{threads, options_.min_chunk_bytes});
      // The parts after the first were not read through `src`: hash them now.
      if (reader.status() && options_.hash_files) {
        std::vector<char> rest(1 << 20);
        Status st;
        while (src.read(rest.data(), rest.size(), &st) > 0) {
        }
      }
    } else {
      stats = read_table(input, handler, &out_->diagnostics, quarantine_);
    }
    if (!reader.status()) out_->diagnostics.error(rel, 0, 0, "io", reader.status().message());
    done_bytes_ += std::max<uint64_t>(size, reader.bytes_consumed());
    out_->rows_read += stats.rows;
    out_->rows_rejected += stats.rejected;
    out_->parts_merged += stats.parts_merged;
  }

  void read_sheet(const std::string& book, const xlsx::Sheet& sheet, RowHandler& handler) {
    std::string label = book + "[" + sheet.name + "]";
    std::string qname = book + "." + sheet.name + ".csv";
    size_t next_row = 0;
    std::string raw;
    std::vector<std::string> values;
    std::vector<Diagnostic> cell_warnings;
    TableInput input;
    input.label = label;
    input.quarantine_name = qname;
    input.next = [&](CsvRecord* r) {
      if (next_row >= sheet.rows.size()) return false;
      const xlsx::Row& row = sheet.rows[next_row++];
      r->line = row.row_number;
      r->raw_streamed = false;
      r->has_error = false;
      r->fields.clear();
      values.clear();
      // Rejected rows are kept as CSV: sheet and row first, then the cells.
      bool is_header = next_row == 1;
      raw = is_header ? std::string("x_sheet,x_row")
                      : csv_escape(sheet.name) + "," + std::to_string(row.row_number);
      for (size_t c = 0; c < row.cells.size(); ++c) {
        const xlsx::Cell& cell = row.cells[c];
        values.push_back(cell.text);
        raw += "," + csv_escape(cell.text);
        int32_t col = static_cast<int32_t>(c + 1);
        if (cell.formula_without_value && !r->has_error) {
          r->has_error = true;
          r->error_column = col;
          r->error_code = "formula_no_value";
          r->error_message =
              "a formula cell without a cached value (expected a value: recalculate and save the "
              "workbook in Excel)";
        } else if (cell.is_error && !r->has_error) {
          r->has_error = true;
          r->error_column = col;
          r->error_code = "cell_error";
          r->error_message = "an error value " + cell.text + " (expected a value)";
        } else if (cell.from_formula && !is_header) {
          out_->diagnostics.warning(label, row.row_number, col, "formula_cell",
                                    "a formula cell; its cached value " + cell.text + " is used");
        }
      }
      raw += "\n";
      for (const auto& v : values) r->fields.push_back({v, true});
      r->raw = raw;
      return true;
    };
    // A sheet rejected whole: its header row (x_sheet, x_row first), then every row.
    input.copy_whole = [&](Quarantine* q) {
      std::string header = "x_sheet,x_row";
      if (!sheet.rows.empty()) {
        for (const auto& cell : sheet.rows[0].cells) header += "," + csv_escape(cell.text);
      }
      header += "\n";
      for (size_t i = 1; i < sheet.rows.size(); ++i) {
        const auto& row = sheet.rows[i];
        std::string line = csv_escape(sheet.name) + "," + std::to_string(row.row_number);
        for (const auto& cell : row.cells) line += "," + csv_escape(cell.text);
        q->write(qname, header, line + "\n");
      }
    };
    TableStats stats = read_table(input, handler, &out_->diagnostics, quarantine_);
    out_->rows_read += stats.rows;
    out_->rows_rejected += stats.rejected;
  }

  void load_workbooks() {
    if (workbooks_loaded_) return;
    workbooks_loaded_ = true;
    for (const auto& rel : files_->list()) {
      if (!ends_with(rel, ".xlsx") || rel.find('/') != std::string::npos) continue;
      used_.insert(rel);
      std::string bytes;
      if (Status s = files_->read_all(rel, &bytes); !s) {
        out_->diagnostics.error(rel, 0, 0, "io", s.message());
        continue;
      }
      if (Sha256* h = file_hash(rel)) h->update(bytes);
      xlsx::Workbook book;
      if (Status s = xlsx::read_workbook(bytes, &book); !s) {
        out_->diagnostics.error(rel, 0, 0, "xlsx_invalid", s.message());
        continue;
      }
      for (const auto& sheet : book.sheets) {
        const auto& names = table_names();
        bool known = std::find(names.begin(), names.end(), sheet.name) != names.end();
        if (!known) {
          out_->diagnostics.warning(
              rel + "[" + sheet.name + "]", 0, 0, "sheet_ignored",
              "sheet \"" + sheet.name + "\" is not a table of the contract; ignored");
        }
      }
      workbooks_.emplace_back(rel, std::move(book));
    }
  }

  void read_table_everywhere(const std::string& table) {
    load_workbooks();
    auto handler = make_handler(table, &context_);
    bool found = false;
    if (table == "factors") {
      for (const auto& rel : out_->package.manifest.factor_files) {
        if (!files_->contains(rel)) {
          out_->diagnostics.error(
              "package.toml", 0, 0, "file_missing",
              "factor file " + rel + " listed in factor_files is not in the package");
          continue;
        }
        read_csv(rel, *handler);
        found = true;
      }
    } else if (files_->contains(table + ".csv")) {
      read_csv(table + ".csv", *handler);
      found = true;
    }
    for (const auto& [book, wb] : workbooks_) {
      for (const auto& sheet : wb.sheets) {
        if (sheet.name == table) {
          read_sheet(book, sheet, *handler);
          found = true;
        }
      }
    }
    if (table == "sites" && !found) {
      out_->diagnostics.error(
          "sites.csv", 0, 0, "file_missing",
          "sites.csv is missing (expected the sites table; every other table refers to it)");
    }
  }

  void read_readings() {
    ReadingsHandler handler(&context_);
    for (const auto& rel : files_->list()) {
      if (rel.rfind("readings/", 0) != 0 || !ends_with(rel, ".csv")) continue;
      if (!options_.stream_readings) {
        used_.insert(rel);
        out_->package.reading_files.push_back(rel);
        continue;
      }
      handler.begin_file(rel);
      read_csv(rel, handler);
      out_->package.reading_files.push_back(rel);
    }
    handler.finish(&out_->diagnostics);
  }

  void warn_unused_files() {
    for (const auto& rel : files_->list()) {
      if (used_.count(rel)) continue;
      if (ends_with(rel, ".md") || ends_with(rel, ".txt") || rel.find('/') != std::string::npos)
        continue;
      if (ends_with(rel, ".csv")) {
        std::string what =
            rel == "factors.csv" ? " (user factors are read only when listed in factor_files)" : "";
        out_->diagnostics.warning(rel, 0, 0, "file_ignored",
                                  rel + " is not a file of the contract" + what + "; ignored");
      }
    }
  }

  void finish_hash() {
    if (!options_.hash_files) return;  // content_hash stays empty
    Sha256 all;
    for (auto& [rel, h] : hashes_) {
      all.update(rel);
      all.update(std::string_view("\0", 1));
      all.update(h->hex_digest());
      all.update(std::string_view("\n", 1));
    }
    out_->content_hash = all.hex_digest();
  }

  PackageFiles* files_;
  const ReadOptions& options_;
  PackageReadResult* out_;
  Quarantine* quarantine_;
  ReadContext context_;
  std::set<std::string> used_;
  std::map<std::string, std::unique_ptr<Sha256>> hashes_;
  bool workbooks_loaded_ = false;
  std::vector<std::pair<std::string, xlsx::Workbook>> workbooks_;
  uint64_t done_bytes_ = 0;
};

std::string default_quarantine_dir(const std::string& path) {
  fs::path p = fs::path(path).lexically_normal();
  std::string s = p.string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  if (ends_with(s, ".zip")) s.resize(s.size() - 4);
  return s + ".quarantine";
}

}  // namespace

Status read_package(const std::string& path, const ReadOptions& options, PackageReadResult* out) {
  std::unique_ptr<PackageFiles> files;
  if (Status s = open_package_files(path, &files); !s) return s;
  std::string qdir =
      options.quarantine_dir.empty() ? default_quarantine_dir(path) : options.quarantine_dir;
  Quarantine quarantine(qdir, options.write_quarantine);
  Reader reader(files.get(), options, out, &quarantine);
  reader.run();
  for (const auto& d : out->diagnostics.items()) {
    // File-level errors (no row) are reasons too, so the quarantine lists every error.
    if (d.is_error() && (d.line == 0 || d.file == "package.toml")) quarantine.add_reason(d);
  }
  Status qs = quarantine.finish();
  if (quarantine.used() && options.write_quarantine) out->quarantine_dir = qdir;
  return qs;
}

}  // namespace assay
