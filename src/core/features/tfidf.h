// scikit-learn 1.2 TfidfVectorizer, exactly, on the sparse matrix type of the core.
// Defaults are the notebook's (DESIGN.md section 1 step 4), not sklearn's, where the notebook sets them.
#pragma once
#include <nlohmann/json_fwd.hpp>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "common/sparse.h"

namespace tf::features {

// int = a document count, double = a proportion (Python's int vs float).
using DfBound = std::variant<long long, double>;

struct TfidfParams {
  std::string analyzer = "word";            // "word" | "char" | "char_wb"
  bool lowercase = true;
  std::optional<std::string> strip_accents; // nullopt | "ascii" | "unicode"
  std::string token_pattern = "(?u)\\b\\w\\w+\\b";
  // JSON/CLI: "english" (sklearn's ENGLISH_STOP_WORDS) | null | ["w1", ...]
  struct StopWords { enum class Kind { none, english, list } kind = Kind::english; std::vector<std::string> words; };
  StopWords stop_words;
  std::pair<int, int> ngram_range{1, 2};
  DfBound max_df = 0.99;
  DfBound min_df = 1LL;
  std::optional<long long> max_features = 100000;
  std::optional<std::vector<std::string>> vocabulary;  // fixed vocabulary, index = position
  bool binary = false;
  std::optional<std::string> norm = std::string("l2");  // "l2" | "l1" | nullopt (None)
  bool use_idf = true;
  bool smooth_idf = true;
  bool sublinear_tf = true;
  void validate() const;
};
void to_json(nlohmann::json& j, const TfidfParams& p);
void from_json(const nlohmann::json& j, TfidfParams& p);  // unknown keys are an Error

class TfidfVectorizer {
 public:
  explicit TfidfVectorizer(TfidfParams p = {});
  void fit(const std::vector<std::string>& docs);
  SparseMatrix fit_transform(const std::vector<std::string>& docs);
  SparseMatrix transform(const std::vector<std::string>& docs) const;  // Error(not_fitted) before fit

  bool fitted() const;
  const TfidfParams& params() const { return params_; }
  const std::vector<std::string>& terms() const { return terms_; }  // index -> term, sklearn's order
  const std::vector<double>& idf() const { return idf_; }           // empty when use_idf = false
  std::size_t n_features() const { return terms_.size(); }

  nlohmann::json to_json() const;  // params + fitted state
  static TfidfVectorizer from_json(const nlohmann::json& j);

 private:
  TfidfParams params_;
  std::vector<std::string> terms_;
  std::vector<double> idf_;
  // implementation state (term -> index map, analyzers) lives in the .cpp
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace tf::features
