// sklearn.metrics, exactly: accuracy, homogeneity/completeness/v-measure, confusion matrix, per-class report.
#pragma once
#include <vector>

namespace tf::eval {

double accuracy_score(const std::vector<int>& y_true, const std::vector<int>& y_pred);

struct VMeasure { double homogeneity, completeness, v_measure; };
VMeasure homogeneity_completeness_v_measure(const std::vector<int>& labels_true,
                                            const std::vector<int>& labels_pred, double beta = 1.0);

// rows = actual, columns = predicted, classes 0..n_classes-1
std::vector<std::vector<long long>> confusion_matrix(const std::vector<int>& y_true,
                                                     const std::vector<int>& y_pred, int n_classes);

struct ClassScores { double precision, recall, f1; long long support; };
struct ClassificationReport {
  std::vector<ClassScores> per_class;  // classes 0..n_classes-1
  ClassScores macro, weighted;
  double accuracy;
};
// zero_division: the value used where a ratio is 0/0 (sklearn's "warn" behaves as 0).
ClassificationReport classification_report(const std::vector<int>& y_true, const std::vector<int>& y_pred,
                                           int n_classes, double zero_division = 0.0);

}  // namespace tf::eval
