// Internal to the forest area: the training data in the form the builder reads, one tree as flat arrays,
// and the builder (DESIGN.md section 4, issue 6). Not part of the public interface.
#pragma once
#include <cstdint>
#include <limits>
#include <vector>

#include "common/random.h"
#include "common/sparse.h"
#include "forest/forest.h"

namespace tf::forest::detail {

// The training matrix as scikit-learn's trees see it: float32 values (sklearn casts X to float32), rows in
// CSR, explicit zeros dropped (sklearn's sparse splitter ignores them too). Shared read-only by all trees.
struct Data {
  int n_rows = 0;
  int n_features = 0;
  int n_classes = 0;
  std::vector<std::int32_t> row_ptr;   // n_rows + 1
  std::vector<std::int32_t> col;       // per stored entry
  std::vector<float> val;              // per stored entry, never 0
  std::vector<std::int32_t> entry_row; // per stored entry: its row
  std::vector<std::int32_t> y;         // per row, in [0, n_classes)
};
// Converts X (any CSR) to Data; throws bad_input on NaN/inf values or a length mismatch.
Data make_data(const SparseMatrix& X, const std::vector<int>& y, int n_classes);

// Parameters resolved against the data, as DecisionTreeClassifier.fit resolves them.
struct Settings {
  Criterion criterion = Criterion::gini;
  int max_depth = std::numeric_limits<int>::max();
  long long min_samples_split = 2;
  long long min_samples_leaf = 1;
  double min_impurity_decrease = 0.0;
  int max_features = 1;
  bool bootstrap = true;
  long long n_samples_bootstrap = 0;
  int class_weight = 0;  // 0 none, 1 balanced, 2 balanced_subsample
  std::vector<double> balanced_weight;  // per class, for class_weight == 1
};
Settings resolve(const ForestParams& p, const Data& d);

// One tree. Internal node i tests x[feature[i]] <= threshold[i]: true goes to left[i], else right[i];
// a child >= 0 is an internal node, < 0 is the leaf ~child. root is an internal node or ~0 (one leaf).
// threshold is scikit-learn's double threshold rounded down to float32: for float32 x the test is the same.
// Leaf l holds weighted class counts leaf_class/leaf_count[leaf_offset[l], leaf_offset[l + 1]) (count > 0).
struct Tree {
  std::int32_t root = ~0;
  std::vector<std::int32_t> feature, left, right;
  std::vector<float> threshold;
  std::vector<std::int32_t> leaf_offset{0};
  std::vector<std::int32_t> leaf_class;
  std::vector<double> leaf_count;
  std::vector<double> leaf_proba;  // derived: leaf_count normalized per leaf (finish())

  std::size_t n_leaves() const { return leaf_offset.size() - 1; }
  std::size_t n_nodes() const { return feature.size() + n_leaves(); }
  void finish();  // computes leaf_proba
  // Leaf reached by a row given as a dense float32 vector.
  int leaf_of(const float* x) const {
    std::int32_t n = root;
    while (n >= 0) n = x[feature[n]] <= threshold[n] ? left[n] : right[n];
    return ~n;
  }
  // Adds this tree's normalized per-feature impurity decrease (sklearn's tree.feature_importances_) into
  // out; returns false (adding nothing) for a one-leaf tree.
  bool add_importances(Criterion c, int n_classes, std::vector<double>& out) const;
};

// Bootstrap counts of tree t (sklearn's _generate_sample_indices + bincount), regenerable from the seed.
std::vector<std::int32_t> bootstrap_counts(std::uint64_t tree_seed, int n_rows, long long n_draws);

// Grows trees; one per thread, reused across trees (no per-node allocation).
class Builder {
 public:
  Builder(const Data& d, const Settings& s);
  ~Builder();
  Builder(const Builder&) = delete;
  Builder& operator=(const Builder&) = delete;
  Tree build(std::uint64_t tree_seed);

 private:
  struct State;
  State* st_;
};

}  // namespace tf::forest::detail
