// Helpers of the forest tests: CSR matrices from the fixtures' JSON, v-measure.
#pragma once
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <vector>

#include "common/sparse.h"
#include "fixture.h"
#include "forest/tree.h"

namespace tf::test {

// {"shape": [rows, cols], "indptr": [...], "indices": [...], "data": [...]} (scipy CSR) -> SparseMatrix
inline SparseMatrix csr_from_json(const nlohmann::json& j) {
  const auto shape = j.at("shape").get<std::vector<long>>();
  const auto indptr = j.at("indptr").get<std::vector<int>>();
  const auto indices = j.at("indices").get<std::vector<int>>();
  const auto data = j.at("data").get<std::vector<double>>();
  std::vector<Eigen::Triplet<double>> t;
  t.reserve(data.size());
  for (long r = 0; r < shape[0]; ++r)
    for (int k = indptr[r]; k < indptr[r + 1]; ++k) t.emplace_back(static_cast<int>(r), indices[k], data[k]);
  SparseMatrix m(shape[0], shape[1]);
  m.setFromTriplets(t.begin(), t.end());
  m.makeCompressed();
  return m;
}

// One tree of RandomForest::to_json() as flat arrays (root/left/right decoded from "kind").
inline tf::forest::detail::Tree tree_from_json(const nlohmann::json& jt) {
  tf::forest::detail::Tree t;
  t.feature = jt.at("feature").get<std::vector<std::int32_t>>();
  for (const auto& v : jt.at("threshold")) t.threshold.push_back(static_cast<float>(v.get<double>()));
  const auto sizes = jt.at("leaf_size").get<std::vector<std::int32_t>>();
  for (std::int32_t s : sizes) t.leaf_offset.push_back(t.leaf_offset.back() + s);
  t.leaf_class = jt.at("leaf_class").get<std::vector<std::int32_t>>();
  t.leaf_count = jt.at("leaf_count").get<std::vector<double>>();
  if (!t.set_shape(jt.at("kind").get<std::vector<std::uint8_t>>(), sizes.size())) throw std::runtime_error("bad tree");
  t.finish();
  return t;
}

// sklearn's v_measure_score (beta = 1) from its definition: homogeneity and completeness via entropies.
// The O*NET subsample of tests/fixtures/forest/onet_accuracy.json (sklearn's TF-IDF), read once.
struct Onet {
  tf::SparseMatrix Xtr, Xte;
  std::vector<int> ytr, yte;
  int C;
};
inline const Onet& onet() {
  static const Onet d = [] {
    const auto fx = fixture("forest/onet_accuracy.json");
    return Onet{csr_from_json(fx.at("X_train")), csr_from_json(fx.at("X_test")),
                fx.at("y_train").get<std::vector<int>>(), fx.at("y_test").get<std::vector<int>>(),
                static_cast<int>(fx.at("labels").size())};
  }();
  return d;
}

inline double v_measure(const std::vector<int>& truth, const std::vector<int>& pred) {
  const double n = static_cast<double>(truth.size());
  std::map<int, double> a, b;
  std::map<std::pair<int, int>, double> ab;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    a[truth[i]] += 1;
    b[pred[i]] += 1;
    ab[{truth[i], pred[i]}] += 1;
  }
  auto entropy = [n](const std::map<int, double>& m) {
    double h = 0;
    for (const auto& kv : m) h -= kv.second / n * std::log(kv.second / n);
    return h;
  };
  const double h_c = entropy(a), h_k = entropy(b);
  double mi = 0;
  for (const auto& kv : ab) {
    const double nij = kv.second;
    mi += nij / n * std::log(nij * n / (a[kv.first.first] * b[kv.first.second]));
  }
  const double hom = h_c == 0 ? 1.0 : mi / h_c;
  const double com = h_k == 0 ? 1.0 : mi / h_k;
  return hom + com == 0 ? 0.0 : 2 * hom * com / (hom + com);
}

}  // namespace tf::test
