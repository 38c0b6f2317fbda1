// The notebook's model search (DESIGN.md section 1 step 5), bounded: round r = 1, 2, ... trains a forest
// with criterion ["gini", "entropy"][r % 2] and n_estimators = base + uniform integer in [-spread, spread];
// the best round by v-measure is kept; stop at target_v_measure, max_rounds, or cancel.
#pragma once
#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "common/control.h"

namespace tf::eval {

struct SearchParams {
  int max_rounds = 10;
  double target_v_measure = 0.8;
  int n_estimators_spread = 20;
  std::string select_on = "test";   // "test" (the notebook's choice: leaks the test set) | "validation"
  double validation_size = 0.2;     // share of the training rows held out when select_on = "validation"
  std::uint64_t random_state = 42;  // seeds the n_estimators draws and each round's forest
  void validate() const;
  // Also checks the rounds' forest sizes: 1 <= base_n_estimators - n_estimators_spread.
  void validate(int base_n_estimators) const;
};
void to_json(nlohmann::json& j, const SearchParams& p);
void from_json(const nlohmann::json& j, SearchParams& p);

struct RoundPlan { int round; std::string criterion; int n_estimators; std::uint64_t seed; };
struct RoundResult { int round; std::string criterion; int n_estimators; double accuracy, v_measure; };

struct SearchResult {
  std::vector<RoundResult> rounds;
  int best = -1;  // index into rounds
};

// The rounds run_search would run, in order, whatever their scores: round r = 1..max_rounds has criterion
// ["gini", "entropy"][r % 2] (round 1 is entropy), n_estimators = base + a uniform integer in
// [-spread, spread] (tf::SplitMix64 seeded with random_state, one bounded draw per round) and the forest
// seed derive_seed(random_state, r). Throws invalid_parameter unless 1 <= base - spread.
std::vector<RoundPlan> plan_rounds(const SearchParams& p, int base_n_estimators);

// run_round trains and scores one forest (returns accuracy and v-measure on the selection set) and keeps
// whatever model it needs; on_round is told each finished round. Cancel is checked before every round
// (ctl.check_cancelled() throws Error(cancelled)); progress is reported after each round as
// rounds done / max_rounds (stage "search"). best = the first round with the highest v-measure; the search
// stops after the first round whose v-measure >= target_v_measure, or after max_rounds.
SearchResult run_search(const SearchParams& p, int base_n_estimators,
                        const std::function<RoundResult(const RoundPlan&)>& run_round,
                        const std::function<void(const RoundResult&)>& on_round, const FitControl& ctl = {});

}  // namespace tf::eval
