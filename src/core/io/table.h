// CSV/TSV reading (RFC 4180 quotes and embedded newlines, CRLF/LF/CR, UTF-8 BOM, delimiter sniffing,
// header row choice) and CSV writing that neutralizes spreadsheet formulas (DESIGN.md section 4).
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

// One CSV record (RFC 4180; fields quoted when needed). Cells that start with = + - @ TAB or CR get a
// leading apostrophe so that spreadsheets do not run them as formulas.
std::string csv_record(const std::vector<std::string>& cells, bool neutralize = true);

}  // namespace tf::io
