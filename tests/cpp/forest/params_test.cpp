// ForestParams: sklearn's names, defaults and ranges; JSON keeps int vs float apart; unknown keys rejected.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "forest/forest.h"
#include "forest_test_util.h"

using namespace tf::forest;
using nlohmann::json;

namespace {
std::string error_of(const json& j) {
  try {
    (void)j.get<ForestParams>();
  } catch (const tf::Error& e) {
    CHECK(e.code == tf::ErrorCode::invalid_parameter);
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("forest params: defaults are sklearn's and round-trip through JSON") {
  const ForestParams p;
  const json j = p;
  CHECK(j == json::parse(R"({"n_estimators":100,"criterion":"gini","max_depth":null,"min_samples_split":2,
    "min_samples_leaf":1,"min_impurity_decrease":0.0,"max_features":"sqrt","bootstrap":true,"max_samples":null,
    "class_weight":null,"oob_score":false,"random_state":null,"n_jobs":1})"));
  CHECK(json(j.get<ForestParams>()) == j);
  const json k = json::parse(R"({"n_estimators":7,"criterion":"log_loss","max_depth":5,"min_samples_split":0.25,
    "min_samples_leaf":3,"min_impurity_decrease":0.001,"max_features":0.5,"bootstrap":true,"max_samples":100,
    "class_weight":"balanced_subsample","oob_score":true,"random_state":12,"n_jobs":2})");
  const ForestParams q = k.get<ForestParams>();
  CHECK(std::holds_alternative<double>(q.min_samples_split));
  CHECK(std::holds_alternative<long long>(q.min_samples_leaf));
  CHECK(std::holds_alternative<double>(q.max_features));
  CHECK(json(q) == k);
  CHECK(json(json::parse(R"({"max_features":null})").get<ForestParams>())["max_features"].is_null());
  CHECK(json(json::parse(R"({"max_features":"log2"})").get<ForestParams>())["max_features"] == "log2");
  CHECK(json(json::parse(R"({"max_features":1.0})").get<ForestParams>())["max_features"].is_number_float());
  CHECK(json(json::parse(R"({"max_features":1})").get<ForestParams>())["max_features"].is_number_integer());
}

TEST_CASE("forest params: invalid values name the parameter, what is allowed and what came") {
  CHECK(error_of(json{{"n_estimators", 0}}) ==
        "The 'forest.n_estimators' parameter must be an int in the range [1, inf). Got 0 instead.");
  CHECK(error_of(json{{"criterion", "mse"}}).find("'gini', 'entropy' or 'log_loss'") != std::string::npos);
  CHECK(error_of(json{{"max_depth", 0}}).find("forest.max_depth") != std::string::npos);
  CHECK(error_of(json{{"min_samples_split", 1}}).find("[2, inf)") != std::string::npos);
  CHECK(error_of(json{{"min_samples_split", 1.5}}).find("(0.0, 1.0]") != std::string::npos);
  CHECK(error_of(json{{"min_samples_leaf", 1.0}}).find("(0.0, 1.0)") != std::string::npos);
  CHECK(error_of(json{{"min_samples_leaf", 0}}).find("forest.min_samples_leaf") != std::string::npos);
  CHECK(error_of(json{{"min_impurity_decrease", -0.1}}).find("[0.0, inf)") != std::string::npos);
  CHECK(error_of(json{{"max_features", "auto"}}).find("'sqrt', 'log2'") != std::string::npos);
  CHECK(error_of(json{{"max_features", 0}}).find("forest.max_features") != std::string::npos);
  CHECK(error_of(json{{"max_features", 1.5}}).find("forest.max_features") != std::string::npos);
  CHECK(error_of(json{{"bootstrap", 1}}).find("a boolean") != std::string::npos);
  CHECK(error_of(json{{"max_samples", 0.0}}).find("forest.max_samples") != std::string::npos);
  CHECK(error_of(json{{"bootstrap", false}, {"max_samples", 10}}).find("bootstrap is false") != std::string::npos);
  CHECK(error_of(json{{"bootstrap", false}, {"oob_score", true}}).find("forest.oob_score") != std::string::npos);
  CHECK(error_of(json{{"class_weight", "auto"}}).find("'balanced', 'balanced_subsample' or None") != std::string::npos);
  CHECK(error_of(json{{"random_state", -1}}).find("forest.random_state") != std::string::npos);
  CHECK(error_of(json{{"n_estimator", 10}}) == "The forest has no parameter 'n_estimator'.");
  CHECK(error_of(json::array()).find("forest") != std::string::npos);
}

TEST_CASE("forest: fit-time checks on data and resolved parameters") {
  tf::SparseMatrix X(4, 3);
  X.insert(0, 0) = 1;
  X.insert(1, 1) = 1;
  X.makeCompressed();
  ForestParams p;
  p.max_features = 4LL;  // more than n_features = 3
  CHECK_THROWS_WITH_AS(RandomForest(p).fit(X, {0, 1, 0, 1}, 2), doctest::Contains("forest.max_features"), tf::Error);
  p = ForestParams{};
  p.max_samples = 5LL;
  CHECK_THROWS_WITH_AS(RandomForest(p).fit(X, {0, 1, 0, 1}, 2), doctest::Contains("forest.max_samples"), tf::Error);
  CHECK_THROWS_AS(RandomForest().fit(X, {0, 1, 0}, 2), tf::Error);      // 3 labels for 4 rows
  CHECK_THROWS_AS(RandomForest().fit(X, {0, 1, 0, 2}, 2), tf::Error);   // label out of range
  CHECK_THROWS_AS(RandomForest().predict(X), tf::Error);                // not fitted
  RandomForest rf;
  rf.fit(X, {0, 1, 0, 1}, 2);
  CHECK_THROWS_WITH_AS(rf.predict(tf::SparseMatrix(2, 5)), doctest::Contains("5 features"), tf::Error);
  try {
    rf.predict(tf::SparseMatrix(2, 5));
  } catch (const tf::Error& e) {
    CHECK(e.code == tf::ErrorCode::bad_input);
  }
  CHECK_THROWS_AS(RandomForest::from_json(json{{"format", "other"}}), tf::Error);
  json bad = rf.to_json();
  bad["trees"][0]["kind"] = json::array({3, 3, 3});
  CHECK_THROWS_WITH_AS(RandomForest::from_json(bad), doctest::Contains("not valid"), tf::Error);
  json newer = rf.to_json();
  newer["version"] = 99;
  CHECK_THROWS_WITH_AS(RandomForest::from_json(newer), doctest::Contains("newer version"), tf::Error);
}
