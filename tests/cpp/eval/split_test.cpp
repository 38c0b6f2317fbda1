#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "eval/mt19937.h"
#include "eval/pyformat.h"
#include "eval/split.h"
#include "fixture.h"

using namespace tf::eval;
using tf::test::fixture;

namespace {

std::optional<SplitSize> size_of(const nlohmann::json& v) {
  if (v.is_null()) return std::nullopt;
  if (v.is_number_integer()) return SplitSize(v.get<long long>());
  return SplitSize(v.get<double>());
}

}  // namespace

TEST_CASE("numpy legacy RandomState: MT19937 seeding and permutation") {
  // np.random.RandomState(42).randint(0, 2**32, dtype=np.uint64) draws 32-bit words; the raw first word of
  // MT19937 seeded with 5489 is the reference value of the generator.
  LegacyRandomState ref(5489u);
  CHECK(ref.next_uint32() == 3499211612u);
  // np.random.RandomState(0).permutation(10) == [2, 8, 4, 9, 1, 6, 7, 3, 0, 5]
  LegacyRandomState r0(0u);
  CHECK(r0.permutation(10) == std::vector<std::size_t>{2, 8, 4, 9, 1, 6, 7, 3, 0, 5});
  LegacyRandomState r1(0u);
  CHECK(r1.permutation(0).empty());
  CHECK(r1.permutation(1) == std::vector<std::size_t>{0});
}

TEST_CASE("train_test_split matches sklearn 1.2 index for index (golden fixture)") {
  const auto cases = fixture("eval/split.json").at("cases");
  int ok = 0, errors = 0, stratified = 0;
  for (const auto& c : cases) {
    SplitParams p;
    p.test_size = size_of(c.at("test_size"));
    p.train_size = size_of(c.at("train_size"));
    p.random_state = c.at("random_state").get<std::uint32_t>();
    p.shuffle = c.at("shuffle").get<bool>();
    std::vector<int> labels;
    if (!c.at("labels").is_null()) {
      labels = c.at("labels").get<std::vector<int>>();
      p.stratify = true;
    }
    const auto n = c.at("n").get<std::size_t>();
    const std::string what = "n=" + c.at("n").dump() + " test_size=" + c.at("test_size").dump() +
                             " train_size=" + c.at("train_size").dump() + " random_state=" + c.at("random_state").dump() +
                             " shuffle=" + c.at("shuffle").dump() + " stratify=" + std::to_string(p.stratify);
    if (c.contains("error")) {
      std::string message;
      try {
        train_test_split(n, p, labels);
      } catch (const tf::Error& e) {
        message = e.what();
      }
      CHECK_MESSAGE(message == c.at("error").get<std::string>(), what);
      ++errors;
      continue;
    }
    SplitIndices s;
    REQUIRE_NOTHROW_MESSAGE(s = train_test_split(n, p, labels), what);
    CHECK_MESSAGE(s.train == c.at("train").get<std::vector<std::size_t>>(), what);
    CHECK_MESSAGE(s.test == c.at("test").get<std::vector<std::size_t>>(), what);
    ++ok;
    stratified += p.stratify;
  }
  MESSAGE("split cases: " << ok << " identical (" << stratified << " stratified), " << errors << " errors worded as sklearn");
  CHECK(ok >= 50);
  CHECK(errors >= 10);
}

TEST_CASE("split params: JSON round trip, int vs float sizes, unknown keys") {
  SplitParams p;
  nlohmann::json j = p;
  CHECK(j.dump() == R"({"random_state":42,"shuffle":true,"stratify":false,"test_size":0.4,"train_size":null})");
  SplitParams q = nlohmann::json::parse(R"({"test_size": 120, "train_size": 0.5, "random_state": null})");
  REQUIRE(q.test_size);
  CHECK(std::get<long long>(*q.test_size) == 120);
  CHECK(std::get<double>(*q.train_size) == 0.5);
  CHECK(!q.random_state);
  CHECK(q.shuffle);
  nlohmann::json back = q;
  CHECK(back.at("test_size").is_number_integer());
  CHECK(back.at("train_size").is_number_float());

  auto bad = [](const char* text) {
    try {
      SplitParams r = nlohmann::json::parse(text);
      (void)r;
    } catch (const tf::Error& e) {
      CHECK(e.code == tf::ErrorCode::invalid_parameter);
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(bad(R"({"test_sise": 0.3})").find("Unknown split parameter 'test_sise'") != std::string::npos);
  CHECK(bad(R"({"random_state": -1})").find("'split.random_state'") != std::string::npos);
  CHECK(bad(R"({"random_state": 4294967296})").find("'split.random_state'") != std::string::npos);
  CHECK(bad(R"({"shuffle": 1})").find("'split.shuffle'") != std::string::npos);
  CHECK(bad(R"({"test_size": "0.3"})").find("'split.test_size'") != std::string::npos);
  CHECK(bad(R"({"test_size": true})").find("'split.test_size'") != std::string::npos);
  const SplitParams edge = nlohmann::json::parse(R"({"random_state": 4294967295})");
  CHECK(*edge.random_state == 4294967295u);
}

TEST_CASE("split params: validate()") {
  SplitParams p;
  CHECK_NOTHROW(p.validate());
  p.test_size = SplitSize(1.0);
  CHECK_THROWS_WITH_AS(p.validate(), doctest::Contains("'split.test_size' parameter must be"), tf::Error);
  p.test_size = SplitSize(0LL);
  CHECK_THROWS_AS(p.validate(), tf::Error);
  p.test_size = SplitSize(0.6);
  p.train_size = SplitSize(0.5);
  CHECK_THROWS_WITH_AS(p.validate(), doctest::Contains("sum of split.test_size and split.train_size = 1.1"), tf::Error);
  p.train_size.reset();
  p.stratify = true;
  p.shuffle = false;
  CHECK_THROWS_WITH_AS(p.validate(), "Stratified train/test split is not implemented for shuffle=False", tf::Error);
}

TEST_CASE("random_state None gives a valid split; labels of the wrong length are bad input") {
  SplitParams p;
  p.random_state.reset();
  const auto s = train_test_split(10, p);
  CHECK(s.train.size() == 6);
  CHECK(s.test.size() == 4);
  p.stratify = true;
  p.random_state = 1;
  try {
    train_test_split(10, p, {0, 1, 0});
    CHECK(false);
  } catch (const tf::Error& e) {
    CHECK(e.code == tf::ErrorCode::bad_input);
    CHECK(std::string(e.what()) == "Found input variables with inconsistent numbers of samples: [10, 3]");
  }
}

TEST_CASE("py_repr prints as Python does") {
  CHECK(py_repr(0.4) == "0.4");
  CHECK(py_repr(2.0) == "2.0");
  CHECK(py_repr(1e-05) == "1e-05");
  CHECK(py_repr(0.0001) == "0.0001");
  CHECK(py_repr(1e16) == "1e+16");
  CHECK(py_repr(1e15) == "1000000000000000.0");
  CHECK(py_repr(0.1 + 0.2) == "0.30000000000000004");
  CHECK(py_repr(-1.5e-7) == "-1.5e-07");
  CHECK(py_repr(123456.789) == "123456.789");
  CHECK(py_repr(std::string("it's")) == "\"it's\"");
  CHECK(py_repr(std::string("a'\"b")) == "'a\\'\"b'");
  CHECK(py_repr(std::string("t\tx\\y")) == "'t\\tx\\\\y'");
  CHECK(py_repr(std::string("h\xC3\xA9" "ad\xC2\xA0")) == "'h\xC3\xA9" "ad\\xa0'");
}
