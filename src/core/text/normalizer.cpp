// The notebook's normalizer (DESIGN.md section 1 step 2) and its parameters.
#include "text/normalizer.h"

#include <nlohmann/json.hpp>
#include <unordered_map>

#include "common/error.h"
#include "text/stopwords.h"
#include "text/tokenizer.h"
#include "text/unicode.h"

namespace tf::text {

void PreprocessParams::validate() const {
  if (min_token_length < 0)
    throw_invalid_parameter("preprocess.min_token_length", "an int in [0, inf)", std::to_string(min_token_length));
}

void to_json(nlohmann::json& j, const PreprocessParams& p) {
  j = nlohmann::json::object();
  j["preserve_line"] = p.preserve_line;
  switch (p.stopwords.kind) {
    case StopwordList::Kind::english: j["stopwords"] = "english"; break;
    case StopwordList::Kind::none: j["stopwords"] = nullptr; break;
    case StopwordList::Kind::custom: j["stopwords"] = p.stopwords.words; break;
  }
  j["min_token_length"] = p.min_token_length;
  j["stem"] = p.stem;
  j["stem_mode"] = std::string(to_string(p.stem_mode));
}

void from_json(const nlohmann::json& j, PreprocessParams& p) {
  if (!j.is_object())
    throw Error(ErrorCode::invalid_parameter, "The 'preprocess' parameters must be a JSON object.", "preprocess");
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    const nlohmann::json& v = it.value();
    const std::string name = "preprocess." + key;
    if (key == "preserve_line" || key == "stem") {
      if (!v.is_boolean()) throw_invalid_parameter(name, "a boolean", v.dump());
      (key == "stem" ? p.stem : p.preserve_line) = v.get<bool>();
    } else if (key == "stopwords") {
      if (v.is_null()) {
        p.stopwords = {StopwordList::Kind::none, {}};
      } else if (v.is_string() && v.get<std::string>() == "english") {
        p.stopwords = {StopwordList::Kind::english, {}};
      } else if (v.is_array()) {
        StopwordList list{StopwordList::Kind::custom, {}};
        for (const auto& w : v) {
          if (!w.is_string()) throw_invalid_parameter(name, "\"english\", null or a list of strings", v.dump());
          list.words.push_back(w.get<std::string>());
        }
        p.stopwords = std::move(list);
      } else {
        throw_invalid_parameter(name, "\"english\", null or a list of strings", v.dump());
      }
    } else if (key == "min_token_length") {
      if (!v.is_number_integer()) throw_invalid_parameter(name, "an int in [0, inf)", v.dump());
      const auto n = v.get<long long>();
      if (n < 0 || n > 1000000) throw_invalid_parameter(name, "an int in [0, inf)", v.dump());
      p.min_token_length = static_cast<int>(n);
    } else if (key == "stem_mode") {
      if (!v.is_string()) throw_invalid_parameter(name, "one of \"nltk\", \"martin\", \"original\"", v.dump());
      p.stem_mode = stem_mode_from_string(v.get<std::string>());
    } else {
      throw Error(ErrorCode::invalid_parameter,
                  "Unknown preprocessing parameter '" + key +
                      "'; the parameters are preserve_line, stopwords, min_token_length, stem and stem_mode.",
                  name);
    }
  }
  p.validate();
}

Normalizer::Normalizer(PreprocessParams p) : params_(std::move(p)) {
  params_.validate();
  if (params_.stopwords.kind == StopwordList::Kind::english) {
    for (const auto& w : nltk_english_stopwords()) stop_.insert(decode_utf8(w));
  } else if (params_.stopwords.kind == StopwordList::Kind::custom) {
    for (const auto& w : params_.stopwords.words) stop_.insert(decode_utf8(w));
  }
}

std::string Normalizer::operator()(std::string_view text) const {
  // word_tokenize; each token lower().strip(); drop stopwords and short tokens; join with spaces.
  thread_local std::vector<std::u32string> tokens;
  thread_local std::u32string joined, low;
  tokens.clear();
  joined.clear();
  word_tokenize_u32(decode_utf8(text), params_.preserve_line, tokens);
  const std::size_t min_len = static_cast<std::size_t>(params_.min_token_length);
  for (const auto& t : tokens) {
    low.clear();
    py_lower_append(t, low);
    std::size_t b = 0, e = low.size();
    while (b < e && py_isspace(low[b])) ++b;
    while (e > b && py_isspace(low[e - 1])) --e;
    if (e - b < min_len) continue;
    if (b != 0 || e != low.size()) low = low.substr(b, e - b);
    if (!stop_.empty() && stop_.count(low)) continue;
    if (!joined.empty()) joined.push_back(' ');
    joined += low;
  }
  // word_tokenize again; PorterStemmer().stem(token).lower() for each non-empty token; join.
  tokens.clear();
  word_tokenize_u32(joined, params_.preserve_line, tokens);
  std::string out;
  for (const auto& t : tokens) {
    if (t.empty()) continue;
    if (!out.empty()) out.push_back(' ');
    if (!params_.stem) {
      out += encode_utf8(t);
      continue;
    }
    // Titles repeat words: memoize stem(token).lower() per thread and mode (bounded).
    thread_local std::unordered_map<std::u32string, std::string> cache[3];
    auto& memo = cache[static_cast<int>(params_.stem_mode)];
    auto it = memo.find(t);
    if (it == memo.end()) {
      if (memo.size() > 200000) memo.clear();
      it = memo.emplace(t, py_lower(porter_stem(encode_utf8(t), params_.stem_mode))).first;
    }
    out += it->second;
  }
  return out;
}

std::vector<std::string> Normalizer::normalize_all(const std::vector<std::string>& texts) const {
  std::vector<std::string> out;
  out.reserve(texts.size());
  for (const auto& t : texts) out.push_back((*this)(t));
  return out;
}

}  // namespace tf::text
