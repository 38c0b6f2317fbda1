// ForestParams: validation and JSON, under scikit-learn's names (RandomForestClassifier, 1.2).
#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "forest/forest.h"

namespace tf::forest {
namespace {

std::string num(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}
std::string name(const char* key) { return std::string("forest.") + key; }

// A JSON number as sklearn sees it: an int (Integral) or a float (Real). Booleans are neither.
bool is_int(const nlohmann::json& v) { return v.is_number_integer(); }
bool is_float(const nlohmann::json& v) { return v.is_number_float(); }

std::variant<long long, double> int_or_float(const nlohmann::json& v, const char* key, const char* allowed) {
  if (is_int(v)) return v.get<long long>();
  if (is_float(v)) return v.get<double>();
  throw_invalid_parameter(name(key), allowed, v.dump());
}

}  // namespace

std::string_view to_string(Criterion c) {
  switch (c) {
    case Criterion::gini: return "gini";
    case Criterion::entropy: return "entropy";
    case Criterion::log_loss: return "log_loss";
  }
  return "gini";
}

void ForestParams::validate() const {
  if (n_estimators < 1) throw_invalid_parameter(name("n_estimators"), "an int in the range [1, inf)", num(n_estimators));
  if (max_depth && *max_depth < 1)
    throw_invalid_parameter(name("max_depth"), "an int in the range [1, inf) or None", num(*max_depth));
  if (auto* i = std::get_if<long long>(&min_samples_split)) {
    if (*i < 2)
      throw_invalid_parameter(name("min_samples_split"),
                              "an int in the range [2, inf) or a float in the range (0.0, 1.0]", num(double(*i)));
  } else {
    double f = std::get<double>(min_samples_split);
    if (!(f > 0.0 && f <= 1.0))
      throw_invalid_parameter(name("min_samples_split"),
                              "an int in the range [2, inf) or a float in the range (0.0, 1.0]", num(f));
  }
  if (auto* i = std::get_if<long long>(&min_samples_leaf)) {
    if (*i < 1)
      throw_invalid_parameter(name("min_samples_leaf"),
                              "an int in the range [1, inf) or a float in the range (0.0, 1.0)", num(double(*i)));
  } else {
    double f = std::get<double>(min_samples_leaf);
    if (!(f > 0.0 && f < 1.0))
      throw_invalid_parameter(name("min_samples_leaf"),
                              "an int in the range [1, inf) or a float in the range (0.0, 1.0)", num(f));
  }
  if (!(min_impurity_decrease >= 0.0) || !std::isfinite(min_impurity_decrease))
    throw_invalid_parameter(name("min_impurity_decrease"), "a float in the range [0.0, inf)",
                            num(min_impurity_decrease));
  const char* mf_allowed = "'sqrt', 'log2', an int in the range [1, inf), a float in the range (0.0, 1.0] or None";
  if (auto* s = std::get_if<std::string>(&max_features)) {
    if (*s != "sqrt" && *s != "log2") throw_invalid_parameter(name("max_features"), mf_allowed, "'" + *s + "'");
  } else if (auto* i = std::get_if<long long>(&max_features)) {
    if (*i < 1) throw_invalid_parameter(name("max_features"), mf_allowed, num(double(*i)));
  } else if (auto* f = std::get_if<double>(&max_features)) {
    if (!(*f > 0.0 && *f <= 1.0)) throw_invalid_parameter(name("max_features"), mf_allowed, num(*f));
  }
  if (max_samples) {
    const char* allowed = "None, an int in the range [1, inf) or a float in the range (0.0, 1.0]";
    if (auto* i = std::get_if<long long>(&*max_samples)) {
      if (*i < 1) throw_invalid_parameter(name("max_samples"), allowed, num(double(*i)));
    } else {
      double f = std::get<double>(*max_samples);
      if (!(f > 0.0 && f <= 1.0)) throw_invalid_parameter(name("max_samples"), allowed, num(f));
    }
    if (!bootstrap)
      throw_invalid_parameter(name("max_samples"), "None when bootstrap is false", "a value");
  }
  if (!class_weight.empty() && class_weight != "balanced" && class_weight != "balanced_subsample")
    throw_invalid_parameter(name("class_weight"), "'balanced', 'balanced_subsample' or None",
                            "'" + class_weight + "'");
  if (oob_score && !bootstrap)
    throw_invalid_parameter(name("oob_score"), "false when bootstrap is false (out-of-bag estimation needs it)",
                            "true");
  if (n_jobs == 0) throw_invalid_parameter(name("n_jobs"), "a non-zero int (-1 = all cores)", "0");
}

void to_json(nlohmann::json& j, const ForestParams& p) {
  j = nlohmann::json::object();
  j["n_estimators"] = p.n_estimators;
  j["criterion"] = std::string(to_string(p.criterion));
  j["max_depth"] = p.max_depth ? nlohmann::json(*p.max_depth) : nlohmann::json(nullptr);
  std::visit([&](auto v) { j["min_samples_split"] = v; }, p.min_samples_split);
  std::visit([&](auto v) { j["min_samples_leaf"] = v; }, p.min_samples_leaf);
  j["min_impurity_decrease"] = p.min_impurity_decrease;
  if (auto* s = std::get_if<std::string>(&p.max_features)) j["max_features"] = *s;
  else if (auto* i = std::get_if<long long>(&p.max_features)) j["max_features"] = *i;
  else if (auto* f = std::get_if<double>(&p.max_features)) j["max_features"] = *f;
  else j["max_features"] = nullptr;
  j["bootstrap"] = p.bootstrap;
  if (p.max_samples) std::visit([&](auto v) { j["max_samples"] = v; }, *p.max_samples);
  else j["max_samples"] = nullptr;
  j["class_weight"] = p.class_weight.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.class_weight);
  j["oob_score"] = p.oob_score;
  j["random_state"] = p.random_state ? nlohmann::json(*p.random_state) : nlohmann::json(nullptr);
  j["n_jobs"] = p.n_jobs;
}

void from_json(const nlohmann::json& j, ForestParams& p) {
  if (!j.is_object()) throw_invalid_parameter("forest", "an object of forest parameters", j.dump());
  ForestParams out;
  for (const auto& item : j.items()) {  // no structured binding: clang 14 cannot capture one in a lambda
    const std::string& key = item.key();
    const nlohmann::json& v = item.value();
    const char* k = key.c_str();
    auto bad = [&](const char* allowed) { throw_invalid_parameter(name(k), allowed, v.dump()); };
    if (key == "n_estimators") {
      if (!is_int(v)) bad("an int in the range [1, inf)");
      out.n_estimators = v.get<int>();
    } else if (key == "criterion") {
      std::string s = v.is_string() ? v.get<std::string>() : "";
      if (s == "gini") out.criterion = Criterion::gini;
      else if (s == "entropy") out.criterion = Criterion::entropy;
      else if (s == "log_loss") out.criterion = Criterion::log_loss;
      else bad("'gini', 'entropy' or 'log_loss'");
    } else if (key == "max_depth") {
      if (v.is_null()) out.max_depth.reset();
      else if (is_int(v)) out.max_depth = v.get<int>();
      else bad("an int in the range [1, inf) or None");
    } else if (key == "min_samples_split") {
      out.min_samples_split = int_or_float(v, k, "an int in the range [2, inf) or a float in the range (0.0, 1.0]");
    } else if (key == "min_samples_leaf") {
      out.min_samples_leaf = int_or_float(v, k, "an int in the range [1, inf) or a float in the range (0.0, 1.0)");
    } else if (key == "min_impurity_decrease") {
      if (!v.is_number()) bad("a float in the range [0.0, inf)");
      out.min_impurity_decrease = v.get<double>();
    } else if (key == "max_features") {
      if (v.is_null()) out.max_features = std::monostate{};
      else if (v.is_string()) out.max_features = v.get<std::string>();
      else if (is_int(v)) out.max_features = v.get<long long>();
      else if (is_float(v)) out.max_features = v.get<double>();
      else bad("'sqrt', 'log2', an int in the range [1, inf), a float in the range (0.0, 1.0] or None");
    } else if (key == "bootstrap") {
      if (!v.is_boolean()) bad("a boolean");
      out.bootstrap = v.get<bool>();
    } else if (key == "max_samples") {
      if (v.is_null()) out.max_samples.reset();
      else out.max_samples = int_or_float(v, k, "None, an int in the range [1, inf) or a float in the range (0.0, 1.0]");
    } else if (key == "class_weight") {
      if (v.is_null()) out.class_weight.clear();
      else if (v.is_string()) out.class_weight = v.get<std::string>();
      else bad("'balanced', 'balanced_subsample' or None");
    } else if (key == "oob_score") {
      if (!v.is_boolean()) bad("a boolean");
      out.oob_score = v.get<bool>();
    } else if (key == "random_state") {
      if (v.is_null()) out.random_state.reset();
      else if (v.is_number_unsigned() || (is_int(v) && v.get<long long>() >= 0)) out.random_state = v.get<std::uint64_t>();
      else bad("an int in the range [0, 2**64) or None");
    } else if (key == "n_jobs") {
      if (v.is_null()) out.n_jobs = 1;
      else if (is_int(v)) out.n_jobs = v.get<int>();
      else bad("an int or None");
    } else {
      throw Error(ErrorCode::invalid_parameter,
                  "The forest has no parameter '" + key + "'.", name(k));
    }
  }
  out.validate();
  p = std::move(out);
}

}  // namespace tf::forest
