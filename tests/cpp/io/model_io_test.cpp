#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "common/error.h"
#include "io/model_io.h"

using nlohmann::json;
using tf::io::ModelEncoding;

namespace {

json sample_model() {
  return json{{"format", "titleforest-model"},
              {"version", 1},
              {"labels", {"c-level", "engineer", "product"}},
              {"idf", {1.0, 0.1, 1.0 / 3.0, 2.718281828459045, 1e-300}},
              {"name", "Directeur général"}};
}

std::string as_string(const std::vector<std::uint8_t>& b) { return std::string(b.begin(), b.end()); }

}  // namespace

TEST_CASE("encode_model / decode_model round-trip exactly in both encodings") {
  const json m = sample_model();
  for (auto enc : {ModelEncoding::json, ModelEncoding::binary}) {
    CAPTURE(static_cast<int>(enc));
    const auto bytes = encode_model(m, enc);
    const json back = tf::io::decode_model(as_string(bytes), "m");
    CHECK(back == m);
    CHECK(back.at("idf").at(2).get<double>() == 1.0 / 3.0);
  }
  const auto text = as_string(encode_model(m, ModelEncoding::json));
  CHECK(text.front() == '{');
  CHECK(text.back() == '\n');
  const auto bin = encode_model(m, ModelEncoding::binary);
  CHECK(bin.size() < text.size());
  CHECK(tf::io::decode_model("\xEF\xBB\xBF  \n" + text, "m") == m);  // BOM and leading spaces tolerated
}

TEST_CASE("encoding_for_path") {
  CHECK(tf::io::encoding_for_path("model.json") == ModelEncoding::json);
  CHECK(tf::io::encoding_for_path("MODEL.JSON") == ModelEncoding::json);
  CHECK(tf::io::encoding_for_path("model.bin") == ModelEncoding::binary);
  CHECK(tf::io::encoding_for_path("model") == ModelEncoding::binary);
  CHECK(tf::io::encoding_for_path("json") == ModelEncoding::binary);
}

TEST_CASE("decode_model rejects what is not a model, in a clear sentence") {
  json newer = sample_model();
  newer["version"] = 3;
  json other = sample_model();
  other["format"] = "something-else";
  json no_version = sample_model();
  no_version.erase("version");
  json zero_version = sample_model();
  zero_version["version"] = 0;
  json text_version = sample_model();
  text_version["version"] = "1";
  const auto cbor_newer = as_string(json::to_cbor(newer));
  auto truncated = as_string(json::to_cbor(sample_model()));
  truncated.resize(truncated.size() / 2);

  struct C {
    const char* description;
    std::string bytes, phrase;
  };
  const std::vector<C> cases = {
      {"empty", "", "x.bin is not a titleforest model (it is empty)."},
      {"spaces only", "  \n", "x.bin is not a titleforest model (it is empty)."},
      {"a CSV", "positions,label\n", "x.bin is not a titleforest model (it is neither a JSON model nor a binary one)."},
      {"a JSON array", "[1,2]", "x.bin is not a titleforest model"},
      {"broken JSON", "{\"format\": ", "x.bin is not a titleforest model (its JSON is malformed or cut short)."},
      {"cut CBOR", truncated, "x.bin is not a titleforest model (its binary data is malformed or cut short)."},
      {"other format", other.dump(), "x.bin is not a titleforest model (it has no \"format\": \"titleforest-model\" field)."},
      {"no format", "{\"version\": 1}", "x.bin is not a titleforest model"},
      {"newer JSON", newer.dump(),
       "x.bin was written by a newer titleforest (format version 3; this build reads up to 1)."},
      {"newer CBOR", cbor_newer, "x.bin was written by a newer titleforest (format version 3; this build reads up to 1)."},
      {"no version", no_version.dump(), "x.bin has no valid format version"},
      {"version 0", zero_version.dump(), "x.bin has no valid format version"},
      {"version as text", text_version.dump(), "x.bin has no valid format version"},
  };
  for (const auto& c : cases) {
    const std::string description = c.description;
    CAPTURE(description);
    try {
      tf::io::decode_model(c.bytes, "x.bin");
      FAIL("no error");
    } catch (const tf::Error& e) {
      CHECK(e.code == tf::ErrorCode::model_format);
      CHECK(e.where == "x.bin");
      CHECK_MESSAGE(std::string(e.what()).find(c.phrase) != std::string::npos, std::string(e.what()));
    }
  }
}

TEST_CASE("encode_model: a string that is not UTF-8 is an internal error as JSON, kept as is in CBOR") {
  const json m{{"format", "titleforest-model"}, {"version", 1}, {"bad", std::string("\xFF")}};
  try {
    encode_model(m, ModelEncoding::json);
    FAIL("no error");
  } catch (const tf::Error& e) {
    CHECK(e.code == tf::ErrorCode::internal);
    CHECK(std::string(e.what()).find("The model could not be written as JSON") == 0);
  }
  CHECK(tf::io::decode_model(as_string(encode_model(m, ModelEncoding::binary)), "m") == m);
}

TEST_CASE("decode_model's CBOR reader gives what nlohmann's from_cbor gives") {
  json m = sample_model();
  m["ints"] = {0, 23, 24, 255, 256, 65535, 65536, 4294967295ULL, 4294967296ULL, -1, -24, -25, -256, -257,
               -4294967296LL, std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::uint64_t>::max()};
  m["floats"] = {0.5, -0.0, 1.5f, 3.4028234663852886e38, 1e-45, 0.1, std::numeric_limits<double>::infinity()};
  m["flags"] = {true, false, nullptr};
  m["bytes"] = json::binary({0, 1, 2, 255, 0x80});
  m["empty"] = {{"array", json::array()}, {"object", json::object()}, {"bytes", json::binary({})}, {"text", ""}};
  m["nested"] = {{"a", {{"b", {{"c", {1, {2, {3}}}}}}}}};
  m["text"] = "Directeur g\u00e9n\u00e9ral \xF0\x9F\x98\x80";
  const auto bytes = encode_model(m, ModelEncoding::binary);
  const json back = tf::io::decode_model(as_string(bytes), "m");
  CHECK(back == json::from_cbor(bytes));
  CHECK(back == m);
  CHECK(back.at("bytes").is_binary());

  // half-precision floats (nlohmann never writes them, other CBOR writers do): 1.0, -2.5, 65504, 2^-24, inf
  using namespace std::string_literals;
  const std::string header = "\xA3\x66" "format\x71" "titleforest-model\x67" "version\x01"s;
  const std::string halves = header + "\x61h\x85\xF9\x3C\x00\xF9\xC1\x00\xF9\x7B\xFF\xF9\x00\x01\xF9\x7C\x00"s;
  const json h = tf::io::decode_model(halves, "m");
  CHECK(h == json::from_cbor(halves));
  CHECK(h.at("h").at(1).get<double>() == -2.5);
  CHECK(h.at("h").at(2).get<double>() == 65504.0);
  CHECK(h.at("h").at(3).get<double>() == std::ldexp(1.0, -24));

  // an indefinite-length array (not what we write): left to nlohmann's decoder, same value
  const std::string indefinite = header + "\x61x\x9F\x01\x02\xFF"s;
  CHECK(tf::io::decode_model(indefinite, "m").at("x") == json({1, 2}));
  // cut short or with bytes left over: an error, not a crash
  for (std::size_t cut : {std::size_t{1}, bytes.size() / 2, bytes.size() - 1})
    CHECK_THROWS_AS(tf::io::decode_model(as_string(bytes).substr(0, cut), "m"), tf::Error);
  CHECK_THROWS_AS(tf::io::decode_model(as_string(bytes) + '\x00', "m"), tf::Error);
}

TEST_CASE("parse_json_text gives what nlohmann's parse gives, valid or not") {
  const std::vector<std::string> docs = {
      R"({"a": [1, -2, 0, -0, 3.5, -0.0, 1e3, 1E-3, 2.5e+2, 18446744073709551615, 18446744073709551616,
             -9223372036854775808, -9223372036854775809, 123456789012345678901234567890, 0.1, 1.7976931348623157e308]})",
      R"({"s": ["", "plain", "caf\u00e9 \u20ac \ud83d\ude00", "tab\tin\\side \"q\" \/ \b\f\n\r", "é€😀"]})",
      " \r\n\t{ \"nested\" : { \"x\" : [ [ ], { } , true , false , null ] } }\n ",
      R"({"dup": 1, "dup": 2})",
      // not valid JSON, or not what the fast reader takes: nlohmann's answer in both cases
      R"({"a": 01})", R"({"a": +1})", R"({"a": .5})", R"({"a": 1.})", R"({"a": 1e})", R"({"a": -})",
      R"({"a": [1, 2,]})", R"({"a": 1,})", R"({"a" 1})", R"({a: 1})", R"({"a": tru})", R"({"a": nul})",
      R"({"a": "\ud800"})", R"({"a": "\udc00"})", R"({"a": "\ud800\u0041"})", R"({"a": "\x"})", R"({"a": "\u12"})",
      "{\"a\": \"ctrl\x01\"}", "{\"a\": \"\xC3\"}", "{\"a\": \"\xED\xA0\x80\"}", "{\"a\": \"\xF5\x80\x80\x80\"}",
      "{\"a\": 1} x", "{\"a\": [1, 2", "", "   ", "{\"a\": NaN}", "{\"a\": Infinity}", R"({"a": 1e400})", R"({"a": -1e400})",
  };
  for (const auto& doc : docs) {
    CAPTURE(doc);
    const json want = json::parse(doc, nullptr, false);
    const json got = tf::io::parse_json_text(doc);
    CHECK(got.is_discarded() == want.is_discarded());
    if (!want.is_discarded()) {
      CHECK(got == want);
      CHECK(got.dump() == want.dump());  // the same number types too (unsigned, integer, float)
    }
  }
  // seeded random documents: every prefix of a valid one, and single-byte changes of it
  const std::string base = R"({"format":"titleforest-model","version":1,"v":[0,-1,2.5,1e-300,"xé",null,true,{}]})";
  std::uint64_t state = 7;
  for (std::size_t cut = 0; cut <= base.size(); ++cut) {
    const std::string doc = base.substr(0, cut);
    CHECK(tf::io::parse_json_text(doc).is_discarded() == json::parse(doc, nullptr, false).is_discarded());
  }
  const char alphabet[] = "{}[],:\"\\-+.eE0123456789 tfnu\xC3\xA9";
  for (int round = 0; round < 3000; ++round) {
    std::string doc = base;
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    doc[(state >> 33) % doc.size()] = alphabet[(state >> 20) % (sizeof alphabet - 1)];
    CAPTURE(doc);
    const json want = json::parse(doc, nullptr, false), got = tf::io::parse_json_text(doc);
    REQUIRE(got.is_discarded() == want.is_discarded());
    if (!want.is_discarded()) REQUIRE(got.dump() == want.dump());
  }
}
