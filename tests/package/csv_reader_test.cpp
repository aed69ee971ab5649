// The CSV reader on its own: RFC 4180 forms, line ends, the line limit, and
// the invariant that records tile the input byte for byte.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "package/csv_reader.hpp"

namespace assay {
namespace {

struct Read {
  std::vector<CsvRecord> records;
  std::vector<std::vector<std::string>> fields;
  std::vector<std::string> raws;
  std::string overflow;
  uint64_t consumed = 0;
};

// A small ByteSource that hands out a few bytes at a time, so records
// straddle every possible refill boundary.
class TrickleSource final : public ByteSource {
 public:
  TrickleSource(std::string s, size_t step) : s_(std::move(s)), step_(step) {}
  size_t read(char* buf, size_t n, Status*) override {
    size_t take = std::min({n, step_, s_.size() - pos_});
    std::memcpy(buf, s_.data() + pos_, take);
    pos_ += take;
    return take;
  }

 private:
  std::string s_;
  size_t step_;
  size_t pos_ = 0;
};

Read read_all(const std::string& text, size_t limit = kMaxLineBytes, size_t step = 1 << 20) {
  Read r;
  TrickleSource src(text, step);
  CsvReader reader(&src, limit);
  reader.set_overflow_sink([&](std::string_view c) { r.overflow += c; });
  CsvRecord rec;
  while (reader.next(&rec)) {
    std::vector<std::string> f;
    for (const auto& x : rec.fields) f.emplace_back(x.value);
    r.fields.push_back(f);
    r.raws.emplace_back(rec.raw);
    CsvRecord copy = rec;
    copy.fields.clear();
    copy.raw = {};
    r.records.push_back(copy);
  }
  r.consumed = reader.bytes_consumed();
  return r;
}

using Fields = std::vector<std::vector<std::string>>;

TEST(CsvReader, ReadsQuotedFieldsWithEscapesAndNewlines) {
  for (size_t step : {1, 2, 3, 7, 1 << 20}) {
    Read r =
        read_all("a,b,c\n\"x,1\",\"say \"\"hi\"\"\",\"two\nlines\"\nlast,,\n", kMaxLineBytes, step);
    EXPECT_EQ(r.fields,
              (Fields{{"a", "b", "c"}, {"x,1", "say \"hi\"", "two\nlines"}, {"last", "", ""}}))
        << "step " << step;
    EXPECT_EQ(r.records[1].line, 2);
    EXPECT_EQ(r.records[2].line, 4);  // the quoted newline moved it down one physical line
  }
}

TEST(CsvReader, StripsBomAndCrlfAndSkipsEmptyLines) {
  Read r = read_all("\xEF\xBB\xBFh1,h2\r\n1,2\r\n\r\n3,4");
  EXPECT_EQ(r.fields, (Fields{{"h1", "h2"}, {"1", "2"}, {"3", "4"}}));
  EXPECT_EQ(r.records[2].line, 4);
  EXPECT_EQ(r.raws[1], "1,2\r\n");  // raw keeps the original line end
}

TEST(CsvReader, RawBytesTileTheInput) {
  std::string text = "h\n\"a\nb\"\nc\n\"unclosed\nd\n";
  Read r = read_all(text, kMaxLineBytes, 3);
  std::string joined;
  for (const auto& s : r.raws) joined += s;
  EXPECT_EQ(joined, text);
  EXPECT_EQ(r.consumed, text.size());
}

TEST(CsvReader, UnbalancedQuoteTakesOnlyItsLine) {
  Read r = read_all("h1,h2\n1,\"open\n2,3\n");
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_TRUE(r.records[1].has_error);
  EXPECT_EQ(r.records[1].error_code, "unbalanced_quote");
  EXPECT_EQ(r.records[1].error_column, 2);
  EXPECT_EQ(r.raws[1], "1,\"open\n");
  EXPECT_EQ(r.fields[2], (std::vector<std::string>{"2", "3"}));
  EXPECT_EQ(r.records[2].line, 3);
}

TEST(CsvReader, LineLongerThanTheLimitIsReportedAndStreamed) {
  // Limit 16 bytes: line 2 has 40 bytes; it is not kept in memory but goes to
  // the overflow sink, and reading resumes on line 3.
  std::string long_line = std::string(40, 'x') + "\n";
  std::string text = "a,b\n" + long_line + "1,2\n";
  for (size_t step : {1, 5, 1 << 20}) {
    Read r = read_all(text, 16, step);
    ASSERT_EQ(r.records.size(), 3u) << step;
    EXPECT_EQ(r.records[1].error_code, "line_too_long");
    EXPECT_TRUE(r.records[1].raw_streamed);
    EXPECT_EQ(r.overflow, long_line);
    EXPECT_EQ(r.fields[2], (std::vector<std::string>{"1", "2"}));
    EXPECT_EQ(r.records[2].line, 3);
  }
}

TEST(CsvReader, ContractLimitWithoutHoldingTheFile) {
  // A 3 MiB line under the contract's 1 MiB limit: memory stays bounded by
  // the limit (the buffer never grows past 4 x limit + one read).
  std::string text = "a\n" + std::string(3 << 20, 'y') + "\nz\n";
  Read r = read_all(text, kMaxLineBytes, 1 << 16);
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_EQ(r.records[1].error_code, "line_too_long");
  EXPECT_EQ(r.records[1].error_message, "line longer than 1048576 bytes (the contract's limit)");
  EXPECT_EQ(r.overflow.size(), (3u << 20) + 1);
  EXPECT_EQ(r.fields[2], (std::vector<std::string>{"z"}));
}

TEST(CsvReader, LineAtExactlyTheLimitIsAccepted) {
  std::string text = std::string(16, 'q') + "\n" + std::string(17, 'r') + "\n";
  Read r = read_all(text, 16);
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_FALSE(r.records[0].has_error);
  EXPECT_TRUE(r.records[1].has_error);
}

TEST(CsvReader, FlagsStrayQuotesAndTextAfterQuotes) {
  Read r = read_all("a,b\nx\"y,1\n\"ok\"tail,2\n");
  EXPECT_EQ(r.records[1].error_code, "quote_in_unquoted");
  EXPECT_EQ(r.records[1].error_column, 1);
  EXPECT_EQ(r.records[2].error_code, "quote_text_after");
  EXPECT_EQ(r.records[2].error_column, 1);
}

TEST(CsvReader, FlagsBytesThatAreNotUtf8) {
  Read r = read_all("a,b\nok,caf\xC3\xA9\nbad,x\xFFy\n");
  EXPECT_FALSE(r.records[1].has_error);
  EXPECT_EQ(r.records[2].error_code, "encoding");
  EXPECT_EQ(r.records[2].error_column, 2);
}

}  // namespace
}  // namespace assay

namespace assay {
namespace {

// Unquoted runs are scanned sixteen bytes at a time: a separator, line end,
// lone CR or stray quote at every position of fields up to 40 bytes long,
// read whole and trickled in a few bytes at a time, splits as one byte at a
// time would.
TEST(CsvReader, LongUnquotedFieldsSplitAtEveryPosition) {
  for (size_t n = 1; n <= 40; ++n) {  // (an empty line would be skipped)
    for (size_t step : {size_t{3}, size_t{17}, size_t{1} << 20}) {
      SCOPED_TRACE("length " + std::to_string(n) + ", step " + std::to_string(step));
      std::string a(n, 'a'), b(n, 'b');
      if (n > 0) {
        a.back() = 'z';
        b.front() = 'y';
      }
      const Read r =
          read_all(a + "," + b + "\n" + b + "\r\n" + a + "," + a + "\n", kMaxLineBytes, step);
      ASSERT_EQ(r.fields.size(), 3u);
      EXPECT_EQ(r.fields[0], (std::vector<std::string>{a, b}));
      EXPECT_EQ(r.fields[1], (std::vector<std::string>{b}));
      EXPECT_EQ(r.fields[2], (std::vector<std::string>{a, a}));
      for (size_t at = 0; at < n; ++at) {  // a lone CR (data) and a stray quote at `at`
        std::string cr = a, quote = a;
        cr[at] = '\r';
        quote[at] = '"';
        const Read c = read_all(cr + ",x\n", kMaxLineBytes, step);
        ASSERT_EQ(c.fields.size(), 1u);
        EXPECT_EQ(c.fields[0], (std::vector<std::string>{cr, "x"}));
        EXPECT_FALSE(c.records[0].has_error);
        if (at == 0) continue;  // a leading quote starts a quoted field
        const Read q = read_all(quote + ",x\n", kMaxLineBytes, step);
        ASSERT_EQ(q.fields.size(), 1u);
        EXPECT_EQ(q.fields[0], (std::vector<std::string>{quote, "x"}));
        EXPECT_TRUE(q.records[0].has_error);
        EXPECT_EQ(q.records[0].error_code, "quote_in_unquoted");
      }
    }
  }
}

}  // namespace
}  // namespace assay
