#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <set>

#include "fixture.h"
#include "text/stopwords.h"
#include "text/unicode.h"

using namespace tf::text;

TEST_CASE("utf-8 round trip and invalid bytes become U+FFFD, counted") {
  const std::string s = "Gesch\xC3\xA4" "ftsf\xC3\xBChrer \xF0\x9F\x9A\x80 \xE4\xB8\xAD";
  CHECK(encode_utf8(decode_utf8(s)) == s);
  CHECK(py_len(s) == 19);
  std::size_t bad = 0;
  // stray continuation, truncated 3-byte sequence, overlong C0 80, a surrogate ED A0 80, F5
  const std::u32string d = decode_utf8("a\x80" "b\xE4\xB8" "c\xC0\x80" "d\xED\xA0\x80" "e\xF5", &bad);
  CHECK(d == U"a\uFFFDb\uFFFDc\uFFFD\uFFFDd\uFFFD\uFFFD\uFFFDe\uFFFD");
  CHECK(bad == 8);
  std::size_t bad2 = 0;
  CHECK(sanitize_utf8("ok\xFF", &bad2) == "ok\xEF\xBF\xBD");
  CHECK(bad2 == 1);
  CHECK(sanitize_utf8("\xF0\x9F\x9A") == "\xEF\xBF\xBD");
  // sanitize_utf8 copies ASCII runs whole: the same text and count as decoding and encoding everything,
  // on seeded random mixes of ASCII, valid sequences, their pieces and stray bytes
  std::uint64_t state = 42;
  auto next = [&state]() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<unsigned>(state >> 33);
  };
  const std::string pieces[] = {"a", " ", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xE2\x82", "\xF0\x9F", "\x80",
                                "\xC0\x80", "\xED\xA0\x80", "\xFF", "\xC3", "z9"};
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    const unsigned len = next() % 12;
    for (unsigned k = 0; k < len; ++k) text += pieces[next() % (sizeof pieces / sizeof pieces[0])];
    std::size_t fast = 0, slow = 0;
    const std::string got = sanitize_utf8(text, &fast);
    const std::string want = encode_utf8(decode_utf8(text, &slow));
    REQUIRE(got == want);
    REQUIRE(fast == slow);
  }
}

TEST_CASE("lower() is Python's: full case mapping and final sigma") {
  CHECK(py_lower(std::string("Gesch\xC3\x84" "FTSF\xC3\x9C" "HRER")) == "gesch\xC3\xA4" "ftsf\xC3\xBC" "hrer");
  CHECK(py_lower(std::u32string(U"\u0130stanbul")) == U"i\u0307stanbul");
  CHECK(py_lower(std::u32string(U"\u0394\u0399\u0395\u03A5\u0398\u03A5\u039D\u03A4\u0397\u03A3")) ==
        U"\u03B4\u03B9\u03B5\u03C5\u03B8\u03C5\u03BD\u03C4\u03B7\u03C2");
  CHECK(py_lower(std::u32string(U"\u03A3")) == U"\u03C3");
  CHECK(py_lower(std::u32string(U"A\u03A3 B")) == U"a\u03C2 b");
  CHECK(py_lower(std::u32string(U"A\u03A3B")) == U"a\u03C3b");
  CHECK(py_lower(std::u32string(U"A\u03A3'")) == U"a\u03C2'");
  CHECK(py_simple_lower(0x130) == 0x69);
}

TEST_CASE("character classes are Python's") {
  CHECK(py_isspace(U' '));
  CHECK(py_isspace(0x85));
  CHECK(py_isspace(0x3000));
  CHECK(py_isspace(0x1C));
  CHECK_FALSE(py_isspace(0x200B));
  CHECK(py_is_word(U'_'));
  CHECK(py_is_word(0x4E2D));
  CHECK(py_is_word(0xB2));   // superscript two: isdigit -> isalnum
  CHECK_FALSE(py_isdecimal(0xB2));
  CHECK(py_isdigit(0xB2));
  CHECK(py_isdecimal(0x663));
  CHECK_FALSE(py_is_word(0x1F680));
  CHECK(py_isupper(U'\u00C4'));
  CHECK(py_islower(U'\u00DF'));
  CHECK(py_is_case_ignorable(U'\''));
  CHECK(py_is_case_ignorable(U'.'));
  CHECK_FALSE(py_is_case_ignorable(U'1'));
  CHECK(py_strip(std::string("\t\xE3\x80\x80 x y \n")) == "x y");
}

TEST_CASE("stopword lists") {
  CHECK(nltk_english_stopwords().size() == 179);
  CHECK(nltk_english_stopwords().front() == "i");
  CHECK(nltk_english_stopwords().back() == "wouldn't");
  const auto& sk = sklearn_english_stop_words();
  CHECK(sk.size() == 318);
  CHECK(std::set<std::string>(sk.begin(), sk.end()).size() == 318);
  CHECK(std::is_sorted(sk.begin(), sk.end()));
}

TEST_CASE("character classes and lower() of every code point match Python (tests/fixtures/text/unicode.json)") {
  const auto j = tf::test::fixture("text/unicode.json");
  const auto& runs = j.at("runs");
  bool (*const props[])(char32_t) = {py_isspace, py_isalnum, py_isdigit, py_isdecimal, py_isupper, py_islower,
                                     py_is_word};
  std::size_t checked = 0, failed = 0;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const char32_t lo = runs[r].at(0).get<char32_t>();
    const char32_t hi = r + 1 < runs.size() ? runs[r + 1].at(0).get<char32_t>() : 0x110000;
    const int mask = runs[r].at(1).get<int>();
    if (mask < 0) continue;  // surrogates
    for (char32_t c = lo; c < hi; ++c) {
      int got = 0;
      for (int k = 0; k < 7; ++k) got |= props[k](c) ? (1 << k) : 0;
      ++checked;
      if (got != mask && ++failed <= 10) FAIL_CHECK("U+" << std::hex << unsigned(c) << ": " << got << " vs " << mask);
    }
  }
  CHECK(failed == 0);
  std::printf("[text parity] unicode classes: %zu code points checked, %zu differ\n", checked, failed);

  std::vector<std::u32string> expect(0x110000);
  for (const auto& p : j.at("lower")) expect[p.at(0).get<char32_t>()] = decode_utf8(p.at(1).get<std::string>());
  std::size_t lower_failed = 0;
  for (char32_t c = 0; c < 0x110000; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    const std::u32string one(1, c);
    const std::u32string want = expect[c].empty() ? one : expect[c];
    if (py_lower(one) != want && ++lower_failed <= 10) FAIL_CHECK("lower(U+" << std::hex << unsigned(c) << ")");
  }
  CHECK(lower_failed == 0);
  for (const auto& s : j.at("strings"))
    CHECK(py_lower(s.at(0).get<std::string>()) == s.at(1).get<std::string>());
  std::printf("[text parity] unicode lower(): %zu code points checked, %zu differ; %zu strings\n",
              std::size_t(0x110000 - 0x800), lower_failed, j.at("strings").size());
}
