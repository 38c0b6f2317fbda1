#include "cli/args.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "common/error.h"
#include "io/table.h"

namespace tf::cli {
namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool is_none(const std::string& raw) { return lower(trim(raw)) == "none"; }

[[noreturn]] void bad_value(const std::string& flag, const std::string& expected, const std::string& raw) {
  throw UsageError("--" + flag + " takes " + expected + "; got \"" + raw + "\".");
}

double parse_double(const std::string& flag, const std::string& raw, const std::string& expected) {
  const std::string s = trim(raw);
  if (s.empty()) bad_value(flag, expected, raw);
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s.c_str(), &end);
  if (*end != '\0' || errno == ERANGE || !std::isfinite(v)) bad_value(flag, expected, raw);
  return v;
}

nlohmann::json parse_int_json(const std::string& flag, const std::string& raw, const std::string& expected) {
  const std::string s = trim(raw);
  if (s.empty()) bad_value(flag, expected, raw);
  char* end = nullptr;
  errno = 0;
  if (s[0] != '-') {  // random_state may need the full unsigned 64-bit range
    const unsigned long long v = std::strtoull(s.c_str(), &end, 10);
    if (*end != '\0' || errno == ERANGE) bad_value(flag, expected, raw);
    if (v <= static_cast<unsigned long long>(INT64_MAX)) return static_cast<long long>(v);
    return v;
  }
  const long long v = std::strtoll(s.c_str(), &end, 10);
  if (*end != '\0' || errno == ERANGE) bad_value(flag, expected, raw);
  return v;
}

bool looks_float(const std::string& s) { return s.find_first_of(".eE") != std::string::npos; }

nlohmann::json parse_int_or_float(const std::string& flag, const std::string& raw, const std::string& expected) {
  if (looks_float(trim(raw))) return parse_double(flag, raw, expected);
  return parse_int_json(flag, raw, expected);
}

std::vector<std::string> read_vocabulary_file(const std::string& flag, const std::string& path) {
  std::string bytes;
  try {
    bytes = io::read_file(path);
  } catch (const Error& e) {
    throw UsageError("--" + flag + ": " + e.what());
  }
  if (bytes.size() >= 3 && bytes.compare(0, 3, "\xEF\xBB\xBF") == 0) bytes.erase(0, 3);
  std::vector<std::string> terms;
  std::size_t start = 0;
  while (start < bytes.size()) {
    std::size_t end = bytes.find('\n', start);
    if (end == std::string::npos) end = bytes.size();
    std::string line = bytes.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    terms.push_back(line);
    start = end + 1;
  }
  while (!terms.empty() && terms.back().empty()) terms.pop_back();  // a final line end, trailing blank lines
  return terms;
}

// Levenshtein distance, for "did you mean".
std::size_t distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

const FlagSpec* find_flag(const std::vector<FlagSpec>& flags, const std::string& name) {
  for (const auto& f : flags)
    if (f.flag == name) return &f;
  return nullptr;
}

}  // namespace

std::vector<FlagSpec> stage_flags(const std::string& stage, bool tfidf_plain_max_features) {
  if (stage == "preprocess")
    return {
        {"preserve-line", stage, "preserve_line", Kind::boolean, "tokenize without the Punkt sentence split"},
        {"stopwords", stage, "stopwords", Kind::words, "stopwords dropped before stemming: english|none|w1,w2,..."},
        {"min-token-length", stage, "min_token_length", Kind::integer, "shorter tokens are dropped"},
        {"stem", stage, "stem", Kind::boolean, "Porter-stem each token"},
        {"stem-mode", stage, "stem_mode", Kind::text, "nltk|martin|original"},
    };
  if (stage == "tfidf")
    return {
        {"analyzer", stage, "analyzer", Kind::text, "word|char|char_wb"},
        {"lowercase", stage, "lowercase", Kind::boolean, "lowercase before tokenizing"},
        {"strip-accents", stage, "strip_accents", Kind::text_none, "ascii|unicode|none"},
        {"token-pattern", stage, "token_pattern", Kind::text, "regular expression of a token"},
        {"stop-words", stage, "stop_words", Kind::words, "english|none|w1,w2,..."},
        {"ngram-range", stage, "ngram_range", Kind::int_pair, "MIN,MAX n-gram lengths"},
        {"max-df", stage, "max_df", Kind::int_or_float, "ignore terms in more documents (int: count, float: share)"},
        {"min-df", stage, "min_df", Kind::int_or_float, "ignore terms in fewer documents (int: count, float: share)"},
        {tfidf_plain_max_features ? "max-features" : "tfidf-max-features", stage, "max_features",
         Kind::integer_none, "keep the most frequent terms: int|none"},
        {"vocabulary", stage, "vocabulary", Kind::vocabulary, "fixed vocabulary: none|w1,w2,...|@PATH (a term per line)"},
        {"binary", stage, "binary", Kind::boolean, "term presence instead of counts"},
        {"norm", stage, "norm", Kind::text_none, "l2|l1|none"},
        {"use-idf", stage, "use_idf", Kind::boolean, "weight by inverse document frequency"},
        {"smooth-idf", stage, "smooth_idf", Kind::boolean, "add one to document frequencies"},
        {"sublinear-tf", stage, "sublinear_tf", Kind::boolean, "1 + log(tf)"},
    };
  if (stage == "forest")
    return {
        {"n-estimators", stage, "n_estimators", Kind::integer, "number of trees"},
        {"criterion", stage, "criterion", Kind::text, "gini|entropy|log_loss"},
        {"max-depth", stage, "max_depth", Kind::integer_none, "int|none"},
        {"min-samples-split", stage, "min_samples_split", Kind::int_or_float, "int: count, float: share"},
        {"min-samples-leaf", stage, "min_samples_leaf", Kind::int_or_float, "int: count, float: share"},
        {"min-impurity-decrease", stage, "min_impurity_decrease", Kind::number, "float >= 0"},
        {"forest-max-features", stage, "max_features", Kind::max_features, "features per split: sqrt|log2|int|float|none"},
        {"bootstrap", stage, "bootstrap", Kind::boolean, "draw each tree's rows with replacement"},
        {"max-samples", stage, "max_samples", Kind::int_or_float_none, "rows drawn per tree: int|float|none"},
        {"class-weight", stage, "class_weight", Kind::text_none, "balanced|balanced_subsample|none"},
        {"oob-score", stage, "oob_score", Kind::boolean, "compute the out-of-bag score"},
        {"random-state", stage, "random_state", Kind::integer_none, "seed of the forest: int|none"},
        {"n-jobs", stage, "n_jobs", Kind::integer, "threads (never changes the model)"},
    };
  if (stage == "split")
    return {
        {"test-size", stage, "test_size", Kind::int_or_float_none, "int: rows, float: share, or none"},
        {"train-size", stage, "train_size", Kind::int_or_float_none, "int: rows, float: share, or none"},
        {"split-random-state", stage, "random_state", Kind::integer_none, "seed of the split: int|none"},
        {"shuffle", stage, "shuffle", Kind::boolean, "shuffle before splitting"},
        {"stratify", stage, "stratify", Kind::boolean, "keep label proportions in both parts"},
    };
  if (stage == "search")
    return {
        {"max-rounds", stage, "max_rounds", Kind::integer, "most forests trained by the model search"},
        {"target-v-measure", stage, "target_v_measure", Kind::number, "stop once a round reaches it"},
        {"n-estimators-spread", stage, "n_estimators_spread", Kind::integer,
         "round r uses n_estimators + a uniform int in [-spread, spread]"},
        {"select-on", stage, "select_on", Kind::text, "test|validation: the rows that pick the best round"},
        {"validation-size", stage, "validation_size", Kind::number, "share of training rows held out for validation"},
        {"search-random-state", stage, "random_state", Kind::integer, "seed of the search"},
    };
  return {};
}

std::string Parsed::get(const std::string& flag, const std::string& fallback) const {
  const auto it = values.find(flag);
  return it == values.end() ? fallback : it->second;
}

Parsed parse_args(const std::vector<std::string>& args, const std::string& command,
                  const std::vector<FlagSpec>& allowed, const std::vector<FlagSpec>& other_flags) {
  Parsed p;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() > 2 && a.compare(0, 2, "--") == 0) {
      std::string name = a.substr(2), value;
      bool has_value = false;
      if (const auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        has_value = true;
      }
      const FlagSpec* spec = find_flag(allowed, name);
      if (!spec) {
        if (find_flag(other_flags, name))
          throw UsageError("--" + name + " does not apply to `titleforest " + command + "` (see titleforest " +
                           command + " --help).");
        std::string best;
        std::size_t best_d = 3;
        for (const auto& f : allowed)
          if (const auto d = distance(name, f.flag); d < best_d) best = f.flag, best_d = d;
        throw UsageError("unknown flag --" + name + " for `titleforest " + command + "`" +
                         (best.empty() ? "" : " (did you mean --" + best + "?)") + "; see titleforest " + command +
                         " --help.");
      }
      if (!has_value) {
        if (i + 1 >= args.size())
          throw UsageError("--" + name + " needs a value (" + spec->help + ").");
        value = args[++i];
      }
      if (p.values.count(name)) throw UsageError("--" + name + " is given twice.");
      p.values[name] = value;
      p.order.push_back(name);
    } else if (a == "--") {
      for (++i; i < args.size(); ++i) p.positional.push_back(args[i]);
    } else {
      p.positional.push_back(a);
    }
  }
  return p;
}

bool parse_bool(const std::string& flag, const std::string& raw) {
  const std::string s = lower(trim(raw));
  if (s == "true") return true;
  if (s == "false") return false;
  bad_value(flag, "true or false", raw);
}

long long parse_int(const std::string& flag, const std::string& raw) {
  const auto j = parse_int_json(flag, raw, "an integer");
  if (!j.is_number_integer() || j.is_number_unsigned()) bad_value(flag, "an integer", raw);
  return j.get<long long>();
}

std::vector<std::string> split_list(const std::string& raw) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const auto comma = raw.find(',', start);
    out.push_back(trim(raw.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

char parse_delimiter(const std::string& raw) {
  const std::string s = lower(raw);
  if (s == "auto") return 0;
  if (s == "," || s == "comma") return ',';
  if (s == "\t" || s == "\\t" || s == "tab") return '\t';
  if (s == ";" || s == "semicolon") return ';';
  if (s == "|" || s == "pipe") return '|';
  if (raw.size() == 1 && raw != "\"" && raw != "\n" && raw != "\r") return raw[0];
  throw UsageError("--delimiter takes one character, or auto, comma, tab, semicolon or pipe; got \"" + raw + "\".");
}

nlohmann::json flag_value(const FlagSpec& spec, const std::string& raw) {
  const std::string& f = spec.flag;
  switch (spec.kind) {
    case Kind::boolean:
      return parse_bool(f, raw);
    case Kind::integer:
      return parse_int_json(f, raw, "an integer");
    case Kind::integer_none:
      if (is_none(raw)) return nullptr;
      return parse_int_json(f, raw, "an integer or none");
    case Kind::number:
      return parse_double(f, raw, "a number");
    case Kind::int_or_float:
      return parse_int_or_float(f, raw, "an integer (a count) or a float such as 0.5 (a proportion)");
    case Kind::int_or_float_none:
      if (is_none(raw)) return nullptr;
      return parse_int_or_float(f, raw, "an integer (a count), a float such as 0.5 (a proportion) or none");
    case Kind::text:
      return raw;
    case Kind::text_none:
      if (is_none(raw)) return nullptr;
      return raw;
    case Kind::words: {
      if (is_none(raw)) return nullptr;
      if (lower(trim(raw)) == "english") return "english";
      auto words = split_list(raw);
      words.erase(std::remove(words.begin(), words.end(), std::string()), words.end());
      return words;
    }
    case Kind::int_pair: {
      const auto parts = split_list(raw);
      if (parts.size() != 2) bad_value(f, "two integers MIN,MAX such as 1,2", raw);
      nlohmann::json out = nlohmann::json::array();
      for (const auto& p : parts) {
        const auto v = parse_int_json(f, p, "two integers MIN,MAX such as 1,2");
        out.push_back(v);
      }
      return out;
    }
    case Kind::vocabulary: {
      if (is_none(raw)) return nullptr;
      if (!raw.empty() && raw[0] == '@') return read_vocabulary_file(f, raw.substr(1));
      return split_list(raw);
    }
    case Kind::max_features: {
      if (is_none(raw)) return nullptr;
      const std::string s = lower(trim(raw));
      if (s == "sqrt" || s == "log2") return s;
      return parse_int_or_float(f, raw, "sqrt, log2, an integer, a float such as 0.3, or none");
    }
  }
  return raw;
}

nlohmann::json params_json(const Parsed& parsed, const std::vector<FlagSpec>& allowed) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& name : parsed.order) {
    const FlagSpec* spec = find_flag(allowed, name);
    if (!spec || spec->stage.empty()) continue;
    j[spec->stage][spec->key] = flag_value(*spec, parsed.values.at(name));
  }
  return j;
}

std::string flag_text(const nlohmann::json& v) {
  if (v.is_null()) return "none";
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array()) {
    std::string s;
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + flag_text(v[i]);
    return s;
  }
  return v.dump();
}

}  // namespace tf::cli
