// The façade (DESIGN.md section 2): params -> fit / predict / evaluate / save / load. All that src/cli
// and src/bindings include. Params nest by stage: {preprocess, tfidf, forest, split, search}.
#pragma once
#include <nlohmann/json.hpp>
#include <functional>
#include <string>
#include <vector>

#include "common/control.h"
#include "eval/report.h"
#include "eval/search.h"
#include "eval/split.h"
#include "features/tfidf.h"
#include "forest/forest.h"
#include "io/model_io.h"
#include "io/table.h"
#include "text/normalizer.h"

namespace tf {

struct PipelineParams {
  text::PreprocessParams preprocess;
  features::TfidfParams tfidf;
  forest::ForestParams forest;
  eval::SplitParams split;
  eval::SearchParams search;
  void validate() const;
};
void to_json(nlohmann::json& j, const PipelineParams& p);
void from_json(const nlohmann::json& j, PipelineParams& p);  // partial objects allowed; unknown keys rejected

struct Columns {
  std::vector<std::string> text;  // joined with a space when several
  std::string label;              // may be empty for prediction-only use
};

// Texts and labels taken from a table. Rows with an empty label are dropped and counted; so are rows
// whose normalized text is empty (at fit/evaluate time).
struct Dataset {
  std::vector<std::string> texts;        // original text (columns joined)
  std::vector<std::string> labels;
  std::vector<std::size_t> lines;        // source line of each row
  std::size_t dropped_empty_label = 0;
  std::size_t dropped_empty_text = 0;    // filled by evaluate()/Model::train()
};
Dataset extract_dataset(const io::Table& table, const Columns& columns);

struct Prediction {
  std::string label;
  std::vector<double> probabilities;  // in labels() order
};

// What Model::train fits its forest on: the rows whose text is not empty once normalized, the sorted
// labels, the fitted TF-IDF and its matrix. Parallel training (the bindings' _prepare) makes it in every
// worker, so that each grows its trees on exactly the data of one Model::train. Progress goes to 0.15.
struct TrainingSet {
  std::vector<std::string> classes;
  features::TfidfVectorizer vectorizer;
  SparseMatrix X;
  std::vector<int> y;  // index into classes, per row of X
};
TrainingSet make_training_set(const Dataset& data, const PipelineParams& params, const FitControl& ctl = {});

class Model {
 public:
  // Fits on every row: normalize, TF-IDF, one forest of params.forest.n_estimators trees.
  static Model train(const Dataset& data, const PipelineParams& params, const FitControl& ctl = {});
  std::vector<Prediction> predict(const std::vector<std::string>& texts) const;
  const std::vector<std::string>& labels() const { return labels_; }
  const PipelineParams& params() const { return params_; }
  const forest::RandomForest& forest() const { return forest_; }
  const features::TfidfVectorizer& vectorizer() const { return vectorizer_; }
  // The forest's impurity-based feature importances mapped back to vocabulary terms: the n most
  // important (importance > 0), most important first, ties in vocabulary order.
  std::vector<std::pair<std::string, double>> top_terms(std::size_t n) const;

  // {"format", "version", "params", "labels", "vectorizer", "forest", "trained_on"}
  nlohmann::json to_json(forest::TreeLayout layout = forest::TreeLayout::arrays) const;
  // The model file's bytes: JSON text with the trees as arrays, or CBOR with the trees packed.
  std::vector<std::uint8_t> save(io::ModelEncoding enc) const;
  static Model from_json(const nlohmann::json& j);

  // assembled by evaluate() and train()
  Model(PipelineParams p, std::vector<std::string> labels, features::TfidfVectorizer v, forest::RandomForest f);
  Model() = default;
  std::size_t n_train_rows = 0;

 private:
  PipelineParams params_;
  std::vector<std::string> labels_;
  features::TfidfVectorizer vectorizer_;
  forest::RandomForest forest_;
};

struct EvaluateResult {
  double accuracy = 0, v_measure = 0, homogeneity = 0, completeness = 0;
  std::vector<std::string> labels;
  std::vector<std::vector<long long>> confusion_matrix;
  std::size_t n_train = 0, n_test = 0;
  std::vector<eval::RoundResult> rounds;
  int best_round = -1;  // index into rounds
  eval::Report report;
  std::size_t dropped_empty_label = 0, dropped_empty_text = 0;
  Model model;          // the best round's model (trained on the training split)
  nlohmann::json to_json() const;  // DESIGN.md section 3 "evaluate" JSON
};

// The notebook's experiment: order rows as the notebook does (grouped by sorted label, file order within a
// label), normalize, drop empty texts, split, TF-IDF, model search, metrics and report.
EvaluateResult evaluate(const Dataset& data, const PipelineParams& params, const FitControl& ctl = {},
                        const std::function<void(const eval::RoundResult&)>& on_round = {});

}  // namespace tf
