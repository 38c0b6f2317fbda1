#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "text/normalizer.h"
#include "text/porter.h"
#include "text/tokenizer.h"
#include "text/unicode.h"

using namespace tf::text;
using nlohmann::json;

namespace {
PreprocessParams params(const char* j) { return json::parse(j).get<PreprocessParams>(); }

template <class F>
tf::Error error_of(F&& f) {
  try {
    f();
  } catch (const tf::Error& e) {
    return e;
  }
  FAIL("no tf::Error thrown");
  return tf::Error(tf::ErrorCode::internal, "");
}
}  // namespace

TEST_CASE("the notebook's normalizer") {
  const Normalizer n;
  CHECK(n("Co-Founder. CEO. Investor.") == "co-found ceo investor");
  CHECK(n("Sr. Mgr. Product Marketing") == "sr. mgr product market");
  CHECK(n("VP of Engineering") == "vp engin");
  CHECK(n("The a of I") == "");
  CHECK(n("") == "");
  CHECK(n("C++ / C# Developer") == "c++ develop");
}

TEST_CASE("normalizer options: stopwords, stemming, minimum length, preserve_line") {
  CHECK(Normalizer(params(R"({"stopwords": null})"))("VP of Engineering") == "vp of engin");
  CHECK(Normalizer(params(R"({"stopwords": ["vp", "ENGINEERING"]})"))("VP of Engineering") == "of engin");
  CHECK(Normalizer(params(R"({"stem": false})"))("Running Engineers") == "running engineers");
  CHECK(Normalizer(params(R"({"min_token_length": 4})"))("VP of Big Engineering") == "engin");
  CHECK(Normalizer(params(R"({"min_token_length": 0, "stopwords": null})"))("a b") == "a b");
  CHECK(Normalizer(params(R"({"preserve_line": true})"))("Co-Founder. CEO. Investor.") == "co-founder. ceo. investor");
  CHECK(Normalizer(params(R"({"stem_mode": "original"})"))("Generously skies") ==
        porter_stem("generously", StemMode::original) + " " + porter_stem("skies", StemMode::original));
  const Normalizer n;
  CHECK(n.normalize_all({"VP of Engineering", "CTO"}) == std::vector<std::string>{"vp engin", "cto"});
}

TEST_CASE("preprocess params round-trip through JSON") {
  PreprocessParams p;
  json j = p;
  CHECK(j == json::parse(R"({"preserve_line": false, "stopwords": "english", "min_token_length": 2,
                              "stem": true, "stem_mode": "nltk"})"));
  p = params(R"({"preserve_line": true, "stopwords": ["x", "y"], "min_token_length": 3, "stem": false,
                  "stem_mode": "martin"})");
  CHECK(p.preserve_line);
  CHECK(p.stopwords.kind == StopwordList::Kind::custom);
  CHECK(p.stopwords.words == std::vector<std::string>{"x", "y"});
  CHECK(p.min_token_length == 3);
  CHECK_FALSE(p.stem);
  CHECK(p.stem_mode == StemMode::martin);
  json k = p;
  CHECK(k.get<PreprocessParams>().stopwords.words == p.stopwords.words);
  CHECK(json(params(R"({"stopwords": null})")).at("stopwords").is_null());
}

TEST_CASE("bad preprocess params are invalid_parameter errors naming the parameter") {
  auto e = error_of([] { params(R"({"stemmer": true})"); });
  CHECK(e.code == tf::ErrorCode::invalid_parameter);
  CHECK(e.where == "preprocess.stemmer");
  CHECK(std::string(e.what()).find("Unknown preprocessing parameter 'stemmer'") != std::string::npos);
  e = error_of([] { params(R"({"stem_mode": "snowball"})"); });
  CHECK(e.code == tf::ErrorCode::invalid_parameter);
  CHECK(e.where == "preprocess.stem_mode");
  e = error_of([] { params(R"({"stopwords": "french"})"); });
  CHECK(e.where == "preprocess.stopwords");
  e = error_of([] { params(R"({"stopwords": [1, 2]})"); });
  CHECK(e.where == "preprocess.stopwords");
  e = error_of([] { params(R"({"min_token_length": -1})"); });
  CHECK(e.where == "preprocess.min_token_length");
  e = error_of([] { params(R"({"min_token_length": 1.5})"); });
  CHECK(e.where == "preprocess.min_token_length");
  e = error_of([] { params(R"({"stem": "yes"})"); });
  CHECK(e.where == "preprocess.stem");
  e = error_of([] { params(R"([1])"); });
  CHECK(e.code == tf::ErrorCode::invalid_parameter);
  e = error_of([] { stem_mode_from_string("porter2"); });
  CHECK(std::string(e.what()) ==
        "The 'preprocess.stem_mode' parameter must be one of \"nltk\", \"martin\", \"original\". Got \"porter2\" instead.");
}

TEST_CASE("invalid UTF-8 never crashes the tokenizer or the normalizer") {
  const std::string bad = "Sr.\xFF Eng\xC3 \xE2\x82 Manager\x80.";
  const auto toks = word_tokenize(bad);
  CHECK_FALSE(toks.empty());
  for (const auto& t : toks) CHECK(sanitize_utf8(t) == t);  // output is valid UTF-8
  CHECK_FALSE(Normalizer()(bad).empty());
  CHECK(porter_stem("\xFF\xFE") == "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("long runs of y do not recurse (NLTK's recursive consonant test, unrolled)") {
  const std::string ys(200000, 'y');
  CHECK(porter_stem(ys, StemMode::nltk).size() == ys.size());
  CHECK(porter_stem("a" + ys + "ing", StemMode::original).size() > 0);
}
