// The façade: params merging, dataset extraction, train/predict/save/load, the notebook's experiment.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "fixture.h"
#include "io/model_io.h"
#include "pipeline.h"

using tf::Error;
using tf::ErrorCode;

namespace {

tf::PipelineParams small_params() {
  tf::PipelineParams p;
  p.forest.n_estimators = 15;
  p.forest.random_state = 7;
  p.search.max_rounds = 2;
  p.search.n_estimators_spread = 3;
  return p;
}

tf::Dataset persona() {
  const std::string bytes = tf::test::read_text(tf::test::project_path("models/persona/positions-titled.csv"));
  tf::io::CsvOptions o;
  o.header_row = 2;
  o.source = "positions-titled.csv";
  return tf::extract_dataset(tf::io::read_table(bytes, o), {{"positions"}, "label"});
}

ErrorCode code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code;
  }
  FAIL("no tf::Error thrown");
  return ErrorCode::internal;
}

}  // namespace

TEST_CASE("pipeline params: partial stage objects merge over the defaults; unknown groups are refused") {
  const auto p = nlohmann::json::parse(R"({"forest": {"n_estimators": 12}, "split": {"test_size": 0.25}})")
                     .get<tf::PipelineParams>();
  CHECK(p.forest.n_estimators == 12);
  CHECK(p.forest.max_features == tf::forest::ForestParams{}.max_features);  // untouched default
  CHECK(std::get<double>(*p.split.test_size) == 0.25);
  CHECK(p.tfidf.sublinear_tf);  // the notebook's defaults everywhere else
  CHECK(p.search.max_rounds == 10);
  // a round trip through JSON gives the same JSON
  CHECK(nlohmann::json(p) == nlohmann::json(nlohmann::json(p).get<tf::PipelineParams>()));

  CHECK(code_of([] { nlohmann::json::parse(R"({"forrest": {}})").get<tf::PipelineParams>(); }) ==
        ErrorCode::invalid_parameter);
  CHECK(code_of([] { nlohmann::json::parse(R"({"forest": {"n_trees": 3}})").get<tf::PipelineParams>(); }) ==
        ErrorCode::invalid_parameter);
  CHECK(code_of([] { nlohmann::json::parse(R"({"forest": 3})").get<tf::PipelineParams>(); }) ==
        ErrorCode::invalid_parameter);
}

TEST_CASE("extract_dataset joins text columns, trims labels and counts rows without a label") {
  const auto table = tf::io::read_table("title,dept,label\nCTO,Tech, c-level \nEngineer,,engineer\nNobody,HR,\n,,product\n");
  const auto d = tf::extract_dataset(table, {{"title", "dept"}, "label"});
  REQUIRE(d.texts.size() == 3);
  CHECK(d.texts[0] == "CTO Tech");
  CHECK(d.labels[0] == "c-level");
  CHECK(d.texts[1] == "Engineer");
  CHECK(d.texts[2] == "");
  CHECK(d.labels[2] == "product");
  CHECK(d.dropped_empty_label == 1);
  CHECK(d.lines == std::vector<std::size_t>{2, 3, 5});
  CHECK(code_of([&] { tf::extract_dataset(table, {{"position"}, "label"}); }) == ErrorCode::bad_input);
  CHECK(code_of([&] { tf::extract_dataset(table, {{}, "label"}); }) == ErrorCode::bad_input);
}

TEST_CASE("train, predict, save and load: the model predicts the same after a JSON or binary round trip") {
  const auto data = persona();
  REQUIRE(data.texts.size() == 600);
  const auto model = tf::Model::train(data, small_params());
  CHECK(model.labels() == std::vector<std::string>{"c-level", "engineer", "product"});
  CHECK(model.n_train_rows == 600);

  const std::vector<std::string> titles{"Chief Technology Officer", "Senior Software Engineer", "Product Manager",
                                        "", "!!!"};
  const auto pred = model.predict(titles);
  REQUIRE(pred.size() == titles.size());
  CHECK(pred[0].label == "c-level");
  CHECK(pred[1].label == "engineer");
  CHECK(pred[2].label == "product");
  for (const auto& p : pred) {
    double sum = 0;
    for (double x : p.probabilities) sum += x;
    CHECK(sum == doctest::Approx(1.0));
  }

  // the JSON file streams its trees as text: the very bytes of the JSON value's dump
  CHECK(model.save(tf::io::ModelEncoding::json) == tf::io::encode_model(model.to_json(), tf::io::ModelEncoding::json));
  for (auto enc : {tf::io::ModelEncoding::json, tf::io::ModelEncoding::binary}) {
    const auto bytes = model.save(enc);
    const auto back = tf::Model::from_json(
        tf::io::decode_model(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size())));
    const auto again = back.predict(titles);
    for (std::size_t i = 0; i < titles.size(); ++i) {
      CHECK(again[i].label == pred[i].label);
      CHECK(again[i].probabilities == pred[i].probabilities);
    }
    CHECK(back.to_json() == model.to_json());
  }
  // feature importances come back as vocabulary terms, most important first
  const auto top = model.top_terms(10);
  REQUIRE(top.size() == 10);
  for (std::size_t i = 1; i < top.size(); ++i) CHECK(top[i - 1].second >= top[i].second);
  const auto& terms = model.vectorizer().terms();
  CHECK(std::find(terms.begin(), terms.end(), top[0].first) != terms.end());
  double all = 0;
  for (const auto& t : model.top_terms(1000000)) all += t.second;
  CHECK(all == doctest::Approx(1.0));
  // the same params and data give the same model (determinism)
  CHECK(tf::Model::train(data, small_params()).to_json() == model.to_json());
}

TEST_CASE("a model file that is not ours, or from a newer version, is refused as model_format") {
  const auto model = tf::Model::train(persona(), small_params());
  auto j = model.to_json();
  j["version"] = tf::io::kModelVersion + 1;
  CHECK(code_of([&] { tf::Model::from_json(j); }) == ErrorCode::model_format);
  j = model.to_json();
  j.erase("forest");
  CHECK(code_of([&] { tf::Model::from_json(j); }) == ErrorCode::model_format);
  CHECK(code_of([&] { tf::Model::from_json(nlohmann::json::parse(R"({"hello": 1})")); }) == ErrorCode::model_format);
  CHECK(code_of([] { tf::Model().predict({"CTO"}); }) == ErrorCode::not_fitted);
}

TEST_CASE("evaluate: the notebook's experiment on the example data") {
  const auto data = persona();
  int rounds_seen = 0;
  double last_progress = -1;
  bool monotone = true;
  tf::FitControl ctl;
  ctl.on_progress = [&](double f, const std::string&) {
    if (f < last_progress - 1e-12) monotone = false;
    last_progress = f;
  };
  const auto r = tf::evaluate(data, small_params(), ctl, [&](const tf::eval::RoundResult&) { ++rounds_seen; });
  CHECK(rounds_seen == static_cast<int>(r.rounds.size()));
  CHECK(r.rounds.size() >= 1);
  CHECK(r.rounds.size() <= 2);
  CHECK(monotone);
  CHECK(last_progress == doctest::Approx(1.0));
  CHECK(r.n_train == 360);  // test_size 0.4 of 600
  CHECK(r.n_test == 240);
  CHECK(r.accuracy > 0.8);
  CHECK(r.v_measure > 0.5);
  CHECK(r.labels == std::vector<std::string>{"c-level", "engineer", "product"});
  long long total = 0, diagonal = 0;
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t k = 0; k < 3; ++k) {
      total += r.confusion_matrix[i][k];
      if (i == k) diagonal += r.confusion_matrix[i][k];
    }
  CHECK(total == 240);
  CHECK(static_cast<double>(diagonal) / total == doctest::Approx(r.accuracy));
  long long wrong = 0, correct = 0;
  for (const auto& g : r.report.wrong) wrong += g.count;
  for (const auto& g : r.report.correct) correct += g.count;
  CHECK(correct == diagonal);
  CHECK(wrong + correct == 240);
  CHECK(r.rounds[r.best_round].accuracy == doctest::Approx(r.accuracy));  // selected on the test set

  const auto j = r.to_json();
  for (const char* key : {"accuracy", "v_measure", "homogeneity", "completeness", "labels", "confusion_matrix",
                          "n_train", "n_test", "rounds", "wrong", "correct"})
    CHECK_MESSAGE(j.contains(key), key);
  CHECK(j.size() == 11);  // exactly DESIGN.md's keys

  // the best model predicts the test rows as the report says
  const auto& g = r.report.correct.front();
  CHECK(r.model.predict({g.rows.front().text}).front().label == g.predicted);
}

TEST_CASE("evaluate: selecting on a validation split keeps the test set out of the search") {
  auto p = small_params();
  p.search.select_on = "validation";
  const auto r = tf::evaluate(persona(), p);
  CHECK(r.n_train == 360);
  CHECK(r.n_test == 240);
  CHECK(r.accuracy > 0.8);
}

TEST_CASE("evaluate and train refuse data they cannot learn from, with bad_input") {
  tf::Dataset one;
  one.texts = {"CTO", "CEO", "Chief Executive"};
  one.labels = {"c-level", "c-level", "c-level"};
  one.lines = {2, 3, 4};
  CHECK(code_of([&] { tf::evaluate(one, small_params()); }) == ErrorCode::bad_input);
  CHECK(code_of([&] { tf::Model::train(one, small_params()); }) == ErrorCode::bad_input);
  tf::Dataset empty_texts;
  empty_texts.texts = {"the", "a", "of"};  // stopwords only: nothing left after normalization
  empty_texts.labels = {"x", "y", "x"};
  empty_texts.lines = {2, 3, 4};
  CHECK(code_of([&] { tf::Model::train(empty_texts, small_params()); }) == ErrorCode::bad_input);
}

TEST_CASE("cancel stops evaluate with the cancelled code") {
  tf::FitControl ctl;
  int polls = 0;
  ctl.cancelled = [&] { return ++polls > 3; };
  CHECK(code_of([&] { tf::evaluate(persona(), small_params(), ctl); }) == ErrorCode::cancelled);
}
