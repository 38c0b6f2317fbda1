#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "common/error.h"
#include "fixture.h"
#include "io/table.h"

using tf::io::CsvOptions;
using tf::io::read_table;
using Rows = std::vector<std::vector<std::string>>;
using Cells = std::vector<std::string>;

namespace {

struct Case {
  const char* description;
  std::string input;
  Cells columns;
  Rows rows;
  std::vector<std::size_t> lines;
  char delimiter;
  CsvOptions options = {};
};

CsvOptions header(int row, char delimiter = 0) {
  CsvOptions o;
  o.header_row = row;
  o.delimiter = delimiter;
  return o;
}

CsvOptions named(const std::string& source) {
  CsvOptions o;
  o.source = source;
  return o;
}

}  // namespace

TEST_CASE("read_table: RFC 4180 records, line ends, BOM, sniffing, header row") {
  const std::vector<Case> cases = {
      {"plain comma", "a,b\n1,2\n3,4\n", {"a", "b"}, {{"1", "2"}, {"3", "4"}}, {2, 3}, ','},
      {"no final line end", "a,b\n1,2", {"a", "b"}, {{"1", "2"}}, {2}, ','},
      {"CRLF", "a,b\r\n1,2\r\n3,4\r\n", {"a", "b"}, {{"1", "2"}, {"3", "4"}}, {2, 3}, ','},
      {"CR only", "a,b\r1,2\r3,4", {"a", "b"}, {{"1", "2"}, {"3", "4"}}, {2, 3}, ','},
      {"UTF-8 BOM", "\xEF\xBB\xBFname,label\nx,y\n", {"name", "label"}, {{"x", "y"}}, {2}, ','},
      {"quoted delimiter", "a,b\n\"x, y\",2\n", {"a", "b"}, {{"x, y", "2"}}, {2}, ','},
      {"doubled quote", "a,b\n\"say \"\"hi\"\"\",2\n", {"a", "b"}, {{"say \"hi\"", "2"}}, {2}, ','},
      {"embedded LF, next line counted", "a,b\n\"one\ntwo\",2\n3,4\n", {"a", "b"}, {{"one\ntwo", "2"}, {"3", "4"}},
       {2, 4}, ','},
      {"embedded CRLF kept", "a,b\r\n\"one\r\ntwo\",2\r\n", {"a", "b"}, {{"one\r\ntwo", "2"}}, {2}, ','},
      {"empty quoted field", "a,b\n\"\",2\n", {"a", "b"}, {{"", "2"}}, {2}, ','},
      {"quote inside unquoted field is literal", "a,b\nsay \"hi\",2\n", {"a", "b"}, {{"say \"hi\"", "2"}}, {2}, ','},
      {"text after a closing quote is kept", "a,b\n\"x\"y,2\n", {"a", "b"}, {{"xy", "2"}}, {2}, ','},
      {"tab sniffed", "a\tb\nx, y\t1\nz\t2\n", {"a", "b"}, {{"x, y", "1"}, {"z", "2"}}, {2, 3}, '\t'},
      {"semicolon sniffed", "a;b\n1,5;2\n3;4\n", {"a", "b"}, {{"1,5", "2"}, {"3", "4"}}, {2, 3}, ';'},
      {"pipe sniffed", "a|b|c\n1|2|3\n", {"a", "b", "c"}, {{"1", "2", "3"}}, {2}, '|'},
      {"commas inside quotes do not count", "a\tb\n\"x,y,z\"\t1\n\"p,q\"\t2\n", {"a", "b"}, {{"x,y,z", "1"}, {"p,q", "2"}},
       {2, 3}, '\t'},
      {"consistency beats frequency", "t\tl\nA, B, C\tx\nD\ty\nE, F\tz\n", {"t", "l"},
       {{"A, B, C", "x"}, {"D", "y"}, {"E, F", "z"}}, {2, 3, 4}, '\t'},
      {"one column", "title\nCEO\nCTO\n", {"title"}, {{"CEO"}, {"CTO"}}, {2, 3}, ','},
      {"one column with commas in some rows", "title\nVP, Sales\nCTO\nCOO, Europe\n", {"title"},
       {{"VP, Sales"}, {"CTO"}, {"COO, Europe"}}, {2, 3, 4}, '\t'},
      {"one column with commas and tabs", "title\nA, B\tC\nD, E\n", {"title"}, {{"A, B\tC"}, {"D, E"}}, {2, 3}, ';'},
      {"decimal commas, semicolon fields", "a;b\n1,5;2,25\n3,5;4,75\n", {"a", "b"}, {{"1,5", "2,25"}, {"3,5", "4,75"}},
       {2, 3}, ';'},
      {"forced delimiter", "a;b\n1;2\n", {"a;b"}, {{"1;2"}}, {2}, ',', header(1, ',')},
      {"caption line above the header", "Example: titles\npositions,label\nCEO,c-level\n", {"positions", "label"},
       {{"CEO", "c-level"}}, {3}, ',', header(2)},
      {"caption with commas above the header", "Caption,,,\npositions,label,x,y\nCEO,c-level,1,2\n",
       {"positions", "label", "x", "y"}, {{"CEO", "c-level", "1", "2"}}, {3}, ',', header(2)},
      {"caption with a stray quote above the header", "Report \"2024 draft\na\tb\n1\t2\n3\t4\n", {"a", "b"},
       {{"1", "2"}, {"3", "4"}}, {3, 4}, '\t', header(2)},
      {"quoted fields with doubled quotes and commas sniffed", "a\tb\n\"x \"\"q\"\", y\"\t1\n\"p,q\"\t2\n", {"a", "b"},
       {{"x \"q\", y", "1"}, {"p,q", "2"}}, {2, 3}, '\t'},
      {"tab file with a caption line", "Titles, all of them\na\tb\n1\t2\n", {"a", "b"}, {{"1", "2"}}, {3}, '\t',
       header(2)},
      {"short rows padded", "a,b,c\n1\n1,2\n", {"a", "b", "c"}, {{"1", "", ""}, {"1", "2", ""}}, {2, 3}, ','},
      {"trailing empty cells dropped", "a,b\n1,2,,\n", {"a", "b"}, {{"1", "2"}}, {2}, ','},
      {"blank rows skipped", "a,b\n\n1,2\n,\n\n3,4\n", {"a", "b"}, {{"1", "2"}, {"3", "4"}}, {3, 6}, ','},
      {"header only", "a,b\n", {"a", "b"}, {}, {}, ','},
      {"spaces kept", "a,b\n x , y \n", {"a", "b"}, {{" x ", " y "}}, {2}, ','},
      {"UTF-8 kept", "titre,label\nDirecteur général,c-level\n", {"titre", "label"}, {{"Directeur général", "c-level"}},
       {2}, ','},
      {".tsv breaks a tie toward tab", "a\tb,c\n1\t2,3\n", {"a", "b,c"}, {{"1", "2,3"}}, {2}, '\t', named("x.tsv")},
  };
  for (const auto& c : cases) {
    const std::string description = c.description;
    CAPTURE(description);
    const auto t = read_table(c.input, c.options);
    CHECK(t.columns == c.columns);
    CHECK(t.rows == c.rows);
    CHECK(t.line_numbers == c.lines);
    CHECK(t.delimiter == c.delimiter);
    CHECK(t.invalid_utf8 == 0);
  }
}

TEST_CASE("read_table counts blank rows and replaced bytes") {
  const auto t = read_table("a,b\n\n\xFF\xFEx,2\n,\n");
  CHECK(t.blank_rows == 2);
  CHECK(t.invalid_utf8 == 2);
  REQUIRE(t.rows.size() == 1);
  CHECK(t.rows[0][0] == "\xEF\xBF\xBD\xEF\xBF\xBDx");
}

TEST_CASE("read_table errors name the source and the line") {
  struct ErrCase {
    const char* description;
    std::string input;
    CsvOptions options;
    tf::ErrorCode code;
    std::string phrase;
  };
  CsvOptions jobs = named("jobs.csv");
  CsvOptions jobs4 = jobs;
  jobs4.header_row = 4;
  CsvOptions jobs0 = jobs;
  jobs0.header_row = 0;
  CsvOptions quote_delim = jobs;
  quote_delim.delimiter = '"';
  const std::vector<ErrCase> cases = {
      {"long row", "a,b\n1,2\n1,2,3\n", jobs, tf::ErrorCode::bad_input,
       "jobs.csv, line 3: this row has 3 fields but the header (line 1) has 2 columns"},
      {"unterminated quote", "a,b\n1,2\n\"open,2\n3,4\n", jobs, tf::ErrorCode::bad_input,
       "jobs.csv, line 3: a quoted field starts here but its closing quote is missing."},
      {"unterminated quote after an embedded newline", "a,b\n\"x\ny\",1\n2,\"z\n", jobs, tf::ErrorCode::bad_input,
       "jobs.csv, line 4: a quoted field starts here"},
      {"empty file", "", jobs, tf::ErrorCode::bad_input, "jobs.csv is empty."},
      {"BOM only", "\xEF\xBB\xBF", jobs, tf::ErrorCode::bad_input, "jobs.csv is empty."},
      {"header row past the end", "a,b\n1,2\n", jobs4, tf::ErrorCode::bad_input,
       "jobs.csv has 2 lines, so it has no header on line 4."},
      {"blank header row", "\na,b\n", jobs, tf::ErrorCode::bad_input, "jobs.csv, line 1: the header row is empty"},
      {"header row 0", "a,b\n", jobs0, tf::ErrorCode::invalid_parameter, "'header_row' parameter must be an int in [1, inf)"},
      {"quote as delimiter", "a,b\n", quote_delim, tf::ErrorCode::invalid_parameter, "'delimiter' parameter"},
  };
  for (const auto& c : cases) {
    const std::string description = c.description;
    CAPTURE(description);
    try {
      read_table(c.input, c.options);
      FAIL("no error");
    } catch (const tf::Error& e) {
      CHECK(e.code == c.code);
      CHECK_MESSAGE(std::string(e.what()).find(c.phrase) != std::string::npos, std::string(e.what()));
    }
  }
}

TEST_CASE("Table::column finds a column or lists the available ones") {
  CsvOptions o = named("jobs.csv");
  const auto t = read_table("positions,Label,source\nx,y,z\n", o);
  CHECK(t.column("positions") == 0);
  CHECK(t.column("source") == 2);
  try {
    t.column("title");
    FAIL("no error");
  } catch (const tf::Error& e) {
    CHECK(e.code == tf::ErrorCode::bad_input);
    CHECK(std::string(e.what()) ==
          "jobs.csv: no column named \"title\"; the columns are \"positions\", \"Label\", \"source\".");
  }
  try {
    t.column("label");
    FAIL("no error");
  } catch (const tf::Error& e) {
    CHECK(std::string(e.what()).find("no column named \"label\" (did you mean \"Label\"?)") != std::string::npos);
  }
}

TEST_CASE("csv_record quotes when needed and neutralizes formulas") {
  struct C {
    Cells cells;
    std::string expected;
    bool neutralize = true;
  };
  const std::vector<C> cases = {
      {{"a", "b"}, "a,b"},
      {{"x, y", "1"}, "\"x, y\",1"},
      {{"say \"hi\""}, "\"say \"\"hi\"\"\""},
      {{"two\nlines"}, "\"two\nlines\""},
      {{"", ""}, ","},
      {{"=SUM(A1)", "+1", "-2", "@x", "\tt", "\rr"}, "'=SUM(A1),'+1,'-2,'@x,'\tt,\"'\rr\""},
      {{"=1,2"}, "\"'=1,2\""},
      {{"=1"}, "=1", false},
      {{"a=b", "0.5"}, "a=b,0.5"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.expected);
    CHECK(tf::io::csv_record(c.cells, c.neutralize) == c.expected);
  }
}

TEST_CASE("csv_record output reads back") {
  const Cells cells{"x, \"y\"", "two\r\nlines", "plain"};
  const auto t = read_table("a,b,c\n" + tf::io::csv_record(cells, false) + "\n");
  REQUIRE(t.rows.size() == 1);
  CHECK(t.rows[0] == cells);
}

TEST_CASE("read_file reads bytes and names a missing path") {
  const auto bytes = tf::io::read_file(tf::test::project_path("models/persona/positions-titled.csv"));
  CsvOptions o = named("positions-titled.csv");
  o.header_row = 2;
  const auto t = read_table(bytes, o);
  CHECK(t.columns == Cells{"positions", "label", "onet_soc_code", "source"});
  CHECK(t.rows.size() == 600);
  CHECK(t.line_numbers.front() == 3);
  CHECK(t.delimiter == ',');

  struct E {
    std::string path, phrase;
  };
  const std::vector<E> errors = {
      {"/nonexistent/jobs.csv", "Cannot read /nonexistent/jobs.csv: no such file."},
      {tf::test::project_path("models"), "it is a directory."},
  };
  for (const auto& e : errors) {
    try {
      tf::io::read_file(e.path);
      FAIL("no error");
    } catch (const tf::Error& err) {
      CHECK(err.code == tf::ErrorCode::bad_input);
      CHECK_MESSAGE(std::string(err.what()).find(e.phrase) != std::string::npos, std::string(err.what()));
      CHECK(err.where == e.path);
    }
  }
}

TEST_CASE("the O*NET titles read as TSV") {
  const auto t = read_table(tf::io::read_file(tf::test::project_path("models/onet/alternate-titles.tsv")),
                            named("alternate-titles.tsv"));
  CHECK(t.delimiter == '\t');
  CHECK(t.rows.size() == 52754);
  CHECK(t.column("Alternate Title") == 1);
  CHECK(t.invalid_utf8 == 0);
}
