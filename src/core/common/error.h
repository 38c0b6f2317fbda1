// One error type for the whole core: a stable code (the JS ClassifierError.code), a human sentence,
// and where it happened ("jobs.csv:14:label", "tfidf.max_df"). The list of codes is closed: never rename
// one; web/lib/titleforest.d.ts repeats it and a test diffs the two.
#pragma once
#include <stdexcept>
#include <string>
#include <string_view>

namespace tf {

enum class ErrorCode {
  invalid_parameter,  // a parameter is out of its range or of the wrong type
  bad_input,          // the data: unreadable file, missing column, empty label, no rows...
  empty_vocabulary,   // TF-IDF found no terms (sklearn's "empty vocabulary" error)
  not_fitted,         // predict/transform before fit
  model_format,       // a model file that is not ours, or from a newer version
  cancelled,          // the caller asked to stop
  internal,           // a bug: anything else
};

std::string_view to_string(ErrorCode code);

struct Error : std::runtime_error {
  ErrorCode code;
  std::string where;
  Error(ErrorCode c, const std::string& sentence, std::string where_ = {})
      : std::runtime_error(sentence), code(c), where(std::move(where_)) {}
};

// "The 'forest.n_estimators' parameter must be an int in [1, inf). Got 0 instead."
[[noreturn]] void throw_invalid_parameter(const std::string& name, const std::string& allowed,
                                          const std::string& got);

}  // namespace tf
