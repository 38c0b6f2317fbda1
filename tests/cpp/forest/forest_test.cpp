#include <doctest/doctest.h>
#include <functional>
#include <nlohmann/json.hpp>

#include "forest/forest.h"
#include "forest/tree.h"

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

namespace {
// The shape decoder's reference: a depth-first walk that numbers internal nodes and leaves in preorder,
// zero child first, reading one 2-bit kind per internal node. Fills left/right (zero side by threshold);
// false when the kinds do not make exactly one tree of ni internal nodes and n_leaves leaves.
bool reference_shape(const std::vector<std::uint8_t>& kinds, const std::vector<float>& thr, std::size_t n_leaves,
                     std::vector<std::int32_t>& left, std::vector<std::int32_t>& right, std::int32_t& root) {
  const std::size_t ni = kinds.size();
  left.assign(ni, 0);
  right.assign(ni, 0);
  std::size_t next_int = 0, next_leaf = 0;
  bool ok = true;
  std::function<std::int32_t(bool)> visit = [&](bool leaf) -> std::int32_t {
    if (leaf) {
      if (next_leaf >= n_leaves) ok = false;
      return ~static_cast<std::int32_t>(next_leaf++);
    }
    if (next_int >= ni) {
      ok = false;
      return ~0;
    }
    const std::size_t i = next_int++;
    const bool zero_left = 0.0f <= thr[i];
    const std::int32_t z = visit(kinds[i] & 1);
    if (!ok) return ~0;
    const std::int32_t o = visit(kinds[i] & 2);
    (zero_left ? left[i] : right[i]) = z;
    (zero_left ? right[i] : left[i]) = o;
    return static_cast<std::int32_t>(i);
  };
  root = visit(ni == 0);
  return ok && next_int == ni && next_leaf == n_leaves;
}
}  // namespace

TEST_CASE("forest: the 2-bit shape code decodes exactly as a preorder walk, and every bad code is refused") {
  // every kinds sequence of up to 6 internal nodes, with thresholds that put the zero child on either side
  long long checked = 0, valid = 0;
  for (std::size_t ni = 0; ni <= 6; ++ni) {
    std::vector<std::uint8_t> kinds(ni);
    std::vector<float> thr(ni);
    for (std::size_t i = 0; i < ni; ++i) thr[i] = i % 2 ? -0.5f : 0.5f;
    for (std::uint32_t code = 0; code < (1u << (2 * ni)); ++code) {
      for (std::size_t i = 0; i < ni; ++i) kinds[i] = (code >> (2 * i)) & 3;
      for (std::size_t nl = 0; nl <= ni + 2; ++nl) {
        detail::Tree t;
        t.feature.assign(ni, 0);
        t.threshold = thr;
        std::vector<std::int32_t> l, r;
        std::int32_t root = 0;
        const bool want = reference_shape(kinds, thr, nl, l, r, root);
        const bool got = t.set_shape(kinds, nl);
        REQUIRE(got == want);
        if (want) {
          CHECK(t.left == l);
          CHECK(t.right == r);
          CHECK(t.root == root);
          ++valid;
        }
        ++checked;
      }
    }
  }
  CHECK(valid > 100);
  MESSAGE(checked << " shape codes checked, " << valid << " of them trees");
}
