// Determinism: one random_state gives the same model bytes whatever the threads or workers (fit vs
// fit_trees + merge, n_jobs 1 vs 2), natively and in WebAssembly (the hash printed here is compared by the
// lead across the two builds).
#include <doctest/doctest.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/random.h"
#include "fixture.h"
#include "forest/forest.h"
#include "forest/tree.h"
#include "forest_test_util.h"

using namespace tf::forest;

namespace {
std::uint64_t fnv1a(const std::vector<std::uint8_t>& bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (std::uint8_t b : bytes) {
    h ^= b;
    h *= 0x100000001b3ULL;
  }
  return h;
}
std::vector<std::uint8_t> bytes_of(const RandomForest& rf) { return nlohmann::json::to_cbor(rf.to_json()); }
std::vector<std::uint8_t> packed_bytes(const RandomForest& rf);

using tf::test::onet;
ForestParams params(int trees, std::uint64_t seed) {
  ForestParams p;
  p.n_estimators = trees;
  p.random_state = seed;
  return p;
}
}  // namespace

TEST_CASE("forest determinism: fit == fit_trees + merge in chunks, n_jobs 1 == 2, JSON round trip") {
  const auto& d = onet();
  RandomForest one(params(12, 7));
  one.fit(d.Xtr, d.ytr, d.C);
  const auto ref = bytes_of(one);

  ForestParams p2 = params(12, 7);
  p2.n_jobs = 2;
  RandomForest two(p2);
  two.fit(d.Xtr, d.ytr, d.C);
  CHECK(bytes_of(two) == ref);

  for (const std::vector<int> chunks : {std::vector<int>{5, 7}, std::vector<int>{1, 4, 4, 3}}) {
    RandomForest merged(params(12, 7));
    int first = 0;
    for (int c : chunks) {
      RandomForest part(params(12, 7));
      part.fit_trees(d.Xtr, d.ytr, d.C, first, c);
      merged.merge(part);
      first += c;
    }
    CHECK(bytes_of(merged) == ref);
    CHECK(merged.predict_proba(d.Xte) == one.predict_proba(d.Xte));
  }

  {  // one ForestData for chunks of any size, grown in any order and merged in tree order
    const ForestData data(d.Xtr, d.ytr, d.C);
    std::vector<RandomForest> parts;
    for (const auto& [first, count] : std::vector<std::pair<int, int>>{{9, 3}, {0, 6}, {6, 3}}) {
      parts.emplace_back(params(12, 7));
      parts.back().fit_trees(data, first, count);
    }
    RandomForest merged(params(12, 7));
    for (int k : {1, 2, 0}) merged.merge(std::move(parts[k]));
    CHECK(bytes_of(merged) == ref);
  }

  {  // merging moves the part's trees, and never changes a copy that shares the merged-into forest's trees
    RandomForest a(params(12, 7)), b(params(12, 7));
    a.fit_trees(d.Xtr, d.ytr, d.C, 0, 5);
    b.fit_trees(d.Xtr, d.ytr, d.C, 5, 7);
    const RandomForest keep = a;
    const auto keep_bytes = bytes_of(keep);
    a.merge(std::move(b));
    CHECK(a.n_trees() == 12);
    CHECK(b.n_trees() == 0);
    CHECK(keep.n_trees() == 5);
    CHECK(bytes_of(keep) == keep_bytes);
    CHECK(bytes_of(a) == ref);
  }

  const RandomForest back = RandomForest::from_json(one.to_json());
  CHECK(bytes_of(back) == ref);
  CHECK(back.predict_proba(d.Xte) == one.predict_proba(d.Xte));
  // The same bytes through CBOR.
  const RandomForest back2 = RandomForest::from_json(nlohmann::json::from_cbor(ref));
  CHECK(bytes_of(back2) == ref);

  RandomForest other(params(12, 8));
  other.fit(d.Xtr, d.ytr, d.C);
  CHECK(bytes_of(other) != ref);

  RandomForest seed8(params(12, 8));
  CHECK_THROWS_AS(seed8.merge(one), tf::Error);  // other parameters
  RandomForest gap(params(12, 7));
  RandomForest part(params(12, 7));
  part.fit_trees(d.Xtr, d.ytr, d.C, 3, 2);
  gap.merge(part);  // an empty forest takes any chunk
  RandomForest part2(params(12, 7));
  part2.fit_trees(d.Xtr, d.ytr, d.C, 6, 1);
  CHECK_THROWS_AS(gap.merge(part2), tf::Error);  // trees 3-4 then 6: not consecutive
  CHECK_THROWS_AS(gap.merge(RandomForest(params(12, 7))), tf::Error);  // not fitted
}

TEST_CASE("forest determinism: model hash for the lead (native vs WASM)") {
  const auto& d = onet();
  RandomForest rf(params(10, 42));
  rf.fit(d.Xtr, d.ytr, d.C);
  const auto bytes = bytes_of(rf);
  const auto packed = packed_bytes(rf);
  const std::string text = rf.to_json().dump();
  char hex[17], hex_json[17], hex_packed[17];
  std::snprintf(hex_packed, sizeof hex_packed, "%016llx", static_cast<unsigned long long>(fnv1a(packed)));
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a(bytes)));
  std::snprintf(hex_json, sizeof hex_json, "%016llx",
                static_cast<unsigned long long>(fnv1a(std::vector<std::uint8_t>(text.begin(), text.end()))));
  MESSAGE("forest model hash (10 trees, random_state 42, O*NET subsample fixture, FNV-1a 64): CBOR " << hex
          << " (" << bytes.size() << " bytes), packed CBOR " << hex_packed << " (" << packed.size()
          << " bytes), JSON text " << hex_json << " (" << text.size() << " bytes)");
  const auto pred = rf.predict(d.Xte);
  int ok = 0;
  for (std::size_t i = 0; i < pred.size(); ++i) ok += pred[i] == d.yte[i];
  MESSAGE("accuracy " << static_cast<double>(ok) / pred.size());
  CHECK(bytes.size() > 0);
}

TEST_CASE("forest: sparse prediction index agrees with a plain dense walk of every tree") {
  const auto& d = onet();
  RandomForest rf(params(5, 3));
  rf.fit(d.Xtr, d.ytr, d.C);
  const auto j = rf.to_json();
  std::vector<tf::forest::detail::Tree> trees;
  for (const auto& jt : j.at("trees")) trees.push_back(tf::test::tree_from_json(jt));
  const auto proba = rf.predict_proba(d.Xte);
  std::vector<float> dense(d.Xte.cols(), 0.0f);
  int mismatches = 0;
  for (Eigen::Index r = 0; r < d.Xte.rows(); ++r) {
    for (tf::SparseMatrix::InnerIterator it(d.Xte, r); it; ++it) dense[it.index()] = static_cast<float>(it.value());
    std::vector<double> want(d.C, 0.0);
    for (const auto& t : trees) {
      const int l = t.leaf_of(dense.data());
      for (int k = t.leaf_offset[l]; k < t.leaf_offset[l + 1]; ++k) want[t.leaf_class[k]] += t.leaf_proba[k];
    }
    for (int k = 0; k < d.C; ++k) mismatches += want[k] / trees.size() != proba[r * d.C + k];
    for (tf::SparseMatrix::InnerIterator it(d.Xte, r); it; ++it) dense[it.index()] = 0.0f;
  }
  CHECK(mismatches == 0);
}

namespace {
std::vector<std::uint8_t> packed_bytes(const RandomForest& rf) { return nlohmann::json::to_cbor(rf.to_json(TreeLayout::packed)); }
void expect_model_format(const nlohmann::json& j) {
  try {
    (void)RandomForest::from_json(j);
    FAIL("a damaged packed forest was accepted");
  } catch (const tf::Error& e) {
    CHECK(e.code == tf::ErrorCode::model_format);
  }
}
}  // namespace

TEST_CASE("forest: the packed layout (binary models) round-trips to the same forest, and is smaller") {
  const auto& d = onet();
  for (const std::string weight : {"", "balanced"}) {  // integral leaf counts, then weighted (float64) ones
    CAPTURE(weight);
    ForestParams p = params(6, 11);
    p.class_weight = weight;
    RandomForest rf(p);
    rf.fit(d.Xtr, d.ytr, d.C);
    const auto packed = packed_bytes(rf);
    const auto j = nlohmann::json::from_cbor(packed);
    CHECK(j.at("version") == 2);
    CHECK(j.at("packed_trees").at("integral_counts") == weight.empty());
    const RandomForest back = RandomForest::from_json(j);
    CHECK(back.to_json() == rf.to_json());  // the arrays layout, every node and count
    CHECK(back.predict_proba(d.Xte) == rf.predict_proba(d.Xte));
    CHECK(packed_bytes(back) == packed);
    std::string text;
    rf.append_trees_json(text);
    CHECK(text == rf.to_json().at("trees").dump());
    MESSAGE("packed CBOR " << packed.size() << " bytes, arrays CBOR " << bytes_of(rf).size() << " bytes");
    CHECK(packed.size() < bytes_of(rf).size());
  }
}

TEST_CASE("forest: a damaged packed forest is a model_format error, never a crash") {
  const auto& d = onet();
  RandomForest rf(params(3, 5));
  rf.fit(d.Xtr, d.ytr, d.C);
  const nlohmann::json good = rf.to_json(TreeLayout::packed);
  REQUIRE_NOTHROW(RandomForest::from_json(good));
  for (const char* key : {"n_internal", "n_leaves", "feature", "threshold", "kind", "leaf_size", "leaf_class",
                          "leaf_count"}) {
    CAPTURE(key);
    nlohmann::json j = good;
    auto& bytes = j["packed_trees"][key].get_binary();
    nlohmann::json cut = j;
    cut["packed_trees"][key].get_binary().pop_back();  // one byte short
    expect_model_format(cut);
    nlohmann::json longer = j;
    longer["packed_trees"][key].get_binary().push_back(0);  // one byte left over
    expect_model_format(longer);
    nlohmann::json missing = j;
    missing["packed_trees"].erase(key);
    expect_model_format(missing);
    // every byte set to 0xff in turn (a few positions): rejected or, when still consistent, a forest that
    // predicts without reading out of bounds
    for (std::size_t at : {std::size_t{0}, bytes.size() / 2, bytes.size() - 1}) {
      nlohmann::json flipped = good;
      flipped["packed_trees"][key].get_binary()[at] = 0xff;
      try {
        const RandomForest f = RandomForest::from_json(flipped);
        CHECK(f.predict_proba(d.Xte).size() == static_cast<std::size_t>(d.Xte.rows()) * d.C);
      } catch (const tf::Error& e) {
        CHECK(e.code == tf::ErrorCode::model_format);
      }
    }
  }
  nlohmann::json fewer_features = good;
  fewer_features["n_features"] = 3;  // the trees test features beyond it
  expect_model_format(fewer_features);
  nlohmann::json newer = good;
  newer["version"] = 3;
  expect_model_format(newer);
}
