// The notebook's analyze() (DESIGN.md section 1 step 6): test rows split into wrong and correct, each
// grouped by predicted label (groups in order of first appearance) with (actual label, count) pairs in
// order of first appearance and the group's rows in test-set order.
#pragma once
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <utility>
#include <vector>

namespace tf::eval {

struct ReportRow { std::string text, normalized, actual, predicted; };
struct ReportGroup {
  std::string predicted;
  long long count = 0;
  std::vector<std::pair<std::string, long long>> actual_counts;
  std::vector<ReportRow> rows;
};
struct Report { std::vector<ReportGroup> wrong, correct; };

Report analyze(const std::vector<ReportRow>& test_rows);
void to_json(nlohmann::json& j, const ReportRow& r);    // {"text", "normalized", "actual", "predicted"}
void to_json(nlohmann::json& j, const ReportGroup& g);  // DESIGN.md section 3 GROUP
void to_json(nlohmann::json& j, const Report& r);       // {"wrong": [GROUP...], "correct": [GROUP...]}
// The notebook's printed form: "Wrong predictions:" then, per group, `label (count) -> [('actual', n), ...]`
// and the Python list of the group's normalized texts; then the same under "Correct predictions:".
std::string format_text(const Report& r);

}  // namespace tf::eval
