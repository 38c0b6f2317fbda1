// The subcommands of `titleforest` (DESIGN.md section 3).
#include "cli/commands.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <utility>

#include "cli/args.h"
#include "common/error.h"
#include "io/model_io.h"
#include "io/table.h"
#include "pipeline.h"
#include "text/normalizer.h"
#include "text/porter.h"
#include "text/tokenizer.h"
#include "text/unicode.h"

namespace tf::cli {
namespace {

// --- flags that are not parameters ------------------------------------------------------------------
const FlagSpec kText{"text", "", "", Kind::text, "the text column(s), comma-separated; several are joined with a space",
                     "(required)"};
const FlagSpec kTextPredict{"text", "", "", Kind::text,
                            "with FILE: the text column(s), comma-separated; several are joined with a space",
                            "(required with FILE)"};
const FlagSpec kLabel{"label", "", "", Kind::text, "the label column; rows with an empty label are dropped",
                      "(required)"};
const FlagSpec kDelimiter{"delimiter", "", "", Kind::text, "field delimiter: auto|comma|tab|semicolon|pipe|CHAR",
                          "auto"};
const FlagSpec kHeaderRow{"header-row", "", "", Kind::integer, "1-based line holding the column names; lines above are skipped",
                          "1"};
const FlagSpec kJson{"json", "", "", Kind::text, "write the JSON result to this file (- = standard output)"};
const FlagSpec kJsonTfidf{"json", "", "", Kind::text, "write the JSON to this file (- = standard output)", "-"};
const FlagSpec kOut{"out", "", "", Kind::text, "model file to write (.json: JSON text; otherwise compact binary)",
                    "(required)"};
const FlagSpec kProgress{"progress", "", "", Kind::boolean, "show progress on standard error",
                         "true when standard error is a terminal"};
const FlagSpec kPreprocessFlag{"preprocess", "", "", Kind::boolean, "normalize the texts as the notebook does first",
                               "false"};
const FlagSpec kMode{"mode", "", "", Kind::text, "nltk|martin|original", "nltk"};
const FlagSpec kPreserveLine{"preserve-line", "", "", Kind::boolean, "tokenize without the Punkt sentence split",
                             "false"};

struct Command {
  std::string name, usage, summary;
  std::vector<FlagSpec> flags;
};

void append(std::vector<FlagSpec>& to, const std::vector<FlagSpec>& from) { to.insert(to.end(), from.begin(), from.end()); }

std::vector<Command> commands() {
  std::vector<Command> c;
  c.push_back({"tokenize", "titleforest tokenize [--preserve-line B]",
               "Reads a text per line on standard input and prints NLTK word_tokenize's tokens joined by spaces.",
               {kPreserveLine}});
  c.push_back({"stem", "titleforest stem [--mode nltk|martin|original]",
               "Reads a word per line on standard input and prints its Porter stem.",
               {kMode}});
  c.push_back({"preprocess", "titleforest preprocess [flags]",
               "Reads a text per line on standard input and prints the notebook's normalized text (may be empty).",
               stage_flags("preprocess")});
  {
    Command t{"tfidf", "titleforest tfidf FILE --text COL[,COL...] [flags] [--json OUT]",
              "Fits the TF-IDF vectorizer on the texts of FILE (as given, or normalized with --preprocess true) and "
              "prints {vocabulary, idf, shape, rows} as JSON.",
              {kText, kDelimiter, kHeaderRow, kJsonTfidf, kPreprocessFlag}};
    append(t.flags, stage_flags("tfidf", true));
    append(t.flags, stage_flags("preprocess"));
    c.push_back(t);
  }
  {
    Command e{"evaluate", "titleforest evaluate FILE --text COL[,COL...] --label COL [flags] [--json OUT]",
              "The notebook's experiment: normalize, split, TF-IDF, model search, then accuracy, v-measure and the "
              "wrong/correct prediction groups (a summary on standard output, the exact JSON to --json).",
              {kText, kLabel, kDelimiter, kHeaderRow, kJson, kProgress}};
    for (const char* s : {"preprocess", "tfidf", "forest", "split", "search"}) append(e.flags, stage_flags(s));
    c.push_back(e);
  }
  {
    Command t{"train", "titleforest train FILE --text COL[,COL...] --label COL [flags] --out MODEL",
              "Fits the pipeline on every labelled row (no split, no search): one forest of --n-estimators trees.",
              {kText, kLabel, kDelimiter, kHeaderRow, kOut, kProgress}};
    for (const char* s : {"preprocess", "tfidf", "forest"}) append(t.flags, stage_flags(s));
    c.push_back(t);
  }
  c.push_back({"predict", "titleforest predict MODEL [FILE --text COL[,COL...]]",
               "Classifies the lines of standard input (or the rows of FILE) and prints CSV: text,label,probability.",
               {kTextPredict, kDelimiter, kHeaderRow}});
  return c;
}

const Command* find_command(const std::vector<Command>& all, const std::string& name) {
  for (const auto& c : all)
    if (c.name == name) return &c;
  return nullptr;
}

// --- help ---------------------------------------------------------------------------------------------
std::string default_of(const FlagSpec& f, const nlohmann::json& defaults) {
  if (f.stage.empty()) return f.default_text;
  try {
    return flag_text(defaults.at(f.stage).at(f.key));
  } catch (const std::exception&) {
    return "";
  }
}

void print_help(const Command& c, std::ostream& out) {
  out << "Usage: " << c.usage << "\n\n" << c.summary << "\n";
  nlohmann::json defaults;
  try {
    defaults = PipelineParams{};
  } catch (const std::exception&) {
  }
  std::string group = "-";
  for (const auto& f : c.flags) {
    if (f.stage != group) {
      group = f.stage;
      out << "\n" << (group.empty() ? std::string("Options") : "Parameters: " + group) << "\n";
    }
    const std::string d = default_of(f, defaults);
    std::string left = "  --" + f.flag;
    out << std::left << std::setw(28) << left;
    if (left.size() >= 28) out << "\n" << std::string(28, ' ');
    out << f.help;
    if (!d.empty()) out << (d[0] == '(' ? " " + d : " [default: " + d + "]");
    out << "\n";
  }
  if (c.flags.empty()) out << "\n(no flags)\n";
  out << "\nEvery flag takes a value: --flag VALUE or --flag=VALUE. Booleans are true/false; Python's None is none.\n";
}

void print_main_help(std::ostream& out) {
  out << "Usage: titleforest COMMAND [ARGS] [--flag VALUE ...]\n\n"
         "Job-title classification as in the reference notebook: NLTK preprocessing, TF-IDF, a random forest.\n\n"
         "Commands:\n";
  for (const auto& c : commands()) out << "  " << std::left << std::setw(12) << c.name << c.summary << "\n";
  out << "\nRun `titleforest COMMAND --help` for the flags of a command and their defaults.\n";
}

// --- progress ---------------------------------------------------------------------------------------------
class Progress {
 public:
  explicit Progress(bool on) : on_(on) {}
  ~Progress() { finish(); }
  void update(double fraction, const std::string& stage) {
    if (!on_) return;
    const auto now = std::chrono::steady_clock::now();
    if (shown_ && fraction < 1.0 && now - last_ < std::chrono::milliseconds(100) && stage == stage_) return;
    last_ = now;
    stage_ = stage;
    shown_ = true;
    std::fprintf(stderr, "\r%-14s %3d%%", stage.c_str(), static_cast<int>(fraction * 100 + 0.5));
    std::fflush(stderr);
  }
  void line(const std::string& text) {
    if (!on_) return;
    finish();
    std::fprintf(stderr, "%s\n", text.c_str());
  }
  void finish() {
    if (shown_) std::fprintf(stderr, "\r\033[K");
    shown_ = false;
  }
  FitControl control() {
    FitControl c;
    if (on_) c.on_progress = [this](double f, const std::string& s) { update(f, s); };
    return c;
  }

 private:
  bool on_;
  bool shown_ = false;
  std::string stage_;
  std::chrono::steady_clock::time_point last_{};
};

bool want_progress(const Parsed& p) {
  if (p.has("progress")) return parse_bool("progress", p.get("progress"));
  return ::isatty(2) != 0;
}

void note(const std::string& text) { std::cerr << "titleforest: " << text << "\n"; }

std::string plural(std::size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// --- input ------------------------------------------------------------------------------------------------
std::string display_name(const std::string& path) { return path == "-" ? "standard input" : path; }

io::Table load_table(const std::string& path, const Parsed& p) {
  io::CsvOptions o;
  o.source = display_name(path);
  if (p.has("delimiter")) o.delimiter = parse_delimiter(p.get("delimiter"));
  if (p.has("header-row")) {
    const long long h = parse_int("header-row", p.get("header-row"));
    if (h < 1 || h > 1000000000LL)
      throw UsageError("--header-row takes a line number, 1 or more; got \"" + p.get("header-row") + "\".");
    o.header_row = static_cast<int>(h);
  }
  io::Table t = io::read_table(io::read_file(path), o);
  if (t.invalid_utf8)
    note(o.source + ": replaced " + plural(t.invalid_utf8, "byte", "bytes") +
         " that are not valid UTF-8 with U+FFFD (is the file UTF-8?).");
  return t;
}

std::string column_list(const io::Table& t) {
  std::string s;
  for (std::size_t i = 0; i < t.columns.size(); ++i) s += (i ? ", " : "") + ("\"" + t.columns[i] + "\"");
  return s;
}

std::vector<std::string> text_columns(const io::Table& t, const Parsed& p, const std::string& command) {
  if (!p.has("text") || p.get("text").empty())
    throw UsageError("`titleforest " + command + "` needs --text COL (the column holding the texts); the columns of " +
                     t.source + " are " + column_list(t) + ".");
  auto cols = split_list(p.get("text"));
  // A column whose own name holds commas: take the whole value when it names a column.
  for (const auto& c : t.columns)
    if (c == p.get("text")) return {c};
  return cols;
}

std::string label_column(const io::Table& t, const Parsed& p, const std::string& command) {
  if (!p.has("label") || p.get("label").empty())
    throw UsageError("`titleforest " + command + "` needs --label COL (the column holding the labels); the columns of " +
                     t.source + " are " + column_list(t) + ".");
  return p.get("label");
}

// Counts the rows whose label is empty and names the first few lines.
void report_empty_labels(const io::Table& t, const std::string& label) {
  const std::size_t col = t.column(label);
  std::vector<std::size_t> lines;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const auto& v = t.rows[r][col];
    if (v.find_first_not_of(" \t\r\n\f\v") == std::string::npos) lines.push_back(t.line_numbers[r]);
  }
  if (lines.empty()) return;
  std::string where;
  for (std::size_t i = 0; i < lines.size() && i < 5; ++i) where += (i ? ", " : "") + std::to_string(lines[i]);
  if (lines.size() > 5) where += ", ...";
  note(t.source + ": dropped " + plural(lines.size(), "row", "rows") + " with an empty \"" + label +
       "\" (line" + (lines.size() == 1 ? " " : "s ") + where + ").");
}

void report_blank_rows(const io::Table& t) {
  if (t.blank_rows) note(t.source + ": skipped " + plural(t.blank_rows, "blank row", "blank rows") + ".");
}

void report_empty_texts(const io::Table& t, std::size_t n) {
  if (n)
    note(t.source + ": dropped " + plural(n, "row", "rows") +
         " whose text is empty after normalization (only stopwords, punctuation or one-letter tokens).");
}

PipelineParams build_params(const Parsed& p, const std::vector<FlagSpec>& flags) {
  PipelineParams params;
  from_json(params_json(p, flags), params);
  return params;
}

// Calls fn on each line of standard input (line end, CR and a leading BOM removed, invalid UTF-8
// replaced). When a person types the lines, each answer is shown at once.
template <class F>
void for_each_stdin_line(F&& fn) {
  const bool interactive = ::isatty(0) != 0;
  std::string line;
  bool first = true;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (first && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
    first = false;
    fn(text::sanitize_utf8(line));
    if (interactive) std::cout.flush();
  }
}

std::vector<std::string> stdin_lines() {
  std::vector<std::string> lines;
  for_each_stdin_line([&](std::string line) { lines.push_back(std::move(line)); });
  return lines;
}

// --- output -----------------------------------------------------------------------------------------------
class Output {
 public:
  explicit Output(const std::string& path) : path_(path) {
    if (path_ != "-") {
      file_.open(path_, std::ios::binary | std::ios::trunc);
      if (!file_) throw Error(ErrorCode::bad_input, "Cannot write " + path_ + ": " + std::strerror(errno) + ".", path_);
    }
  }
  std::ostream& stream() { return path_ == "-" ? std::cout : file_; }
  void close() {
    stream().flush();
    if (!stream())
      throw Error(ErrorCode::bad_input, "Cannot write " + (path_ == "-" ? std::string("to standard output") : path_) + ".",
                  path_);
    if (path_ != "-") file_.close();
  }

 private:
  std::string path_;
  std::ofstream file_;
};

std::string number(double v) { return nlohmann::json(v).dump(); }

std::string fixed(double v, int digits = 4) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << v;
  return s.str();
}

// --- the subcommands ----------------------------------------------------------------------------------------
int cmd_tokenize(const Parsed& p) {
  if (!p.positional.empty()) throw UsageError("`titleforest tokenize` reads standard input and takes no FILE.");
  const bool preserve = p.has("preserve-line") && parse_bool("preserve-line", p.get("preserve-line"));
  for_each_stdin_line([&](const std::string& line) {
    const auto tokens = text::word_tokenize(line, preserve);
    std::string out;
    for (std::size_t i = 0; i < tokens.size(); ++i) out += (i ? " " : "") + tokens[i];
    std::cout << out << '\n';
  });
  return 0;
}

int cmd_stem(const Parsed& p) {
  if (!p.positional.empty()) throw UsageError("`titleforest stem` reads standard input and takes no FILE.");
  const text::StemMode mode = text::stem_mode_from_string(p.get("mode", "nltk"));
  for_each_stdin_line([&](const std::string& word) { std::cout << text::porter_stem(word, mode) << '\n'; });
  return 0;
}

int cmd_preprocess(const Parsed& p, const std::vector<FlagSpec>& flags) {
  if (!p.positional.empty()) throw UsageError("`titleforest preprocess` reads standard input and takes no FILE.");
  const PipelineParams params = build_params(p, flags);
  const text::Normalizer normalize(params.preprocess);
  for_each_stdin_line([&](const std::string& line) { std::cout << normalize(line) << '\n'; });
  return 0;
}

// Fails early (before minutes of training) when an output file cannot be created.
void check_writable(const std::string& path) {
  if (path == "-") return;
  const auto slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw Error(ErrorCode::bad_input, "Cannot write " + path + ": the folder " + dir + " does not exist.", path);
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    throw Error(ErrorCode::bad_input, "Cannot write " + path + ": it is a folder.", path);
  if (::access(dir.c_str(), W_OK) != 0)
    throw Error(ErrorCode::bad_input, "Cannot write " + path + ": the folder " + dir + " is not writable.", path);
}

std::string one_file(const Parsed& p, const std::string& command, const std::string& what = "FILE") {
  if (p.positional.empty())
    throw UsageError("`titleforest " + command + "` needs a " + what + " (a CSV or TSV file, or - for standard input).");
  if (p.positional.size() > 1)
    throw UsageError("`titleforest " + command + "` takes one " + what + "; got also \"" + p.positional[1] + "\".");
  return p.positional[0];
}

int cmd_tfidf(const Parsed& p, const std::vector<FlagSpec>& flags) {
  const std::string path = one_file(p, "tfidf");
  const PipelineParams params = build_params(p, flags);
  check_writable(p.get("json", "-"));
  const bool preprocess = p.has("preprocess") && parse_bool("preprocess", p.get("preprocess"));
  if (!preprocess)
    for (const auto& f : stage_flags("preprocess"))
      if (p.has(f.flag))
        throw UsageError("--" + f.flag + " applies only with --preprocess true (tfidf uses the texts as given otherwise).");
  const io::Table table = load_table(path, p);
  Dataset data = extract_dataset(table, Columns{text_columns(table, p, "tfidf"), ""});
  report_blank_rows(table);
  std::vector<std::string> docs = data.texts;
  if (preprocess) {
    const text::Normalizer normalize(params.preprocess);
    for (auto& d : docs) d = normalize(d);
  }
  features::TfidfVectorizer vec(params.tfidf);
  const SparseMatrix X = vec.fit_transform(docs);

  Output out(p.get("json", "-"));
  std::ostream& os = out.stream();
  // Written by hand so that a large corpus needs no second copy in memory; numbers via nlohmann (shortest
  // round-trip form), strings via nlohmann (JSON escapes).
  os << "{\"vocabulary\": {";
  const auto& terms = vec.terms();
  for (std::size_t i = 0; i < terms.size(); ++i) os << (i ? ", " : "") << nlohmann::json(terms[i]).dump() << ": " << i;
  os << "},\n\"idf\": [";
  const auto& idf = vec.idf();
  for (std::size_t i = 0; i < idf.size(); ++i) os << (i ? ", " : "") << number(idf[i]);
  os << "],\n\"shape\": [" << X.rows() << ", " << X.cols() << "],\n\"rows\": [";
  for (Eigen::Index r = 0; r < X.rows(); ++r) {
    os << (r ? ",\n" : "\n") << "[";
    bool first = true;
    for (SparseMatrix::InnerIterator it(X, r); it; ++it) {
      os << (first ? "" : ", ") << "[" << it.col() << ", " << number(it.value()) << "]";
      first = false;
    }
    os << "]";
  }
  os << "\n]}\n";
  out.close();
  return 0;
}

constexpr std::size_t kMaxListed = 12;

void print_summary(std::ostream& os, const EvaluateResult& r, const std::string& source, std::size_t n_rows,
                   const std::string& select_on) {
  os << source << ": " << n_rows << " labelled rows; " << r.n_train << " to train, " << r.n_test << " to test.\n";
  os << plural(r.labels.size(), "label", "labels") << ": ";
  for (std::size_t i = 0; i < r.labels.size() && i < kMaxListed; ++i) os << (i ? ", " : "") << r.labels[i];
  if (r.labels.size() > kMaxListed) os << ", ...";
  os << "\n\nModel search (" << plural(r.rounds.size(), "round", "rounds") << ", scored on the "
     << (select_on == "validation" ? "validation rows held out of the training set" : "test set") << "):\n";
  for (std::size_t i = 0; i < r.rounds.size(); ++i) {
    const auto& x = r.rounds[i];
    os << "  round " << std::setw(2) << x.round << "  " << std::left << std::setw(8) << x.criterion << std::right
       << std::setw(4) << x.n_estimators << " trees  accuracy " << fixed(x.accuracy) << "  v-measure "
       << fixed(x.v_measure) << (static_cast<int>(i) == r.best_round ? "  <- kept" : "") << "\n";
  }
  os << "\nAccuracy:  " << fixed(r.accuracy) << "\n";
  os << "V-measure: " << fixed(r.v_measure) << " (homogeneity " << fixed(r.homogeneity) << ", completeness "
     << fixed(r.completeness) << ")\n";

  // Confusion matrix: rows = actual, columns = predicted (unless too wide to read).
  std::size_t w = 6;
  for (const auto& l : r.labels) w = std::max(w, l.size());
  if ((r.labels.size() + 1) * (w + 2) > 200) {
    os << "\n(The confusion matrix of " << r.labels.size() << " labels is in the --json output.)\n";
    os << "\n" << eval::format_text(r.report);
    os.flush();
    return;
  }
  os << "\nConfusion matrix (rows: actual, columns: predicted):\n" << std::string(w + 2, ' ');
  for (const auto& l : r.labels) os << std::setw(static_cast<int>(w) + 2) << l;
  os << "\n";
  for (std::size_t i = 0; i < r.labels.size() && i < r.confusion_matrix.size(); ++i) {
    os << "  " << std::left << std::setw(static_cast<int>(w)) << r.labels[i] << std::right;
    for (auto v : r.confusion_matrix[i]) os << std::setw(static_cast<int>(w) + 2) << v;
    os << "\n";
  }
  os << "\n" << eval::format_text(r.report);
  os.flush();
}

// The labelled rows of FILE for evaluate and train, with blank rows and rows without a label reported.
// The table is kept for the reports of rows dropped later (empty normalized texts).
std::pair<io::Table, Dataset> load_labelled(const std::string& path, const Parsed& p, const std::string& command) {
  io::Table table = load_table(path, p);
  const auto text = text_columns(table, p, command);
  const auto label = label_column(table, p, command);
  Dataset data = extract_dataset(table, Columns{text, label});
  report_blank_rows(table);
  report_empty_labels(table, label);
  return {std::move(table), std::move(data)};
}

int cmd_evaluate(const Parsed& p, const std::vector<FlagSpec>& flags) {
  const std::string path = one_file(p, "evaluate");
  const PipelineParams params = build_params(p, flags);
  if (p.has("json")) check_writable(p.get("json"));
  const auto [table, data] = load_labelled(path, p, "evaluate");

  Progress progress(want_progress(p));
  const auto on_round = [&](const eval::RoundResult& r) {
    progress.line("round " + std::to_string(r.round) + ": " + r.criterion + ", " + std::to_string(r.n_estimators) +
                  " trees: accuracy " + fixed(r.accuracy) + ", v-measure " + fixed(r.v_measure));
  };
  const EvaluateResult result = evaluate(data, params, progress.control(), on_round);
  progress.finish();
  report_empty_texts(table, result.dropped_empty_text);

  const bool json_to_stdout = p.get("json") == "-";
  if (p.has("json")) {
    Output out(p.get("json"));
    out.stream() << result.to_json().dump() << '\n';
    out.close();
  }
  // With --json -, standard output holds the JSON alone; the summary goes to standard error.
  print_summary(json_to_stdout ? std::cerr : std::cout, result, table.source,
                data.texts.size() - result.dropped_empty_text, params.search.select_on);
  return 0;
}

std::string size_text(std::size_t bytes) {
  if (bytes < 10 * 1024) return std::to_string(bytes) + " bytes";
  if (bytes < 10 * 1024 * 1024) return std::to_string((bytes + 512) / 1024) + " KB";
  return fixed(bytes / (1024.0 * 1024.0), 1) + " MB";
}

int cmd_train(const Parsed& p, const std::vector<FlagSpec>& flags) {
  const std::string path = one_file(p, "train");
  if (!p.has("out") || p.get("out").empty())
    throw UsageError("`titleforest train` needs --out MODEL (the model file to write; .json for JSON text).");
  const std::string out_path = p.get("out");
  const PipelineParams params = build_params(p, flags);
  check_writable(out_path);
  const auto [table, data] = load_labelled(path, p, "train");

  Progress progress(want_progress(p));
  const Model model = Model::train(data, params, progress.control());
  progress.finish();
  report_empty_texts(table, data.texts.size() - model.n_train_rows);

  const auto enc = io::encoding_for_path(out_path);
  const auto bytes = model.save(enc);
  Output out(out_path);
  out.stream().write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  out.close();
  note("wrote " + (out_path == "-" ? std::string("the model to standard output") : out_path) + " (" + size_text(bytes.size()) + ", " +
       (enc == io::ModelEncoding::json ? "JSON" : "binary") + "): " + plural(model.n_train_rows, "row", "rows") + ", " +
       plural(model.labels().size(), "label", "labels") + ", " + plural(model.forest().n_trees(), "tree", "trees") +
       ", " + plural(model.vectorizer().n_features(), "term", "terms") + ".");
  std::string top;
  for (const auto& [term, importance] : model.top_terms(10))
    top += (top.empty() ? "" : ", ") + term + " (" + fixed(importance, 3) + ")";
  if (!top.empty()) note("most important terms: " + top + ".");
  return 0;
}

int cmd_predict(const Parsed& p) {
  if (p.positional.empty())
    throw UsageError("`titleforest predict` needs a MODEL file (written by titleforest train).");
  if (p.positional.size() > 2)
    throw UsageError("`titleforest predict` takes MODEL and at most one FILE; got also \"" + p.positional[2] + "\".");
  const std::string model_path = p.positional[0];
  if (model_path == "-" && p.positional.size() == 2 && p.positional[1] == "-")
    throw UsageError("MODEL and FILE cannot both be standard input.");
  if (p.positional.size() == 1 && p.has("text"))
    throw UsageError("--text applies to a FILE; without one, predict reads a text per line on standard input.");
  const nlohmann::json j = io::decode_model(io::read_file(model_path), display_name(model_path));
  Model model;
  try {
    model = Model::from_json(j);
  } catch (const Error& e) {
    if (e.code != ErrorCode::model_format) throw;
    throw Error(ErrorCode::model_format, display_name(model_path) + ": " + e.what(), e.where);
  }

  std::vector<std::string> texts;
  if (p.positional.size() == 2) {
    const io::Table table = load_table(p.positional[1], p);
    texts = extract_dataset(table, Columns{text_columns(table, p, "predict"), ""}).texts;
    report_blank_rows(table);
  } else {
    texts = stdin_lines();
  }
  const auto predictions = model.predict(texts);
  const auto& labels = model.labels();
  std::cout << io::csv_record({"text", "label", "probability"}) << '\n';
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const auto& pr = predictions[i];
    double prob = 0;
    for (std::size_t k = 0; k < labels.size() && k < pr.probabilities.size(); ++k)
      if (labels[k] == pr.label) prob = pr.probabilities[k];
    std::cout << io::csv_record({texts[i], pr.label, number(prob)}) << '\n';
  }
  std::cout.flush();
  return 0;
}

std::vector<FlagSpec> all_flags(const std::vector<Command>& all) {
  std::vector<FlagSpec> out;
  for (const auto& c : all) append(out, c.flags);
  return out;
}

}  // namespace

int run(const std::vector<std::string>& args) {
  const auto all = commands();
  if (args.empty()) {
    print_main_help(std::cerr);
    return 2;
  }
  const std::string& name = args[0];
  if (name == "--help" || name == "-h" || name == "help") {
    if (args.size() > 1)
      if (const Command* c = find_command(all, args[1])) {
        print_help(*c, std::cout);
        return 0;
      }
    print_main_help(std::cout);
    return 0;
  }
  if (name == "--version") {
    std::cout << "titleforest 0.1.0 (model format version " << io::kModelVersion << ")\n";
    return 0;
  }
  const Command* c = find_command(all, name);
  if (!c) {
    std::string list;
    for (std::size_t i = 0; i < all.size(); ++i) list += (i ? ", " : "") + all[i].name;
    throw UsageError("unknown command \"" + name + "\"; the commands are " + list + " (see titleforest --help).");
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  for (const auto& a : rest) {
    if (a == "--") break;
    if (a == "--help" || a == "-h") {
      print_help(*c, std::cout);
      return 0;
    }
  }
  const Parsed p = parse_args(rest, c->name, c->flags, all_flags(all));
  // Every flag value is checked before any work starts.
  for (const auto& f : c->flags)
    if (p.has(f.flag) && f.kind == Kind::boolean) parse_bool(f.flag, p.get(f.flag));

  if (c->name == "tokenize") return cmd_tokenize(p);
  if (c->name == "stem") return cmd_stem(p);
  if (c->name == "preprocess") return cmd_preprocess(p, c->flags);
  if (c->name == "tfidf") return cmd_tfidf(p, c->flags);
  if (c->name == "evaluate") return cmd_evaluate(p, c->flags);
  if (c->name == "train") return cmd_train(p, c->flags);
  return cmd_predict(p);
}

}  // namespace tf::cli
