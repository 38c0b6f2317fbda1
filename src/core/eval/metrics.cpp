// sklearn.metrics 1.2, computed the way sklearn computes them: entropies and mutual information in natural
// logs over the contingency matrix (sklearn/metrics/cluster/_supervised.py), precision/recall/F from the
// per-class counts with _prf_divide's zero-division rule (sklearn/metrics/_classification.py), and sums
// in numpy's pairwise order, so results agree to the last bit or close to it.
#include "eval/metrics.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <utility>

#include "common/error.h"

namespace tf::eval {

namespace {

// numpy's pairwise summation (add.reduce on a contiguous float64 array).
double np_sum(const double* a, std::size_t n) {
  if (n < 8) {
    double res = 0.;
    for (std::size_t i = 0; i < n; ++i) res += a[i];
    return res;
  }
  if (n <= 128) {
    double r[8];
    for (int j = 0; j < 8; ++j) r[j] = a[j];
    std::size_t i = 8;
    for (; i < n - (n % 8); i += 8)
      for (int j = 0; j < 8; ++j) r[j] += a[i + j];
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  std::size_t n2 = n / 2;
  n2 -= n2 % 8;
  return np_sum(a, n2) + np_sum(a + n2, n - n2);
}
double np_sum(const std::vector<double>& v) { return np_sum(v.data(), v.size()); }

void check_lengths(const std::vector<int>& a, const std::vector<int>& b) {
  if (a.size() != b.size())
    throw Error(ErrorCode::bad_input,
                "Found input variables with inconsistent numbers of samples: [" + std::to_string(a.size()) + ", " +
                    std::to_string(b.size()) + "]");
}

void check_classes(const std::vector<int>& y, int n_classes, const char* which) {
  if (n_classes < 1)
    throw_invalid_parameter("n_classes", "an int in [1, inf)", std::to_string(n_classes));
  for (std::size_t i = 0; i < y.size(); ++i)
    if (y[i] < 0 || y[i] >= n_classes)
      throw Error(ErrorCode::bad_input,
                  std::string("Label ") + std::to_string(y[i]) + " in " + which + " at row " + std::to_string(i) +
                      " is not a class in [0, " + std::to_string(n_classes) + ").",
                  which);
}

// np.unique(labels, return_inverse=True)[1]
std::vector<int> inverse(const std::vector<int>& labels, std::size_t* n_unique) {
  std::vector<int> u(labels);
  std::sort(u.begin(), u.end());
  u.erase(std::unique(u.begin(), u.end()), u.end());
  std::vector<int> inv(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i)
    inv[i] = static_cast<int>(std::lower_bound(u.begin(), u.end(), labels[i]) - u.begin());
  *n_unique = u.size();
  return inv;
}

// sklearn.metrics.cluster.entropy
double entropy(const std::vector<int>& labels) {
  if (labels.empty()) return 1.0;
  std::size_t k = 0;
  const auto idx = inverse(labels, &k);
  std::vector<double> pi(k, 0.0);
  for (int i : idx) pi[i] += 1;
  if (k == 1) return 0.0;
  const double pi_sum = np_sum(pi);
  const double log_sum = std::log(pi_sum);
  std::vector<double> terms(k);
  for (std::size_t i = 0; i < k; ++i) terms[i] = (pi[i] / pi_sum) * (std::log(pi[i]) - log_sum);
  return -np_sum(terms);
}

// sklearn.metrics.mutual_info_score on the sparse contingency matrix. scipy's find() returns the non-zeros
// in column-major order (coo sum_duplicates sorts by column, then row): summed in that order.
double mutual_info(const std::vector<int>& labels_true, const std::vector<int>& labels_pred) {
  std::size_t n_c = 0, n_k = 0;
  const auto ci = inverse(labels_true, &n_c);
  const auto ki = inverse(labels_pred, &n_k);
  std::map<std::pair<int, int>, long long> cells;  // (cluster, class): column-major
  for (std::size_t i = 0; i < ci.size(); ++i) ++cells[{ki[i], ci[i]}];
  std::vector<long long> pi(n_c, 0), pj(n_k, 0);
  long long total = 0;
  for (const auto& [rc, v] : cells) {
    pi[rc.second] += v;
    pj[rc.first] += v;
    total += v;
  }
  if (n_c == 1 || n_k == 1) return 0.0;
  const double log_total = std::log(static_cast<double>(total));
  const double log_pi_sum = std::log(static_cast<double>(total)), log_pj_sum = log_pi_sum;
  std::vector<double> mi;
  mi.reserve(cells.size());
  for (const auto& [rc, v] : cells) {
    const double nz = static_cast<double>(v);
    const double log_nm = std::log(nz);
    const double nm = nz / static_cast<double>(total);
    const long long outer = pi[rc.second] * pj[rc.first];
    const double log_outer = -std::log(static_cast<double>(outer)) + log_pi_sum + log_pj_sum;
    double t = nm * (log_nm - log_total) + nm * log_outer;
    if (std::fabs(t) < DBL_EPSILON) t = 0.0;
    mi.push_back(t);
  }
  return std::max(np_sum(mi), 0.0);
}

}  // namespace

double accuracy_score(const std::vector<int>& y_true, const std::vector<int>& y_pred) {
  check_lengths(y_true, y_pred);
  if (y_true.empty()) return std::numeric_limits<double>::quiet_NaN();  // sklearn: mean of nothing
  long long same = 0;
  for (std::size_t i = 0; i < y_true.size(); ++i) same += y_true[i] == y_pred[i];
  return static_cast<double>(same) / static_cast<double>(y_true.size());
}

VMeasure homogeneity_completeness_v_measure(const std::vector<int>& labels_true, const std::vector<int>& labels_pred,
                                            double beta) {
  check_lengths(labels_true, labels_pred);
  if (labels_true.empty()) return {1.0, 1.0, 1.0};
  const double entropy_c = entropy(labels_true);
  const double entropy_k = entropy(labels_pred);
  const double mi = mutual_info(labels_true, labels_pred);
  const double h = entropy_c != 0 ? mi / entropy_c : 1.0;
  const double c = entropy_k != 0 ? mi / entropy_k : 1.0;
  double v = 0.0;
  if (h + c != 0.0) v = (1 + beta) * h * c / (beta * h + c);
  return {h, c, v};
}

std::vector<std::vector<long long>> confusion_matrix(const std::vector<int>& y_true, const std::vector<int>& y_pred,
                                                     int n_classes) {
  check_lengths(y_true, y_pred);
  check_classes(y_true, n_classes, "y_true");
  check_classes(y_pred, n_classes, "y_pred");
  std::vector<std::vector<long long>> cm(n_classes, std::vector<long long>(n_classes, 0));
  for (std::size_t i = 0; i < y_true.size(); ++i) ++cm[y_true[i]][y_pred[i]];
  return cm;
}

ClassificationReport classification_report(const std::vector<int>& y_true, const std::vector<int>& y_pred,
                                           int n_classes, double zero_division) {
  if (zero_division != 0.0 && zero_division != 1.0)
    throw_invalid_parameter("zero_division", "0 or 1", std::to_string(zero_division));
  const auto cm = confusion_matrix(y_true, y_pred, n_classes);
  const auto k = static_cast<std::size_t>(n_classes);
  std::vector<double> precision(k), recall(k), f1(k), support(k);
  long long true_total = 0, pred_total = 0;
  ClassificationReport out;
  for (std::size_t c = 0; c < k; ++c) {
    long long tp = cm[c][c], pred_sum = 0, true_sum = 0;
    for (std::size_t o = 0; o < k; ++o) {
      pred_sum += cm[o][c];
      true_sum += cm[c][o];
    }
    true_total += true_sum;
    pred_total += pred_sum;
    precision[c] = pred_sum == 0 ? zero_division : static_cast<double>(tp) / static_cast<double>(pred_sum);
    recall[c] = true_sum == 0 ? zero_division : static_cast<double>(tp) / static_cast<double>(true_sum);
    double denom = precision[c] + recall[c];  // beta = 1
    if (denom == 0.0) denom = 1;
    f1[c] = (1 + 1.0) * precision[c] * recall[c] / denom;
    support[c] = static_cast<double>(true_sum);
    out.per_class.push_back({precision[c], recall[c], f1[c], true_sum});
  }
  const auto n = static_cast<double>(k);
  out.macro = {np_sum(precision) / n, np_sum(recall) / n, np_sum(f1) / n, true_total};
  if (true_total == 0) {  // no samples: sklearn's early return for average="weighted"
    if (pred_total == 0) out.weighted = {zero_division, zero_division, zero_division, 0};
    else out.weighted = {0.0, zero_division, 0.0, 0};
  } else {
    auto weighted = [&](const std::vector<double>& v) {
      std::vector<double> prod(k);
      for (std::size_t c = 0; c < k; ++c) prod[c] = v[c] * support[c];
      return np_sum(prod) / np_sum(support);
    };
    out.weighted = {weighted(precision), weighted(recall), weighted(f1), true_total};
  }
  out.accuracy = accuracy_score(y_true, y_pred);
  return out;
}

}  // namespace tf::eval
