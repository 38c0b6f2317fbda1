// The notebook's normalizer (DESIGN.md section 1 step 2):
//   word_tokenize; each token lower().strip(); drop NLTK stopwords and tokens of length <= 1; join;
//   word_tokenize again; PorterStemmer().stem(token).lower() for each non-empty token; join.
#pragma once
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "text/porter.h"

namespace tf::text {

struct StopwordList {
  enum class Kind { english, none, custom } kind = Kind::english;
  std::vector<std::string> words;  // for custom
};

// Options beyond the notebook apply the same way at each step: preserve_line to both word_tokenize calls;
// stopwords and min_token_length to the lowered first-pass tokens; stem = false keeps the second-pass
// tokens as they are (already lowercase). The defaults are the notebook's exact behaviour.
struct PreprocessParams {
  bool preserve_line = false;    // word_tokenize(..., preserve_line)
  StopwordList stopwords;        // JSON: "english" | null | ["w1", ...]; "english" = NLTK's 179
  int min_token_length = 2;      // tokens with py_len < this are dropped (notebook: len <= 1 dropped)
  bool stem = true;
  StemMode stem_mode = StemMode::nltk;
  void validate() const;
};
void to_json(nlohmann::json& j, const PreprocessParams& p);
void from_json(const nlohmann::json& j, PreprocessParams& p);  // unknown keys are an Error

// FNV-1a over code units: cheaper than std::hash's murmur for the short words hashed here.
struct ShortStringHash {
  template <class S>
  std::size_t operator()(const S& s) const noexcept {
    std::uint32_t h = 2166136261u;
    for (auto c : s) h = (h ^ static_cast<std::uint32_t>(c)) * 16777619u;
    return h;
  }
};

class Normalizer {
 public:
  explicit Normalizer(PreprocessParams p = {});
  std::string operator()(std::string_view text) const;  // may be empty
  std::vector<std::string> normalize_all(const std::vector<std::string>& texts) const;
  const PreprocessParams& params() const { return params_; }

 private:
  PreprocessParams params_;
  std::unordered_set<std::u32string, ShortStringHash> stop_;
  std::size_t max_stop_len_ = 0;  // no stopword is longer (in code points)
};

}  // namespace tf::text
