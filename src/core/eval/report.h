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
void to_json(nlohmann::json& j, const ReportGroup& g);  // DESIGN.md section 3 GROUP
std::string format_text(const Report& r);              // the notebook's printed form

}  // namespace tf::eval
