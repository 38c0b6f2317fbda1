#include <doctest/doctest.h>

#include <cmath>

#include "common/error.h"
#include "eval/metrics.h"
#include "fixture.h"

using namespace tf::eval;
using tf::test::fixture;

namespace {

constexpr double kTol = 1e-12;
double worst = 0;  // largest difference seen against sklearn

void near(double got, double want, const std::string& what) {
  const double d = std::fabs(got - want);
  if (d > worst) worst = d;
  CHECK_MESSAGE(d <= kTol, what << ": got " << got << ", sklearn " << want);
}

}  // namespace

TEST_CASE("metrics match sklearn 1.2 within 1e-12 (golden fixture: random and degenerate label pairs)") {
  const auto cases = fixture("eval/metrics.json").at("cases");
  int n = 0;
  for (const auto& c : cases) {
    const auto yt = c.at("y_true").get<std::vector<int>>();
    const auto yp = c.at("y_pred").get<std::vector<int>>();
    const int k = c.at("n_classes").get<int>();
    const double beta = c.at("beta").get<double>();
    const double zd = c.at("zero_division").get<double>();
    const std::string what = "case " + std::to_string(n) + " (n=" + std::to_string(yt.size()) + ", k=" + std::to_string(k) + ")";

    const double acc = accuracy_score(yt, yp);
    if (c.at("accuracy").is_null()) CHECK_MESSAGE(std::isnan(acc), what);
    else near(acc, c.at("accuracy").get<double>(), what + " accuracy");

    const auto v = homogeneity_completeness_v_measure(yt, yp, beta);
    near(v.homogeneity, c.at("homogeneity").get<double>(), what + " homogeneity");
    near(v.completeness, c.at("completeness").get<double>(), what + " completeness");
    near(v.v_measure, c.at("v_measure").get<double>(), what + " v_measure");

    CHECK_MESSAGE(confusion_matrix(yt, yp, k) == c.at("confusion_matrix").get<std::vector<std::vector<long long>>>(), what);

    const auto r = classification_report(yt, yp, k, zd);
    REQUIRE(r.per_class.size() == static_cast<std::size_t>(k));
    for (int i = 0; i < k; ++i) {
      near(r.per_class[i].precision, c.at("precision")[i].get<double>(), what + " precision");
      near(r.per_class[i].recall, c.at("recall")[i].get<double>(), what + " recall");
      near(r.per_class[i].f1, c.at("f1")[i].get<double>(), what + " f1");
      CHECK(r.per_class[i].support == c.at("support")[i].get<long long>());
    }
    near(r.macro.precision, c.at("macro")[0].get<double>(), what + " macro precision");
    near(r.macro.recall, c.at("macro")[1].get<double>(), what + " macro recall");
    near(r.macro.f1, c.at("macro")[2].get<double>(), what + " macro f1");
    near(r.weighted.precision, c.at("weighted")[0].get<double>(), what + " weighted precision");
    near(r.weighted.recall, c.at("weighted")[1].get<double>(), what + " weighted recall");
    near(r.weighted.f1, c.at("weighted")[2].get<double>(), what + " weighted f1");
    ++n;
  }
  MESSAGE("metric cases: " << n << " label pairs, largest difference from sklearn " << worst);
  CHECK(n >= 50);
}

TEST_CASE("metrics: degenerate inputs as sklearn handles them") {
  CHECK(std::isnan(accuracy_score({}, {})));
  const auto e = homogeneity_completeness_v_measure({}, {});
  CHECK(e.homogeneity == 1.0);
  CHECK(e.v_measure == 1.0);
  const auto one = homogeneity_completeness_v_measure({1, 1, 1}, {0, 1, 2});
  CHECK(one.homogeneity == 1.0);
  CHECK(one.completeness == 0.0);
  CHECK(one.v_measure == 0.0);
  const auto same = homogeneity_completeness_v_measure({3, 3}, {3, 3});
  CHECK(same.v_measure == 1.0);
}

TEST_CASE("metrics: bad input is a clear error") {
  CHECK_THROWS_WITH_AS(accuracy_score({0, 1}, {0}), "Found input variables with inconsistent numbers of samples: [2, 1]",
                       tf::Error);
  CHECK_THROWS_WITH_AS(confusion_matrix({0, 3}, {0, 1}, 2), doctest::Contains("Label 3 in y_true at row 1"), tf::Error);
  CHECK_THROWS_WITH_AS(classification_report({0}, {0}, 1, 0.5), doctest::Contains("'zero_division'"), tf::Error);
  CHECK_THROWS_AS(confusion_matrix({}, {}, 0), tf::Error);
}
