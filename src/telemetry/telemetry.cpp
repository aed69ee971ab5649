// Orchestration: files -> chunks -> worker threads -> ordered merge -> roll-ups.
//
// Design (see README.md): every readings file on disk is mapped and cut into
// chunks of kChunkBytes at line boundaries. The cut points depend only on the
// file, never on the thread count, so every chunk sees the same rows whatever
// the machine. Workers scan chunks in parallel (each with its own per-meter
// state); the calling thread merges the results strictly in chunk order,
// stitching each meter's first reading of a chunk to its last reading of the
// previous chunk. Sums are exact integers, so the result is the same bytes
// for 1 thread or 8.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "package/byte_source.hpp"
#include "package/package_files.hpp"
#include "telemetry/scan.hpp"
#include "telemetry/telemetry.hpp"

namespace assay {

using namespace telemetry_internal;

namespace {

constexpr size_t kChunkBytes = size_t{16} << 20;

std::string_view role_names[] = {"facility", "it", "cooling", "onsite_generation"};

class MappedFile {
 public:
  ~MappedFile() {
    if (data_) ::munmap(data_, size_);
  }
  Status open(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status::error(path + ": cannot open: " + std::strerror(errno));
    struct stat st;
    if (::fstat(fd, &st) != 0) {
      ::close(fd);
      return Status::error(path + ": cannot stat: " + std::strerror(errno));
    }
    size_ = static_cast<size_t>(st.st_size);
    if (size_ > 0) {
      void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
      if (p == MAP_FAILED) {
        ::close(fd);
        return Status::error(path + ": cannot map: " + std::strerror(errno));
      }
      data_ = static_cast<char*>(p);
    }
    ::close(fd);
    return Status::ok();
  }
  const char* data() const { return data_; }
  size_t size() const { return size_; }
  // Drops the pages of a scanned range from this process (they stay in the
  // page cache), so that resident memory does not grow with the file.
  void release(const char* begin, const char* end) const {
    uintptr_t page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
    uintptr_t b = (reinterpret_cast<uintptr_t>(begin) + page - 1) & ~(page - 1);
    uintptr_t e = reinterpret_cast<uintptr_t>(end) & ~(page - 1);
    if (e > b) ::madvise(reinterpret_cast<void*>(b), e - b, MADV_DONTNEED);
  }

 private:
  char* data_ = nullptr;
  size_t size_ = 0;
};

struct WorkItem {
  size_t file = 0;
  const char* begin = nullptr;  // fast path: whole lines
  const char* end = nullptr;
  bool general = false;  // the whole file through the CSV reader
  bool first_of_file = false;
  bool last_of_file = false;
  uint64_t bytes = 0;
};

struct FileSegment {
  size_t file;
  Segment seg;
};

// Turns "line @N" (a line relative to a chunk) into the line in the file.
void rebase_message(std::string* msg, int64_t offset) {
  size_t at = msg->find("line @");
  if (at == std::string::npos) return;
  size_t b = at + 6, e = b;
  while (e < msg->size() && (*msg)[e] >= '0' && (*msg)[e] <= '9') ++e;
  int64_t n = 0;
  std::from_chars(msg->data() + b, msg->data() + e, n);
  msg->replace(at + 5, e - at - 5, std::to_string(n + offset));
}

class Run {
 public:
  Run(const MeterTable& meters, const std::vector<ReadingsFile>& files,
      const TelemetryOptions& options, const ScanSettings& settings)
      : m_(meters), files_(files), options_(options), settings_(settings) {
    acc_.init(m_.ids.size(), m_.groups);
  }

  // false with *restart set when a file must go through the CSV reader.
  Status run(std::vector<bool>* general, bool* restart) {
    std::vector<std::unique_ptr<MappedFile>> maps(files_.size());
    std::vector<WorkItem> items;
    uint64_t total = 0;
    for (size_t f = 0; f < files_.size(); ++f) {
      const ReadingsFile& rf = files_[f];
      if (rf.disk_path.empty() || (*general)[f]) {
        WorkItem w;
        w.file = f;
        w.general = true;
        w.first_of_file = w.last_of_file = true;
        if (!rf.disk_path.empty()) {
          std::error_code ec;
          w.bytes = std::filesystem::file_size(rf.disk_path, ec);
        }
        total += w.bytes;
        items.push_back(w);
        continue;
      }
      maps[f] = std::make_unique<MappedFile>();
      if (Status s = maps[f]->open(rf.disk_path); !s) return s;
      const char* p = maps[f]->data();
      const char* end = p + maps[f]->size();
      total += maps[f]->size();
      if (p == end) continue;
      if (end - p >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
      const char* eol =
          static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
      std::string_view header(p, static_cast<size_t>((eol ? eol : end) - p));
      if (!header.empty() && header.back() == '\r') header.remove_suffix(1);
      if (header != "ts,meter_id,value") {
        (*general)[f] = true;
        WorkItem w;
        w.file = f;
        w.general = true;
        w.first_of_file = w.last_of_file = true;
        w.bytes = maps[f]->size();
        items.push_back(w);
        maps[f].reset();
        continue;
      }
      p = eol ? eol + 1 : end;
      bool first = true;
      while (p < end) {
        const char* cut = end;
        if (static_cast<size_t>(end - p) > kChunkBytes + kChunkBytes / 4) {
          cut = static_cast<const char*>(
              std::memchr(p + kChunkBytes, '\n', static_cast<size_t>(end - p - kChunkBytes)));
          cut = cut ? cut + 1 : end;
        }
        WorkItem w;
        w.file = f;
        w.begin = p;
        w.end = cut;
        w.first_of_file = first;
        w.last_of_file = cut == end;
        w.bytes = static_cast<uint64_t>(cut - p);
        items.push_back(w);
        first = false;
        p = cut;
      }
    }
    total_bytes_ = total;

    unsigned threads = options_.threads
                           ? options_.threads
                           : std::min(8u, std::max(1u, std::thread::hardware_concurrency()));
    threads = static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(items.size(), 1)));
    // Entries of one zip share its libzip handle, which is not safe to read
    // from two threads: a zipped package is read on one.
    for (const ReadingsFile& rf : files_) {
      if (rf.disk_path.empty()) threads = 1;
    }
    const size_t window = 2 * threads + 2;
    std::vector<std::unique_ptr<ChunkResult>> slots(items.size());
    std::mutex mu;
    std::condition_variable cv;
    size_t merged = 0;
    std::atomic<size_t> next{0};
    auto work = [&]() {
      for (;;) {
        size_t i = next.fetch_add(1);
        if (i >= items.size()) return;
        {
          std::unique_lock<std::mutex> lock(mu);
          cv.wait(lock, [&] { return i < merged + window; });
        }
        auto r = std::make_unique<ChunkResult>();
        const WorkItem& w = items[i];
        const std::string& name = files_[w.file].name;
        if (w.general) {
          std::unique_ptr<ByteSource> src;
          Status s = files_[w.file].disk_path.empty()
                         ? files_[w.file].open(&src)
                         : open_file_source(files_[w.file].disk_path, &src);
          if (!s) {
            r->status = s;
          } else {
            scan_csv(settings_, name, src.get(), r.get());
          }
        } else {
          scan_lines(settings_, name, w.begin, w.end, r.get());
          maps[w.file]->release(w.begin, w.end);
        }
        std::lock_guard<std::mutex> lock(mu);
        slots[i] = std::move(r);
        cv.notify_all();
      }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work);
    Status status;
    uint64_t done = 0;
    for (size_t i = 0; i < items.size(); ++i) {
      std::unique_ptr<ChunkResult> r;
      {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] { return slots[i] != nullptr; });
        r = std::move(slots[i]);
      }
      if (!r->status && status) status = r->status;
      if (r->needs_general) {
        (*general)[items[i].file] = true;
        *restart = true;
      }
      if (status && !*restart) merge(items[i], std::move(*r));
      done += items[i].bytes;
      if (options_.progress) options_.progress(done, total);
      {
        std::lock_guard<std::mutex> lock(mu);
        merged = i + 1;
        cv.notify_all();
      }
    }
    for (auto& t : pool) t.join();
    if (!status || *restart) return status;
    stitch_files();
    return status;
  }

  Accumulator& acc() { return acc_; }
  std::vector<Diagnostic>& diagnostics() { return diags_; }
  uint64_t readings() const { return readings_; }
  uint64_t bytes() const { return total_bytes_; }

 private:
  void merge(const WorkItem& w, ChunkResult&& r) {
    if (w.first_of_file) {
      file_lines_ = w.general ? 0 : 1;  // the header
      file_seg_.assign(m_.ids.size(), Segment{});
      touched_.clear();
    }
    int64_t offset = file_lines_;
    file_lines_ += r.lines;
    readings_ += r.readings;
    for (Diagnostic& d : r.diagnostics) {
      d.line += offset;
      if (d.code == "readings_out_of_order" || d.code == "duplicate_timestamp" ||
          d.code == "duplicate_reading") {
        rebase_message(&d.message, offset);
      }
      diags_.push_back(std::move(d));
    }
    const std::string& name = files_[w.file].name;
    for (Segment s : r.segments) {
      s.first.line += offset;
      s.last.line += offset;
      Segment& f = file_seg_[s.meter];
      if (f.first.ts == kNoTime) {
        f = s;
        touched_.push_back(s.meter);
        continue;
      }
      const Reading& a = f.last;
      const Reading& b = s.first;
      const std::string& id = m_.ids[s.meter];
      if (b.ts < a.ts) {
        diag(Severity::kError, name, b.line, 1, "readings_out_of_order",
             "reading of meter " + id + " at " + format_utc_timestamp(b.ts) +
                 " comes after one at " + format_utc_timestamp(a.ts) + " (line " +
                 std::to_string(a.line) + "; expected rows of a meter in time order)");
      } else if (b.ts == a.ts) {
        if (b.value != a.value) {
          diag(Severity::kError, name, b.line, 3, "duplicate_timestamp",
               "meter " + id + " has two readings at " + format_utc_timestamp(b.ts) +
                   " with different values (the other on line " + std::to_string(a.line) + ")");
        } else {
          diag(Severity::kWarning, name, b.line, 1, "duplicate_reading",
               "reading of meter " + id + " at " + format_utc_timestamp(b.ts) + " repeats line " +
                   std::to_string(a.line) + "; counted once");
        }
      } else {
        interval(s.meter, a, b);
      }
      f.last = s.last;
    }
    acc_.merge(r.acc);
    if (w.last_of_file) {
      std::sort(touched_.begin(), touched_.end());
      for (uint32_t m : touched_) segments_.push_back(FileSegment{w.file, file_seg_[m]});
      touched_.clear();
    }
  }

  // Intervals that span two files of a meter; overlaps between its files.
  void stitch_files() {
    std::sort(segments_.begin(), segments_.end(), [](const FileSegment& a, const FileSegment& b) {
      if (a.seg.meter != b.seg.meter) return a.seg.meter < b.seg.meter;
      if (a.seg.first.ts != b.seg.first.ts) return a.seg.first.ts < b.seg.first.ts;
      return a.file < b.file;
    });
    for (size_t i = 1; i < segments_.size(); ++i) {
      const FileSegment& a = segments_[i - 1];
      const FileSegment& b = segments_[i];
      if (a.seg.meter != b.seg.meter) continue;
      if (b.seg.first.ts <= a.seg.last.ts) {
        const std::string& fa = files_[a.file].name;
        const std::string& fb = files_[b.file].name;
        diag(Severity::kError, fb, b.seg.first.line, 1, "readings_overlap",
             "readings of meter " + m_.ids[b.seg.meter] + " in " + fb + " (" +
                 format_utc_timestamp(b.seg.first.ts) + ".." + format_utc_timestamp(b.seg.last.ts) +
                 ") overlap those in " + fa + " (" + format_utc_timestamp(a.seg.first.ts) + ".." +
                 format_utc_timestamp(a.seg.last.ts) +
                 "; expected the files of a meter to cover separate time ranges)");
        continue;
      }
      interval(b.seg.meter, a.seg.last, b.seg.first);
    }
  }

  // An interval found while merging: added to the totals directly.
  void interval(uint32_t m, const Reading& a, const Reading& b) {
    EnergyUnits e = b.value - a.value;
    if (e < 0) e = b.value;
    Date d{static_cast<int32_t>(floor_div(b.ts, 86400))};
    acc_.meters[m].add_month(d.year() * 12 + d.month() - 1, e);
    if (settings_.hourly) acc_.hours.add(m_.group[m], floor_div(b.ts, 3600), e);
    acc_.meters[m].add_length(b.ts - a.ts, 1);
    acc_.candidates.push_back(GapCandidate{m, a.ts, b.ts});
  }

  void diag(Severity sev, const std::string& file, int64_t line, int32_t col, std::string code,
            std::string message) {
    Diagnostic d;
    d.severity = sev;
    d.file = file;
    d.line = line;
    d.column = col;
    d.code = std::move(code);
    d.message = std::move(message);
    diags_.push_back(std::move(d));
  }

  const MeterTable& m_;
  const std::vector<ReadingsFile>& files_;
  const TelemetryOptions& options_;
  const ScanSettings& settings_;
  Accumulator acc_;
  std::vector<Diagnostic> diags_;
  std::vector<Segment> file_seg_;
  std::vector<uint32_t> touched_;
  std::vector<FileSegment> segments_;
  int64_t file_lines_ = 0;
  uint64_t readings_ = 0;
  uint64_t total_bytes_ = 0;
};

// Twice the median of a meter's interval lengths (an integer even when the
// median is the mean of two middle values).
int64_t twice_median(std::vector<std::pair<int64_t, int64_t>> lengths) {
  std::sort(lengths.begin(), lengths.end());
  int64_t n = 0;
  for (const auto& [len, c] : lengths) n += c;
  if (n == 0) return INT64_MAX;
  auto nth = [&](int64_t k) {
    for (const auto& [len, c] : lengths) {
      if (k < c) return len;
      k -= c;
    }
    return lengths.back().first;
  };
  return n % 2 ? 2 * nth(n / 2) : nth(n / 2 - 1) + nth(n / 2);
}

}  // namespace

std::string_view meter_role_name(MeterRole role) { return role_names[static_cast<int>(role)]; }

double energy_to_kwh(EnergyUnits e) {
  bool neg = e < 0;
  unsigned __int128 u =
      neg ? static_cast<unsigned __int128>(-e) : static_cast<unsigned __int128>(e);
  char digits[48];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + static_cast<int>(u % 10));
    u /= 10;
  } while (u);
  char text[64];
  int k = 0;
  if (neg) text[k++] = '-';
  while (n) text[k++] = digits[--n];
  std::memcpy(text + k, "e-12", 4);
  k += 4;
  double d = 0;
  std::from_chars(text, text + k, d);  // correctly rounded
  return d;
}

std::string format_utc_hour(int64_t hour) {
  int64_t days = floor_div(hour, 24);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%sT%02d:00Z",
                format_date(Date{static_cast<int32_t>(days)}).c_str(),
                static_cast<int>(hour - days * 24));
  return buf;
}

Status package_readings_files(const std::string& package_path, const Package& package,
                              std::vector<ReadingsFile>* out) {
  out->clear();
  std::error_code ec;
  if (std::filesystem::is_directory(package_path, ec)) {
    for (const auto& rel : package.reading_files) {
      out->push_back(ReadingsFile{rel, (std::filesystem::path(package_path) / rel).string(), {}});
    }
    return Status::ok();
  }
  std::unique_ptr<PackageFiles> files;
  if (Status s = open_package_files(package_path, &files); !s) return s;
  std::shared_ptr<PackageFiles> shared(std::move(files));
  auto mu = std::make_shared<std::mutex>();
  for (const auto& rel : package.reading_files) {
    out->push_back(ReadingsFile{rel, "", [shared, mu, rel](std::unique_ptr<ByteSource>* src) {
                                  std::lock_guard<std::mutex> lock(*mu);
                                  return shared->open(rel, src);
                                }});
  }
  return Status::ok();
}

Status compute_telemetry(const std::vector<Meter>& meters, const std::vector<ReadingsFile>& files,
                         const TelemetryOptions& options, TelemetryResult* result) {
  *result = TelemetryResult{};
  MeterTable table;
  // Groups: (site, role name) pairs in byte order, so outputs come out sorted.
  std::map<std::pair<std::string, std::string_view>, uint32_t> groups;
  for (const Meter& m : meters)
    groups.emplace(std::make_pair(m.site_id, meter_role_name(m.role)), 0);
  std::vector<std::pair<std::string, MeterRole>> group_keys;
  for (auto& [key, index] : groups) {
    index = static_cast<uint32_t>(group_keys.size());
    MeterRole role = MeterRole::kFacility;
    for (int r = 0; r < 4; ++r) {
      if (role_names[r] == key.second) role = static_cast<MeterRole>(r);
    }
    group_keys.emplace_back(key.first, role);
  }
  table.groups = group_keys.size();
  for (size_t i = 0; i < meters.size(); ++i) {
    const Meter& m = meters[i];
    table.ids.push_back(m.meter_id);
    table.index.insert(m.meter_id, static_cast<uint32_t>(i));
    table.group.push_back(groups.at({m.site_id, meter_role_name(m.role)}));
    int pow = m.unit == "MWh" ? 3 : 0;
    table.unit_pow.push_back(pow);
    for (int dec = 0; dec < 4; ++dec) {
      EnergyUnits s = 1;
      for (int k = 0; k < kEnergyDecimals - dec + pow; ++k) s *= 10;
      table.scale.push_back(s);
    }
  }

  std::vector<bool> general(files.size(), false);
  std::vector<int64_t> thresholds;
  ScanSettings settings;
  settings.meters = &table;
  settings.hourly = options.hourly;
  std::unique_ptr<Run> run;
  for (int pass = 0; pass < 8; ++pass) {
    run = std::make_unique<Run>(table, files, options, settings);
    bool restart = false;
    if (Status s = run->run(&general, &restart); !s) return s;
    if (restart) continue;
    if (settings.gap_threshold) break;
    // Were all gaps caught by the first pass's rule? Count them per meter.
    thresholds.assign(meters.size(), INT64_MAX);
    std::vector<int64_t> expected(meters.size(), 0), found(meters.size(), 0);
    for (size_t m = 0; m < meters.size(); ++m) {
      thresholds[m] = twice_median(run->acc().meters[m].lengths);
      for (const auto& [len, c] : run->acc().meters[m].lengths) {
        if (len > thresholds[m]) expected[m] += c;
      }
    }
    for (const GapCandidate& g : run->acc().candidates) {
      if (g.to - g.from > thresholds[g.meter]) ++found[g.meter];
    }
    if (expected == found) break;
    settings.gap_threshold = thresholds.data();  // second pass, gaps exactly
  }

  Accumulator& acc = run->acc();
  result->readings = run->readings();
  result->bytes = run->bytes();
  std::vector<Diagnostic>& diags = run->diagnostics();
  std::stable_sort(diags.begin(), diags.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.file != b.file) return a.file < b.file;
    if (a.line != b.line) return a.line < b.line;
    if (a.column != b.column) return a.column < b.column;
    return a.code < b.code;
  });
  for (Diagnostic& d : diags) result->diagnostics.add(std::move(d));

  // Monthly: per group, the months of its meters.
  std::vector<std::vector<uint32_t>> group_meters(table.groups);
  std::vector<uint32_t> by_id(meters.size());
  for (uint32_t i = 0; i < by_id.size(); ++i) by_id[i] = i;
  std::sort(by_id.begin(), by_id.end(),
            [&](uint32_t a, uint32_t b) { return table.ids[a] < table.ids[b]; });
  for (uint32_t m : by_id) group_meters[table.group[m]].push_back(m);
  for (size_t g = 0; g < table.groups; ++g) {
    std::map<int32_t, MonthlyEnergy> months;
    for (uint32_t m : group_meters[g]) {
      for (const auto& [month, e] : acc.meters[m].months) {
        MonthlyEnergy& row = months[month];
        row.energy += e;
        row.meters.push_back(table.ids[m]);
      }
    }
    for (auto& [month, row] : months) {
      row.site = group_keys[g].first;
      row.month = month;
      row.role = group_keys[g].second;
      result->monthly.push_back(std::move(row));
    }
  }
  std::stable_sort(result->monthly.begin(), result->monthly.end(),
                   [](const MonthlyEnergy& a, const MonthlyEnergy& b) {
                     if (a.site != b.site) return a.site < b.site;
                     if (a.month != b.month) return a.month < b.month;
                     return meter_role_name(a.role) < meter_role_name(b.role);
                   });

  if (options.hourly && !acc.hours.empty()) {
    for (size_t g0 = 0; g0 < table.groups;) {
      size_t g1 = g0;
      while (g1 < table.groups && group_keys[g1].first == group_keys[g0].first) ++g1;
      for (int64_t h = acc.hours.base(); h < acc.hours.base() + acc.hours.hours(); ++h) {
        for (size_t g = g0; g < g1; ++g) {
          EnergyUnits e = acc.hours.at(static_cast<uint32_t>(g), h);
          if (e != 0)
            result->hourly.push_back(HourlyEnergy{group_keys[g].first, h, group_keys[g].second, e});
        }
      }
      g0 = g1;
    }
  }

  for (const GapCandidate& g : acc.candidates) {
    if (thresholds.empty() || g.to - g.from <= thresholds[g.meter]) continue;
    result->gaps.push_back(MeterGap{table.ids[g.meter], g.from, g.to});
  }
  std::sort(result->gaps.begin(), result->gaps.end(), [](const MeterGap& a, const MeterGap& b) {
    return a.meter != b.meter ? a.meter < b.meter : a.from < b.from;
  });
  return Status::ok();
}

}  // namespace assay
