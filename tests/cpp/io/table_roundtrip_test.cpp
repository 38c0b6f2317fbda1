// Property tests: csv_record output read back by read_table gives the cells again, for random cells
// made of the characters that matter (delimiters, quotes, line ends, non-ASCII); random bytes never crash.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "common/error.h"
#include "common/random.h"
#include "io/table.h"

namespace {

std::string random_cell(tf::SplitMix64& g) {
  static const std::vector<std::string> pieces = {"a", "Z", " ", ",", "\"", "\n", "\r\n", "\r", "\t", ";", "|",
                                                  "é", "日本", "x y", "\"\"", "=", "-"};
  std::string s;
  const auto n = g.bounded(6);
  for (std::uint64_t i = 0; i < n; ++i) s += pieces[g.bounded(pieces.size())];
  return s;
}

}  // namespace

TEST_CASE("csv_record then read_table gives the cells back (1000 random tables)") {
  tf::SplitMix64 g(20261124);
  for (int t = 0; t < 1000; ++t) {
    const std::size_t n_cols = 1 + g.bounded(4), n_rows = 1 + g.bounded(5);
    std::vector<std::string> header;
    for (std::size_t c = 0; c < n_cols; ++c) header.push_back("col" + std::to_string(c));
    std::string csv = tf::io::csv_record(header, false) + (g.bounded(2) ? "\r\n" : "\n");
    std::vector<std::vector<std::string>> rows;
    for (std::size_t r = 0; r < n_rows; ++r) {
      std::vector<std::string> row;
      for (std::size_t c = 0; c < n_cols; ++c) row.push_back(random_cell(g));
      csv += tf::io::csv_record(row, false) + "\n";
      bool blank = true;
      for (const auto& cell : row) blank = blank && cell.empty();
      if (!blank) rows.push_back(row);
    }
    CAPTURE(csv);
    tf::io::CsvOptions o;
    o.delimiter = ',';
    const auto table = tf::io::read_table(csv, o);
    CHECK(table.columns == header);
    CHECK(table.rows == rows);
  }
}

TEST_CASE("read_table on random bytes returns a table or a tf::Error, nothing else") {
  tf::SplitMix64 g(7);
  static const char alphabet[] = {'a', ',', '\t', ';', '|', '"', '\n', '\r', ' ', '\xC3', '\xA9', '\xFF', '\0'};
  for (int t = 0; t < 2000; ++t) {
    std::string bytes;
    const auto n = g.bounded(40);
    for (std::uint64_t i = 0; i < n; ++i) bytes += alphabet[g.bounded(sizeof alphabet)];
    tf::io::CsvOptions o;
    o.header_row = 1 + static_cast<int>(g.bounded(3));
    try {
      const auto table = tf::io::read_table(bytes, o);
      for (const auto& row : table.rows) CHECK(row.size() == table.columns.size());
      CHECK(table.rows.size() == table.line_numbers.size());
    } catch (const tf::Error& e) {
      CHECK(e.code == tf::ErrorCode::bad_input);
    }
  }
}
