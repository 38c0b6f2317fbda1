// Accuracy on a subsample of the O*NET task (fixture: the notebook's TF-IDF, train_test_split(0.4, 42),
// sklearn's RandomForestClassifier(100 trees, gini) over 3 random_states): our mean accuracy must be within
// 1.0 point and our mean v-measure within 0.01 of sklearn's.
#include <doctest/doctest.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "fixture.h"
#include "forest/forest.h"
#include "forest_test_util.h"

using namespace tf::forest;

TEST_CASE("forest: O*NET subsample accuracy and v-measure match scikit-learn's (fixture)") {
  const auto fx = tf::test::fixture("forest/onet_accuracy.json");
  const auto Xtr = tf::test::csr_from_json(fx.at("X_train"));
  const auto Xte = tf::test::csr_from_json(fx.at("X_test"));
  const auto ytr = fx.at("y_train").get<std::vector<int>>();
  const auto yte = fx.at("y_test").get<std::vector<int>>();
  const int C = static_cast<int>(fx.at("labels").size());
  double acc = 0, vm = 0;
  const int seeds = 3;
  for (int s = 0; s < seeds; ++s) {
    ForestParams p;
    p.n_estimators = fx.at("n_estimators").get<int>();
    p.random_state = static_cast<std::uint64_t>(s);
    p.n_jobs = 2;
    RandomForest rf(p);
    rf.fit(Xtr, ytr, C);
    const auto pred = rf.predict(Xte);
    int ok = 0;
    for (std::size_t i = 0; i < pred.size(); ++i) ok += pred[i] == yte[i];
    const double a = static_cast<double>(ok) / pred.size(), v = tf::test::v_measure(yte, pred);
    MESSAGE("seed " << s << ": accuracy " << a << ", v-measure " << v);
    acc += a / seeds;
    vm += v / seeds;
  }
  const double sk_acc = fx.at("accuracy").get<double>(), sk_vm = fx.at("v_measure").get<double>();
  MESSAGE("mean accuracy " << acc << " (sklearn " << sk_acc << "), mean v-measure " << vm << " (sklearn " << sk_vm << ")");
  CHECK(std::abs(acc - sk_acc) <= 0.010);
  CHECK(std::abs(vm - sk_vm) <= 0.010);
}

TEST_CASE("forest: v_measure helper matches sklearn on a hand-checked case") {
  // sklearn: v_measure_score([0, 0, 1, 1], [0, 0, 1, 2]) = 0.8
  CHECK(tf::test::v_measure({0, 0, 1, 1}, {0, 0, 1, 2}) == doctest::Approx(0.8));
  CHECK(tf::test::v_measure({0, 0, 1, 1}, {0, 0, 1, 1}) == doctest::Approx(1.0));
}
