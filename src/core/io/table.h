// CSV/TSV reading (RFC 4180 quotes and embedded newlines, CRLF/LF/CR, UTF-8 BOM, delimiter sniffing,
// header row choice) and CSV writing that neutralizes spreadsheet formulas (DESIGN.md section 4).
//
// read_table, in detail (tests/cpp/io/table_test.cpp has a case for each):
// - A quote opens a quoted field only at the start of a field; inside, "" is a quote and delimiters and
//   line ends are data. Text after a closing quote is kept ("x"y -> xy), as Python's csv module does.
//   A quote left open is an error naming the line where its field started.
// - Invalid UTF-8 bytes become U+FFFD and are counted (invalid_utf8); a leading BOM is dropped.
// - Sniffing looks at up to 50 records from the header on: the candidate (, 	 ; |) found in the header
//   whose count is the same on most records wins (ties: larger count, then .tsv/.tab -> tab, then that
//   order); a header without any candidate is one column, and the candidate rarest in the data is used.
// - header_row counts records (= physical lines unless a quoted field above spans lines).
// - Rows with every cell empty are skipped and counted (blank_rows); short rows are padded with "";
//   extra cells that are all empty (trailing delimiters) are dropped; other long rows are an error
//   naming the line. Errors are Error(bad_input) naming the source, and the line where there is one
//   ("jobs.csv, line 14: ...", where = "jobs.csv:14"); a header_row < 1 is Error(invalid_parameter).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace tf::io {

struct CsvOptions {
  char delimiter = 0;            // 0 = sniff among ',', '\t', ';', '|'
  int header_row = 1;            // 1-based line (record) holding the column names; rows above are skipped
  std::string source = "input";  // file name used in error messages
};

struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;  // every row has columns.size() cells (short rows padded)
  std::vector<std::size_t> line_numbers;       // 1-based physical line where each row starts
  char delimiter = ',';
  std::size_t invalid_utf8 = 0;                // bytes replaced by U+FFFD
  std::size_t blank_rows = 0;                  // rows with every cell empty, skipped
  std::string source;

  // Index of a column by exact name, else Error(bad_input) "<source>: no column named "x"; the columns are ..."
  std::size_t column(const std::string& name) const;
};

Table read_table(std::string_view bytes, const CsvOptions& options = {});
std::string read_file(const std::string& path);  // "-" = stdin; Error(bad_input) naming the path

// One CSV record, without a line end (RFC 4180; comma-separated; a field is quoted when it holds a comma,
// a quote, CR or LF). Cells that start with = + - @ TAB or CR get a
// leading apostrophe so that spreadsheets do not run them as formulas.
std::string csv_record(const std::vector<std::string>& cells, bool neutralize = true);

}  // namespace tf::io
