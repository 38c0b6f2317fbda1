// TfidfVectorizer against scikit-learn 1.2 (fixtures from scripts/fixtures/features.py).
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/error.h"
#include "features/tfidf.h"
#include "fixture.h"

using tf::features::TfidfParams;
using tf::features::TfidfVectorizer;
using nlohmann::json;

namespace {

std::vector<std::string> strings(const json& j) { return j.get<std::vector<std::string>>(); }

struct Compared { long long entries = 0; long long terms = 0; };

// every stored entry of X against the expected rows [[col, value], ...] of sklearn
void check_matrix(const tf::SparseMatrix& X, const json& rows, std::size_t n_cols, const std::string& name,
                  Compared& n) {
  REQUIRE(X.rows() == Eigen::Index(rows.size()));
  CHECK(X.cols() == Eigen::Index(n_cols));
  CHECK(X.isCompressed());
  for (Eigen::Index r = 0; r < X.rows(); ++r) {
    const json& want = rows[std::size_t(r)];
    const int a = X.outerIndexPtr()[r], b = X.outerIndexPtr()[r + 1];
    CHECK_MESSAGE(std::size_t(b - a) == want.size(), name << ": row " << r);
    if (std::size_t(b - a) != want.size()) continue;
    for (int k = a; k < b; ++k) {
      const json& e = want[std::size_t(k - a)];
      CHECK_MESSAGE(X.innerIndexPtr()[k] == e[0].get<int>(), name << ": row " << r);
      CHECK_MESSAGE(std::fabs(X.valuePtr()[k] - e[1].get<double>()) <= 1e-9, name << ": row " << r);
      ++n.entries;
    }
  }
}

bool sklearn_worded(const std::string& msg) { return msg.rfind("The '", 0) != 0; }

}  // namespace

TEST_CASE("tfidf: parameter variants match scikit-learn 1.2") {
  const json fx = tf::test::fixture("features/variants.json");
  Compared n;
  int cases = 0, errors = 0;
  for (const json& c : fx.at("cases")) {
    const std::string name = c.at("name");
    INFO(name);
    const auto docs = strings(c.at("docs"));
    if (c.contains("error")) {
      const std::string code = c["error"]["code"], message = c["error"]["message"];
      bool thrown = false;
      try {
        TfidfParams p = c.at("params").get<TfidfParams>();
        TfidfVectorizer v(p);
        v.fit_transform(docs);
      } catch (const tf::Error& e) {
        thrown = true;
        CHECK(std::string(tf::to_string(e.code)) == code);
        const std::string what = e.what();
        if (sklearn_worded(message)) {
          CHECK(what == message);
        } else {  // "... Got 1.5 instead." as sklearn ends it
          const std::string tail = message.substr(message.rfind(" Got "));
          CHECK_MESSAGE(what.size() >= tail.size(), what);
          CHECK_MESSAGE(what.compare(what.size() - std::min(what.size(), tail.size()), tail.size(), tail) == 0, what);
        }
      }
      CHECK_MESSAGE(thrown, "expected: " << message);
      ++errors;
      continue;
    }
    TfidfVectorizer v(c.at("params").get<TfidfParams>());
    const tf::SparseMatrix X = v.fit_transform(docs);
    const auto terms = strings(c.at("terms"));
    CHECK(v.terms() == terms);
    n.terms += long(terms.size());
    if (c.at("idf").is_null()) {
      CHECK(v.idf().empty());
    } else {
      const json& idf = c.at("idf");
      REQUIRE(v.idf().size() == idf.size());
      for (std::size_t k = 0; k < idf.size(); ++k) {
        if (idf[k].is_string()) CHECK_MESSAGE(std::isinf(v.idf()[k]), terms[k]);  // "inf"
        else CHECK_MESSAGE(std::fabs(v.idf()[k] - idf[k].get<double>()) <= 1e-12, terms[k]);
      }
    }
    check_matrix(X, c.at("fit"), terms.size(), name + " (fit_transform)", n);
    check_matrix(v.transform(strings(c.at("transform_docs"))), c.at("transform"), terms.size(), name + " (transform)", n);
    // the fitted state survives the model file
    const TfidfVectorizer back = TfidfVectorizer::from_json(json::parse(v.to_json().dump()));
    CHECK(back.terms() == v.terms());
    CHECK(back.idf().size() == v.idf().size());
    check_matrix(back.transform(strings(c.at("transform_docs"))), c.at("transform"), terms.size(), name + " (reloaded)", n);
    ++cases;
  }
  CHECK(cases + errors >= 15);
  std::printf("tfidf variants: %d cases and %d error cases; compared %lld matrix entries and %lld terms\n", cases,
              errors, n.entries, n.terms);
}

TEST_CASE("tfidf: the notebook's vectorizer on 52,754 normalized O*NET titles matches scikit-learn") {
  std::istringstream in(tf::test::read_text(tf::test::fixture_path("features/onet_notebook.txt")));
  std::string line;
  std::getline(in, line);
  const json header = json::parse(line);
  const std::size_t n_docs = header.at("n_docs"), n_terms = header.at("n_terms");
  std::vector<std::string> docs(n_docs);
  for (auto& d : docs) std::getline(in, d);
  std::vector<std::string> terms(n_terms);
  std::vector<double> idf(n_terms);
  for (std::size_t k = 0; k < n_terms; ++k) {
    std::getline(in, line);
    const auto tab = line.find('\t');
    terms[k] = line.substr(0, tab);
    idf[k] = std::stod(line.substr(tab + 1));
  }
  json rows = json::array();
  for (std::size_t r = 0; r < n_docs; ++r) {
    std::getline(in, line);
    json row = json::array();
    std::istringstream ls(line);
    std::string item;
    while (ls >> item) {
      const auto colon = item.find(':');
      row.push_back(json::array({std::stoi(item.substr(0, colon)), std::stod(item.substr(colon + 1))}));
    }
    rows.push_back(std::move(row));
  }

  TfidfParams p = header.at("params").get<TfidfParams>();
  TfidfVectorizer v(p);
  const auto t0 = std::chrono::steady_clock::now();
  const tf::SparseMatrix X = v.fit_transform(docs);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  REQUIRE(v.n_features() == n_terms);
  CHECK(v.terms() == terms);
  double max_idf_diff = 0;
  for (std::size_t k = 0; k < n_terms; ++k) max_idf_diff = std::max(max_idf_diff, std::fabs(v.idf()[k] - idf[k]));
  CHECK(max_idf_diff <= 1e-12);
  CHECK(X.nonZeros() == header.at("nnz").get<long long>());
  Compared n;
  check_matrix(X, rows, n_terms, "onet fit_transform", n);
  const auto t1 = std::chrono::steady_clock::now();
  const tf::SparseMatrix Y = v.transform(docs);
  const double ms_t = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t1).count();
  check_matrix(Y, rows, n_terms, "onet transform", n);
  std::printf("tfidf O*NET: %zu docs, %zu terms, compared %lld entries (max idf diff %.3g); fit_transform %.1f ms, "
              "transform %.1f ms\n",
              n_docs, n_terms, n.entries, max_idf_diff, ms, ms_t);
}

TEST_CASE("tfidf: parameters JSON") {
  TfidfParams d;
  json j = d;
  CHECK(j.at("max_df").is_number_float());
  CHECK(j.at("min_df").is_number_integer());
  CHECK(j.at("stop_words") == "english");
  CHECK(j.at("max_features") == 100000);
  CHECK(j.at("ngram_range") == json::array({1, 2}));
  CHECK(j.at("sublinear_tf") == true);

  // 1 (a count) and 1.0 (a proportion) stay distinct through a round trip
  TfidfParams p = json::parse(R"({"max_df": 1.0, "min_df": 1})").get<TfidfParams>();
  CHECK(std::holds_alternative<double>(p.max_df));
  CHECK(std::holds_alternative<long long>(p.min_df));
  const json back = p;
  CHECK(back.dump().find("\"max_df\":1.0") != std::string::npos);
  CHECK(back.get<TfidfParams>().max_df.index() == 1);

  p = json::parse(R"({"stop_words": ["a", "b"], "vocabulary": ["x"], "norm": null, "strip_accents": "ascii"})").get<TfidfParams>();
  CHECK(p.stop_words.kind == TfidfParams::StopWords::Kind::list);
  CHECK(p.stop_words.words == std::vector<std::string>{"a", "b"});
  CHECK(!p.norm);
  CHECK(*p.strip_accents == "ascii");
  CHECK(json(p).get<TfidfParams>().vocabulary == p.vocabulary);

  auto code_of = [](const std::string& text) {
    try {
      TfidfVectorizer v(json::parse(text).get<TfidfParams>());
    } catch (const tf::Error& e) {
      return std::string(tf::to_string(e.code)) + ": " + e.what();
    }
    return std::string("no error");
  };
  CHECK(code_of(R"({"max_dff": 1})").rfind("invalid_parameter: Unknown TF-IDF parameter 'max_dff'", 0) == 0);
  CHECK(code_of(R"({"binary": 1})").rfind("invalid_parameter", 0) == 0);
  CHECK(code_of(R"({"stop_words": "french"})").rfind("invalid_parameter", 0) == 0);
  CHECK(code_of(R"({"ngram_range": [0, 1]})").rfind("invalid_parameter", 0) == 0);
  CHECK(code_of(R"({"token_pattern": "(?<=a)b"})").find("lookbehind") != std::string::npos);
  CHECK(code_of(R"({"token_pattern": "(a"})").find("missing )") != std::string::npos);
  CHECK(code_of(R"({"token_pattern": "a**"})").find("multiple repeat") != std::string::npos);
  CHECK(code_of(R"({"token_pattern": "\\1"})").find("backreferences") != std::string::npos);
  CHECK(code_of(R"({"token_pattern": "[b-a]"})").find("bad character range") != std::string::npos);
  CHECK(code_of(R"J({"analyzer": "char", "token_pattern": "(a)(b)"})J") == "no error");  // unused, as in sklearn
}

TEST_CASE("tfidf: not fitted, fitted state, model JSON") {
  TfidfVectorizer v;
  CHECK(!v.fitted());
  try {
    v.transform({"a b"});
    FAIL("no error");
  } catch (const tf::Error& e) {
    CHECK(e.code == tf::ErrorCode::not_fitted);
  }
  const TfidfVectorizer unfitted = TfidfVectorizer::from_json(v.to_json());
  CHECK(!unfitted.fitted());
  v.fit({"Software Engineer", "Product Manager", "Engineering Manager"});
  CHECK(v.fitted());
  CHECK(v.n_features() == v.terms().size());
  const json j = v.to_json();
  CHECK(j.at("terms").size() == v.n_features());
  try {
    json bad = j;
    bad["extra"] = 1;
    TfidfVectorizer::from_json(bad);
    FAIL("no error");
  } catch (const tf::Error& e) {
    CHECK(e.code == tf::ErrorCode::model_format);
  }
  const TfidfVectorizer w = TfidfVectorizer::from_json(j);
  const tf::SparseMatrix a = v.transform({"senior software engineer"}), b = w.transform({"senior software engineer"});
  CHECK(a.nonZeros() == b.nonZeros());
  CHECK(a.isApprox(b));
}

TEST_CASE("tfidf: a token pattern that backtracks catastrophically stops with an error") {
  TfidfParams p;
  p.token_pattern = "(a*)*b";
  TfidfVectorizer v(p);
  try {
    v.fit_transform({std::string(40, 'a')});
    FAIL("no error");
  } catch (const tf::Error& e) {
    CHECK(e.code == tf::ErrorCode::bad_input);
    CHECK(e.where == "tfidf.token_pattern");
  }
}
