// sklearn parity: single trees (no bootstrap, max_features=None) on small sparse data without tied splits
// must be sklearn's trees: same splits, same thresholds (as float32 tests), same leaf class counts.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "fixture.h"
#include "forest/forest.h"
#include "forest/tree.h"
#include "forest_test_util.h"

using namespace tf::forest;
using tf::test::csr_from_json;

namespace {
float floor32(double v) {
  float f = static_cast<float>(v);
  if (static_cast<double>(f) > v) f = std::nextafter(f, -std::numeric_limits<float>::infinity());
  return f;
}
}  // namespace

TEST_CASE("forest: single trees match scikit-learn's DecisionTreeClassifier (fixture)") {
  const auto fx = tf::test::fixture("forest/tree_parity.json");
  int case_no = 0;
  for (const auto& c : fx.at("cases")) {
    CAPTURE(case_no);
    CAPTURE(c.at("params").dump());
    ++case_no;
    nlohmann::json pj = c.at("params");
    pj["n_estimators"] = 1;
    pj["bootstrap"] = false;
    pj["max_features"] = nullptr;
    pj["random_state"] = 3;
    const ForestParams p = pj.get<ForestParams>();
    const auto X = csr_from_json(c.at("X"));
    const auto y = c.at("y").get<std::vector<int>>();
    const int C = c.at("n_classes").get<int>();
    RandomForest rf(p);
    rf.fit(X, y, C);
    const auto ours = rf.to_json().at("trees").at(0);
    const auto tr = tf::test::tree_from_json(ours);
    const auto& sk = c.at("tree");
    const auto& skl = sk.at("children_left");
    const auto& skr = sk.at("children_right");
    std::vector<std::pair<int, int>> stack{{0, tr.root}};
    std::vector<int> leaf_off{0};
    for (const auto& s : ours.at("leaf_size")) leaf_off.push_back(leaf_off.back() + s.get<int>());
    int n_nodes = 0;
    bool same = true;
    while (!stack.empty() && same) {
      const int s = stack.back().first, o = stack.back().second;
      stack.pop_back();
      ++n_nodes;
      if (skl[s].get<int>() < 0) {
        REQUIRE_MESSAGE(o < 0, "sklearn node " << s << " is a leaf, ours is not");
        std::vector<double> counts(C, 0.0);
        const int l = ~o;
        for (int k = leaf_off[l]; k < leaf_off[l + 1]; ++k)
          counts[ours.at("leaf_class")[k].get<int>()] = ours.at("leaf_count")[k].get<double>();
        for (int k = 0; k < C; ++k) {
          const double want = sk.at("value")[s][k].get<double>();
          if (std::abs(counts[k] - want) > 1e-9 * std::max(1.0, want)) same = false;
        }
        CHECK_MESSAGE(same, "leaf counts differ at sklearn node " << s);
      } else {
        REQUIRE_MESSAGE(o >= 0, "sklearn node " << s << " splits, ours is a leaf");
        CHECK(ours.at("feature")[o].get<int>() == sk.at("feature")[s].get<int>());
        CHECK(static_cast<float>(ours.at("threshold")[o].get<double>()) == floor32(sk.at("threshold")[s].get<double>()));
        if (ours.at("feature")[o].get<int>() != sk.at("feature")[s].get<int>()) same = false;
        stack.push_back({skr[s].get<int>(), tr.right[o]});
        stack.push_back({skl[s].get<int>(), tr.left[o]});
      }
    }
    CHECK(n_nodes == static_cast<int>(skl.size()));
    const auto imp = rf.feature_importances();
    const auto& want_imp = c.at("feature_importances");
    for (std::size_t f = 0; f < imp.size(); ++f) CHECK(imp[f] == doctest::Approx(want_imp[f].get<double>()).epsilon(1e-9));
    const auto proba = rf.predict_proba(csr_from_json(c.at("X_test")));
    const auto& want_p = c.at("proba_test");
    for (std::size_t r = 0; r < want_p.size(); ++r)
      for (int k = 0; k < C; ++k) CHECK(proba[r * C + k] == doctest::Approx(want_p[r][k].get<double>()).epsilon(1e-12));
  }
  CHECK(case_no == 18);
}
