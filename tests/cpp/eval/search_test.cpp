#include <doctest/doctest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "common/error.h"
#include "common/random.h"
#include "eval/search.h"

using namespace tf::eval;

namespace {

// A fake round: v-measure from a table by round number (default 0.5), accuracy = v-measure.
struct Fake {
  std::map<int, double> v;
  std::vector<RoundPlan> seen;
  RoundResult operator()(const RoundPlan& plan) {
    seen.push_back(plan);
    const double x = v.count(plan.round) ? v.at(plan.round) : 0.5;
    return {plan.round, plan.criterion, plan.n_estimators, x, x};
  }
};

SearchParams params(int max_rounds, double target = 0.8, int spread = 20, std::uint64_t seed = 42) {
  SearchParams p;
  p.max_rounds = max_rounds;
  p.target_v_measure = target;
  p.n_estimators_spread = spread;
  p.random_state = seed;
  return p;
}

}  // namespace

TEST_CASE("search round plan: criteria alternate from entropy, n_estimators within base +- spread, seeds derived") {
  const auto plans = plan_rounds(params(10), 100);
  REQUIRE(plans.size() == 10);
  tf::SplitMix64 g(42);
  std::set<int> distinct;
  for (int r = 1; r <= 10; ++r) {
    const auto& pl = plans[r - 1];
    CHECK(pl.round == r);
    CHECK(pl.criterion == (r % 2 ? "entropy" : "gini"));
    const int delta = static_cast<int>(static_cast<long long>(g.bounded(41)) - 20);
    CHECK(pl.n_estimators == 100 + delta);
    CHECK(pl.n_estimators >= 80);
    CHECK(pl.n_estimators <= 120);
    CHECK(pl.seed == tf::derive_seed(42, static_cast<std::uint64_t>(r)));
    distinct.insert(pl.n_estimators);
  }
  CHECK(distinct.size() > 3);
  CHECK(plans[0].criterion == "entropy");
  // spread 0, one round: exactly one forest of base trees (DESIGN.md: --max-rounds 1 --n-estimators-spread 0)
  const auto one = plan_rounds(params(1, 0.8, 0), 37);
  REQUIRE(one.size() == 1);
  CHECK(one[0].n_estimators == 37);
  CHECK(one[0].criterion == "entropy");
  // every value of [base - spread, base + spread] is reachable and nothing else
  std::set<int> seen;
  for (const auto& pl : plan_rounds(params(400, 0.8, 2, 7), 10)) seen.insert(pl.n_estimators);
  CHECK(seen == std::set<int>{8, 9, 10, 11, 12});
}

TEST_CASE("search is reproducible and depends on random_state") {
  const auto a = plan_rounds(params(10), 100), b = plan_rounds(params(10), 100), c = plan_rounds(params(10, 0.8, 20, 43), 100);
  bool same = true, differs = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    same = same && a[i].n_estimators == b[i].n_estimators && a[i].seed == b[i].seed;
    differs = differs || a[i].n_estimators != c[i].n_estimators || a[i].seed != c[i].seed;
  }
  CHECK(same);
  CHECK(differs);
  Fake f1, f2;
  const auto r1 = run_search(params(6, 0.99), 100, std::ref(f1), {});
  const auto r2 = run_search(params(6, 0.99), 100, std::ref(f2), {});
  REQUIRE(r1.rounds.size() == r2.rounds.size());
  for (std::size_t i = 0; i < r1.rounds.size(); ++i) CHECK(f1.seen[i].seed == f2.seen[i].seed);
}

TEST_CASE("search stops at max_rounds, reports every round and progress") {
  Fake f;
  std::vector<RoundResult> told;
  std::vector<double> progress;
  tf::FitControl ctl;
  ctl.on_progress = [&](double x, const std::string& stage) {
    CHECK(stage == "search");
    progress.push_back(x);
  };
  const auto res = run_search(params(4), 100, std::ref(f), [&](const RoundResult& r) { told.push_back(r); }, ctl);
  CHECK(res.rounds.size() == 4);
  CHECK(told.size() == 4);
  CHECK(progress == std::vector<double>{0.25, 0.5, 0.75, 1.0});
  const auto plans = plan_rounds(params(4), 100);
  for (int i = 0; i < 4; ++i) {
    CHECK(told[i].round == i + 1);
    CHECK(told[i].criterion == plans[i].criterion);
    CHECK(told[i].n_estimators == plans[i].n_estimators);
  }
  CHECK(res.best == 0);  // all tie at 0.5: the first best is kept
}

TEST_CASE("search stops at the first round reaching the target and keeps the best") {
  Fake f;
  f.v = {{1, 0.6}, {2, 0.75}, {3, 0.7}, {4, 0.8}, {5, 0.95}};
  const auto res = run_search(params(10, 0.8), 100, std::ref(f), {});
  CHECK(res.rounds.size() == 4);  // round 4 reaches 0.8 (>= target)
  CHECK(res.best == 3);
  CHECK(f.seen.size() == 4);

  Fake g;
  g.v = {{1, 0.3}, {2, 0.7}, {3, 0.7}, {4, 0.2}};
  const auto res2 = run_search(params(4, 0.9), 100, std::ref(g), {});
  CHECK(res2.rounds.size() == 4);
  CHECK(res2.best == 1);  // tie between rounds 2 and 3: the first is kept
}

TEST_CASE("search: cancel is checked between rounds") {
  Fake f;
  int rounds_done = 0;
  tf::FitControl ctl;
  ctl.cancelled = [&] { return rounds_done >= 2; };
  try {
    run_search(params(10), 100, std::ref(f), [&](const RoundResult&) { ++rounds_done; }, ctl);
    CHECK(false);
  } catch (const tf::Error& e) {
    CHECK(e.code == tf::ErrorCode::cancelled);
  }
  CHECK(f.seen.size() == 2);
}

TEST_CASE("search params: validation, JSON and unknown keys") {
  auto msg = [](const SearchParams& p, int base = 100) {
    try {
      plan_rounds(p, base);
    } catch (const tf::Error& e) {
      CHECK(e.code == tf::ErrorCode::invalid_parameter);
      return e.where;
    }
    return std::string("no error");
  };
  SearchParams p;
  CHECK(msg(p) == "no error");
  p.max_rounds = 0;
  CHECK(msg(p) == "search.max_rounds");
  p = {};
  p.n_estimators_spread = -1;
  CHECK(msg(p) == "search.n_estimators_spread");
  p = {};
  p.target_v_measure = 0;
  CHECK(msg(p) == "search.target_v_measure");
  p.target_v_measure = 1.0;
  CHECK(msg(p) == "no error");
  p.target_v_measure = 1.01;
  CHECK(msg(p) == "search.target_v_measure");
  p = {};
  p.select_on = "train";
  CHECK(msg(p) == "search.select_on");
  p = {};
  p.validation_size = 1.0;
  CHECK(msg(p) == "search.validation_size");
  p = {};
  CHECK(msg(p, 20) == "no error");  // the spread is clamped to base - 1: every round has >= 1 tree
  CHECK(msg(p, 1) == "no error");
  CHECK(msg(p, 0) == "forest.n_estimators");
  CHECK_NOTHROW(p.validate(100));
  for (const auto& plan : plan_rounds(params(200, 0.8, 20), 10)) {  // spread 20 on 10 trees: [1, 19]
    CHECK(plan.n_estimators >= 1);
    CHECK(plan.n_estimators <= 19);
  }

  const nlohmann::json j = SearchParams{};
  CHECK(j.dump() ==
        R"({"max_rounds":10,"n_estimators_spread":20,"random_state":42,"select_on":"test","target_v_measure":0.8,"validation_size":0.2})");
  SearchParams q = nlohmann::json::parse(R"({"max_rounds": 3, "select_on": "validation", "random_state": 18446744073709551615})");
  CHECK(q.max_rounds == 3);
  CHECK(q.select_on == "validation");
  CHECK(q.random_state == 18446744073709551615ULL);
  CHECK(q.target_v_measure == 0.8);
  auto bad = [](const char* text) {
    try {
      SearchParams r = nlohmann::json::parse(text);
      (void)r;
    } catch (const tf::Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(bad(R"({"rounds": 3})").find("Unknown search parameter 'rounds'") != std::string::npos);
  CHECK(bad(R"({"max_rounds": 0})") == "The 'search.max_rounds' parameter must be an int in [1, inf). Got 0 instead.");
  CHECK(bad(R"({"max_rounds": 2.5})").find("'search.max_rounds'") != std::string::npos);
  CHECK(bad(R"({"random_state": -3})").find("'search.random_state'") != std::string::npos);
  CHECK(bad(R"({"select_on": 1})").find("'search.select_on'") != std::string::npos);
  CHECK(bad(R"({"target_v_measure": "high"})").find("'search.target_v_measure'") != std::string::npos);
}
