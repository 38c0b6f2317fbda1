// RandomForestClassifier of scikit-learn 1.2 on sparse TF-IDF features (DESIGN.md section 4, issue 6).
#pragma once
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/control.h"
#include "common/sparse.h"

namespace tf::forest {

enum class Criterion { gini, entropy, log_loss };
// How to_json() writes the trees: JSON arrays (readable; version 1), or a few byte strings (CBOR only;
// version 2, see packed.cpp), which are several times faster to write and read and need no per-node values.
// omitted: no trees at all, for a writer that appends them as text itself (append_trees_json).
enum class TreeLayout { arrays, packed, omitted };

struct ForestParams {
  int n_estimators = 100;
  Criterion criterion = Criterion::gini;
  std::optional<int> max_depth;                       // nullopt = None
  std::variant<long long, double> min_samples_split = 2LL;
  std::variant<long long, double> min_samples_leaf = 1LL;
  double min_impurity_decrease = 0.0;
  // "sqrt" | "log2" | int | float | None: stored as a string for the two names, else a number/nullopt
  std::variant<std::string, long long, double, std::monostate> max_features = std::string("sqrt");
  bool bootstrap = true;
  std::optional<std::variant<long long, double>> max_samples;
  std::string class_weight;                           // "" (None) | "balanced" | "balanced_subsample"
  bool oob_score = false;
  std::optional<std::uint64_t> random_state;          // nullopt = None: a seed is drawn and recorded
  int n_jobs = 1;                                     // native threads; never changes the model
  void validate() const;
};
void to_json(nlohmann::json& j, const ForestParams& p);
void from_json(const nlohmann::json& j, ForestParams& p);  // unknown keys are an Error
std::string_view to_string(Criterion c);

namespace detail { struct Data; }

// The training data as the tree builder reads it (float32 CSR, explicit zeros dropped, labels checked):
// made once, it serves any number of fit_trees() calls (a worker that grows its trees in chunks).
class ForestData {
 public:
  ForestData(const SparseMatrix& X, const std::vector<int>& y, int n_classes);  // Error(bad_input) as fit()

 private:
  friend class RandomForest;
  std::shared_ptr<const detail::Data> d_;
};

class RandomForest {
 public:
  explicit RandomForest(ForestParams p = {});
  // y[i] in [0, n_classes). Progress is reported per tree; cancel is polled between trees.
  void fit(const SparseMatrix& X, const std::vector<int>& y, int n_classes, const FitControl& ctl = {});
  // Row-major n_rows x n_classes: mean of the trees' leaf class distributions.
  std::vector<double> predict_proba(const SparseMatrix& X) const;
  std::vector<int> predict(const SparseMatrix& X) const;
  std::vector<double> feature_importances() const;   // normalized, sums to 1 (or all 0)
  std::optional<double> oob_score() const;
  // sklearn's oob_score_ (accuracy of the out-of-bag predictions) from the training data: fit() calls it
  // when params().oob_score; after fit_trees() + merge(), call it to get the same model as fit()'s.
  void compute_oob_score(const SparseMatrix& X, const std::vector<int>& y);

  int n_classes() const;
  std::size_t n_features() const;
  std::size_t n_trees() const;
  const ForestParams& params() const { return params_; }

  // Parallel training across workers: trees [first, first + count) of the forest that fit() would grow,
  // then merge() in tree order; the result is identical to fit()'s (same to_json() bytes; call
  // compute_oob_score() after the last merge if params().oob_score). Needs a random_state: with None each
  // call draws its own seed and merge() refuses the parts. merge() into an unfitted forest takes the part;
  // otherwise the parts must have equal parameters (n_jobs aside), data shape and seed, and be consecutive.
  void fit_trees(const SparseMatrix& X, const std::vector<int>& y, int n_classes, int first, int count,
                 const FitControl& ctl = {});
  void fit_trees(const ForestData& data, int first, int count, const FitControl& ctl = {});
  void merge(const RandomForest& other);
  void merge(RandomForest&& other);  // the same, moving other's trees when no one else holds them

  // {"format": "titleforest-forest", "version": 1, "params" (without n_jobs), "n_classes", "n_features",
  //  "n_samples", "n_samples_bootstrap", "seed", "first_tree", "oob_score", "trees": [{"feature": [...],
  //  "threshold": [float32 values], "kind": [2-bit shape codes, preorder], "leaf_size", "leaf_class",
  //  "leaf_count": [weighted class counts, integers when integral]}]}: flat arrays, small in CBOR.
  // TreeLayout::packed replaces "trees" with "packed_trees", an object of byte strings (version 2).
  nlohmann::json to_json(TreeLayout layout = TreeLayout::arrays) const;
  static RandomForest from_json(const nlohmann::json& j);  // Error(model_format) on anything malformed
  // Appends the JSON text of to_json()["trees"] exactly as nlohmann's dump() writes it, without building
  // the JSON value (which takes several times the text's size for a large forest).
  void append_trees_json(std::string& out) const;

 private:
  void merge_from(const RandomForest& other, bool take);
  ForestParams params_;
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace tf::forest
