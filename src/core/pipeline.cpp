#include "pipeline.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include "eval/metrics.h"
#include "io/model_io.h"

namespace tf {

namespace {

// Stage params merge over the current values, so a partial object ({"forest": {"n_estimators": 20}})
// changes only what it names; each stage's from_json rejects unknown keys.
template <class P>
void merge_stage(const nlohmann::json& j, const char* key, P& p) {
  if (!j.contains(key)) return;
  const auto& part = j.at(key);
  if (part.is_null()) return;
  if (!part.is_object())
    throw Error(ErrorCode::invalid_parameter, std::string("The '") + key + "' parameters must be an object.", key);
  nlohmann::json merged = p;
  merged.update(part);
  p = merged.get<P>();
}

std::string trim_ascii(const std::string& s) {
  const char* ws = " \t\r\n\f\v";
  auto b = s.find_first_not_of(ws);
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

std::vector<int> encode_labels(const std::vector<std::string>& labels, const std::vector<std::string>& classes) {
  std::map<std::string, int> index;
  for (std::size_t i = 0; i < classes.size(); ++i) index.emplace(classes[i], static_cast<int>(i));
  std::vector<int> y;
  y.reserve(labels.size());
  for (const auto& l : labels) y.push_back(index.at(l));
  return y;
}

std::vector<std::string> sorted_classes(const std::vector<std::string>& labels) {
  std::set<std::string> s(labels.begin(), labels.end());  // byte order of UTF-8 = Python's code point order
  return {s.begin(), s.end()};
}

template <class T>
std::vector<T> take(const std::vector<T>& v, const std::vector<std::size_t>& idx) {
  std::vector<T> out;
  out.reserve(idx.size());
  for (auto i : idx) out.push_back(v[i]);
  return out;
}

void require_two_classes(const std::vector<std::string>& classes) {
  if (classes.size() < 2)
    throw Error(ErrorCode::bad_input,
                classes.empty() ? "There are no labelled rows to learn from."
                                : "Training needs at least two different labels; every row is labelled \"" +
                                      classes[0] + "\".",
                "label");
}

// Normalized texts of data, with rows whose normalized text is empty removed (counted).
struct Prepared {
  std::vector<std::size_t> rows;  // indices into the dataset
  std::vector<std::string> normalized;
  std::size_t dropped_empty_text = 0;
};

Prepared prepare(const Dataset& data, const text::Normalizer& normalize, const std::vector<std::size_t>& order,
                 const FitControl& ctl) {
  Prepared p;
  p.rows.reserve(order.size());
  p.normalized.reserve(order.size());
  std::size_t done = 0;
  for (auto i : order) {
    std::string n = normalize(data.texts[i]);
    if (n.empty()) {
      ++p.dropped_empty_text;
    } else {
      p.rows.push_back(i);
      p.normalized.push_back(std::move(n));
    }
    if ((++done & 1023) == 0) {
      ctl.check_cancelled();
      ctl.progress(static_cast<double>(done) / order.size(), "preprocess");
    }
  }
  ctl.progress(1.0, "preprocess");
  return p;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------
void PipelineParams::validate() const {
  preprocess.validate();
  tfidf.validate();
  forest.validate();
  split.validate();
  search.validate();
}

void to_json(nlohmann::json& j, const PipelineParams& p) {
  j = nlohmann::json{{"preprocess", p.preprocess}, {"tfidf", p.tfidf}, {"forest", p.forest},
                     {"split", p.split},           {"search", p.search}};
}

void from_json(const nlohmann::json& j, PipelineParams& p) {
  if (!j.is_object()) throw Error(ErrorCode::invalid_parameter, "The parameters must be a JSON object.", "params");
  static const std::set<std::string> stages{"preprocess", "tfidf", "forest", "split", "search"};
  for (auto it = j.begin(); it != j.end(); ++it)
    if (!stages.count(it.key()))
      throw Error(ErrorCode::invalid_parameter,
                  "Unknown parameter group '" + it.key() +
                      "'; the groups are preprocess, tfidf, forest, split and search.",
                  it.key());
  merge_stage(j, "preprocess", p.preprocess);
  merge_stage(j, "tfidf", p.tfidf);
  merge_stage(j, "forest", p.forest);
  merge_stage(j, "split", p.split);
  merge_stage(j, "search", p.search);
  p.validate();
}

// ---------------------------------------------------------------------------------------------------
Dataset extract_dataset(const io::Table& table, const Columns& columns) {
  if (columns.text.empty())
    throw Error(ErrorCode::bad_input, "Choose at least one text column.", "text");
  std::vector<std::size_t> text_cols;
  for (const auto& name : columns.text) text_cols.push_back(table.column(name));
  const bool labelled = !columns.label.empty();
  const std::size_t label_col = labelled ? table.column(columns.label) : 0;

  Dataset d;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    std::string label;
    if (labelled) {
      label = trim_ascii(row[label_col]);
      if (label.empty()) {
        ++d.dropped_empty_label;
        continue;
      }
    }
    std::string text;
    for (auto c : text_cols) {
      if (row[c].empty()) continue;
      if (!text.empty()) text += ' ';
      text += row[c];
    }
    d.texts.push_back(std::move(text));
    d.labels.push_back(std::move(label));
    d.lines.push_back(r < table.line_numbers.size() ? table.line_numbers[r] : r + 1);
  }
  return d;
}

// ---------------------------------------------------------------------------------------------------
Model::Model(PipelineParams p, std::vector<std::string> labels, features::TfidfVectorizer v, forest::RandomForest f)
    : params_(std::move(p)), labels_(std::move(labels)), vectorizer_(std::move(v)), forest_(std::move(f)) {}

TrainingSet make_training_set(const Dataset& data, const PipelineParams& params, const FitControl& ctl) {
  params.validate();
  text::Normalizer normalize(params.preprocess);
  std::vector<std::size_t> order(data.texts.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  FitControl pre = ctl;
  pre.on_progress = [&](double f, const std::string& s) { ctl.progress(0.1 * f, s); };
  Prepared p = prepare(data, normalize, order, pre);
  const auto labels = take(data.labels, p.rows);
  TrainingSet t;
  t.classes = sorted_classes(labels);
  require_two_classes(t.classes);
  t.vectorizer = features::TfidfVectorizer(params.tfidf);
  t.X = t.vectorizer.fit_transform(p.normalized);
  t.y = encode_labels(labels, t.classes);
  ctl.progress(0.15, "tfidf");
  return t;
}

Model Model::train(const Dataset& data, const PipelineParams& params, const FitControl& ctl) {
  TrainingSet t = make_training_set(data, params, ctl);
  forest::RandomForest forest(params.forest);
  FitControl fc = ctl;
  fc.on_progress = [&](double f, const std::string& s) { ctl.progress(0.15 + 0.85 * f, s); };
  forest.fit(t.X, t.y, static_cast<int>(t.classes.size()), fc);

  PipelineParams used = params;
  used.forest = forest.params();
  Model m(used, t.classes, std::move(t.vectorizer), std::move(forest));
  m.n_train_rows = t.y.size();
  ctl.progress(1.0, "done");
  return m;
}

std::vector<Prediction> Model::predict(const std::vector<std::string>& texts) const {
  if (labels_.empty()) throw Error(ErrorCode::not_fitted, "The model has not been trained or loaded.");
  text::Normalizer normalize(params_.preprocess);
  std::vector<std::string> normalized;
  normalized.reserve(texts.size());
  for (const auto& t : texts) normalized.push_back(normalize(t));
  const SparseMatrix X = vectorizer_.transform(normalized);
  const std::vector<double> proba = forest_.predict_proba(X);
  const std::size_t k = labels_.size();
  std::vector<Prediction> out(texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const double* row = proba.data() + i * k;
    std::size_t best = 0;
    for (std::size_t c = 1; c < k; ++c)
      if (row[c] > row[best]) best = c;  // first maximum, as numpy's argmax
    out[i].label = labels_[best];
    out[i].probabilities.assign(row, row + k);
  }
  return out;
}

std::vector<std::pair<std::string, double>> Model::top_terms(std::size_t n) const {
  const std::vector<double> imp = forest_.feature_importances();
  const auto& terms = vectorizer_.terms();
  std::vector<std::size_t> idx;
  for (std::size_t i = 0; i < imp.size() && i < terms.size(); ++i)
    if (imp[i] > 0) idx.push_back(i);
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return imp[a] > imp[b]; });
  if (idx.size() > n) idx.resize(n);
  std::vector<std::pair<std::string, double>> out;
  for (auto i : idx) out.emplace_back(terms[i], imp[i]);
  return out;
}

nlohmann::json Model::to_json(forest::TreeLayout layout) const {
  return nlohmann::json{{"format", io::kModelFormat},   {"version", io::kModelVersion},
                        {"params", params_},            {"labels", labels_},
                        {"vectorizer", vectorizer_.to_json()}, {"forest", forest_.to_json(layout)},
                        {"trained_on", {{"rows", n_train_rows}}}};
}

std::vector<std::uint8_t> Model::save(io::ModelEncoding enc) const {
  if (enc == io::ModelEncoding::binary) return io::encode_model(to_json(forest::TreeLayout::packed), enc);
  // JSON text: the same bytes as encode_model(to_json()), with the trees written straight as text into
  // the place of a marker (a JSON value per node would take several times the file's size)
  nlohmann::json j = to_json(forest::TreeLayout::omitted);
  const std::string marker = "\x01trees\x01";
  j["forest"]["trees"] = marker;
  const std::vector<std::uint8_t> text = io::encode_model(j, enc);
  const std::string at = "\"trees\":\"\\u0001trees\\u0001\"";
  const auto it = std::search(text.begin(), text.end(), at.begin(), at.end());
  if (it == text.end()) throw Error(ErrorCode::internal, "The model's JSON text has no place for its trees.");
  std::string out(text.begin(), it);
  out += "\"trees\":";
  forest_.append_trees_json(out);
  out.append(it + static_cast<std::ptrdiff_t>(at.size()), text.end());
  return std::vector<std::uint8_t>(out.begin(), out.end());
}

Model Model::from_json(const nlohmann::json& j) {
  try {
    if (!j.is_object() || j.value("format", "") != io::kModelFormat)
      throw Error(ErrorCode::model_format, "This is not a titleforest model.");
    const int version = j.at("version").get<int>();
    if (version > io::kModelVersion)
      throw Error(ErrorCode::model_format, "This model was written by a newer titleforest (format version " +
                                               std::to_string(version) + "; this build reads up to " +
                                               std::to_string(io::kModelVersion) + ").");
    PipelineParams params = j.at("params").get<PipelineParams>();
    auto labels = j.at("labels").get<std::vector<std::string>>();
    Model m(params, labels, features::TfidfVectorizer::from_json(j.at("vectorizer")),
            forest::RandomForest::from_json(j.at("forest")));
    if (j.contains("trained_on")) m.n_train_rows = j.at("trained_on").value("rows", std::size_t{0});
    if (m.labels_.size() < 1 || static_cast<std::size_t>(m.forest_.n_classes()) != m.labels_.size())
      throw Error(ErrorCode::model_format, "The model's labels do not match its forest.");
    return m;
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(ErrorCode::model_format, std::string("The model file is damaged or incomplete: ") + e.what());
  }
}

// ---------------------------------------------------------------------------------------------------
nlohmann::json EvaluateResult::to_json() const {
  nlohmann::json rounds_json = nlohmann::json::array();
  for (const auto& r : rounds)
    rounds_json.push_back({{"round", r.round},
                           {"criterion", r.criterion},
                           {"n_estimators", r.n_estimators},
                           {"accuracy", r.accuracy},
                           {"v_measure", r.v_measure}});
  return nlohmann::json{{"accuracy", accuracy},
                        {"v_measure", v_measure},
                        {"homogeneity", homogeneity},
                        {"completeness", completeness},
                        {"labels", labels},
                        {"confusion_matrix", confusion_matrix},
                        {"n_train", n_train},
                        {"n_test", n_test},
                        {"rounds", rounds_json},
                        {"wrong", report.wrong},
                        {"correct", report.correct}};
}

EvaluateResult evaluate(const Dataset& data, const PipelineParams& params, const FitControl& ctl,
                        const std::function<void(const eval::RoundResult&)>& on_round) {
  params.validate();
  params.search.validate(params.forest.n_estimators);  // before any work: every round must have >= 1 tree
  EvaluateResult res;
  res.dropped_empty_label = data.dropped_empty_label;

  // The notebook's input order: rows grouped by sorted label, file order within a label.
  std::vector<std::size_t> order(data.texts.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return data.labels[a] < data.labels[b]; });

  text::Normalizer normalize(params.preprocess);
  FitControl pre = ctl;
  pre.on_progress = [&](double f, const std::string& s) { ctl.progress(0.05 * f, s); };
  Prepared p = prepare(data, normalize, order, pre);
  res.dropped_empty_text = p.dropped_empty_text;

  const auto labels = take(data.labels, p.rows);
  res.labels = sorted_classes(labels);
  require_two_classes(res.labels);
  const auto y = encode_labels(labels, res.labels);
  const int n_classes = static_cast<int>(res.labels.size());

  const eval::SplitIndices split = eval::train_test_split(p.rows.size(), params.split, y);
  res.n_train = split.train.size();
  res.n_test = split.test.size();

  // Selection set: the test split (the notebook's choice) or a validation split of the training rows.
  const bool on_validation = params.search.select_on == "validation";
  std::vector<std::size_t> fit_idx = split.train, select_idx = split.test;
  if (on_validation) {
    eval::SplitParams vp = params.split;
    vp.test_size = eval::SplitSize(params.search.validation_size);
    vp.train_size.reset();
    const auto inner = eval::train_test_split(split.train.size(), vp, take(y, split.train));
    fit_idx = take(split.train, inner.train);
    select_idx = take(split.train, inner.test);
  }

  features::TfidfVectorizer vec(params.tfidf);
  SparseMatrix X_fit = vec.fit_transform(take(p.normalized, fit_idx));
  SparseMatrix X_sel = vec.transform(take(p.normalized, select_idx));
  const auto y_fit = take(y, fit_idx), y_sel = take(y, select_idx);
  ctl.progress(0.08, "tfidf");

  const int max_rounds = params.search.max_rounds;
  std::optional<forest::RandomForest> best_forest;
  double best_v = -1;
  auto run_round = [&](const eval::RoundPlan& plan) {
    forest::ForestParams fp = params.forest;
    fp.criterion = plan.criterion == "entropy" ? forest::Criterion::entropy : forest::Criterion::gini;
    fp.n_estimators = plan.n_estimators;
    fp.random_state = plan.seed;
    forest::RandomForest f(fp);
    FitControl fc = ctl;
    fc.on_progress = [&](double frac, const std::string& stage) {
      ctl.progress(0.08 + 0.9 * ((plan.round - 1) + frac) / max_rounds, stage);
    };
    f.fit(X_fit, y_fit, n_classes, fc);
    const auto pred = f.predict(X_sel);
    eval::RoundResult r{plan.round, plan.criterion, plan.n_estimators, eval::accuracy_score(y_sel, pred),
                        eval::homogeneity_completeness_v_measure(y_sel, pred).v_measure};
    if (r.v_measure > best_v) {
      best_v = r.v_measure;
      best_forest = std::move(f);
    }
    return r;
  };
  FitControl search_ctl;  // the rounds report their own progress (per tree) above; only cancel here
  search_ctl.cancelled = ctl.cancelled;
  const eval::SearchResult search =
      eval::run_search(params.search, params.forest.n_estimators, run_round, on_round, search_ctl);
  res.rounds = search.rounds;
  res.best_round = search.best;
  if (!best_forest || search.best < 0) throw Error(ErrorCode::internal, "The model search trained no forest.");

  if (on_validation) {  // refit the chosen configuration on the whole training split
    vec = features::TfidfVectorizer(params.tfidf);
    X_fit = vec.fit_transform(take(p.normalized, split.train));
    forest::RandomForest f(best_forest->params());
    f.fit(X_fit, take(y, split.train), n_classes, ctl);
    best_forest = std::move(f);
  }

  const SparseMatrix X_test = vec.transform(take(p.normalized, split.test));
  const auto y_test = take(y, split.test);
  const auto pred = best_forest->predict(X_test);
  res.accuracy = eval::accuracy_score(y_test, pred);
  const auto hcv = eval::homogeneity_completeness_v_measure(y_test, pred);
  res.homogeneity = hcv.homogeneity;
  res.completeness = hcv.completeness;
  res.v_measure = hcv.v_measure;
  res.confusion_matrix = eval::confusion_matrix(y_test, pred, n_classes);

  std::vector<eval::ReportRow> rows;
  rows.reserve(split.test.size());
  for (std::size_t k = 0; k < split.test.size(); ++k) {
    const std::size_t i = split.test[k];
    rows.push_back({data.texts[p.rows[i]], p.normalized[i], res.labels[y_test[k]], res.labels[pred[k]]});
  }
  res.report = eval::analyze(rows);

  PipelineParams used = params;
  used.forest = best_forest->params();
  res.model = Model(used, res.labels, std::move(vec), std::move(*best_forest));
  res.model.n_train_rows = split.train.size();
  ctl.progress(1.0, "done");
  return res;
}

}  // namespace tf
