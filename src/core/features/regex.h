// A small backtracking matcher over code points for the Python `re` subset that token patterns use,
// with Python 3.11's semantics for str patterns: re.findall (one capturing group -> that group),
// Unicode \w \d \s \b, greedy and lazy quantifiers, an iteration that matched empty ends its loop.
//
// Supported: literals and escapes (\n \t \xhh \uXXXX ..., escaped punctuation), ., ^, $, \A, \Z,
// \w \W \d \D \s \S \b \B, [classes] (ranges, negation, \w \d \s inside), groups ( ), (?: ),
// (?P<name> ), lookahead (?= ) (?! ), alternation |, quantifiers * + ? {m} {m,} {,n} {m,n} and their
// lazy forms, flags (?u) (?i) (?a) (?s) (?m) at the start and scoped (?i: ...).
// Anything else (backreferences, lookbehind, possessive quantifiers, (?x), conditionals...) is an
// Error(invalid_parameter) naming the construct.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tf::features::detail {

class Regex {
 public:
  // `where` names the parameter in errors (e.g. "tfidf.token_pattern").
  Regex(std::string_view pattern, const std::string& where);
  ~Regex();
  Regex(Regex&&) noexcept;
  Regex& operator=(Regex&&) noexcept;

  int groups() const;  // number of capturing groups (re.compile(p).groups)

  // re.findall(pattern, s) for patterns with 0 or 1 capturing group: appends the [begin, end) code-point
  // spans of the results (the whole match, or group 1, which is the empty span {0, 0} when it did not
  // take part in the match).
  void findall(std::u32string_view s, std::vector<std::pair<int, int>>& out) const;

  struct Program;  // the compiled form; defined in regex.cpp

 private:
  std::unique_ptr<Program> prog_;
};

}  // namespace tf::features::detail
