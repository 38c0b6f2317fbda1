// sklearn.model_selection.train_test_split, index for index (numpy's legacy RandomState MT19937).
#pragma once
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <variant>
#include <vector>

namespace tf::eval {

using SplitSize = std::variant<long long, double>;  // int = a count, float = a proportion

struct SplitParams {
  std::optional<SplitSize> test_size = SplitSize(0.4);
  std::optional<SplitSize> train_size;
  std::optional<std::uint32_t> random_state = 42u;  // nullopt = None
  bool shuffle = true;
  bool stratify = false;                           // stratify on the labels
  void validate() const;
};
void to_json(nlohmann::json& j, const SplitParams& p);
void from_json(const nlohmann::json& j, SplitParams& p);

struct SplitIndices {
  std::vector<std::size_t> train, test;  // in the order sklearn returns them
};

// labels: needed when stratify is true (any ints), otherwise may be empty.
SplitIndices train_test_split(std::size_t n_samples, const SplitParams& p, const std::vector<int>& labels = {});

}  // namespace tf::eval
