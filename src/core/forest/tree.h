// Internal to the forest area: the training data in the form the builder reads, one tree as flat arrays,
// and the builder (DESIGN.md section 4, issue 6). Not part of the public interface.
#pragma once
#include <cstdint>
#include <limits>
#include <nlohmann/json_fwd.hpp>
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
  struct Entry {
    std::int32_t row;
    float val;  // never 0
  };
  std::vector<Entry> entry;            // per stored entry
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
// Canonical order (canonicalize()): internal nodes and leaves numbered in preorder, the child that a zero
// value goes to (the "zero child": left when 0 <= threshold) first; so an internal zero child of i is i + 1,
// and the shape is given by two bits per internal node (kinds()), which is how the model file stores it.
struct Tree {
  std::int32_t root = ~0;
  std::vector<std::int32_t> feature, left, right;
  std::vector<float> threshold;
  std::vector<std::int32_t> leaf_offset{0};
  std::vector<std::int32_t> leaf_class;
  std::vector<double> leaf_count;

  // Derived by finish(): normalized leaf distributions, and per internal node the last node of its "zero
  // chain" (the run i, i + 1, ... of zero children), which prediction skips at once (see PredictIndex).
  std::vector<double> leaf_proba;
  std::vector<std::int32_t> chain_last;

  std::size_t n_leaves() const { return leaf_offset.size() - 1; }
  std::size_t n_nodes() const { return feature.size() + n_leaves(); }
  std::int32_t zero_child(std::int32_t i) const { return 0.0f <= threshold[i] ? left[i] : right[i]; }
  void canonicalize();
  void finish();
  // bit 0: the zero child is a leaf; bit 1: the other child is a leaf. Preorder, as canonicalize() leaves it.
  std::vector<std::uint8_t> kinds() const;
  // Rebuilds left/right/root from kinds; false if they do not describe n_internal nodes and n_leaves leaves.
  bool set_shape(const std::vector<std::uint8_t>& kinds, std::size_t n_leaves);

  // Leaf reached by a row given as a dense float32 vector (reference implementation, used by tests).
  int leaf_of(const float* x) const {
    std::int32_t n = root;
    while (n >= 0) n = x[feature[n]] <= threshold[n] ? left[n] : right[n];
    return ~n;
  }
  // Adds this tree's normalized per-feature impurity decrease (sklearn's tree.feature_importances_) into
  // out; returns false (adding nothing) for a one-leaf tree. One scratch serves all the trees of a forest.
  struct ImportanceScratch {
    std::vector<double> local;       // per feature, zeros between calls
    std::vector<std::uint8_t> seen;  // per feature, zeros between calls
    std::vector<std::int32_t> used;
  };
  bool add_importances(Criterion c, int n_classes, std::vector<double>& out, ImportanceScratch& scratch) const;
};

// Prediction on sparse rows without walking long chains: a row follows zero chains until a node tests one
// of its own features, so for every feature we list the (tree, node) pairs that test it, in order; a row
// keeps one cursor per feature it holds and jumps straight to the next node that tests one of them:
// O(nnz * log) per tree and row instead of O(depth) (trees here are thousands of levels deep).
class PredictIndex {
 public:
  void build(const std::vector<Tree>& trees, std::size_t n_features);
 private:
  struct Cursor {
    std::int64_t cur, end;
    float value;
  };
  std::vector<std::int64_t> off_;   // per feature + 1
  std::vector<std::uint64_t> key_;  // tree << 32 | node, grouped by feature, ascending within a feature
 public:
  // One per thread. run() calls on_leaf(t, leaf) for every tree t with use(t), in tree order, for the row
  // idx/val (float32 values; features in any order).
  struct Walker {
    const PredictIndex& ix;
    std::vector<Cursor> cur;
    template <class Use, class OnLeaf>
    void run(const std::vector<Tree>& trees, const std::int32_t* idx, const float* val, int nnz, Use use,
             OnLeaf on_leaf);
  };
};

template <class Use, class OnLeaf>
void PredictIndex::Walker::run(const std::vector<Tree>& trees, const std::int32_t* idx, const float* val, int nnz,
                               Use use, OnLeaf on_leaf) {
  cur.clear();
  for (int k = 0; k < nnz; ++k) {
    const std::int32_t f = idx[k];
    if (f < 0 || static_cast<std::size_t>(f) + 1 >= ix.off_.size()) continue;
    if (ix.off_[f] < ix.off_[f + 1]) cur.push_back({ix.off_[f], ix.off_[f + 1], val[k]});
  }
  const std::uint64_t* key = ix.key_.data();
  for (std::size_t t = 0; t < trees.size(); ++t) {
    if (!use(t)) continue;
    const Tree& tr = trees[t];
    if (tr.root < 0) {
      on_leaf(t, ~tr.root);
      continue;
    }
    std::int32_t n = tr.root;
    for (;;) {
      const std::int32_t last = tr.chain_last[n];
      const std::uint64_t lo = (static_cast<std::uint64_t>(t) << 32) | static_cast<std::uint32_t>(n);
      std::uint64_t best = (static_cast<std::uint64_t>(t) << 32) | static_cast<std::uint32_t>(last + 1);
      float x = 0.0f;
      for (Cursor& c : cur) {
        if (c.cur < c.end && key[c.cur] < lo)
          c.cur = std::lower_bound(key + c.cur, key + c.end, lo) - key;
        if (c.cur < c.end && key[c.cur] < best) {
          best = key[c.cur];
          x = c.value;
        }
      }
      const std::int32_t b = static_cast<std::int32_t>(best & 0xffffffffu);
      if (b > last) {  // the rest of the chain tests features the row lacks: zeros all the way
        on_leaf(t, ~tr.zero_child(last));
        break;
      }
      const std::int32_t next = x <= tr.threshold[b] ? tr.left[b] : tr.right[b];
      if (next < 0) {
        on_leaf(t, ~next);
        break;
      }
      n = next;
    }
  }
}

// The binary model's layout of a forest's trees (packed.cpp): a few byte strings instead of one JSON value
// per node. unpack_trees() checks everything a corrupt file could get wrong and returns finished trees.
nlohmann::json pack_trees(const std::vector<Tree>& trees);
std::vector<Tree> unpack_trees(const nlohmann::json& packed, int n_classes, std::size_t n_features);

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
