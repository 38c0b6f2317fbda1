// RandomForest: bagging, class weights, prediction, out-of-bag score, importances, (de)serialization.
#include "forest/forest.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <iterator>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>

#include "forest/tree.h"

#if !defined(__EMSCRIPTEN__) || defined(__EMSCRIPTEN_PTHREADS__)
#define TF_FOREST_THREADS 1
#include <thread>
#endif

namespace tf::forest {
namespace detail {

Data make_data(const SparseMatrix& X, const std::vector<int>& y, int n_classes) {
  if (n_classes < 1) throw_invalid_parameter("forest.n_classes", "an int in the range [1, inf)", std::to_string(n_classes));
  if (static_cast<std::size_t>(X.rows()) != y.size())
    throw Error(ErrorCode::bad_input, "The forest got " + std::to_string(y.size()) + " labels for " +
                                          std::to_string(X.rows()) + " rows.", "forest.y");
  if (X.rows() == 0) throw Error(ErrorCode::bad_input, "The forest cannot be trained on zero rows.", "forest.X");
  Data d;
  d.n_rows = static_cast<int>(X.rows());
  d.n_features = static_cast<int>(X.cols());
  d.n_classes = n_classes;
  d.row_ptr.assign(d.n_rows + 1, 0);
  d.y.resize(d.n_rows);
  for (int r = 0; r < d.n_rows; ++r) {
    if (y[r] < 0 || y[r] >= n_classes)
      throw Error(ErrorCode::bad_input, "Label " + std::to_string(y[r]) + " of row " + std::to_string(r) +
                                            " is outside [0, " + std::to_string(n_classes) + ").", "forest.y");
    d.y[r] = y[r];
    for (SparseMatrix::InnerIterator it(X, r); it; ++it) {
      const double v = it.value();
      if (!std::isfinite(v))
        throw Error(ErrorCode::bad_input, "Row " + std::to_string(r) + " holds a value that is not finite.", "forest.X");
      const float f = static_cast<float>(v);
      if (f == 0.0f) continue;
      d.col.push_back(static_cast<std::int32_t>(it.index()));
      d.entry.push_back({r, f});
    }
    d.row_ptr[r + 1] = static_cast<std::int32_t>(d.col.size());
  }
  return d;
}

Settings resolve(const ForestParams& p, const Data& d) {
  Settings s;
  s.criterion = p.criterion == Criterion::log_loss ? Criterion::entropy : p.criterion;
  if (p.max_depth) s.max_depth = *p.max_depth;
  const double n = d.n_rows;
  if (auto* i = std::get_if<long long>(&p.min_samples_leaf)) s.min_samples_leaf = *i;
  else s.min_samples_leaf = static_cast<long long>(std::ceil(std::get<double>(p.min_samples_leaf) * n));
  if (auto* i = std::get_if<long long>(&p.min_samples_split)) {
    s.min_samples_split = *i;
  } else {
    s.min_samples_split = static_cast<long long>(std::ceil(std::get<double>(p.min_samples_split) * n));
    s.min_samples_split = std::max<long long>(2, s.min_samples_split);
  }
  s.min_samples_split = std::max(s.min_samples_split, 2 * s.min_samples_leaf);
  s.min_impurity_decrease = p.min_impurity_decrease;
  const int F = d.n_features;
  long long mf = F;
  if (auto* str = std::get_if<std::string>(&p.max_features)) {
    if (*str == "sqrt") mf = std::max(1LL, static_cast<long long>(std::sqrt(static_cast<double>(F))));
    else mf = std::max(1LL, static_cast<long long>(std::log2(static_cast<double>(F))));
  } else if (auto* i = std::get_if<long long>(&p.max_features)) {
    mf = *i;
  } else if (auto* f = std::get_if<double>(&p.max_features)) {
    mf = std::max(1LL, static_cast<long long>(*f * F));
  }
  if (mf > F && F > 0)
    throw_invalid_parameter("forest.max_features", "at most n_features = " + std::to_string(F), std::to_string(mf));
  s.max_features = static_cast<int>(std::max(1LL, mf));
  s.bootstrap = p.bootstrap;
  s.n_samples_bootstrap = d.n_rows;
  if (p.bootstrap && p.max_samples) {
    if (auto* i = std::get_if<long long>(&*p.max_samples)) {
      if (*i > d.n_rows)
        throw_invalid_parameter("forest.max_samples", "at most n_samples = " + std::to_string(d.n_rows),
                                std::to_string(*i));
      s.n_samples_bootstrap = *i;
    } else {
      s.n_samples_bootstrap = std::max(1LL, static_cast<long long>(std::nearbyint(n * std::get<double>(*p.max_samples))));
    }
  }
  if (p.class_weight == "balanced" || (p.class_weight == "balanced_subsample" && !p.bootstrap)) s.class_weight = 1;
  else if (p.class_weight == "balanced_subsample") s.class_weight = 2;
  if (s.class_weight == 1) {  // sklearn compute_class_weight("balanced"): n / (n_present_classes * bincount)
    std::vector<double> count(d.n_classes, 0.0);
    for (int r = 0; r < d.n_rows; ++r) count[d.y[r]] += 1;
    int present = 0;
    for (double c : count) present += c > 0;
    s.balanced_weight.assign(d.n_classes, 0.0);
    for (int k = 0; k < d.n_classes; ++k)
      if (count[k] > 0) s.balanced_weight[k] = n / (present * count[k]);
  }
  return s;
}

}  // namespace detail

using detail::Tree;

struct RandomForest::Impl {
  int n_classes = 0;
  std::size_t n_features = 0;
  int n_samples = 0;              // training rows (out-of-bag bookkeeping)
  long long n_samples_bootstrap = 0;
  std::uint64_t seed = 0;         // the effective random_state
  int first_tree = 0;             // global index of trees[0]
  std::vector<Tree> trees;
  std::optional<double> oob;
  // derived from trees on first use (predict, oob): parts that are only merged or saved never build it
  mutable std::shared_ptr<const detail::PredictIndex> index;
  const detail::PredictIndex& predict_index() const;
};

const detail::PredictIndex& RandomForest::Impl::predict_index() const {
#ifdef TF_FOREST_THREADS
  static std::mutex m;
  std::lock_guard<std::mutex> lock(m);
#endif
  if (!index) {
    auto built = std::make_shared<detail::PredictIndex>();
    built->build(trees, n_features);
    index = std::move(built);
  }
  return *index;
}

RandomForest::RandomForest(ForestParams p) : params_(std::move(p)) { params_.validate(); }

namespace {

std::uint64_t effective_seed(const ForestParams& p) {
  if (p.random_state) return *p.random_state;
  std::random_device rd;
  return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
}

// Row r of X as float32 values (sklearn predicts on float32), zeros dropped.
void row_of(const SparseMatrix& X, Eigen::Index r, std::vector<std::int32_t>& idx, std::vector<float>& val) {
  idx.clear();
  val.clear();
  for (SparseMatrix::InnerIterator it(X, r); it; ++it) {
    const float v = static_cast<float>(it.value());
    if (v == 0.0f) continue;
    idx.push_back(static_cast<std::int32_t>(it.index()));
    val.push_back(v);
  }
}

int thread_count(int n_jobs, int work) {
#ifdef TF_FOREST_THREADS
  int n = n_jobs;
  if (n < 0) n = std::max(1, static_cast<int>(std::thread::hardware_concurrency()) + 1 + n);
  return std::max(1, std::min(n, work));
#else
  (void)n_jobs;
  (void)work;
  return 1;
#endif
}

// Runs job(i) for i in [0, n) on up to `threads` threads; the calling thread reports progress and polls
// cancel after each of its jobs. Exceptions are rethrown on the calling thread.
template <class Job>
void run_parallel(int n, int threads, const FitControl& ctl, Job job) {
  std::atomic<int> next{0}, done{0};
  std::atomic<bool> stop{false};
  int reported = 0;  // by the calling thread only
  std::exception_ptr error;
  std::mutex m;
  auto worker = [&](bool main) {
    for (;;) {
      if (stop) return;
      const int i = next++;
      if (i >= n) return;
      try {
        job(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(m);
        if (!error) error = std::current_exception();
        stop = true;
        return;
      }
      ++done;
      if (main) {
        reported = done;
        ctl.progress(static_cast<double>(reported) / n, "forest");
        if (ctl.cancelled && ctl.cancelled()) stop = true;
      }
    }
  };
#ifdef TF_FOREST_THREADS
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker, false);
  worker(true);
  for (auto& th : pool) th.join();
#else
  (void)threads;
  worker(true);
#endif
  if (error) std::rethrow_exception(error);
  if (stop) ctl.check_cancelled();
  if (done < n) throw Error(ErrorCode::cancelled, "The work was cancelled.");
  if (reported < n) ctl.progress(1.0, "forest");
}

}  // namespace

void RandomForest::fit(const SparseMatrix& X, const std::vector<int>& y, int n_classes, const FitControl& ctl) {
  fit_trees(X, y, n_classes, 0, params_.n_estimators, ctl);
  if (params_.oob_score) compute_oob_score(X, y);
}

ForestData::ForestData(const SparseMatrix& X, const std::vector<int>& y, int n_classes)
    : d_(std::make_shared<const detail::Data>(detail::make_data(X, y, n_classes))) {}

void RandomForest::fit_trees(const SparseMatrix& X, const std::vector<int>& y, int n_classes, int first, int count,
                             const FitControl& ctl) {
  params_.validate();  // parameter errors before data errors, as sklearn
  fit_trees(ForestData(X, y, n_classes), first, count, ctl);
}

void RandomForest::fit_trees(const ForestData& data, int first, int count, const FitControl& ctl) {
  params_.validate();
  if (first < 0 || count < 0 || first + count > params_.n_estimators)
    throw_invalid_parameter("forest.fit_trees", "a range of trees inside [0, n_estimators)",
                            "[" + std::to_string(first) + ", " + std::to_string(first + count) + ")");
  const detail::Data& d = *data.d_;
  const detail::Settings s = detail::resolve(params_, d);
  auto impl = std::make_shared<Impl>();
  impl->n_classes = d.n_classes;
  impl->n_features = static_cast<std::size_t>(d.n_features);
  impl->n_samples = d.n_rows;
  impl->n_samples_bootstrap = s.bootstrap ? s.n_samples_bootstrap : 0;
  impl->seed = effective_seed(params_);
  impl->first_tree = first;
  impl->trees.resize(count);
  const int threads = thread_count(params_.n_jobs, count);
  std::vector<std::unique_ptr<detail::Builder>> builders(threads);
  std::mutex m;
  std::vector<detail::Builder*> idle;
  for (auto& b : builders) {
    b = std::make_unique<detail::Builder>(d, s);
    idle.push_back(b.get());
  }
  run_parallel(count, threads, ctl, [&](int i) {
    detail::Builder* b;
    {
      std::lock_guard<std::mutex> lock(m);
      b = idle.back();
      idle.pop_back();
    }
    impl->trees[i] = b->build(derive_seed(impl->seed, static_cast<std::uint64_t>(first + i)));
    std::lock_guard<std::mutex> lock(m);
    idle.push_back(b);
  });
  impl_ = std::move(impl);
}

namespace {
// The parameters as the model records them: n_jobs is how it was run, not what it is.
nlohmann::json model_params(const ForestParams& p) {
  nlohmann::json j = p;
  j.erase("n_jobs");
  return j;
}
}  // namespace

void RandomForest::merge(const RandomForest& other) { merge_from(other, false); }

void RandomForest::merge(RandomForest&& other) {
  merge_from(other, other.impl_ && other.impl_.use_count() == 1);
  other.impl_.reset();
}

// take: other's trees may be moved out (other is going away and shares them with no one)
void RandomForest::merge_from(const RandomForest& other, bool take) {
  if (!other.impl_) throw Error(ErrorCode::not_fitted, "Cannot merge a forest that has not been fitted.", "forest.merge");
  if (model_params(params_) != model_params(other.params_))
    throw Error(ErrorCode::bad_input, "The forests to merge were not trained with the same parameters.", "forest.merge");
  if (!impl_) {
    impl_ = take ? other.impl_ : std::make_shared<Impl>(*other.impl_);
    return;
  }
  Impl& o = *other.impl_;
  if (o.n_classes != impl_->n_classes || o.n_features != impl_->n_features || o.seed != impl_->seed ||
      o.n_samples != impl_->n_samples || o.n_samples_bootstrap != impl_->n_samples_bootstrap)
    throw Error(ErrorCode::bad_input, "The forests to merge were not trained on the same data with the same seed.",
                "forest.merge");
  if (o.first_tree != impl_->first_tree + static_cast<int>(impl_->trees.size()))
    throw Error(ErrorCode::bad_input,
                "The forests to merge must be consecutive: trees from " +
                    std::to_string(impl_->first_tree + impl_->trees.size()) + " were expected, got trees from " +
                    std::to_string(o.first_tree) + ".",
                "forest.merge");
  // copy on write: another RandomForest may share this one's trees
  if (impl_.use_count() > 1) impl_ = std::make_shared<Impl>(*impl_);
  if (take) std::move(o.trees.begin(), o.trees.end(), std::back_inserter(impl_->trees));
  else impl_->trees.insert(impl_->trees.end(), o.trees.begin(), o.trees.end());
  impl_->oob.reset();
  impl_->index.reset();
}

void RandomForest::compute_oob_score(const SparseMatrix& X, const std::vector<int>& y) {
  if (!impl_) throw Error(ErrorCode::not_fitted, "The forest has not been fitted.", "forest.oob_score");
  if (!params_.bootstrap)
    throw_invalid_parameter("forest.oob_score", "false when bootstrap is false (out-of-bag estimation needs it)",
                            "true");
  Impl& im = *impl_;
  if (X.rows() != im.n_samples || y.size() != static_cast<std::size_t>(X.rows()) ||
      static_cast<std::size_t>(X.cols()) != im.n_features)
    throw Error(ErrorCode::bad_input, "The out-of-bag score needs the training data.", "forest.oob_score");
  const int C = im.n_classes, n = im.n_samples;
  std::vector<double> proba(static_cast<std::size_t>(n) * C, 0.0);
  std::vector<int> n_pred(n, 0);
  std::vector<std::int32_t> idx;
  std::vector<float> val;
  detail::PredictIndex::Walker walker{im.predict_index(), {}};
  std::vector<std::vector<std::int32_t>> counts(im.trees.size());
  for (std::size_t t = 0; t < im.trees.size(); ++t)
    counts[t] = detail::bootstrap_counts(derive_seed(im.seed, im.first_tree + t), n, im.n_samples_bootstrap);
  for (int r = 0; r < n; ++r) {
    row_of(X, r, idx, val);
    walker.run(
        im.trees, idx.data(), val.data(), static_cast<int>(idx.size()), [&](std::size_t t) { return counts[t][r] == 0; },
        [&](std::size_t t, int l) {
          const Tree& tr = im.trees[t];
          for (std::int32_t k = tr.leaf_offset[l]; k < tr.leaf_offset[l + 1]; ++k)
            proba[static_cast<std::size_t>(r) * C + tr.leaf_class[k]] += tr.leaf_proba[k];
          ++n_pred[r];
        });
  }
  long long correct = 0;
  for (int r = 0; r < n; ++r) {
    const double* p = &proba[static_cast<std::size_t>(r) * C];
    const double div = n_pred[r] == 0 ? 1.0 : n_pred[r];
    int best = 0;
    for (int k = 1; k < C; ++k)
      if (p[k] / div > p[best] / div) best = k;
    correct += best == y[r];
  }
  im.oob = static_cast<double>(correct) / n;
}

std::vector<double> RandomForest::predict_proba(const SparseMatrix& X) const {
  if (!impl_) throw Error(ErrorCode::not_fitted, "The forest has not been fitted.", "forest.predict");
  const Impl& im = *impl_;
  if (static_cast<std::size_t>(X.cols()) != im.n_features)
    throw Error(ErrorCode::bad_input,
                "X has " + std::to_string(X.cols()) + " features, but the forest was trained with " +
                    std::to_string(im.n_features) + " features.",
                "forest.predict");
  const int C = im.n_classes;
  const std::size_t n = static_cast<std::size_t>(X.rows());
  std::vector<double> out(n * C, 0.0);
  const double n_trees = static_cast<double>(im.trees.size());
  const detail::PredictIndex& index = im.predict_index();  // built here, before any thread
  auto rows = [&](std::size_t a, std::size_t b) {
    std::vector<std::int32_t> idx;
    std::vector<float> val;
    detail::PredictIndex::Walker walker{index, {}};
    for (std::size_t r = a; r < b; ++r) {
      row_of(X, static_cast<Eigen::Index>(r), idx, val);
      double* o = &out[r * C];
      walker.run(
          im.trees, idx.data(), val.data(), static_cast<int>(idx.size()), [](std::size_t) { return true; },
          [&](std::size_t t, int l) {
            const Tree& tr = im.trees[t];
            for (std::int32_t k = tr.leaf_offset[l]; k < tr.leaf_offset[l + 1]; ++k) o[tr.leaf_class[k]] += tr.leaf_proba[k];
          });
      for (int k = 0; k < C; ++k) o[k] /= n_trees;
    }
  };
  const int threads = thread_count(params_.n_jobs, static_cast<int>(std::min<std::size_t>(n / 256 + 1, 64)));
#ifdef TF_FOREST_THREADS
  if (threads > 1) {
    std::vector<std::thread> pool;
    const std::size_t chunk = (n + threads - 1) / threads;
    for (int t = 0; t < threads; ++t) {
      const std::size_t a = std::min(n, t * chunk), b = std::min(n, (t + 1) * chunk);
      pool.emplace_back(rows, a, b);
    }
    for (auto& th : pool) th.join();
    return out;
  }
#endif
  (void)threads;
  rows(0, n);
  return out;
}

std::vector<int> RandomForest::predict(const SparseMatrix& X) const {
  const std::vector<double> p = predict_proba(X);
  const int C = impl_->n_classes;
  std::vector<int> out(static_cast<std::size_t>(X.rows()));
  for (std::size_t r = 0; r < out.size(); ++r) {
    const double* q = &p[r * C];
    int best = 0;
    for (int k = 1; k < C; ++k)
      if (q[k] > q[best]) best = k;
    out[r] = best;
  }
  return out;
}

std::vector<double> RandomForest::feature_importances() const {
  if (!impl_) throw Error(ErrorCode::not_fitted, "The forest has not been fitted.", "forest.feature_importances");
  const Impl& im = *impl_;
  std::vector<double> sum(im.n_features, 0.0);
  int used = 0;
  Tree::ImportanceScratch scratch;
  for (const Tree& t : im.trees) used += t.add_importances(params_.criterion, im.n_classes, sum, scratch);
  if (used == 0) return sum;
  double total = 0;
  for (double& v : sum) {
    v /= used;
    total += v;
  }
  if (total > 0)
    for (double& v : sum) v /= total;
  return sum;
}

std::optional<double> RandomForest::oob_score() const { return impl_ ? impl_->oob : std::nullopt; }
int RandomForest::n_classes() const { return impl_ ? impl_->n_classes : 0; }
std::size_t RandomForest::n_features() const { return impl_ ? impl_->n_features : 0; }
std::size_t RandomForest::n_trees() const { return impl_ ? impl_->trees.size() : 0; }

// ---- serialization -------------------------------------------------------------------------------------
namespace {
constexpr const char* kFormat = "titleforest-forest";
constexpr int kVersion = 1;        // "trees": JSON arrays
constexpr int kPackedVersion = 2;  // "packed_trees": byte strings (binary models only)

nlohmann::json count_value(double v) {
  if (v >= 0 && v < 9007199254740992.0 && v == std::floor(v)) return static_cast<std::uint64_t>(v);
  return v;
}
}  // namespace

nlohmann::json RandomForest::to_json(TreeLayout layout) const {
  if (!impl_) throw Error(ErrorCode::not_fitted, "The forest has not been fitted.", "forest.to_json");
  const Impl& im = *impl_;
  nlohmann::json j;
  j["format"] = kFormat;
  j["version"] = layout == TreeLayout::packed ? kPackedVersion : kVersion;
  j["params"] = model_params(params_);
  j["n_classes"] = im.n_classes;
  j["n_features"] = im.n_features;
  j["n_samples"] = im.n_samples;
  j["n_samples_bootstrap"] = im.n_samples_bootstrap;
  j["seed"] = im.seed;
  j["first_tree"] = im.first_tree;
  j["oob_score"] = im.oob ? nlohmann::json(*im.oob) : nlohmann::json(nullptr);
  if (layout == TreeLayout::packed) {
    j["packed_trees"] = detail::pack_trees(im.trees);
    return j;
  }
  if (layout == TreeLayout::omitted) return j;
  nlohmann::json trees = nlohmann::json::array();
  for (const Tree& t : im.trees) {
    nlohmann::json jt;
    jt["feature"] = t.feature;
    nlohmann::json thr = nlohmann::json::array();
    for (float v : t.threshold) thr.push_back(static_cast<double>(v));
    jt["threshold"] = std::move(thr);
    jt["kind"] = t.kinds();
    std::vector<std::int32_t> sizes(t.n_leaves());
    for (std::size_t l = 0; l < sizes.size(); ++l) sizes[l] = t.leaf_offset[l + 1] - t.leaf_offset[l];
    jt["leaf_size"] = std::move(sizes);
    jt["leaf_class"] = t.leaf_class;
    nlohmann::json counts = nlohmann::json::array();
    for (double v : t.leaf_count) counts.push_back(count_value(v));
    jt["leaf_count"] = std::move(counts);
    trees.push_back(std::move(jt));
  }
  j["trees"] = std::move(trees);
  return j;
}

void RandomForest::append_trees_json(std::string& out) const {
  if (!impl_) throw Error(ErrorCode::not_fitted, "The forest has not been fitted.", "forest.to_json");
  char buf[64];
  auto integer = [&out, &buf](std::uint64_t v) {
    char* end = buf + sizeof buf;
    char* p = end;
    do {
      *--p = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v);
    out.append(p, end);
  };
  auto ints = [&](const auto& values) {
    out += '[';
    bool first = true;
    for (auto v : values) {
      if (!first) out += ',';
      first = false;
      integer(static_cast<std::uint64_t>(v));  // features, classes, sizes and kinds are never negative
    }
    out += ']';
  };
  // a double exactly as nlohmann's dump() writes it (its shortest round-trip to_chars; null if not finite)
  auto number = [&](double v) {
    if (v >= 0 && v < 9007199254740992.0 && v == std::floor(v)) return integer(static_cast<std::uint64_t>(v));
    if (!std::isfinite(v)) return void(out += "null");
    out.append(buf, nlohmann::detail::to_chars(buf, buf + sizeof buf, v));
  };
  out += '[';
  for (std::size_t ti = 0; ti < impl_->trees.size(); ++ti) {
    const Tree& t = impl_->trees[ti];
    if (ti) out += ',';
    // keys in nlohmann's (sorted) order, values as to_json() holds them
    out += "{\"feature\":";
    ints(t.feature);
    out += ",\"kind\":";
    std::vector<int> kinds(t.feature.size());
    const auto k8 = t.kinds();
    std::copy(k8.begin(), k8.end(), kinds.begin());
    ints(kinds);
    out += ",\"leaf_class\":";
    ints(t.leaf_class);
    out += ",\"leaf_count\":[";
    for (std::size_t k = 0; k < t.leaf_count.size(); ++k) {
      if (k) out += ',';
      number(t.leaf_count[k]);  // count_value(): integers when integral
    }
    out += "],\"leaf_size\":";
    std::vector<std::int32_t> sizes(t.n_leaves());
    for (std::size_t l = 0; l < sizes.size(); ++l) sizes[l] = t.leaf_offset[l + 1] - t.leaf_offset[l];
    ints(sizes);
    out += ",\"threshold\":[";
    for (std::size_t k = 0; k < t.threshold.size(); ++k) {
      if (k) out += ',';
      const double v = t.threshold[k];
      if (!std::isfinite(v)) out += "null";
      else out.append(buf, nlohmann::detail::to_chars(buf, buf + sizeof buf, v));
    }
    out += "]}";
  }
  out += ']';
}

RandomForest RandomForest::from_json(const nlohmann::json& j) {
  auto bad = [](const std::string& what) -> Error {
    return Error(ErrorCode::model_format, "The forest model is not valid: " + what + ".", "forest");
  };
  if (!j.is_object() || j.value("format", "") != kFormat) throw bad("its format is not '" + std::string(kFormat) + "'");
  if (!j.contains("version") || !j["version"].is_number_integer() || j["version"].get<int>() > kPackedVersion)
    throw Error(ErrorCode::model_format, "The forest model comes from a newer version of titleforest.", "forest");
  try {
    ForestParams p = j.at("params").get<ForestParams>();
    RandomForest rf(p);
    auto impl = std::make_shared<Impl>();
    impl->n_classes = j.at("n_classes").get<int>();
    impl->n_features = j.at("n_features").get<std::size_t>();
    impl->n_samples = j.at("n_samples").get<int>();
    impl->n_samples_bootstrap = j.at("n_samples_bootstrap").get<long long>();
    impl->seed = j.at("seed").get<std::uint64_t>();
    impl->first_tree = j.at("first_tree").get<int>();
    if (!j.at("oob_score").is_null()) impl->oob = j.at("oob_score").get<double>();
    if (impl->n_classes < 1) throw bad("it has no classes");
    if (j.contains("packed_trees")) {
      impl->trees = detail::unpack_trees(j["packed_trees"], impl->n_classes, impl->n_features);
      rf.impl_ = std::move(impl);
      return rf;
    }
    for (const auto& jt : j.at("trees")) {
      Tree t;
      t.feature = jt.at("feature").get<std::vector<std::int32_t>>();
      for (const auto& v : jt.at("threshold")) t.threshold.push_back(static_cast<float>(v.get<double>()));
      const auto kinds = jt.at("kind").get<std::vector<std::uint8_t>>();
      const auto sizes = jt.at("leaf_size").get<std::vector<std::int32_t>>();
      for (std::int32_t s : sizes)
        if (s < 0 || s > impl->n_classes) throw bad("a leaf has an impossible size");
      t.leaf_offset.assign(1, 0);
      for (std::int32_t s : sizes) t.leaf_offset.push_back(t.leaf_offset.back() + s);
      t.leaf_class = jt.at("leaf_class").get<std::vector<std::int32_t>>();
      t.leaf_count = jt.at("leaf_count").get<std::vector<double>>();
      // Structural checks: the shape must decode, every reference be in range, so that a corrupt file
      // cannot crash prediction.
      if (!t.set_shape(kinds, sizes.size()) || static_cast<std::size_t>(t.leaf_offset.back()) != t.leaf_class.size() ||
          t.leaf_class.size() != t.leaf_count.size())
        throw bad("a tree's arrays are inconsistent");
      for (std::int32_t f : t.feature)
        if (f < 0 || static_cast<std::size_t>(f) >= impl->n_features) throw bad("a tree node tests an unknown feature");
      for (std::int32_t c : t.leaf_class)
        if (c < 0 || c >= impl->n_classes) throw bad("a leaf holds an unknown class");
      t.finish();
      impl->trees.push_back(std::move(t));
    }
    rf.impl_ = std::move(impl);
    return rf;
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw bad(e.what());
  }
}

}  // namespace tf::forest
