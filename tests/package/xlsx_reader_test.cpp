// Fixtures come from tests/fixtures/xlsx/make_fixtures.py; each expected text
// was worked out by hand from the XML written there. Date serials were checked
// with Python's datetime: serial N >= 61 is date(1899, 12, 30) + N days,
// 1 <= N <= 59 is date(1899, 12, 31) + N days (Excel's serial 1 = 1900-01-01,
// serial 60 = the fictitious 1900-02-29), and 1904-system serial N is
// date(1904, 1, 1) + N days.
#include "package/xlsx_reader.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

namespace assay::xlsx {
namespace {

std::string fixture(const std::string& name) {
  const std::string path = std::string(ASSAY_SOURCE_DIR) + "/tests/fixtures/xlsx/" + name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Workbook read_ok(const std::string& name) {
  Workbook workbook;
  const Status status = read_workbook(fixture(name), &workbook);
  EXPECT_TRUE(status.is_ok()) << status.message();
  return workbook;
}

std::string read_error(const std::string& bytes) {
  Workbook workbook;
  const Status status = read_workbook(bytes, &workbook);
  EXPECT_FALSE(status.is_ok());
  EXPECT_TRUE(workbook.sheets.empty());
  return status.message();
}

std::vector<std::string> texts(const Row& row) {
  std::vector<std::string> out;
  for (const Cell& cell : row.cells) out.push_back(cell.text);
  return out;
}

const Row& row_of(const Sheet& sheet, int64_t number) {
  for (const Row& row : sheet.rows) {
    if (row.row_number == number) return row;
  }
  static const Row kNone;
  ADD_FAILURE() << "no row " << number << " in sheet " << sheet.name;
  return kNone;
}

TEST(XlsxReader, SheetsKeepWorkbookOrderWhateverTheirPartNames) {
  const Workbook wb = read_ok("basic.xlsx");
  ASSERT_EQ(wb.sheets.size(), 2u);
  EXPECT_EQ(wb.sheets[0].name, "zeta");  // xl/worksheets/sheet2.xml, absolute target
  EXPECT_EQ(wb.sheets[1].name, "alpha");
  EXPECT_FALSE(wb.date1904);
}

TEST(XlsxReader, SharedInlineAndRichStrings) {
  const Workbook wb = read_ok("basic.xlsx");
  ASSERT_EQ(wb.sheets.size(), 2u);
  EXPECT_EQ(texts(row_of(wb.sheets[0], 1)),
            (std::vector<std::string>{"record_id", "inline text", "Hello World"}));
  // Phonetic run dropped; "_x0009_" is a tab.
  EXPECT_EQ(texts(row_of(wb.sheets[1], 1)),
            (std::vector<std::string>{"\xE6\xBC\xA2\xE5\xAD\x97", "tab\there"}));
}

TEST(XlsxReader, NumbersAreShortestRoundTripText) {
  const Workbook wb = read_ok("basic.xlsx");
  ASSERT_FALSE(wb.sheets.empty());
  // 1E+20 is below 1e21 so it is written out; 1E+21 and 1E-7 keep an exponent.
  // J2 has format "0.00" (not a date): the stored value, not the display.
  EXPECT_EQ(
      texts(row_of(wb.sheets[0], 2)),
      (std::vector<std::string>{"42", "0.1", "6056610.1", "1e-7", "123456789012345", "1e21", "-2.5",
                                "0.30000000000000004", "100000000000000000000", "1234.5"}));
}

TEST(XlsxReader, DateFormatsGiveDatesAndTimestamps) {
  const Workbook wb = read_ok("basic.xlsx");
  ASSERT_FALSE(wb.sheets.empty());
  EXPECT_EQ(texts(row_of(wb.sheets[0], 3)),
            (std::vector<std::string>{
                "2024-03-31",            // 45382, built-in format 14
                "2024-03-31T12:00:00Z",  // 45382.5, "yyyy-mm-dd hh:mm"
                "45382",                 // 0.00" days": the d is quoted
                "45382",                 // [Red]#,##0: no date token outside brackets
                "1900-02-28",            // 59: before the fictitious leap day
                "1900-03-01",            // 61
                "60",                    // 1900-02-29 never existed
                "1900-01-01",            // 1
                "2024-03-31T00:00:01Z",  // .00001 day = 0.864 s, rounds to 1 s
                "2024-04-01",            // 0.0864 ms before midnight rounds to midnight
                "0",                     // serial 0 is no date
                "2024-03-31T09:00:00Z",  // .3750011574 day = 09:00:00.1
            }));
}

TEST(XlsxReader, FormulasBooleansAndErrors) {
  const Workbook wb = read_ok("basic.xlsx");
  ASSERT_FALSE(wb.sheets.empty());
  const Row& row = row_of(wb.sheets[0], 5);
  ASSERT_EQ(row.cells.size(), 7u);
  EXPECT_EQ(row.cells[0].text, "42");
  EXPECT_TRUE(row.cells[0].from_formula);
  EXPECT_FALSE(row.cells[0].formula_without_value);
  EXPECT_EQ(row.cells[1].text, "record_id");
  EXPECT_TRUE(row.cells[1].from_formula);
  EXPECT_EQ(row.cells[2].text, "");
  EXPECT_TRUE(row.cells[2].formula_without_value);
  EXPECT_FALSE(row.cells[2].from_formula);
  EXPECT_EQ(row.cells[3].text, "true");
  EXPECT_FALSE(row.cells[3].from_formula);
  EXPECT_EQ(row.cells[4].text, "false");
  EXPECT_EQ(row.cells[5].text, "#N/A");
  EXPECT_TRUE(row.cells[5].is_error);
  EXPECT_FALSE(row.cells[5].from_formula);
  EXPECT_EQ(row.cells[6].text, "#N/A");
  EXPECT_TRUE(row.cells[6].is_error);
  EXPECT_TRUE(row.cells[6].from_formula);
}

TEST(XlsxReader, CellsWithoutReferencesFollowThePreviousOne) {
  const Workbook wb = read_ok("basic.xlsx");
  ASSERT_FALSE(wb.sheets.empty());
  const Row& row = row_of(wb.sheets[0], 6);  // <row> without r after row 5
  EXPECT_EQ(texts(row), (std::vector<std::string>{"x", "", "3"}));
}

TEST(XlsxReader, BlankCellsAndBlankRows) {
  const Workbook wb = read_ok("basic.xlsx");
  ASSERT_FALSE(wb.sheets.empty());
  const Sheet& zeta = wb.sheets[0];
  // Row 4 is absent from the XML, row 9 holds styled blanks only.
  std::vector<int64_t> numbers;
  for (const Row& row : zeta.rows) numbers.push_back(row.row_number);
  EXPECT_EQ(numbers, (std::vector<int64_t>{1, 2, 3, 5, 6, 8, 10}));
  // A8 is a styled blank, D8 a trailing one.
  EXPECT_EQ(texts(row_of(zeta, 8)), (std::vector<std::string>{"", "", "1"}));
}

TEST(XlsxReader, IsoDateCells) {
  const Workbook wb = read_ok("basic.xlsx");
  ASSERT_FALSE(wb.sheets.empty());
  // C10: 01:30 at +02:00 is 23:30 UTC the day before; D10 is kept verbatim;
  // E10 is two spaces.
  EXPECT_EQ(texts(row_of(wb.sheets[0], 10)),
            (std::vector<std::string>{"2024-03-31", "2024-03-31T08:30:00Z", "2024-03-30T23:30:00Z",
                                      "not a date", "  "}));
}

TEST(XlsxReader, Date1904System) {
  const Workbook wb = read_ok("date1904.xlsx");
  EXPECT_TRUE(wb.date1904);
  ASSERT_EQ(wb.sheets.size(), 1u);
  // 43920 days after 1904-01-01 is 2024-03-31; serial 0 is 1904-01-01 itself.
  EXPECT_EQ(
      texts(row_of(wb.sheets[0], 1)),
      (std::vector<std::string>{"2024-03-31", "1904-01-01", "43920", "2024-03-31T18:00:00Z"}));
}

TEST(XlsxReader, MissingOptionalPartsAndPrefixedElements) {
  const Workbook wb = read_ok("minimal.xlsx");
  ASSERT_EQ(wb.sheets.size(), 1u);
  EXPECT_EQ(wb.sheets[0].name, "activities");
  ASSERT_EQ(wb.sheets[0].rows.size(), 2u);
  EXPECT_EQ(texts(wb.sheets[0].rows[0]), (std::vector<std::string>{"site_id", "quantity"}));
  // s="7" with no styles part: a plain number.
  EXPECT_EQ(texts(wb.sheets[0].rows[1]), (std::vector<std::string>{"S1", "45382"}));
}

TEST(XlsxReader, NotAZip) {
  const std::string message = read_error("record_id,quantity\nR1,5\n");
  EXPECT_NE(message.find("not an xlsx file"), std::string::npos) << message;
}

TEST(XlsxReader, TruncatedZip) {
  const std::string bytes = fixture("basic.xlsx");
  const std::string message = read_error(bytes.substr(0, bytes.size() / 2));
  EXPECT_NE(message.find("not an xlsx file"), std::string::npos) << message;
}

TEST(XlsxReader, MissingWorkbookPartIsNamed) {
  const std::string message = read_error(fixture("no_workbook.xlsx"));
  EXPECT_EQ(message, "xl/workbook.xml: part is missing from the workbook");
}

TEST(XlsxReader, ColumnLettersBeyondXFD) {
  EXPECT_EQ(read_error(fixture("bad_column.xlsx")),
            "xl/worksheets/sheet1.xml: cell reference \"AAAA1\" is not a cell in A1:XFD1048576");
}

TEST(XlsxReader, RowBeyondTheLastExcelRow) {
  EXPECT_EQ(read_error(fixture("bad_row.xlsx")),
            "xl/worksheets/sheet1.xml: row number \"1048577\" is not between 1 and 1048576");
}

TEST(XlsxReader, RowsOutOfOrder) {
  EXPECT_EQ(read_error(fixture("rows_out_of_order.xlsx")),
            "xl/worksheets/sheet1.xml: row 3 comes after row 5");
}

TEST(XlsxReader, SharedStringIndexOutOfRange) {
  EXPECT_EQ(read_error(fixture("bad_shared_string.xlsx")),
            "xl/worksheets/sheet1.xml: cell A1 refers to shared string \"1\" but the workbook "
            "has 1");
}

TEST(XlsxReader, MalformedXmlNamesThePart) {
  const std::string message = read_error(fixture("malformed_sheet.xlsx"));
  EXPECT_EQ(message.rfind("xl/worksheets/sheet1.xml: malformed XML", 0), 0u) << message;
}

TEST(XlsxReader, LimitsAreStatuses) {
  const std::string bytes = fixture("basic.xlsx");
  Workbook workbook;
  Limits cells;
  cells.max_cells = 10;
  Status status = read_workbook(bytes, cells, &workbook);
  EXPECT_EQ(status.message(), "xl/worksheets/sheet2.xml: the workbook has more than 10 cells");

  Limits part;
  part.max_part_bytes = 100;
  status = read_workbook(bytes, part, &workbook);
  EXPECT_EQ(status.message(), "xl/workbook.xml: part is larger than 100 bytes uncompressed");
  EXPECT_TRUE(workbook.sheets.empty());
}

}  // namespace
}  // namespace assay::xlsx
