// Forest behaviour on the O*NET subsample: parameters act as in sklearn, progress/cancel, out-of-bag score.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <numeric>

#include "fixture.h"
#include "forest/forest.h"
#include "forest_test_util.h"

using namespace tf::forest;
using nlohmann::json;

namespace {
using tf::test::onet;
RandomForest fitted(json params) {
  params["random_state"] = 1;
  if (!params.contains("n_estimators")) params["n_estimators"] = 4;
  RandomForest rf(params.get<ForestParams>());
  rf.fit(onet().Xtr, onet().ytr, onet().C);
  return rf;
}
double accuracy(const RandomForest& rf) {
  const auto p = rf.predict(onet().Xte);
  int ok = 0;
  for (std::size_t i = 0; i < p.size(); ++i) ok += p[i] == onet().yte[i];
  return static_cast<double>(ok) / p.size();
}
// Depth and smallest leaf (in distinct training rows, bootstrap off) of every tree.
void shape(const RandomForest& rf, int& max_depth, double& min_leaf_weight) {
  max_depth = 0;
  min_leaf_weight = 1e300;
  const json model = rf.to_json();
  for (const auto& jt : model["trees"]) {
    const auto t = tf::test::tree_from_json(jt);
    std::vector<std::pair<int, int>> st{{t.root, 0}};
    while (!st.empty()) {
      const int n = st.back().first, d = st.back().second;
      st.pop_back();
      if (n < 0) {
        max_depth = std::max(max_depth, d);
        double w = 0;
        for (int k = t.leaf_offset[~n]; k < t.leaf_offset[~n + 1]; ++k) w += t.leaf_count[k];
        min_leaf_weight = std::min(min_leaf_weight, w);
      } else {
        st.push_back({t.left[n], d + 1});
        st.push_back({t.right[n], d + 1});
      }
    }
  }
}
}  // namespace

TEST_CASE("forest: max_depth, min_samples_leaf, min_impurity_decrease shape the trees") {
  int depth;
  double leaf;
  shape(fitted({{"max_depth", 6}}), depth, leaf);
  CHECK(depth == 6);
  shape(fitted({{"bootstrap", false}, {"min_samples_leaf", 5}}), depth, leaf);
  CHECK(leaf >= 5);
  shape(fitted({{"bootstrap", false}, {"min_samples_leaf", 0.01}}), depth, leaf);
  CHECK(leaf >= 90);  // ceil(0.01 * 9000)
  const auto full = fitted({}).to_json(), pruned = fitted({{"min_impurity_decrease", 0.001}}).to_json();
  CHECK(pruned["trees"][0]["feature"].size() < full["trees"][0]["feature"].size() / 10);
}

TEST_CASE("forest: every max_features form, criteria, class weights and max_samples train sensible forests") {
  for (const json& p : {json{{"max_features", "log2"}}, json{{"max_features", 50}}, json{{"max_features", 0.02}},
                        json{{"criterion", "entropy"}}, json{{"class_weight", "balanced"}},
                        json{{"class_weight", "balanced_subsample"}}, json{{"max_samples", 0.5}},
                        json{{"max_samples", 3000}}, json{{"bootstrap", false}}}) {
    CAPTURE(p.dump());
    const double a = accuracy(fitted(p));
    CHECK(a > 0.45);
  }
  // max_features=None on a few trees: every present feature is tried at each node.
  CHECK(accuracy(fitted({{"max_features", nullptr}, {"n_estimators", 2}})) > 0.45);
}

TEST_CASE("forest: feature importances are normalized and favour informative terms") {
  const auto rf = fitted({{"n_estimators", 5}});
  const auto imp = rf.feature_importances();
  CHECK(imp.size() == static_cast<std::size_t>(onet().Xtr.cols()));
  CHECK(std::accumulate(imp.begin(), imp.end(), 0.0) == doctest::Approx(1.0));
  for (double v : imp) CHECK(v >= 0.0);
}

TEST_CASE("forest: out-of-bag score, also after fit_trees + merge") {
  const auto rf = fitted({{"oob_score", true}, {"n_estimators", 20}});
  REQUIRE(rf.oob_score());
  CHECK(*rf.oob_score() > 0.45);
  CHECK(*rf.oob_score() < 0.75);
  json pj = rf.params();
  RandomForest merged(pj.get<ForestParams>());
  for (int first = 0; first < 20; first += 10) {
    RandomForest part(pj.get<ForestParams>());
    part.fit_trees(onet().Xtr, onet().ytr, onet().C, first, 10);
    merged.merge(part);
  }
  CHECK_FALSE(merged.oob_score());
  merged.compute_oob_score(onet().Xtr, onet().ytr);
  CHECK(merged.to_json() == rf.to_json());
  CHECK_FALSE(fitted({}).oob_score());
}

TEST_CASE("forest: progress per tree, cancel between trees") {
  std::vector<double> seen;
  tf::FitControl ctl;
  ctl.on_progress = [&](double f, const std::string& stage) {
    CHECK(stage == "forest");
    seen.push_back(f);
  };
  ForestParams p;
  p.n_estimators = 4;
  p.random_state = 0;
  RandomForest rf(p);
  rf.fit(onet().Xtr, onet().ytr, onet().C, ctl);
  CHECK(seen == std::vector<double>{0.25, 0.5, 0.75, 1.0});
  int calls = 0;
  ctl.on_progress = nullptr;
  ctl.cancelled = [&] { return ++calls >= 2; };
  RandomForest rc(p);
  try {
    rc.fit(onet().Xtr, onet().ytr, onet().C, ctl);
    FAIL("not cancelled");
  } catch (const tf::Error& e) {
    CHECK(e.code == tf::ErrorCode::cancelled);
  }
  CHECK(rc.n_trees() == 0);
  CHECK(rf.n_trees() == 4);
  CHECK(rf.n_classes() == onet().C);
  CHECK(rf.n_features() == static_cast<std::size_t>(onet().Xtr.cols()));
}
