// The notebook's analyze(): test rows split into wrong and correct, each grouped by predicted label.
// Groups, (actual, count) pairs and rows all keep the order in which they first appear in the test set.
#include "eval/report.h"

#include <nlohmann/json.hpp>

#include "eval/pyformat.h"

namespace tf::eval {

namespace {

std::vector<ReportGroup> group_by_predicted(const std::vector<ReportRow>& rows, bool correct) {
  std::vector<ReportGroup> groups;
  for (const auto& r : rows) {
    if ((r.actual == r.predicted) != correct) continue;
    ReportGroup* g = nullptr;
    for (auto& candidate : groups)  // a handful of labels: a linear scan keeps first-appearance order simply
      if (candidate.predicted == r.predicted) g = &candidate;
    if (!g) {
      groups.push_back({r.predicted, 0, {}, {}});
      g = &groups.back();
    }
    ++g->count;
    g->rows.push_back(r);
    bool found = false;
    for (auto& [label, n] : g->actual_counts)
      if (label == r.actual) {
        ++n;
        found = true;
      }
    if (!found) g->actual_counts.emplace_back(r.actual, 1);
  }
  return groups;
}

void print_groups(std::string& out, const std::vector<ReportGroup>& groups) {
  for (const auto& g : groups) {
    out += g.predicted + " (" + std::to_string(g.count) + ") -> [";
    for (std::size_t i = 0; i < g.actual_counts.size(); ++i) {
      if (i) out += ", ";
      out += "(" + py_repr(g.actual_counts[i].first) + ", " + std::to_string(g.actual_counts[i].second) + ")";
    }
    out += "]\n[";
    for (std::size_t i = 0; i < g.rows.size(); ++i) {
      if (i) out += ", ";
      out += py_repr(g.rows[i].normalized);
    }
    out += "]\n";
  }
}

}  // namespace

Report analyze(const std::vector<ReportRow>& test_rows) {
  return {group_by_predicted(test_rows, false), group_by_predicted(test_rows, true)};
}

void to_json(nlohmann::json& j, const ReportRow& r) {
  j = nlohmann::json{{"text", r.text}, {"normalized", r.normalized}, {"actual", r.actual}, {"predicted", r.predicted}};
}

void to_json(nlohmann::json& j, const ReportGroup& g) {
  nlohmann::json counts = nlohmann::json::array();
  for (const auto& [label, n] : g.actual_counts) counts.push_back(nlohmann::json::array({label, n}));
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : g.rows) rows.push_back(r);
  j = nlohmann::json{{"predicted", g.predicted}, {"count", g.count}, {"actual_counts", counts}, {"rows", rows}};
}

void to_json(nlohmann::json& j, const Report& r) {
  nlohmann::json wrong = nlohmann::json::array(), correct = nlohmann::json::array();
  for (const auto& g : r.wrong) wrong.push_back(g);
  for (const auto& g : r.correct) correct.push_back(g);
  j = nlohmann::json{{"wrong", wrong}, {"correct", correct}};
}

std::string format_text(const Report& r) {
  std::string out = "Wrong predictions:\n";
  print_groups(out, r.wrong);
  out += "Correct predictions:\n";
  print_groups(out, r.correct);
  return out;
}

}  // namespace tf::eval
