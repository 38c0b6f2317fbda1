// The Porter stemmer of NLTK 3.8 (nltk/stem/porter.py) in its three modes, written from the algorithm's
// description and NLTK's documented deviations. Words are processed per code point, as Python does:
// only a, e, i, o, u (and y after a consonant) are vowels; any other code point is a consonant.
#include "text/porter.h"

#include <array>
#include <cstring>

#include "common/error.h"
#include "text/unicode.h"

namespace tf::text {
namespace {

template <class S>
class Stemmer {
 public:
  explicit Stemmer(StemMode mode) : mode_(mode) {}

  S run(S w) const {
    w = step1a(std::move(w));
    w = step1b(std::move(w));
    w = step1c(std::move(w));
    w = step2(std::move(w));
    w = step3(std::move(w));
    w = step4(std::move(w));
    w = step5a(std::move(w));
    w = step5b(std::move(w));
    return w;
  }

 private:
  using C = typename S::value_type;
  StemMode mode_;

  static bool is_vowel_letter(C c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

  // NLTK's _is_consonant: y is a consonant at position 0 or when the previous letter is a vowel
  // (recursively). Resolved over the run of y's ending at i, without recursion.
  static bool is_consonant(const S& w, std::size_t i) {
    const C c = w[i];
    if (is_vowel_letter(c)) return false;
    if (c != 'y') return true;
    std::size_t r = i;  // the run of y's is w[r..i]
    while (r > 0 && w[r - 1] == 'y') --r;
    const bool first_is_consonant = r == 0 || !is_consonant(w, r - 1);  // w[r-1] is not a y: no recursion
    return ((i - r) % 2 == 0) == first_is_consonant;
  }

  // The measure of w[0:n]: its number of vowel-to-consonant transitions (NLTK's count of "vc"), with
  // the consonant flags computed in one forward pass.
  static int measure(const S& w, std::size_t n) {
    int m = 0;
    bool prev_cons = true, prev_vowel = false;
    for (std::size_t i = 0; i < n; ++i) {
      const C c = w[i];
      const bool cons = is_vowel_letter(c) ? false : (c == 'y' ? (i == 0 ? true : !prev_cons) : true);
      if (cons && prev_vowel) ++m;
      prev_vowel = !cons;
      prev_cons = cons;
    }
    return m;
  }
  static int measure(const S& w) { return measure(w, w.size()); }

  static bool contains_vowel(const S& w, std::size_t n) {
    bool prev_cons = true;
    for (std::size_t i = 0; i < n; ++i) {
      const C c = w[i];
      const bool cons = is_vowel_letter(c) ? false : (c == 'y' ? (i == 0 ? true : !prev_cons) : true);
      if (!cons) return true;
      prev_cons = cons;
    }
    return false;
  }

  static bool ends_with(const S& w, const char* suf) {
    const std::size_t n = std::strlen(suf);
    if (w.size() < n) return false;
    for (std::size_t i = 0; i < n; ++i)
      if (w[w.size() - n + i] != static_cast<C>(static_cast<unsigned char>(suf[i]))) return false;
    return true;
  }

  static S cut(const S& w, std::size_t n_suffix) { return S(w.begin(), w.end() - n_suffix); }
  static S cat(S w, const char* s) {
    for (; *s; ++s) w.push_back(static_cast<C>(static_cast<unsigned char>(*s)));
    return w;
  }

  static bool ends_double_consonant(const S& w) {
    return w.size() >= 2 && w[w.size() - 1] == w[w.size() - 2] && is_consonant(w, w.size() - 1);
  }

  bool ends_cvc(const S& w) const {
    const std::size_t n = w.size();
    if (n >= 3 && is_consonant(w, n - 3) && !is_consonant(w, n - 2) && is_consonant(w, n - 1)) {
      const C c = w[n - 1];
      if (c != 'w' && c != 'x' && c != 'y') return true;
    }
    return mode_ == StemMode::nltk && n == 2 && !is_consonant(w, 0) && is_consonant(w, 1);
  }

  // A rule: suffix -> replacement if cond(stem). The first rule whose suffix matches decides.
  enum class Cond { none, m_pos, m_gt1, ion, logi_nltk };
  struct Rule {
    const char* suffix; const char* repl; Cond cond; std::size_t len;
    constexpr Rule(const char* s, const char* r, Cond c) : suffix(s), repl(r), cond(c), len(clen(s)) {}
    Rule() : Rule("", "", Cond::none) {}
    static constexpr std::size_t clen(const char* s) { return *s ? 1 + clen(s + 1) : 0; }
  };

  // The condition on the stem w[0:n] (the word w without the rule's suffix).
  bool check(Cond c, const S& w, std::size_t n) const {
    switch (c) {
      case Cond::none: return true;
      case Cond::m_pos: return measure(w, n) > 0;
      case Cond::m_gt1: return measure(w, n) > 1;
      case Cond::ion: return measure(w, n) > 1 && (w[n - 1] == 's' || w[n - 1] == 't');
      case Cond::logi_nltk: return measure(w, w.size() - 3) > 0;
    }
    return false;
  }

  static bool ends_with(const S& w, const Rule& r) {
    if (w.size() < r.len) return false;
    const std::size_t off = w.size() - r.len;
    for (std::size_t i = 0; i < r.len; ++i)
      if (w[off + i] != static_cast<C>(static_cast<unsigned char>(r.suffix[i]))) return false;
    return true;
  }

  // The first rule whose suffix ends w decides: its replacement if the condition holds, else w as is.
  S apply_n(S w, const Rule* rules, std::size_t n) const {
    for (std::size_t k = 0; k < n; ++k) {
      const Rule& r = rules[k];
      if (ends_with(w, r)) {
        const std::size_t stem_len = w.size() - r.len;
        if (check(r.cond, w, stem_len)) {
          w.resize(stem_len);
          for (const char* q = r.repl; *q; ++q) w.push_back(static_cast<C>(static_cast<unsigned char>(*q)));
        }
        return w;
      }
    }
    return w;
  }
  template <std::size_t N>
  S apply(S w, const Rule (&rules)[N]) const { return apply_n(std::move(w), rules, N); }

  S step1a(S w) const {
    if (mode_ == StemMode::nltk && ends_with(w, "ies") && w.size() == 4) return cat(cut(w, 3), "ie");
    static const Rule rules[] = {{"sses", "ss", Cond::none}, {"ies", "i", Cond::none},
                                 {"ss", "ss", Cond::none}, {"s", "", Cond::none}};
    return apply(w, rules);
  }

  S step1b(S w) const {
    if (mode_ == StemMode::nltk && ends_with(w, "ied"))
      return cat(cut(w, 3), w.size() == 4 ? "ie" : "i");
    if (ends_with(w, "eed")) {
      S stem = cut(w, 3);
      if (measure(stem) > 0) return cat(std::move(stem), "ee");
      return w;
    }
    S s;
    bool ok = false;
    for (const char* suf : {"ed", "ing"}) {
      if (ends_with(w, suf)) {
        s = cut(w, std::strlen(suf));
        if (contains_vowel(s, s.size())) { ok = true; break; }
      }
    }
    if (!ok) return w;
    // Rule list on the intermediate stem s: at->ate, bl->ble, iz->ize, *d, ''->e.
    if (ends_with(s, "at")) return cat(cut(s, 2), "ate");
    if (ends_with(s, "bl")) return cat(cut(s, 2), "ble");
    if (ends_with(s, "iz")) return cat(cut(s, 2), "ize");
    const C last = s.back();
    if (ends_double_consonant(s)) {
      if (last != 'l' && last != 's' && last != 'z') return cat(cut(s, 2), "") + S(1, last);
      return s;
    }
    if (ends_with(s, "*d")) {  // NLTK tests the literal suffix "*d" after the double-consonant check
      if (last != 'l' && last != 's' && last != 'z') { S t = cut(s, 2); t.push_back(last); return t; }
      return s;
    }
    if (measure(s) == 1 && ends_cvc(s)) return cat(std::move(s), "e");
    return s;
  }

  S step1c(S w) const {
    if (!ends_with(w, "y")) return w;
    S stem = cut(w, 1);
    bool ok;
    if (mode_ == StemMode::nltk) ok = stem.size() > 1 && is_consonant(stem, stem.size() - 1);
    else ok = contains_vowel(stem, stem.size());
    return ok ? cat(std::move(stem), "i") : w;
  }

  S step2(S w) const {
    if (mode_ == StemMode::nltk && ends_with(w, "alli") && measure(w, w.size() - 4) > 0)
      return step2(cat(cut(w, 4), "al"));
    static const Rule base_rules[] = {
        {"ational", "ate", Cond::m_pos}, {"tional", "tion", Cond::m_pos}, {"enci", "ence", Cond::m_pos},
        {"anci", "ance", Cond::m_pos},   {"izer", "ize", Cond::m_pos},    {"bli", "ble", Cond::m_pos},
        {"alli", "al", Cond::m_pos},     {"entli", "ent", Cond::m_pos},   {"eli", "e", Cond::m_pos},
        {"ousli", "ous", Cond::m_pos},   {"ization", "ize", Cond::m_pos}, {"ation", "ate", Cond::m_pos},
        {"ator", "ate", Cond::m_pos},    {"alism", "al", Cond::m_pos},    {"iveness", "ive", Cond::m_pos},
        {"fulness", "ful", Cond::m_pos}, {"ousness", "ous", Cond::m_pos}, {"aliti", "al", Cond::m_pos},
        {"iviti", "ive", Cond::m_pos},   {"biliti", "ble", Cond::m_pos},
        // mode extensions, picked by the variants below
        {"fulli", "ful", Cond::m_pos},   {"logi", "log", Cond::logi_nltk}, {"logi", "log", Cond::m_pos},
    };
    // NLTK: base + fulli + logi (condition on word[:-3]); Martin: base + logi; original: abli for bli.
    static const auto variant = [](int which) {
      std::array<Rule, 22> r{};
      for (int k = 0; k < 20; ++k) r[k] = base_rules[k];
      if (which == 0) { r[20] = base_rules[20]; r[21] = base_rules[21]; }
      if (which == 1) r[20] = base_rules[22];
      if (which == 2) r[5] = Rule{"abli", "able", Cond::m_pos};
      return r;
    };
    static const std::array<Rule, 22> nltk_rules = variant(0), martin_rules = variant(1), original_rules = variant(2);
    if (mode_ == StemMode::nltk) return apply_n(std::move(w), nltk_rules.data(), 22);
    if (mode_ == StemMode::martin) return apply_n(std::move(w), martin_rules.data(), 21);
    return apply_n(std::move(w), original_rules.data(), 20);
  }

  S step3(S w) const {
    static const Rule rules[] = {{"icate", "ic", Cond::m_pos}, {"ative", "", Cond::m_pos},
                                 {"alize", "al", Cond::m_pos}, {"iciti", "ic", Cond::m_pos},
                                 {"ical", "ic", Cond::m_pos},  {"ful", "", Cond::m_pos},
                                 {"ness", "", Cond::m_pos}};
    return apply(w, rules);
  }

  S step4(S w) const {
    static const Rule rules[] = {
        {"al", "", Cond::m_gt1},   {"ance", "", Cond::m_gt1}, {"ence", "", Cond::m_gt1},
        {"er", "", Cond::m_gt1},   {"ic", "", Cond::m_gt1},   {"able", "", Cond::m_gt1},
        {"ible", "", Cond::m_gt1}, {"ant", "", Cond::m_gt1},  {"ement", "", Cond::m_gt1},
        {"ment", "", Cond::m_gt1}, {"ent", "", Cond::m_gt1},  {"ion", "", Cond::ion},
        {"ou", "", Cond::m_gt1},   {"ism", "", Cond::m_gt1},  {"ate", "", Cond::m_gt1},
        {"iti", "", Cond::m_gt1},  {"ous", "", Cond::m_gt1},  {"ive", "", Cond::m_gt1},
        {"ize", "", Cond::m_gt1}};
    return apply(w, rules);
  }

  S step5a(S w) const {
    if (ends_with(w, "e")) {
      S stem = cut(w, 1);
      const int m = measure(stem);
      if (m > 1) return stem;
      if (m == 1 && !ends_cvc(stem)) return stem;
    }
    return w;
  }

  S step5b(S w) const {
    if (ends_with(w, "ll")) {
      if (measure(w, w.size() - 1) > 1) return cat(cut(w, 2), "l");
      return w;
    }
    return w;
  }
};

const char* pool_lookup(std::string_view w) {
  static const struct { const char* form; const char* stem; } pool[] = {
      {"sky", "sky"},       {"skies", "sky"},       {"dying", "die"},     {"lying", "lie"},
      {"tying", "tie"},     {"news", "news"},       {"innings", "inning"}, {"inning", "inning"},
      {"outings", "outing"}, {"outing", "outing"},  {"cannings", "canning"}, {"canning", "canning"},
      {"howe", "howe"},     {"proceed", "proceed"}, {"exceed", "exceed"}, {"succeed", "succeed"}};
  for (const auto& p : pool)
    if (w == p.form) return p.stem;
  return nullptr;
}

bool is_ascii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

}  // namespace

std::string porter_stem(std::string_view word, StemMode mode, bool to_lowercase) {
  // stem = word.lower() if to_lowercase else word; the pool is looked up with the *original* word.
  if (mode == StemMode::nltk) {
    if (const char* p = pool_lookup(word)) return p;
  }
  if (is_ascii(word)) {
    std::string s(word);
    if (to_lowercase)
      for (char& c : s) if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (mode != StemMode::original && word.size() <= 2) return s;
    return Stemmer<std::string>(mode).run(std::move(s));
  }
  const std::u32string w32 = decode_utf8(word);
  std::u32string s = to_lowercase ? py_lower(w32) : w32;
  if (mode != StemMode::original && w32.size() <= 2) return encode_utf8(s);
  return encode_utf8(Stemmer<std::u32string>(mode).run(std::move(s)));
}

StemMode stem_mode_from_string(std::string_view s) {
  if (s == "nltk") return StemMode::nltk;
  if (s == "martin") return StemMode::martin;
  if (s == "original") return StemMode::original;
  throw_invalid_parameter("preprocess.stem_mode", "one of \"nltk\", \"martin\", \"original\"",
                          "\"" + std::string(s) + "\"");
}

std::string_view to_string(StemMode m) {
  switch (m) {
    case StemMode::nltk: return "nltk";
    case StemMode::martin: return "martin";
    case StemMode::original: return "original";
  }
  return "nltk";
}

}  // namespace tf::text
