#include "package/split_reader.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <future>
#include <thread>
#include <vector>

namespace assay {
namespace {

constexpr size_t kWindow = 64 << 10;  // bytes looked at to place a part's start

struct Part {
  uint64_t begin = 0;  // first byte (a line start)
  uint64_t end = 0;    // the next part's begin, or the file size
  Package records;
  DiagnosticSink sink;
  Quarantine quarantine{Quarantine::InMemory{}};
  TableStats stats;
  std::unique_ptr<RowHandler> handler;
  int64_t start_line = -1;  // line number of `begin`; -1 unknown
  int64_t end_line = -1;    // line number of `end` as the part's reader found it
  bool complete = false;    // read from begin to exactly end, without an I/O error
};

// The start of the first line beginning after `target` within a window, or 0.
// Any line start will do for correctness (the previous part's reader must stop
// there, or the part is not used); this one only has to be likely.
uint64_t line_start_after(const OpenAt& open_at, uint64_t target, uint64_t size,
                          size_t* newlines_in_window) {
  std::unique_ptr<ByteSource> src;
  if (!open_at(target, &src)) return 0;
  std::vector<char> buf(static_cast<size_t>(std::min<uint64_t>(kWindow, size - target)));
  size_t got = 0;
  Status st;
  while (got < buf.size()) {
    size_t n = src->read(buf.data() + got, buf.size() - got, &st);
    if (!st || n == 0) break;
    got += n;
  }
  *newlines_in_window = static_cast<size_t>(std::count(buf.data(), buf.data() + got, '\n'));
  const void* nl = std::memchr(buf.data(), '\n', got);
  if (!nl) return 0;
  uint64_t start = target + static_cast<uint64_t>(static_cast<const char*>(nl) - buf.data()) + 1;
  return start < size ? start : 0;
}

bool count_newlines(const OpenAt& open_at, uint64_t from, uint64_t to, int64_t* count) {
  std::unique_ptr<ByteSource> src;
  if (!open_at(from, &src)) return false;
  std::vector<char> buf(1 << 20);
  uint64_t left = to - from;
  int64_t n = 0;
  Status st;
  while (left > 0) {
    size_t got =
        src->read(buf.data(), static_cast<size_t>(std::min<uint64_t>(left, buf.size())), &st);
    if (!st || got == 0) return false;
    n += std::count(buf.data(), buf.data() + got, '\n');
    left -= got;
  }
  *count = n;
  return true;
}

// Rows from `reader` into `handler`, with rows too long to hold streamed to `quarantine`.
void read_rows_from(CsvReader& reader, const TableInput& like, RowHandler& handler,
                    const TableHeader& header, DiagnosticSink* sink, Quarantine* quarantine,
                    TableStats* stats, const std::function<bool()>& go_on) {
  TableInput in;
  in.label = like.label;
  in.quarantine_name = like.quarantine_name;
  in.next = [&](CsvRecord* r) { return go_on() && reader.next(r); };
  in.peek_line = [&reader] { return reader.peek_line(); };
  reader.set_overflow_sink(
      [&](std::string_view chunk) { quarantine->write(like.quarantine_name, header.raw, chunk); });
  read_rows(in, handler, header, sink, quarantine, stats);
  reader.set_overflow_sink(nullptr);
}

}  // namespace

unsigned default_read_threads() {
  unsigned n = std::thread::hardware_concurrency();
  return std::clamp(n, 1u, 8u);
}

TableStats read_table_split(TableInput& input, CsvReader& reader, uint64_t size,
                            const OpenAt& open_at, RowHandler& handler, DiagnosticSink* sink,
                            Quarantine* quarantine, const SplitOptions& options) {
  TableStats stats;
  TableHeader header;
  if (!read_header(input, handler, sink, quarantine, &header, &stats)) return stats;

  // Where the parts begin.
  const uint64_t first = reader.bytes_consumed();
  const uint64_t body = size > first ? size - first : 0;
  const uint64_t min_chunk = std::max<uint64_t>(options.min_chunk_bytes, 1);
  const uint64_t wanted = std::min<uint64_t>(options.threads, body / min_chunk);
  std::vector<std::unique_ptr<Part>> parts;
  parts.push_back(std::make_unique<Part>());
  parts[0]->begin = first;
  size_t window_newlines = 0;
  uint64_t window_bytes = 0;
  for (uint64_t k = 1; k < wanted; ++k) {
    uint64_t target = first + body * k / wanted;
    size_t newlines = 0;
    uint64_t start = line_start_after(open_at, target, size, &newlines);
    if (start <= parts.back()->begin) continue;
    window_newlines += newlines;
    window_bytes += std::min<uint64_t>(kWindow, size - target);
    parts.push_back(std::make_unique<Part>());
    parts.back()->begin = start;
  }
  for (size_t k = 0; k + 1 < parts.size(); ++k) parts[k]->end = parts[k + 1]->begin;
  parts.back()->end = size;
  if (parts.size() > 1) {
    for (size_t k = 1; k < parts.size(); ++k) {
      parts[k]->handler = handler.fork(&parts[k]->records);
      if (!parts[k]->handler) parts.resize(1);
    }
  }
  if (parts.size() > 1) handler.begin_parts();
  if (parts.size() < 2) {
    read_rows(input, handler, header, sink, quarantine, &stats);
    return stats;
  }
  // Room for each part's records up front, so that they need not grow and
  // move what they hold (pages never written cost no memory); each part's
  // records then become a segment of the table's, never moved again.
  const uint64_t row_bytes =
      std::max<uint64_t>(1, window_bytes / std::max<size_t>(1, window_newlines));
  for (size_t k = 0; k < parts.size(); ++k) {
    const uint64_t rows = (parts[k]->end - parts[k]->begin) / row_bytes;
    RowHandler& h = k == 0 ? handler : *parts[k]->handler;
    h.reserve_rows(static_cast<size_t>(rows + rows / 8));
  }

  // Line numbers: each worker counts the part before its own; the numbers
  // are then passed down the chain.
  std::vector<std::promise<int64_t>> line_of(parts.size());
  std::vector<std::future<int64_t>> line_ready;
  for (auto& p : line_of) line_ready.push_back(p.get_future());
  line_of[0].set_value(reader.line());
  parts[0]->start_line = reader.line();
  std::atomic<bool> cancel{false};
  const size_t max_line = reader.max_line_bytes();

  auto work = [&](size_t k) {
    Part& part = *parts[k];
    int64_t count = 0;
    bool counted = count_newlines(open_at, parts[k - 1]->begin, part.begin, &count);
    int64_t before = line_ready[k - 1].get();
    part.start_line = counted && before > 0 ? before + count : -1;
    line_of[k].set_value(part.start_line);
    if (part.start_line < 0 || cancel.load()) return;
    std::unique_ptr<ByteSource> src;
    if (!open_at(part.begin, &src)) return;
    CsvReader part_reader(src.get(), max_line, CsvStart{part.begin, part.start_line});
    const bool last = k + 1 == parts.size();
    if (!last) part_reader.stop_at(part.end);
    bool overran = false;
    read_rows_from(part_reader, input, *part.handler, header, &part.sink, &part.quarantine,
                   &part.stats, [&] {
                     // A record that ran past the part's end: the next part
                     // cannot start there, so this part's work is not used.
                     if (part_reader.bytes_consumed() > part.end) overran = true;
                     return !overran && !cancel.load(std::memory_order_relaxed);
                   });
    // A record that ends beyond `end` was read and handled just before the
    // check above could stop it: it makes the part incomplete too.
    overran = overran || part_reader.bytes_consumed() > part.end;
    part.end_line = part_reader.line();
    part.complete = !overran && !cancel.load() && part_reader.status().is_ok() &&
                    (last || part_reader.stopped());
  };
  std::vector<std::thread> workers;
  for (size_t k = 1; k < parts.size(); ++k) workers.emplace_back(work, k);

  // The first part, on this thread, into its own diagnostics and quarantine
  // like the others (they are kept only if the parts are used). A record that
  // spans the first boundary stops everything: the table is then read again
  // on one thread.
  Part& head = *parts[0];
  reader.stop_at(parts[1]->begin);
  TableInput first_input = input;
  bool head_overran = false;
  first_input.next = [&](CsvRecord* r) {
    if (head_overran) return false;
    bool more = input.next(r);
    if (reader.bytes_consumed() > parts[1]->begin) {
      head_overran = true;
      cancel.store(true);
    }
    return more;
  };
  if (input.set_overflow_sink) {
    input.set_overflow_sink([&](std::string_view chunk) {
      head.quarantine.write(input.quarantine_name, header.raw, chunk);
    });
  }
  read_rows(first_input, handler, header, &head.sink, &head.quarantine, &head.stats);
  if (input.set_overflow_sink) input.set_overflow_sink(nullptr);
  head.end_line = reader.line();
  head.complete = !head_overran && reader.status().is_ok() && reader.stopped();
  if (!head.complete) cancel.store(true);
  for (auto& t : workers) t.join();

  // The parts are used when each begins where the one before ended, as the
  // single reader would have gone on, and no id of the table repeats.
  bool used = true;
  for (size_t k = 0; k < parts.size() && used; ++k) {
    const Part& part = *parts[k];
    used = part.complete && (k == 0 || part.start_line == parts[k - 1]->end_line);
  }
  if (used) {
    for (size_t k = 1; k < parts.size(); ++k) handler.absorb(*parts[k]->handler);
    used = handler.settle_parts();
  }
  if (used) {
    for (auto& part : parts) {
      for (auto& d : part->sink.items()) sink->add(std::move(d));
      part->quarantine.move_into(quarantine);
      stats.rows += part->stats.rows;
      stats.rejected += part->stats.rejected;
    }
    stats.parts_merged += parts.size() - 1;
    return stats;
  }

  // The single reader's path: the whole table again, in order, on this thread.
  handler.abandon_parts();
  std::unique_ptr<ByteSource> src;
  if (Status s = open_at(first, &src); !s) {
    sink->error(input.label, 0, 0, "io", s.message());
    return stats;
  }
  CsvReader again(src.get(), max_line, CsvStart{first, parts[0]->start_line});
  read_rows_from(again, input, handler, header, sink, quarantine, &stats, [] { return true; });
  if (!again.status()) sink->error(input.label, 0, 0, "io", again.status().message());
  return stats;
}

}  // namespace assay
