// 100% agreement with Debian's NLTK 3.8 on the golden fixtures of scripts/fixtures/text.py.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <sstream>

#include "fixture.h"
#include "text/normalizer.h"
#include "text/porter.h"
#include "text/tokenizer.h"

using namespace tf::text;
using nlohmann::json;

namespace {

std::vector<std::string> lines_of(const std::string& rel) {
  std::istringstream in(tf::test::read_text(tf::test::fixture_path(rel)));
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

std::string join(const std::vector<std::string>& v) {
  std::string s = "[";
  for (const auto& t : v) s += json(t).dump() + ", ";
  return s + "]";
}

struct Tally {
  std::size_t checked = 0, failed = 0;
  void report(const char* what) const {
    std::printf("[text parity] %-34s %zu checked, %zu differ\n", what, checked, failed);
  }
};

void check_tokenize_file(const std::string& rel, const char* what) {
  const auto lines = lines_of(rel);
  REQUIRE(lines.size() > 1);
  Tally sents, toks, line_toks;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    const json c = json::parse(lines[i]);
    const std::string text = c.at("text");
    const auto expect_s = c.at("sentences").get<std::vector<std::string>>();
    const auto expect_t = c.at("tokens").get<std::vector<std::string>>();
    const auto expect_l = c.at("line_tokens").get<std::vector<std::string>>();
    const auto got_s = sent_tokenize(text);
    const auto got_t = word_tokenize(text, false);
    const auto got_l = word_tokenize(text, true);
    ++sents.checked; ++toks.checked; ++line_toks.checked;
    if (got_s != expect_s && ++sents.failed <= 10)
      FAIL_CHECK("sent_tokenize(" << json(text).dump() << ") = " << join(got_s) << ", NLTK: " << join(expect_s));
    if (got_t != expect_t && ++toks.failed <= 10)
      FAIL_CHECK("word_tokenize(" << json(text).dump() << ") = " << join(got_t) << ", NLTK: " << join(expect_t));
    if (got_l != expect_l && ++line_toks.failed <= 10)
      FAIL_CHECK("word_tokenize(" << json(text).dump() << ", preserve_line) = " << join(got_l)
                                  << ", NLTK: " << join(expect_l));
  }
  sents.report((std::string(what) + " sent_tokenize").c_str());
  toks.report((std::string(what) + " word_tokenize").c_str());
  line_toks.report((std::string(what) + " preserve_line").c_str());
  CHECK(sents.failed == 0);
  CHECK(toks.failed == 0);
  CHECK(line_toks.failed == 0);
}

}  // namespace

static void check_stems_file(const std::string& rel, const char* what) {
  const auto lines = lines_of(rel);
  REQUIRE(lines.size() > 10000);
  Tally t[3];
  const StemMode modes[3] = {StemMode::nltk, StemMode::martin, StemMode::original};
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    std::vector<std::string> f;
    std::size_t a = 0;
    for (;;) {
      const std::size_t b = lines[i].find('\t', a);
      f.push_back(lines[i].substr(a, b == std::string::npos ? std::string::npos : b - a));
      if (b == std::string::npos) break;
      a = b + 1;
    }
    REQUIRE(f.size() == 4);
    for (int m = 0; m < 3; ++m) {
      ++t[m].checked;
      const std::string got = porter_stem(f[0], modes[m]);
      if (got != f[1 + m] && ++t[m].failed <= 10)
        FAIL_CHECK("stem(" << f[0] << ", " << to_string(modes[m]) << ") = " << got << ", NLTK: " << f[1 + m]);
    }
  }
  for (int m = 0; m < 3; ++m) {
    t[m].report((std::string(what) + " porter " + std::string(to_string(modes[m]))).c_str());
    CHECK(t[m].failed == 0);
  }
}

TEST_CASE("porter stemmer, all three modes, matches NLTK on every token of the fixtures") {
  check_stems_file("text/stems.tsv", "tokens");
}

TEST_CASE("porter stemmer, all three modes, matches NLTK on seeded random words") {
  check_stems_file("text/stems_random.tsv", "random");
}

TEST_CASE("word_tokenize and sent_tokenize match NLTK on the hand-written cases") {
  check_tokenize_file("text/tokenize.jsonl", "cases");
}

TEST_CASE("word_tokenize and sent_tokenize match NLTK on seeded random strings") {
  check_tokenize_file("text/tokenize_fuzz.jsonl", "fuzz");
}

TEST_CASE("word_tokenize and sent_tokenize match NLTK on seeded profile-style texts") {
  check_tokenize_file("text/tokenize_profiles.jsonl", "profiles");
}

TEST_CASE("the notebook's normalizer matches NLTK on all O*NET titles") {
  const auto lines = lines_of("text/normalize.jsonl");
  const json head = json::parse(lines.at(0));
  REQUIRE(head.at("onet").get<int>() == 52754);
  const Normalizer norm;
  Tally t;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    const json c = json::parse(lines[i]);
    const std::string text = c.at(0), expect = c.at(1);
    ++t.checked;
    const std::string got = norm(text);
    if (got != expect && ++t.failed <= 10)
      FAIL_CHECK("normalize(" << json(text).dump() << ") = " << json(got).dump() << ", NLTK: " << json(expect).dump());
  }
  t.report("normalize");
  CHECK(t.checked == head.at("count").get<std::size_t>());

  // Throughput on the O*NET titles alone (informative; npm run bench reports the ratios).
  std::vector<std::string> onet;
  for (std::size_t i = 1; i <= 52754 && i < lines.size(); ++i) onet.push_back(json::parse(lines[i]).at(0));
  const Normalizer fresh;  // the stem memo is per thread, so this run is warm; the first run above was cold
  const auto t0 = std::chrono::steady_clock::now();
  std::size_t bytes = 0;
  for (const auto& s : onet) bytes += fresh(s).size();
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::printf("[text parity] normalized %zu O*NET titles in %.0f ms (%zu bytes out)\n", onet.size(), ms, bytes);
  CHECK(t.failed == 0);
}
