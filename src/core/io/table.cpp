// CSV/TSV reading: RFC 4180 with the leniencies spreadsheets need (see table.h).
#include "io/table.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <sys/stat.h>

#include "common/error.h"
#include "text/unicode.h"

namespace tf::io {
namespace {

constexpr std::array<char, 4> kCandidates{',', '\t', ';', '|'};
constexpr std::size_t kSniffRecords = 50;  // records looked at (from the header on) to choose the delimiter

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

std::string delimiter_name(char d) {
  switch (d) {
    case ',': return "comma";
    case '\t': return "tab";
    case ';': return "semicolon";
    case '|': return "pipe";
  }
  return quoted(std::string(1, d));
}

bool ends_with(const std::string& s, const std::string& suffix) {
  if (s.size() < suffix.size()) return false;
  return std::equal(suffix.rbegin(), suffix.rend(), s.rbegin(),
                    [](char a, char b) { return std::tolower((unsigned char)a) == std::tolower((unsigned char)b); });
}

// A line end at text[i]: returns its length (CRLF = 2, LF or CR = 1), or 0.
std::size_t line_end_at(std::string_view text, std::size_t i) {
  if (text[i] == '\n') return 1;
  if (text[i] == '\r') return (i + 1 < text.size() && text[i + 1] == '\n') ? 2 : 1;
  return 0;
}

bool is_candidate(char c) { return std::find(kCandidates.begin(), kCandidates.end(), c) != kCandidates.end(); }

// Counts of each candidate delimiter outside quotes, per record, for records header_row.. (up to
// kSniffRecords non-blank ones). As in the reader, a quote opens a quoted field only at the start of a
// field (here: of a line, or after any candidate), and "" inside one is a quote.
std::vector<std::array<std::size_t, 4>> count_candidates(std::string_view text, int header_row) {
  std::vector<std::array<std::size_t, 4>> out;
  std::array<std::size_t, 4> counts{};
  bool in_quotes = false, any = false;
  long record = 1;
  std::size_t i = 0;
  while (i < text.size() && out.size() < kSniffRecords) {
    const char c = text[i];
    if (c == '"') {
      if (in_quotes && i + 1 < text.size() && text[i + 1] == '"') {
        i += 2;
        continue;
      }
      if (in_quotes || !any || is_candidate(text[i - 1])) in_quotes = !in_quotes;
      any = true;
      ++i;
      continue;
    }
    if (!in_quotes) {
      if (std::size_t n = line_end_at(text, i)) {
        if (record >= header_row && any) out.push_back(counts);
        counts = {};
        any = false;
        ++record;
        i += n;
        continue;
      }
      for (std::size_t k = 0; k < kCandidates.size(); ++k)
        if (c == kCandidates[k]) ++counts[k];
    }
    any = true;
    ++i;
  }
  if (any && record >= header_row && out.size() < kSniffRecords) out.push_back(counts);
  return out;
}

// The header decides: among the candidates found in the header line, the one whose count on the
// following records equals the header's count most often wins; ties go to the larger count, then to
// the file's extension (.tsv/.tab -> tab), then to the order , \t ; |. A header with no candidate is a
// single column: the candidate that occurs least in the data is taken, so that no row gets split.
char sniff_delimiter(std::string_view text, int header_row, const std::string& source) {
  const auto records = count_candidates(text, header_row);
  const bool tsv = ends_with(source, ".tsv") || ends_with(source, ".tab");
  const auto hinted = [&](std::size_t k) { return (kCandidates[k] == '\t') == tsv; };
  if (records.empty()) return tsv ? '\t' : ',';
  const auto& header = records.front();

  std::size_t best = kCandidates.size(), best_agree = 0, best_count = 0;
  for (std::size_t k = 0; k < kCandidates.size(); ++k) {
    const std::size_t h = header[k];
    if (h == 0) continue;
    std::size_t agree = 0;
    for (const auto& r : records) agree += r[k] == h;
    const bool better = best == kCandidates.size() || agree > best_agree ||
                        (agree == best_agree && (h > best_count || (h == best_count && hinted(k) && !hinted(best))));
    if (better) best = k, best_agree = agree, best_count = h;
  }
  if (best < kCandidates.size()) return kCandidates[best];

  std::size_t least = kCandidates.size(), least_total = 0;
  for (std::size_t k = 0; k < kCandidates.size(); ++k) {
    std::size_t total = 0;
    for (const auto& r : records) total += r[k];
    if (least == kCandidates.size() || total < least_total)
      least = k, least_total = total;
  }
  return kCandidates[least];
}

struct Record {
  std::vector<std::string> fields;
  std::size_t line = 0;  // physical line where it starts
};

// RFC 4180 records. A quote opens a quoted field only at the start of a field; inside one, "" is a
// quote; text after the closing quote is kept as is (as spreadsheets and Python's csv module do).
class RecordReader {
 public:
  RecordReader(std::string_view text, char delimiter, const std::string& source)
      : text_(text), d_(delimiter), source_(source) {}

  bool next(Record& r) {
    if (pos_ >= text_.size()) return false;
    r.fields.clear();
    r.line = line_;
    std::string field;
    bool field_start = true;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (field_start && c == '"') {
        read_quoted(field);
        field_start = false;
        continue;
      }
      if (c == d_) {
        r.fields.push_back(std::move(field));
        field.clear();
        field_start = true;
        ++pos_;
        continue;
      }
      if (std::size_t n = line_end_at(text_, pos_)) {
        pos_ += n;
        ++line_;
        r.fields.push_back(std::move(field));
        return true;
      }
      field += c;
      field_start = false;
      ++pos_;
    }
    r.fields.push_back(std::move(field));
    return true;
  }

 private:
  void read_quoted(std::string& field) {
    const std::size_t start_line = line_;
    ++pos_;  // the opening quote
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          field += '"';
          pos_ += 2;
          continue;
        }
        ++pos_;  // the closing quote
        return;
      }
      if (std::size_t n = line_end_at(text_, pos_)) {
        field.append(text_.substr(pos_, n));
        pos_ += n;
        ++line_;
        continue;
      }
      field += c;
      ++pos_;
    }
    throw Error(ErrorCode::bad_input,
                source_ + ", line " + std::to_string(start_line) +
                    ": a quoted field starts here but its closing quote is missing.",
                source_ + ":" + std::to_string(start_line));
  }

  std::string_view text_;
  char d_;
  const std::string& source_;
  std::size_t pos_ = 0, line_ = 1;
};

bool all_empty(const std::vector<std::string>& cells) {
  return std::all_of(cells.begin(), cells.end(), [](const std::string& s) { return s.empty(); });
}

std::string lower_ascii(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim_ascii(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

}  // namespace

std::size_t Table::column(const std::string& name) const {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return i;
  std::string hint;
  for (const auto& c : columns)
    if (lower_ascii(trim_ascii(c)) == lower_ascii(trim_ascii(name))) {
      hint = " (did you mean " + quoted(c) + "?)";
      break;
    }
  std::string list;
  for (std::size_t i = 0; i < columns.size(); ++i) list += (i ? ", " : "") + quoted(columns[i]);
  throw Error(ErrorCode::bad_input,
              source + ": no column named " + quoted(name) + hint + "; the columns are " + list + ".",
              source + ":" + name);
}

Table read_table(std::string_view bytes, const CsvOptions& options) {
  Table t;
  t.source = options.source;
  if (options.header_row < 1)
    throw_invalid_parameter("header_row", "an int in [1, inf)", std::to_string(options.header_row));
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  const std::string text = tf::text::sanitize_utf8(bytes, &t.invalid_utf8);

  char d = options.delimiter;
  if (d == 0) d = sniff_delimiter(text, options.header_row, t.source);
  if (d == '"' || d == '\n' || d == '\r')
    throw_invalid_parameter("delimiter", "a character other than a quote or a line end",
                            d == '"' ? "'\"'" : "a line end");
  t.delimiter = d;

  RecordReader reader(text, d, t.source);
  Record r;
  long record = 0;
  bool have_header = false;
  while (reader.next(r)) {
    ++record;
    if (record < options.header_row) continue;
    if (!have_header) {
      t.columns = std::move(r.fields);
      have_header = true;
      if (all_empty(t.columns))
        throw Error(ErrorCode::bad_input,
                    t.source + ", line " + std::to_string(r.line) +
                        ": the header row is empty (choose the line that holds the column names).",
                    t.source + ":" + std::to_string(r.line));
      continue;
    }
    if (all_empty(r.fields)) {
      ++t.blank_rows;
      continue;
    }
    if (r.fields.size() > t.columns.size()) {
      // Extra cells that are all empty (trailing delimiters) are harmless; anything else is an error.
      const bool extra_empty =
          std::all_of(r.fields.begin() + t.columns.size(), r.fields.end(), [](const std::string& s) { return s.empty(); });
      if (!extra_empty)
        throw Error(ErrorCode::bad_input,
                    t.source + ", line " + std::to_string(r.line) + ": this row has " +
                        std::to_string(r.fields.size()) + " fields but the header (line " +
                        std::to_string(options.header_row) + ") has " +
                        (t.columns.size() == 1 ? std::string("1 column") : std::to_string(t.columns.size()) + " columns") +
                        " (is the " + delimiter_name(d) + " the right delimiter?).",
                    t.source + ":" + std::to_string(r.line));
    }
    r.fields.resize(t.columns.size());
    t.rows.push_back(std::move(r.fields));
    t.line_numbers.push_back(r.line);
  }
  if (!have_header) {
    if (record == 0)
      throw Error(ErrorCode::bad_input, t.source + " is empty.", t.source);
    throw Error(ErrorCode::bad_input,
                t.source + " has " + std::to_string(record) + (record == 1 ? " line" : " lines") +
                    ", so it has no header on line " + std::to_string(options.header_row) + ".",
                t.source);
  }
  return t;
}

std::string read_file(const std::string& path) {
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    if (std::cin.bad()) throw Error(ErrorCode::bad_input, "Cannot read the standard input.", "-");
    return ss.str();
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    throw Error(ErrorCode::bad_input,
                "Cannot read " + path + ": " +
                    (err == ENOENT ? std::string("no such file") : std::string(std::strerror(err))) + ".",
                path);
  }
  if (S_ISDIR(st.st_mode)) throw Error(ErrorCode::bad_input, "Cannot read " + path + ": it is a directory.", path);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    throw Error(ErrorCode::bad_input, "Cannot read " + path + ": " + std::string(std::strerror(err)) + ".", path);
  }
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw Error(ErrorCode::bad_input, "Cannot read " + path + ": a read error occurred.", path);
  return data;
}

std::string csv_record(const std::vector<std::string>& cells, bool neutralize) {
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i) out += ',';
    std::string cell = cells[i];
    if (neutralize && !cell.empty() &&
        (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' || cell[0] == '\t' || cell[0] == '\r'))
      cell.insert(cell.begin(), '\'');
    if (cell.find_first_of(",\"\r\n") != std::string::npos) {
      std::string q = "\"";
      for (char c : cell) {
        if (c == '"') q += '"';
        q += c;
      }
      q += '"';
      out += q;
    } else {
      out += cell;
    }
  }
  return out;
}

}  // namespace tf::io
