// Command-line parsing for `titleforest`: every flag takes exactly one value (DESIGN.md section 3), as
// `--name VALUE` or `--name=VALUE`. Parameter flags map to one key of the nested params JSON
// {preprocess, tfidf, forest, split, search}; their values are converted by kind (bool, int, float, int-or-
// float as in Python, none, comma lists, @PATH) and then validated by the stage's from_json.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace tf::cli {

// A mistake in the command line: printed as "titleforest: <message>", exit status 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class Kind {
  boolean,       // true | false
  integer,       // 42
  integer_none,  // 42 | none
  number,        // 0.5 (an int is accepted and read as a float)
  int_or_float,  // 2 (a count) | 0.1 (a proportion): a '.' or an exponent makes it a float
  int_or_float_none,
  text,          // any string
  text_none,     // any string | none
  words,         // english | none | w1,w2,...
  int_pair,      // 1,2
  vocabulary,    // none | w1,w2,... | @PATH (one term per line)
  max_features,  // sqrt | log2 | int | float | none
};

struct FlagSpec {
  std::string flag;   // without the leading "--"
  std::string stage;  // "" for a flag that is not a parameter
  std::string key;    // JSON key inside the stage
  Kind kind;
  std::string help;
  std::string default_text = {};  // shown by --help for flags that are not parameters
};

// Parameter flags of one stage. `tfidf_plain_max_features`: the tfidf subcommand's plain --max-features.
std::vector<FlagSpec> stage_flags(const std::string& stage, bool tfidf_plain_max_features = false);

struct Parsed {
  std::vector<std::string> positional;
  std::map<std::string, std::string> values;  // flag -> raw value, as given
  std::vector<std::string> order;             // flags in the order given

  bool has(const std::string& flag) const { return values.count(flag) > 0; }
  std::string get(const std::string& flag, const std::string& fallback = "") const;
};

// Parses argv[first..] against the allowed flags; unknown flags, missing values and repeated flags are
// UsageErrors naming the subcommand. `other_flags`: flags of other subcommands, for a better message.
Parsed parse_args(const std::vector<std::string>& args, const std::string& command,
                  const std::vector<FlagSpec>& allowed, const std::vector<FlagSpec>& other_flags = {});

// The JSON value of one flag (UsageError naming the flag when it is malformed).
nlohmann::json flag_value(const FlagSpec& spec, const std::string& raw);

// {stage: {key: value}} for every parameter flag given.
nlohmann::json params_json(const Parsed& parsed, const std::vector<FlagSpec>& allowed);

// The flag form of a JSON default (true, none, 1,2, english, 0.99).
std::string flag_text(const nlohmann::json& value);

bool parse_bool(const std::string& flag, const std::string& raw);
long long parse_int(const std::string& flag, const std::string& raw);
char parse_delimiter(const std::string& raw);
std::vector<std::string> split_list(const std::string& raw);  // comma-separated, each item trimmed

}  // namespace tf::cli
