// The notebook's model search, bounded and seeded (DESIGN.md section 1 step 5).
#include "eval/search.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/random.h"
#include "eval/pyformat.h"

namespace tf::eval {

void SearchParams::validate() const {
  if (max_rounds < 1) throw_invalid_parameter("search.max_rounds", "an int in [1, inf)", std::to_string(max_rounds));
  if (n_estimators_spread < 0)
    throw_invalid_parameter("search.n_estimators_spread", "an int in [0, inf)", std::to_string(n_estimators_spread));
  if (!(target_v_measure > 0 && target_v_measure <= 1))
    throw_invalid_parameter("search.target_v_measure", "a float in (0.0, 1.0]", py_repr(target_v_measure));
  if (select_on != "test" && select_on != "validation")
    throw_invalid_parameter("search.select_on", "\"test\" or \"validation\"", py_repr(select_on));
  if (!(validation_size > 0 && validation_size < 1))
    throw_invalid_parameter("search.validation_size", "a float in (0.0, 1.0)", py_repr(validation_size));
}

void to_json(nlohmann::json& j, const SearchParams& p) {
  j = nlohmann::json{{"max_rounds", p.max_rounds},
                     {"target_v_measure", p.target_v_measure},
                     {"n_estimators_spread", p.n_estimators_spread},
                     {"select_on", p.select_on},
                     {"validation_size", p.validation_size},
                     {"random_state", p.random_state}};
}

void from_json(const nlohmann::json& j, SearchParams& p) {
  if (!j.is_object()) throw Error(ErrorCode::invalid_parameter, "The 'search' parameters must be an object.", "search");
  SearchParams out = p;
  auto int_in = [](const nlohmann::json& v, const std::string& name, const char* allowed, long long lo) {
    if (!v.is_number_integer() || (v.is_number_unsigned() && v.get<unsigned long long>() > 2147483647ULL) ||
        v.get<long long>() < lo || v.get<long long>() > 2147483647LL)
      throw_invalid_parameter(name, allowed, v.dump());
    return static_cast<int>(v.get<long long>());
  };
  auto number = [](const nlohmann::json& v, const std::string& name, const char* allowed) {
    if (!v.is_number()) throw_invalid_parameter(name, allowed, v.dump());
    return v.get<double>();
  };
  for (const auto& [key, v] : j.items()) {
    const std::string name = "search." + key;
    if (key == "max_rounds") {
      out.max_rounds = int_in(v, name, "an int in [1, inf)", 1);
    } else if (key == "n_estimators_spread") {
      out.n_estimators_spread = int_in(v, name, "an int in [0, inf)", 0);
    } else if (key == "target_v_measure") {
      out.target_v_measure = number(v, name, "a float in (0.0, 1.0]");
    } else if (key == "validation_size") {
      out.validation_size = number(v, name, "a float in (0.0, 1.0)");
    } else if (key == "select_on") {
      if (!v.is_string()) throw_invalid_parameter(name, "\"test\" or \"validation\"", v.dump());
      out.select_on = v.get<std::string>();
    } else if (key == "random_state") {
      if (!v.is_number_integer() || (!v.is_number_unsigned() && v.get<long long>() < 0))
        throw_invalid_parameter(name, "an int in [0, 18446744073709551615]", v.dump());
      out.random_state = v.get<std::uint64_t>();
    } else {
      throw Error(ErrorCode::invalid_parameter,
                  "Unknown search parameter '" + key +
                      "'; the known ones are max_rounds, target_v_measure, n_estimators_spread, select_on, "
                      "validation_size and random_state.",
                  name);
    }
  }
  p = out;  // cross-field checks are validate()'s (PipelineParams::validate calls it)
}

void SearchParams::validate(int base_n_estimators) const {
  validate();
  if (base_n_estimators < 1)
    throw_invalid_parameter("forest.n_estimators", "an int in [1, inf)", std::to_string(base_n_estimators));
}

// The spread a round really uses: at most base - 1, so that every round trains at least one tree
// (a 10-tree search with the notebook's spread of 20 draws from [1, 19]).
static int effective_spread(const SearchParams& p, int base_n_estimators) {
  return std::min(p.n_estimators_spread, base_n_estimators - 1);
}

std::vector<RoundPlan> plan_rounds(const SearchParams& p, int base_n_estimators) {
  p.validate(base_n_estimators);
  static const char* const criteria[2] = {"gini", "entropy"};
  SplitMix64 rng(p.random_state);
  std::vector<RoundPlan> plans;
  plans.reserve(static_cast<std::size_t>(p.max_rounds));
  for (int r = 1; r <= p.max_rounds; ++r) {
    const int spread = effective_spread(p, base_n_estimators);
    const auto width = static_cast<std::uint64_t>(2 * static_cast<long long>(spread) + 1);
    const int delta = static_cast<int>(static_cast<long long>(rng.bounded(width)) - spread);
    plans.push_back({r, criteria[r % 2], base_n_estimators + delta, derive_seed(p.random_state, static_cast<std::uint64_t>(r))});
  }
  return plans;
}

SearchResult run_search(const SearchParams& p, int base_n_estimators,
                        const std::function<RoundResult(const RoundPlan&)>& run_round,
                        const std::function<void(const RoundResult&)>& on_round, const FitControl& ctl) {
  const auto plans = plan_rounds(p, base_n_estimators);
  SearchResult out;
  for (const auto& plan : plans) {
    ctl.check_cancelled();
    RoundResult r = run_round(plan);
    r.round = plan.round;  // the plan names the round, whatever run_round filled in
    r.criterion = plan.criterion;
    r.n_estimators = plan.n_estimators;
    out.rounds.push_back(r);
    const int i = static_cast<int>(out.rounds.size()) - 1;
    if (out.best < 0 || r.v_measure > out.rounds[out.best].v_measure) out.best = i;
    if (on_round) on_round(r);
    ctl.progress(static_cast<double>(plan.round) / p.max_rounds, "search");
    if (r.v_measure >= p.target_v_measure) break;
  }
  return out;
}

}  // namespace tf::eval
