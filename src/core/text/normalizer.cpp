// The notebook's normalizer (DESIGN.md section 1 step 2) and its parameters.
#include "text/normalizer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
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
  auto add = [this](const std::string& w) {
    std::u32string u = decode_utf8(w);
    max_stop_len_ = std::max(max_stop_len_, u.size());
    stop_.insert(std::move(u));
  };
  if (params_.stopwords.kind == StopwordList::Kind::english) {
    for (const auto& w : nltk_english_stopwords()) add(w);
  } else if (params_.stopwords.kind == StopwordList::Kind::custom) {
    for (const auto& w : params_.stopwords.words) add(w);
  }
}

namespace {

// out = UTF-8 of s[0:n], writing ASCII directly (the common case) rather than byte by byte.
void to_utf8(const char32_t* s, std::size_t n, std::string& out) {
  out.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    if (s[k] >= 0x80) {
      out.resize(k);
      for (; k < n; ++k) append_utf8(s[k], out);
      return;
    }
    out[k] = static_cast<char>(s[k]);
  }
}

// Calls f(begin, end) for each token of a word_tokenize_joined result.
template <class F>
void for_each_token(const std::u32string& joined, F&& f) {
  std::size_t i = 0;
  const std::size_t n = joined.size();
  while (i < n) {
    std::size_t j = joined.find(U' ', i);
    if (j == std::u32string::npos) j = n;
    if (j > i) f(i, j);
    i = j + 1;
  }
}

}  // namespace

std::string Normalizer::operator()(std::string_view text) const {
  // Buffers reused across calls (per thread): no allocation per token once warm.
  thread_local std::u32string decoded, tokens, kept, low, key;
  thread_local std::string utf8;
  decoded.clear();
  decode_utf8_append(text, decoded);

  // word_tokenize; each token lower().strip(); drop NLTK stopwords and short tokens; join with spaces.
  tokens.clear();
  word_tokenize_joined(decoded, params_.preserve_line, tokens);
  kept.clear();
  const std::size_t min_len = static_cast<std::size_t>(params_.min_token_length);
  for_each_token(tokens, [&](std::size_t b, std::size_t e) {
    low.clear();
    py_lower_append(std::u32string_view(tokens).substr(b, e - b), low);
    std::size_t lb = 0, le = low.size();  // strip(): a no-op on tokens, kept for fidelity
    while (lb < le && py_isspace(low[lb])) ++lb;
    while (le > lb && py_isspace(low[le - 1])) --le;
    const std::size_t len = le - lb;
    if (len < min_len) return;
    if (len <= max_stop_len_ && !stop_.empty()) {
      key.assign(low, lb, len);
      if (stop_.count(key)) return;
    }
    if (!kept.empty()) kept.push_back(' ');
    kept.append(low, lb, len);
  });

  // word_tokenize again; PorterStemmer().stem(token).lower() for each non-empty token; join.
  tokens.clear();
  word_tokenize_joined(kept, params_.preserve_line, tokens);
  std::string out;
  out.reserve(tokens.size() + 8);
  // Titles repeat words: memoize stem(token).lower() per thread and mode (bounded).
  thread_local std::unordered_map<std::string, std::string, ShortStringHash> memo[3];
  auto& cache = memo[static_cast<int>(params_.stem_mode)];
  for_each_token(tokens, [&](std::size_t b, std::size_t e) {
    if (!out.empty()) out.push_back(' ');
    to_utf8(tokens.data() + b, e - b, utf8);
    if (!params_.stem) {
      out += utf8;
      return;
    }
    auto it = cache.find(utf8);
    if (it == cache.end()) {
      if (cache.size() > 200000) cache.clear();
      it = cache.emplace(utf8, py_lower(porter_stem(utf8, params_.stem_mode))).first;
    }
    out += it->second;
  });
  return out;
}

std::vector<std::string> Normalizer::normalize_all(const std::vector<std::string>& texts) const {
  std::vector<std::string> out;
  out.reserve(texts.size());
  for (const auto& t : texts) out.push_back((*this)(t));
  return out;
}

}  // namespace tf::text
