#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "forest/forest.h"

using tf::SparseMatrix;
using namespace tf::forest;

namespace {
SparseMatrix from_dense(const std::vector<std::vector<double>>& rows) {
  SparseMatrix m(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows.empty() ? 0 : rows[0].size()));
  std::vector<Eigen::Triplet<double>> t;
  for (std::size_t r = 0; r < rows.size(); ++r)
    for (std::size_t c = 0; c < rows[r].size(); ++c)
      if (rows[r][c] != 0) t.emplace_back(static_cast<int>(r), static_cast<int>(c), rows[r][c]);
  m.setFromTriplets(t.begin(), t.end());
  m.makeCompressed();
  return m;
}
}  // namespace

TEST_CASE("forest: a single tree on toy data splits where hand-checked") {
  // feature 0 separates class 0 (values 0, 0.2) from class 1 (0.6, 0.8): threshold (0.2 + 0.6) / 2 = 0.4
  SparseMatrix X = from_dense({{0, 1}, {0.2f, 0}, {0.6f, 1}, {0.8f, 0}});
  std::vector<int> y{0, 0, 1, 1};
  ForestParams p;
  p.n_estimators = 1;
  p.bootstrap = false;
  p.max_features = std::monostate{};
  p.random_state = 0;
  RandomForest rf(p);
  rf.fit(X, y, 2);
  auto j = rf.to_json();
  const auto& t = j["trees"][0];
  CHECK(t["feature"] == nlohmann::json::array({0}));
  CHECK(t["threshold"][0].get<double>() == doctest::Approx(0.4));
  CHECK(rf.predict(X) == y);
  auto pr = rf.predict_proba(from_dense({{0.39, 0}, {0.41, 0}}));
  CHECK(pr == std::vector<double>{1, 0, 0, 1});
}
