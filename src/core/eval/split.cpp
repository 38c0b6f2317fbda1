// train_test_split as scikit-learn 1.2 does it (sklearn/model_selection/_split.py): _validate_shuffle_split's
// checks, words and rounding; ShuffleSplit (one permutation of arange(n): test first, then train);
// StratifiedShuffleSplit (_approximate_mode with random tie breaks, per-class permutations, then both sets
// permuted); shuffle=False (train = the first n_train rows, test = the next n_test).
#include "eval/split.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "common/error.h"
#include "eval/mt19937.h"
#include "eval/pyformat.h"

namespace tf::eval {

namespace {

std::string show(const std::optional<SplitSize>& s) {
  if (!s) return "None";
  if (const auto* i = std::get_if<long long>(&*s)) return py_repr(*i);
  return py_repr(std::get<double>(*s));
}

[[noreturn]] void fail(const std::string& sentence, const std::string& where) {
  throw Error(ErrorCode::invalid_parameter, sentence, where);
}

bool is_int(const std::optional<SplitSize>& s) { return s && std::holds_alternative<long long>(*s); }
bool is_float(const std::optional<SplitSize>& s) { return s && std::holds_alternative<double>(*s); }

struct Sizes {
  std::size_t n_train, n_test;
};

// sklearn's _validate_shuffle_split, check for check and word for word.
Sizes validate_shuffle_split(std::size_t n_samples_u, std::optional<SplitSize> test_size,
                             const std::optional<SplitSize>& train_size, double default_test_size) {
  const auto n_samples = static_cast<long long>(n_samples_u);
  if (!test_size && !train_size) test_size = SplitSize(default_test_size);

  auto out_of_range = [&](const std::optional<SplitSize>& s) {
    if (is_int(s)) {
      const long long v = std::get<long long>(*s);
      return v >= n_samples || v <= 0;
    }
    if (is_float(s)) {
      const double v = std::get<double>(*s);
      return !(v > 0) || !(v < 1);  // NaN is out of range too
    }
    return false;
  };
  if (out_of_range(test_size))
    fail("test_size=" + show(test_size) + " should be either positive and smaller than the number of samples " +
             std::to_string(n_samples) + " or a float in the (0, 1) range",
         "split.test_size");
  if (out_of_range(train_size))
    fail("train_size=" + show(train_size) + " should be either positive and smaller than the number of samples " +
             std::to_string(n_samples) + " or a float in the (0, 1) range",
         "split.train_size");
  if (is_float(train_size) && is_float(test_size) &&
      std::get<double>(*train_size) + std::get<double>(*test_size) > 1)
    fail("The sum of test_size and train_size = " +
             py_repr(std::get<double>(*train_size) + std::get<double>(*test_size)) +
             ", should be in the (0, 1) range. Reduce test_size and/or train_size.",
         "split.test_size");

  double n_test = 0, n_train = 0;
  if (is_float(test_size)) n_test = std::ceil(std::get<double>(*test_size) * static_cast<double>(n_samples));
  else if (is_int(test_size)) n_test = static_cast<double>(std::get<long long>(*test_size));
  if (is_float(train_size)) n_train = std::floor(std::get<double>(*train_size) * static_cast<double>(n_samples));
  else if (is_int(train_size)) n_train = static_cast<double>(std::get<long long>(*train_size));
  if (!train_size) n_train = static_cast<double>(n_samples) - n_test;
  else if (!test_size) n_test = static_cast<double>(n_samples) - n_train;

  if (n_train + n_test > static_cast<double>(n_samples))
    fail("The sum of train_size and test_size = " + std::to_string(static_cast<long long>(n_train + n_test)) +
             ", should be smaller than the number of samples " + std::to_string(n_samples) +
             ". Reduce test_size and/or train_size.",
         "split.train_size");
  const auto tr = static_cast<long long>(n_train), te = static_cast<long long>(n_test);
  if (tr == 0)
    fail("With n_samples=" + std::to_string(n_samples) + ", test_size=" + show(test_size) +
             " and train_size=" + show(train_size) +
             ", the resulting train set will be empty. Adjust any of the aforementioned parameters.",
         "split.test_size");
  return {static_cast<std::size_t>(tr), static_cast<std::size_t>(te)};
}

// sklearn.utils._approximate_mode: the most likely per-class draw of n_draws rows without replacement,
// ties between equal remainders broken by rng.choice(inds, size, replace=False) = permutation(len)[:size].
std::vector<long long> approximate_mode(const std::vector<long long>& class_counts, long long n_draws,
                                        LegacyRandomState& rng) {
  long long total = 0;
  for (long long c : class_counts) total += c;
  const std::size_t k = class_counts.size();
  std::vector<double> continuous(k), floored(k);
  double floored_sum = 0;
  for (std::size_t i = 0; i < k; ++i) {
    continuous[i] = static_cast<double>(class_counts[i]) / static_cast<double>(total) * static_cast<double>(n_draws);
    floored[i] = std::floor(continuous[i]);
    floored_sum += floored[i];  // whole numbers: any summation order is exact
  }
  auto need_to_add = static_cast<long long>(static_cast<double>(n_draws) - floored_sum);
  if (need_to_add > 0) {
    std::vector<double> remainder(k);
    for (std::size_t i = 0; i < k; ++i) remainder[i] = continuous[i] - floored[i];
    std::vector<double> values = remainder;
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    for (auto v = values.rbegin(); v != values.rend(); ++v) {
      std::vector<std::size_t> inds;
      for (std::size_t i = 0; i < k; ++i)
        if (remainder[i] == *v) inds.push_back(i);
      const auto add_now = std::min(static_cast<long long>(inds.size()), need_to_add);
      const auto perm = rng.permutation(inds.size());
      for (long long t = 0; t < add_now; ++t) floored[inds[perm[t]]] += 1;
      need_to_add -= add_now;
      if (need_to_add == 0) break;
    }
  }
  std::vector<long long> out(k);
  for (std::size_t i = 0; i < k; ++i) out[i] = static_cast<long long>(floored[i]);
  return out;
}

SplitIndices stratified_split(const Sizes& s, const std::vector<int>& labels, LegacyRandomState& rng) {
  // np.unique: classes in ascending order; class_indices: each class's rows in input order (stable sort).
  std::vector<int> classes(labels);
  std::sort(classes.begin(), classes.end());
  classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
  const std::size_t n_classes = classes.size();
  std::vector<std::vector<std::size_t>> class_indices(n_classes);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const auto c = std::lower_bound(classes.begin(), classes.end(), labels[i]) - classes.begin();
    class_indices[c].push_back(i);
  }
  std::vector<long long> class_counts(n_classes);
  long long min_count = -1;
  for (std::size_t c = 0; c < n_classes; ++c) {
    class_counts[c] = static_cast<long long>(class_indices[c].size());
    if (min_count < 0 || class_counts[c] < min_count) min_count = class_counts[c];
  }
  if (min_count < 2)
    throw Error(ErrorCode::bad_input,
                "The least populated class in y has only 1 member, which is too few. The minimum number of "
                "groups for any class cannot be less than 2.",
                "split.stratify");
  if (s.n_train < n_classes)
    fail("The train_size = " + std::to_string(s.n_train) + " should be greater or equal to the number of classes = " +
             std::to_string(n_classes),
         "split.train_size");
  if (s.n_test < n_classes)
    fail("The test_size = " + std::to_string(s.n_test) + " should be greater or equal to the number of classes = " +
             std::to_string(n_classes),
         "split.test_size");

  const auto n_i = approximate_mode(class_counts, static_cast<long long>(s.n_train), rng);
  std::vector<long long> remaining(n_classes);
  for (std::size_t c = 0; c < n_classes; ++c) remaining[c] = class_counts[c] - n_i[c];
  const auto t_i = approximate_mode(remaining, static_cast<long long>(s.n_test), rng);

  SplitIndices out;
  for (std::size_t c = 0; c < n_classes; ++c) {
    const auto perm = rng.permutation(class_indices[c].size());
    for (long long t = 0; t < n_i[c]; ++t) out.train.push_back(class_indices[c][perm[t]]);
    for (long long t = n_i[c]; t < n_i[c] + t_i[c]; ++t) out.test.push_back(class_indices[c][perm[t]]);
  }
  rng.shuffle(out.train);
  rng.shuffle(out.test);
  return out;
}

}  // namespace

void SplitParams::validate() const {
  auto check = [](const std::optional<SplitSize>& s, const char* name) {
    if (is_int(s) && std::get<long long>(*s) <= 0)
      throw_invalid_parameter(name, "an int in [1, inf), a float in (0.0, 1.0) or None", show(s));
    if (is_float(s) && !(std::get<double>(*s) > 0 && std::get<double>(*s) < 1))
      throw_invalid_parameter(name, "an int in [1, inf), a float in (0.0, 1.0) or None", show(s));
  };
  check(test_size, "split.test_size");
  check(train_size, "split.train_size");
  if (is_float(test_size) && is_float(train_size) && std::get<double>(*test_size) + std::get<double>(*train_size) > 1)
    throw Error(ErrorCode::invalid_parameter,
                "The sum of split.test_size and split.train_size = " +
                    py_repr(std::get<double>(*test_size) + std::get<double>(*train_size)) +
                    " must be at most 1. Reduce test_size and/or train_size.",
                "split.test_size");
  if (stratify && !shuffle)
    throw Error(ErrorCode::invalid_parameter, "Stratified train/test split is not implemented for shuffle=False",
                "split.stratify");
}

void to_json(nlohmann::json& j, const SplitParams& p) {
  auto size = [](const std::optional<SplitSize>& s) -> nlohmann::json {
    if (!s) return nullptr;
    if (const auto* i = std::get_if<long long>(&*s)) return *i;
    return std::get<double>(*s);
  };
  j = nlohmann::json{{"test_size", size(p.test_size)},
                     {"train_size", size(p.train_size)},
                     {"random_state", p.random_state ? nlohmann::json(*p.random_state) : nlohmann::json(nullptr)},
                     {"shuffle", p.shuffle},
                     {"stratify", p.stratify}};
}

void from_json(const nlohmann::json& j, SplitParams& p) {
  if (!j.is_object()) throw Error(ErrorCode::invalid_parameter, "The 'split' parameters must be an object.", "split");
  SplitParams out = p;
  for (const auto& [key, v] : j.items()) {
    const std::string name = "split." + key;
    if (key == "test_size" || key == "train_size") {
      std::optional<SplitSize> s;
      if (v.is_number_integer()) s = SplitSize(v.get<long long>());
      else if (v.is_number_float()) s = SplitSize(v.get<double>());
      else if (!v.is_null())
        throw_invalid_parameter(name, "an int (a count), a float (a proportion) or null", v.dump());
      (key == "test_size" ? out.test_size : out.train_size) = s;
    } else if (key == "random_state") {
      if (v.is_null()) {
        out.random_state.reset();
      } else if (v.is_number_integer() && v.get<long long>() >= 0 && v.get<long long>() <= 4294967295LL &&
                 !(v.is_number_unsigned() && v.get<unsigned long long>() > 4294967295ULL)) {
        out.random_state = static_cast<std::uint32_t>(v.get<long long>());
      } else {
        throw_invalid_parameter(name, "an int in [0, 4294967295] or null", v.dump());
      }
    } else if (key == "shuffle" || key == "stratify") {
      if (!v.is_boolean()) throw_invalid_parameter(name, "a bool (true or false)", v.dump());
      (key == "shuffle" ? out.shuffle : out.stratify) = v.get<bool>();
    } else {
      throw Error(ErrorCode::invalid_parameter,
                  "Unknown split parameter '" + key +
                      "'; the known ones are test_size, train_size, random_state, shuffle and stratify.",
                  name);
    }
  }
  p = out;
}

SplitIndices train_test_split(std::size_t n_samples, const SplitParams& p, const std::vector<int>& labels) {
  const Sizes s = validate_shuffle_split(n_samples, p.test_size, p.train_size, 0.25);
  SplitIndices out;
  if (!p.shuffle) {
    if (p.stratify)
      fail("Stratified train/test split is not implemented for shuffle=False", "split.stratify");
    for (std::size_t i = 0; i < s.n_train; ++i) out.train.push_back(i);
    for (std::size_t i = s.n_train; i < s.n_train + s.n_test; ++i) out.test.push_back(i);
    return out;
  }
  std::uint32_t seed;
  if (p.random_state) {
    seed = *p.random_state;
  } else {  // None: sklearn draws from numpy's global state; we draw a fresh seed
    std::random_device rd;
    seed = rd();
  }
  LegacyRandomState rng(seed);
  if (p.stratify) {
    if (labels.size() != n_samples)
      throw Error(ErrorCode::bad_input,
                  "Found input variables with inconsistent numbers of samples: [" + std::to_string(n_samples) + ", " +
                      std::to_string(labels.size()) + "]",
                  "split.stratify");
    return stratified_split(s, labels, rng);
  }
  const auto perm = rng.permutation(n_samples);
  out.test.assign(perm.begin(), perm.begin() + static_cast<std::ptrdiff_t>(s.n_test));
  out.train.assign(perm.begin() + static_cast<std::ptrdiff_t>(s.n_test),
                   perm.begin() + static_cast<std::ptrdiff_t>(s.n_test + s.n_train));
  return out;
}

}  // namespace tf::eval
