#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "eval/report.h"
#include "fixture.h"

using namespace tf::eval;
using tf::test::fixture;

TEST_CASE("analyze() equals the Python re-implementation of the notebook's analyze() (golden fixture)") {
  const auto fx = fixture("eval/report.json");
  std::vector<ReportRow> rows;
  for (const auto& r : fx.at("rows"))
    rows.push_back({r.at("text").get<std::string>(), r.at("normalized").get<std::string>(),
                    r.at("actual").get<std::string>(), r.at("predicted").get<std::string>()});
  const Report rep = analyze(rows);
  const nlohmann::json got = rep;
  CHECK(got == fx.at("report"));
  CHECK(format_text(rep) == fx.at("text").get<std::string>());
  std::size_t groups = rep.wrong.size() + rep.correct.size(), counted = 0;
  for (const auto& g : rep.wrong) counted += static_cast<std::size_t>(g.count);
  for (const auto& g : rep.correct) counted += static_cast<std::size_t>(g.count);
  CHECK(counted == rows.size());
  MESSAGE("report: " << rows.size() << " rows in " << groups << " groups, JSON and printed text identical");
}

TEST_CASE("analyze(): first-appearance order everywhere, and the JSON shape of DESIGN.md section 3") {
  const std::vector<ReportRow> rows = {
      {"VP Product", "vp product", "product", "c-level"},
      {"CTO", "cto", "c-level", "c-level"},
      {"Dev", "dev", "engineer", "product"},
      {"Head of Eng", "head eng", "engineer", "c-level"},
      {"PM", "pm", "product", "product"},
      {"Chief", "chief", "c-level", "c-level"},
      {"VP Sales", "vp sale", "product", "c-level"},
  };
  const Report r = analyze(rows);
  REQUIRE(r.wrong.size() == 2);
  CHECK(r.wrong[0].predicted == "c-level");
  CHECK(r.wrong[0].count == 3);
  CHECK(r.wrong[0].actual_counts == std::vector<std::pair<std::string, long long>>{{"product", 2}, {"engineer", 1}});
  CHECK(r.wrong[0].rows[1].text == "Head of Eng");
  CHECK(r.wrong[1].predicted == "product");
  REQUIRE(r.correct.size() == 2);
  CHECK(r.correct[0].predicted == "c-level");
  CHECK(r.correct[0].count == 2);
  CHECK(r.correct[1].predicted == "product");

  const nlohmann::json g = r.wrong[1];
  CHECK(g.dump() == R"({"actual_counts":[["engineer",1]],"count":1,"predicted":"product",)"
                    R"("rows":[{"actual":"engineer","normalized":"dev","predicted":"product","text":"Dev"}]})");
  CHECK(format_text(r) ==
        "Wrong predictions:\n"
        "c-level (3) -> [('product', 2), ('engineer', 1)]\n"
        "['vp product', 'head eng', 'vp sale']\n"
        "product (1) -> [('engineer', 1)]\n"
        "['dev']\n"
        "Correct predictions:\n"
        "c-level (2) -> [('c-level', 2)]\n"
        "['cto', 'chief']\n"
        "product (1) -> [('product', 1)]\n"
        "['pm']\n");
  const Report empty = analyze({});
  CHECK(empty.wrong.empty());
  CHECK(format_text(empty) == "Wrong predictions:\nCorrect predictions:\n");
}
