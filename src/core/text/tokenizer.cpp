// nltk.word_tokenize of NLTK 3.8: Punkt (English) sentence split, then NLTKWordTokenizer per sentence.
// Every regular expression of NLTK is re-expressed as a hand-written scan over code points that makes
// the same leftmost, non-overlapping matches as Python's re (Unicode \w, \d, \s, IGNORECASE folding).
#include "text/tokenizer.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "text/punkt_tables.h"
#include "text/unicode.h"

namespace tf::text {
namespace {

using U = std::u32string;

// Classes of ASCII code points, looked up instead of compared one by one.
enum : unsigned char { kSpace = 1, kWord = 2, kSpecial = 4 };  // kSpecial: some tokenizer rule matches it
struct AsciiTable {
  unsigned char c[128] = {};
  constexpr AsciiTable() {
    for (int i = 0; i < 128; ++i) {
      if (i == ' ' || (i >= 0x09 && i <= 0x0D) || (i >= 0x1C && i <= 0x1F)) c[i] |= kSpace;  // str.isspace()
      if ((i >= 'a' && i <= 'z') || (i >= 'A' && i <= 'Z') || (i >= '0' && i <= '9') || i == '_') c[i] |= kWord;
    }
    for (const char* p = "\"'`.,:;@#$%&?!*()[]{}<>"; *p; ++p) c[static_cast<unsigned char>(*p)] |= kSpecial;
  }
};
constexpr AsciiTable kAscii;

inline bool is_space(char32_t c) { return c < 0x80 ? (kAscii.c[c] & kSpace) != 0 : py_isspace(c); }
inline bool is_word(char32_t c) { return c < 0x80 ? (kAscii.c[c] & kWord) != 0 : py_is_word(c); }
inline bool is_dec(char32_t c) { return c < 0x80 ? (c >= '0' && c <= '9') : py_isdecimal(c); }

// re's IGNORECASE equality of a code point with an ASCII lowercase pattern letter.
inline bool ci_eq(char32_t c, char p) {
  if (c == static_cast<char32_t>(p) || c == static_cast<char32_t>(p - 32)) return true;
  if (p == 'i') return c == 0x130 || c == 0x131;
  if (p == 's') return c == 0x17F;
  return false;
}

using V = std::u32string_view;

inline bool word_at(V t, std::size_t i) { return i < t.size() && is_word(t[i]); }
// \b at position i.
inline bool boundary(V t, std::size_t i) {
  const bool before = i > 0 && is_word(t[i - 1]);
  return before != word_at(t, i);
}

// ---------------------------------------------------------------------------------------------------
// NLTKWordTokenizer
// ---------------------------------------------------------------------------------------------------

class WordTokenizer {
 public:
  template <class Out>
  void tokenize(std::u32string_view text, Out& out) {
    if (plain(text)) {  // no code point any rule looks at: only the contractions can split a word
      if (!any_contraction2(text, true) && text.find(U" '") == V::npos) {
        split(text, out);
        return;
      }
      a_.clear();
      a_.push_back(' ');  // the padding before ENDING_QUOTES matters to "wanna"'s (?=\s)
      a_.append(text.begin(), text.end());
      a_.push_back(' ');
      contractions();
      split(out);
      return;
    }
    a_.assign(text.begin(), text.end());
    starting_quotes();
    punctuation();
    pad_if([](char32_t c) {
      return c == ']' || c == '[' || c == '(' || c == ')' || c == '{' || c == '}' || c == '<' || c == '>';
    });
    double_dashes();
    b_.clear();
    b_.push_back(' ');
    b_ += a_;
    b_.push_back(' ');
    a_.swap(b_);
    ending_quotes();
    contractions();
    split(out);
  }

 private:
  U a_, b_;  // a_: the current text; b_: the output of the pass in progress

  // True if no rule but the contractions can change the text: none of the quote, bracket and
  // punctuation characters the rules match, and no "--".
  static bool plain(std::u32string_view t) {
    char32_t prev = 0;
    for (char32_t c : t) {
      if (c < 0x80) {
        if (kAscii.c[c] & kSpecial) return false;
        if (c == '-' && prev == '-') return false;
      } else if (c == 0xAB || c == 0xBB || c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x2019 ||
                 c == 0x201E) {
        return false;
      }
      prev = c;
    }
    return true;
  }

  void begin() { b_.clear(); b_.reserve(a_.size() + 16); }
  void end() { a_.swap(b_); }
  void put(char32_t c) { b_.push_back(c); }
  void put(const char* s) { for (; *s; ++s) b_.push_back(static_cast<unsigned char>(*s)); }
  void put(const U& t, std::size_t from, std::size_t to) { b_.append(t, from, to - from); }

  template <class Pred>
  void pad_if(Pred pred) {  // [set] -> " \g<0> "
    if (std::none_of(a_.begin(), a_.end(), pred)) return;
    begin();
    for (char32_t c : a_) {
      if (pred(c)) { put(' '); put(c); put(' '); }
      else put(c);
    }
    end();
  }

  void starting_quotes() {
    const U& t = a_;
    // ([«“‘„]|[`]+) -> " \1 "
    bool any = false;
    for (char32_t c : t) if (c == 0xAB || c == 0x201C || c == 0x2018 || c == 0x201E || c == '`') { any = true; break; }
    if (any) {
      begin();
      for (std::size_t i = 0; i < t.size();) {
        const char32_t c = t[i];
        if (c == 0xAB || c == 0x201C || c == 0x2018 || c == 0x201E) { put(' '); put(c); put(' '); ++i; }
        else if (c == '`') {
          std::size_t j = i;
          while (j < t.size() && t[j] == '`') ++j;
          put(' '); put(t, i, j); put(' ');
          i = j;
        } else { put(c); ++i; }
      }
      end();
    }
    // ^\" -> ``
    if (!a_.empty() && a_[0] == '"') {
      begin(); put("``"); put(a_, 1, a_.size()); end();
    }
    // (``) -> " \1 "
    if (a_.find(U"``") != U::npos) {
      begin();
      for (std::size_t i = 0; i < a_.size();) {
        if (a_[i] == '`' && i + 1 < a_.size() && a_[i + 1] == '`') { put(" `` "); i += 2; }
        else put(a_[i++]);
      }
      end();
    }
    // ([ \(\[{<])(\"|\'{2}) -> "\1 `` "
    {
      begin();
      const U& s = a_;
      for (std::size_t i = 0; i < s.size();) {
        const char32_t c = s[i];
        if ((c == ' ' || c == '(' || c == '[' || c == '{' || c == '<') && i + 1 < s.size()) {
          if (s[i + 1] == '"') { put(c); put(" `` "); i += 2; continue; }
          if (s[i + 1] == '\'' && i + 2 < s.size() && s[i + 2] == '\'') { put(c); put(" `` "); i += 3; continue; }
        }
        put(c); ++i;
      }
      end();
    }
    // (?i)(\')(?!re|ve|ll|m|t|s|d|n)(\w)\b -> "\1 \2"
    if (a_.find(U'\'') != U::npos) {
      begin();
      const U& s = a_;
      for (std::size_t i = 0; i < s.size();) {
        if (s[i] == '\'' && i + 1 < s.size() && is_word(s[i + 1]) && !word_at(s, i + 2)) {
          const char32_t x = s[i + 1];
          // The lookahead alternatives of two letters cannot match here (\b follows one word char).
          if (!(ci_eq(x, 'm') || ci_eq(x, 't') || ci_eq(x, 's') || ci_eq(x, 'd') || ci_eq(x, 'n'))) {
            put('\''); put(' '); put(x); i += 2; continue;
          }
        }
        put(s[i++]);
      }
      end();
    }
  }

  // ([^\.])(\.)([<cls>]*)\s*$ : position of the period if it matches, else npos; *cls_end: end of \3.
  template <class InClass>
  static std::size_t final_period(const U& s, InClass in_class, std::size_t* cls_end) {
    const std::size_t p = s.rfind(U'.');
    if (p == U::npos || p == 0 || s[p - 1] == '.') return U::npos;
    std::size_t j = p + 1;
    while (j < s.size() && in_class(s[j])) ++j;
    for (std::size_t k = j; k < s.size(); ++k)
      if (!is_space(s[k])) return U::npos;
    *cls_end = j;
    return p;
  }

  void punctuation() {
    // 1. ([^\.])(\.)([\]\)}>"\'»”’ ]*)\s*$ -> "\1 \2 \3 "
    {
      std::size_t j = 0;
      const std::size_t p = final_period(a_, [](char32_t c) {
        return c == ']' || c == ')' || c == '}' || c == '>' || c == '"' || c == '\'' || c == 0xBB ||
               c == 0x201D || c == 0x2019 || c == ' ';
      }, &j);
      if (p != U::npos) {
        begin(); put(a_, 0, p); put(" . "); put(a_, p + 1, j); put(' '); end();
      }
    }
    // 2. ([:,])([^\d]) -> " \1 \2"
    if (std::any_of(a_.begin(), a_.end(), [](char32_t c) { return c == ':' || c == ','; })) {
      begin();
      const U& s = a_;
      for (std::size_t i = 0; i < s.size();) {
        const char32_t c = s[i];
        if ((c == ':' || c == ',') && i + 1 < s.size() && !is_dec(s[i + 1])) {
          put(' '); put(c); put(' '); put(s[i + 1]); i += 2;
        } else { put(c); ++i; }
      }
      end();
    }
    // 3. ([:,])$ -> " \1 "  ($: at the end or before a final newline)
    {
      const std::size_t n = a_.size();
      std::size_t q = U::npos;
      if (n >= 1 && (a_[n - 1] == ':' || a_[n - 1] == ',')) q = n - 1;
      else if (n >= 2 && a_[n - 1] == '\n' && (a_[n - 2] == ':' || a_[n - 2] == ',')) q = n - 2;
      if (q != U::npos) {
        begin(); put(a_, 0, q); put(' '); put(a_[q]); put(' '); put(a_, q + 1, n); end();
      }
    }
    // 4. \.{2,} -> " \g<0> "
    if (a_.find(U"..") != U::npos) {
      begin();
      const U& s = a_;
      for (std::size_t i = 0; i < s.size();) {
        if (s[i] == '.' && i + 1 < s.size() && s[i + 1] == '.') {
          std::size_t j = i;
          while (j < s.size() && s[j] == '.') ++j;
          put(' '); put(s, i, j); put(' '); i = j;
        } else put(s[i++]);
      }
      end();
    }
    // 5. [;@#$%&] -> " \g<0> "
    pad_if([](char32_t c) { return c == ';' || c == '@' || c == '#' || c == '$' || c == '%' || c == '&'; });
    // 6. ([^\.])(\.)([\]\)}>"\']*)\s*$ -> "\1 \2\3 "
    {
      std::size_t j = 0;
      const std::size_t p = final_period(a_, [](char32_t c) {
        return c == ']' || c == ')' || c == '}' || c == '>' || c == '"' || c == '\'';
      }, &j);
      if (p != U::npos) {
        begin(); put(a_, 0, p); put(" ."); put(a_, p + 1, j); put(' '); end();
      }
    }
    // 7. [?!] -> " \g<0> "
    pad_if([](char32_t c) { return c == '?' || c == '!'; });
    // 8. ([^'])' -> "\1 ' "
    if (a_.find(U"' ") != U::npos) {
      begin();
      const U& s = a_;
      for (std::size_t i = 0; i < s.size();) {
        if (s[i] != '\'' && i + 2 < s.size() && s[i + 1] == '\'' && s[i + 2] == ' ') {
          put(s[i]); put(" ' "); i += 3;
        } else put(s[i++]);
      }
      end();
    }
    // 9. [*] -> " \g<0> "
    pad_if([](char32_t c) { return c == '*'; });
  }

  void double_dashes() {  // -- -> " -- "
    if (a_.find(U"--") == U::npos) return;
    begin();
    const U& s = a_;
    for (std::size_t i = 0; i < s.size();) {
      if (s[i] == '-' && i + 1 < s.size() && s[i + 1] == '-') { put(" -- "); i += 2; }
      else put(s[i++]);
    }
    end();
  }

  void ending_quotes() {
    // ([»”’]) -> " \1 "
    pad_if([](char32_t c) { return c == 0xBB || c == 0x201D || c == 0x2019; });
    // '' -> " '' "
    if (a_.find(U"''") != U::npos) {
      begin();
      const U& s = a_;
      for (std::size_t i = 0; i < s.size();) {
        if (s[i] == '\'' && i + 1 < s.size() && s[i + 1] == '\'') { put(" '' "); i += 2; }
        else put(s[i++]);
      }
      end();
    }
    // " -> " '' "
    if (a_.find(U'"') != U::npos) {
      begin();
      for (char32_t c : a_) {
        if (c == '"') put(" '' ");
        else put(c);
      }
      end();
    }
    if (a_.find(U'\'') == U::npos) return;
    // ([^' ])('[sS]|'[mM]|'[dD]|') -> "\1 \2 "
    {
      begin();
      const U& s = a_;
      for (std::size_t i = 0; i < s.size();) {
        const char32_t c = s[i];
        if (c != '\'' && c != ' ' && i + 2 < s.size() && s[i + 1] == '\'') {
          const char32_t x = s[i + 2];
          if ((x == 's' || x == 'S' || x == 'm' || x == 'M' || x == 'd' || x == 'D') && i + 3 < s.size() &&
              s[i + 3] == ' ') {
            put(c); put(' '); put('\''); put(x); put(' '); i += 4; continue;
          }
          if (x == ' ') { put(c); put(" ' "); i += 3; continue; }
        }
        put(c); ++i;
      }
      end();
    }
    // ([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) -> "\1 \2 "
    {
      begin();
      const U& s = a_;
      for (std::size_t i = 0; i < s.size();) {
        const char32_t c = s[i];
        if (c != '\'' && c != ' ' && i + 4 < s.size() && s[i + 4] == ' ') {
          const char32_t x = s[i + 1], y = s[i + 2], z = s[i + 3];
          const bool m = (x == '\'' && ((y == 'l' && z == 'l') || (y == 'L' && z == 'L') || (y == 'r' && z == 'e') ||
                                        (y == 'R' && z == 'E') || (y == 'v' && z == 'e') || (y == 'V' && z == 'E'))) ||
                         (x == 'n' && y == '\'' && z == 't') || (x == 'N' && y == '\'' && z == 'T');
          if (m) { put(c); put(' '); put(s, i + 1, i + 4); put(' '); i += 5; continue; }
        }
        put(c); ++i;
      }
      end();
    }
  }

  // Case-insensitive match of an ASCII pattern (lowercase letters and ') at s[i].
  static bool ci_match(V s, std::size_t i, const char* p) {
    for (; *p; ++p, ++i) {
      if (i >= s.size()) return false;
      if (*p == '\'') { if (s[i] != '\'') return false; }
      else if (!ci_eq(s[i], *p)) return false;
    }
    return true;
  }

  // (?i)\b(w1)(w2)\b (or (?=\s) when lookahead_space) -> " \1 \2 "
  void contraction2(const char* w1, const char* w2, bool lookahead_space) {
    const std::size_t n1 = std::strlen(w1), n2 = std::strlen(w2);
    const U& s = a_;
    auto match_at = [&](std::size_t i) {
      if (!ci_eq(s[i], w1[0])) return false;
      if (!(boundary(s, i) && ci_match(s, i, w1) && ci_match(s, i + n1, w2))) return false;
      const std::size_t e = i + n1 + n2;
      return lookahead_space ? (e < s.size() && is_space(s[e])) : boundary(s, e);
    };
    std::size_t first = 0;
    while (first < s.size() && !match_at(first)) ++first;
    if (first == s.size()) return;
    begin();
    put(s, 0, first);
    for (std::size_t i = first; i < s.size();) {
      if (match_at(i)) {
        const std::size_t e = i + n1 + n2;
        put(' '); put(s, i, i + n1); put(' '); put(s, i + n1, e); put(' ');
        i = e;
      } else {
        put(s[i++]);
      }
    }
    end();
  }

  // (?i) ('t)(w)\b -> " \1 \2 "
  void contraction3(const char* w) {
    const std::size_t n = std::strlen(w);
    begin();
    const U& s = a_;
    bool changed = false;
    for (std::size_t i = 0; i < s.size();) {
      if (s[i] == ' ' && ci_match(s, i + 1, "'t") && ci_match(s, i + 3, w) && boundary(s, i + 3 + n)) {
        put(' '); put(s, i + 1, i + 3); put(' '); put(s, i + 3, i + 3 + n); put(' ');
        i += 3 + n; changed = true; continue;
      }
      put(s[i++]);
    }
    if (changed) end();
  }

  struct Contraction { const char* w1; const char* w2; bool lookahead_space; std::size_t n1, n2; };
  static constexpr Contraction kContractions2[] = {
      {"can", "not", false, 3, 3}, {"d", "'ye", false, 1, 3}, {"gim", "me", false, 3, 2},
      {"gon", "na", false, 3, 2},  {"got", "ta", false, 3, 2}, {"lem", "me", false, 3, 2},
      {"more", "'n", false, 4, 2}, {"wan", "na", true, 3, 2}};

  // Does any CONTRACTIONS2 pattern match anywhere in s? One scan (they almost never do in titles).
  // end_is_space: s is followed by whitespace (the padding), which "wanna"'s (?=\s) can see.
  static bool any_contraction2(V s, bool end_is_space) {
    bool prev_word = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const char32_t c = s[i];
      const bool w = is_word(c);
      if (w && !prev_word) {
        const char32_t low = c | 0x20;
        if (low == 'c' || low == 'd' || low == 'g' || low == 'l' || low == 'm' || low == 'w') {
          for (const auto& k : kContractions2) {
            if (low != static_cast<char32_t>(k.w1[0]) || !ci_match(s, i, k.w1) || !ci_match(s, i + k.n1, k.w2))
              continue;
            const std::size_t e = i + k.n1 + k.n2;
            if (k.lookahead_space ? (e < s.size() ? is_space(s[e]) : end_is_space) : boundary(s, e)) return true;
          }
        }
      }
      prev_word = w;
    }
    return false;
  }

  void contractions() {
    if (any_contraction2(a_, false)) {
      for (const auto& k : kContractions2) contraction2(k.w1, k.w2, k.lookahead_space);
    }
    if (a_.find(U" '") == U::npos) return;
    contraction3("is");
    contraction3("was");
  }

  static void emit(V s, std::size_t i, std::size_t j, std::vector<std::string>& out) {
    std::string tok;
    for (std::size_t k = i; k < j; ++k) append_utf8(s[k], tok);
    out.push_back(std::move(tok));
  }
  static void emit(V s, std::size_t i, std::size_t j, U& joined) {
    if (!joined.empty()) joined.push_back(' ');
    joined.append(s.data() + i, j - i);
  }

  template <class Out>
  void split(Out& out) const { split(a_, out); }

  template <class Out>
  static void split(V s, Out& out) {
    std::size_t i = 0;
    while (i < s.size()) {
      while (i < s.size() && is_space(s[i])) ++i;
      if (i >= s.size()) break;
      std::size_t j = i;
      while (j < s.size() && !is_space(s[j])) ++j;
      emit(s, i, j, out);
      i = j;
    }
  }
};

// ---------------------------------------------------------------------------------------------------
// Punkt
// ---------------------------------------------------------------------------------------------------

constexpr int kOrthoBegUc = 1 << 1, kOrthoMidUc = 1 << 2, kOrthoUnkUc = 1 << 3;
constexpr int kOrthoBegLc = 1 << 4, kOrthoMidLc = 1 << 5, kOrthoUnkLc = 1 << 6;
constexpr int kOrthoUc = kOrthoBegUc + kOrthoMidUc + kOrthoUnkUc;
constexpr int kOrthoLc = kOrthoBegLc + kOrthoMidLc + kOrthoUnkLc;

struct PunktModel {
  std::unordered_set<std::string> abbrev, starters, colloc;  // colloc key: a + '\t' + b
  std::unordered_map<std::string, int> ortho;
  PunktModel() {
    for (std::size_t i = 0; i < detail::k_punkt_abbrev_types_size; ++i) abbrev.insert(detail::k_punkt_abbrev_types[i]);
    for (std::size_t i = 0; i < detail::k_punkt_sent_starters_size; ++i) starters.insert(detail::k_punkt_sent_starters[i]);
    for (std::size_t i = 0; i < detail::k_punkt_collocations_size; ++i)
      colloc.insert(std::string(detail::k_punkt_collocations[i][0]) + '\t' + detail::k_punkt_collocations[i][1]);
    ortho.reserve(detail::k_punkt_ortho_context_size * 2);
    for (std::size_t i = 0; i < detail::k_punkt_ortho_context_size; ++i)
      ortho.emplace(detail::k_punkt_ortho_context[i].type, detail::k_punkt_ortho_context[i].flags);
  }
  int ortho_of(const std::string& t) const {
    const auto it = ortho.find(t);
    return it == ortho.end() ? 0 : it->second;
  }
};

const PunktModel& punkt_model() {
  static const PunktModel m;
  return m;
}

inline bool is_nonword_char(char32_t c) {  // (?:[)\";}\]\*:@\'\({\[?!])
  switch (c) {
    case ')': case '"': case ';': case '}': case ']': case '*': case ':': case '@': case '\'':
    case '(': case '{': case '[': case '?': case '!':
      return true;
    default:
      return false;
  }
}

inline bool is_word_start_excluded(char32_t c) {  // [^\(\"\`{\[:;&\#\*@\)}\]\-,]
  switch (c) {
    case '(': case '"': case '`': case '{': case '[': case ':': case ';': case '&': case '#': case '*':
    case '@': case ')': case '}': case ']': case '-': case ',':
      return true;
    default:
      return false;
  }
}

// (?:\-{2,}|\.{2,}|(?:\.\s){2,}\.) at i: the match length, or 0.
std::size_t multi_char(const U& s, std::size_t i) {
  const std::size_t n = s.size();
  if (i + 1 >= n) return 0;
  if (s[i] == '-' && s[i + 1] == '-') {
    std::size_t j = i;
    while (j < n && s[j] == '-') ++j;
    return j - i;
  }
  if (s[i] == '.' && s[i + 1] == '.') {
    std::size_t j = i;
    while (j < n && s[j] == '.') ++j;
    return j - i;
  }
  if (s[i] == '.') {
    std::size_t k = 0, j = i;
    while (j + 1 < n && s[j] == '.' && is_space(s[j + 1])) { ++k; j += 2; }
    if (k >= 2 && j < n && s[j] == '.') return j + 1 - i;
    if (k >= 3) return (j - 2) + 1 - i;  // give back one ".\s": the next char is that pair's '.'
    return 0;
  }
  return 0;
}

// PunktLanguageVars.word_tokenize: findall of the word regex over one line.
void punkt_words(const U& s, std::size_t from, std::size_t to, std::vector<U>& out) {
  const U line = s.substr(from, to - from);
  const std::size_t n = line.size();
  std::size_t i = 0;
  while (i < n) {
    const char32_t c = line[i];
    if (is_space(c)) { ++i; continue; }
    if (const std::size_t m = multi_char(line, i)) {
      out.push_back(line.substr(i, m));
      i += m;
      continue;
    }
    if (!is_word_start_excluded(c)) {
      std::size_t j = i + 1;
      for (;; ++j) {
        if (j >= n || is_space(line[j]) || is_nonword_char(line[j]) || multi_char(line, j)) break;
        if (line[j] == ',') {
          const std::size_t k = j + 1;
          if (k >= n || is_space(line[k]) || is_nonword_char(line[k]) || multi_char(line, k)) break;
        }
      }
      out.push_back(line.substr(i, j - i));
      i = j;
      continue;
    }
    out.push_back(line.substr(i, 1));
    ++i;
  }
}

struct PToken {
  U tok;
  std::string type;  // UTF-8 of the case-normalized type
  bool period_final = false, sentbreak = false, abbr = false, ellipsis = false;
};

// ^-?[\.,]?\d[\d,\.-]*\.?$
bool is_numeric(const U& t) {
  std::size_t i = 0;
  if (i < t.size() && t[i] == '-') ++i;
  if (i < t.size() && (t[i] == '.' || t[i] == ',')) ++i;
  if (i >= t.size() || !is_dec(t[i])) return false;
  for (++i; i < t.size(); ++i)
    if (!(is_dec(t[i]) || t[i] == ',' || t[i] == '.' || t[i] == '-')) return false;
  return true;
}

std::string type_no_period(const std::string& type) {
  // len(type) > 1 counts code points; a final '.' means at least two code points iff size >= 2 bytes.
  if (type.size() > 1 && type.back() == '.') return type.substr(0, type.size() - 1);
  return type;
}
std::string type_no_sentperiod(const PToken& t) { return t.sentbreak ? type_no_period(t.type) : t.type; }

bool is_initial(const U& t) {  // [^\W\d]\.$
  return t.size() == 2 && t[1] == '.' && is_word(t[0]) && !is_dec(t[0]);
}

PToken make_token(U tok) {
  PToken t;
  const U low = py_lower(tok);
  t.type = is_numeric(low) ? std::string("##number##") : encode_utf8(low);
  t.period_final = !tok.empty() && tok.back() == '.';
  t.tok = std::move(tok);
  return t;
}

void first_pass(PToken& t, const PunktModel& m) {
  const U& tok = t.tok;
  if (tok.size() == 1 && (tok[0] == '.' || tok[0] == '?' || tok[0] == '!')) {
    t.sentbreak = true;
  } else if (tok.size() >= 2 && std::all_of(tok.begin(), tok.end(), [](char32_t c) { return c == '.'; })) {
    t.ellipsis = true;
  } else if (t.period_final && !(tok.size() >= 2 && tok[tok.size() - 2] == '.')) {
    const std::string low = encode_utf8(py_lower(std::u32string_view(tok).substr(0, tok.size() - 1)));
    const std::size_t dash = low.rfind('-');
    const std::string last = dash == std::string::npos ? low : low.substr(dash + 1);
    if (m.abbrev.count(low) || m.abbrev.count(last)) t.abbr = true;
    else t.sentbreak = true;
  }
}

enum class Tri { no, yes, unknown };

Tri ortho_heuristic(const PToken& t, const PunktModel& m) {
  const U& tok = t.tok;
  if (tok.size() == 1 && (tok[0] == ';' || tok[0] == ':' || tok[0] == ',' || tok[0] == '.' || tok[0] == '!' ||
                          tok[0] == '?'))
    return Tri::no;
  const int oc = m.ortho_of(type_no_sentperiod(t));
  const bool upper = py_isupper(tok[0]), lower = py_islower(tok[0]);
  if (upper && (oc & kOrthoLc) && !(oc & kOrthoMidUc)) return Tri::yes;
  if (lower && ((oc & kOrthoUc) || !(oc & kOrthoBegLc))) return Tri::no;
  return Tri::unknown;
}

void second_pass(PToken& t1, const PToken& t2, const PunktModel& m) {
  if (!t1.period_final) return;
  const std::string typ = type_no_period(t1.type);
  const std::string next_typ = type_no_sentperiod(t2);
  const bool initial = is_initial(t1.tok);
  if (m.colloc.count(typ + '\t' + next_typ)) {
    t1.sentbreak = false;
    t1.abbr = true;
    return;
  }
  if ((t1.abbr || t1.ellipsis) && !initial) {
    if (ortho_heuristic(t2, m) == Tri::yes) { t1.sentbreak = true; return; }
    if (py_isupper(t2.tok[0]) && m.starters.count(next_typ)) { t1.sentbreak = true; return; }
  }
  if (initial || typ == "##number##") {
    const Tri s = ortho_heuristic(t2, m);
    if (s == Tri::no) { t1.sentbreak = false; t1.abbr = true; return; }
    if (s == Tri::unknown && initial && py_isupper(t2.tok[0]) && !(m.ortho_of(next_typ) & kOrthoLc)) {
      t1.sentbreak = false;
      t1.abbr = true;
      return;
    }
  }
}

bool text_contains_sentbreak(const U& ctx, const PunktModel& m) {
  std::vector<U> words;
  std::size_t start = 0;
  for (;;) {  // split("\n"); lines that are blank after strip() are skipped
    std::size_t nl = ctx.find(U'\n', start);
    if (nl == U::npos) nl = ctx.size();
    bool blank = true;
    for (std::size_t k = start; k < nl; ++k) if (!is_space(ctx[k])) { blank = false; break; }
    if (!blank) punkt_words(ctx, start, nl, words);
    if (nl == ctx.size()) break;
    start = nl + 1;
  }
  std::vector<PToken> toks;
  toks.reserve(words.size());
  for (auto& w : words) toks.push_back(make_token(std::move(w)));
  for (auto& t : toks) first_pass(t, m);
  for (std::size_t k = 0; k + 1 < toks.size(); ++k) {
    second_pass(toks[k], toks[k + 1], m);
    if (toks[k].sentbreak) return true;  // a break before the last token
  }
  return false;
}

inline bool is_ascii_ws(char32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == 0x0C; }

struct Span { std::size_t start, stop; };

// A potential sentence end: the [.?!] at pos, followed (lookahead) by after_tok = [after_begin, after_end);
// next_tok starts at next_start (npos when the lookahead took the non-word branch).
struct EndMatch { std::size_t pos, after_end, next_start; };

std::vector<Span> sentence_spans(const U& text) {
  const PunktModel& m = punkt_model();
  const std::size_t n = text.size();
  // finditer of [.?!](?=(?P<after_tok>NonWord|\s+(?P<next_tok>\S+)))
  std::vector<EndMatch> matches;
  for (std::size_t i = 0; i < n; ++i) {
    const char32_t c = text[i];
    if (c != '.' && c != '?' && c != '!') continue;
    if (i + 1 >= n) continue;
    if (is_nonword_char(text[i + 1])) { matches.push_back({i, i + 2, std::string::npos}); continue; }
    std::size_t j = i + 1;
    while (j < n && is_space(text[j])) ++j;
    if (j == i + 1 || j >= n) continue;
    std::size_t k = j;
    while (k < n && !is_space(text[k])) ++k;
    matches.push_back({i, k, j});
  }
  // _match_potential_end_contexts + _slices_from_text
  std::vector<Span> slices;
  std::size_t last_break = 0;
  auto decide = [&](const EndMatch& mt, const Span& prev) {
    U ctx = text.substr(prev.start, prev.stop > prev.start ? prev.stop - prev.start : 0);
    ctx.append(text, mt.pos, mt.after_end - mt.pos);
    if (text_contains_sentbreak(ctx, m)) {
      slices.push_back({last_break, mt.pos + 1});
      last_break = mt.next_start != std::string::npos ? mt.next_start : mt.pos + 1;
    }
  };
  Span prev_slice{0, 0};
  const EndMatch* prev_match = nullptr;
  for (const EndMatch& mt : matches) {
    // _get_last_whitespace_index(text[prev_slice.stop : mt.pos]); 0 also when the last one is at 0
    std::size_t idx = 0;
    const std::size_t b = prev_slice.stop;
    for (std::size_t q = mt.pos; q > b; --q) {
      if (is_ascii_ws(text[q - 1])) { idx = q - 1 - b; break; }
    }
    const std::size_t word_start = idx ? idx + b + 1 : prev_slice.start;
    const Span word{word_start, mt.pos};
    if (prev_match && prev_slice.stop <= word.start) decide(*prev_match, prev_slice);
    prev_match = &mt;
    prev_slice = word;
  }
  if (prev_match) decide(*prev_match, prev_slice);
  std::size_t end = n;
  while (end > 0 && is_space(text[end - 1])) --end;
  slices.push_back({last_break, end});

  // _realign_boundaries
  std::vector<Span> out;
  std::size_t realign = 0;
  for (std::size_t k = 0; k < slices.size(); ++k) {
    Span s1{slices[k].start + realign, slices[k].stop};
    const bool nonempty = s1.start < s1.stop && s1.start < n;
    if (k + 1 == slices.size()) {
      if (nonempty) out.push_back(s1);
      continue;
    }
    const Span s2 = slices[k + 1];
    // ["\')\]}]+?(?:\s+|(?=--)|$) matched at the start of text[s2]
    const std::size_t lo = std::min(s2.start, n), hi = std::max(lo, std::min(s2.stop, n));
    std::size_t matched_close = 0, matched_end = 0;
    bool ok = false;
    for (std::size_t p = lo; p < hi; ++p) {
      const char32_t c = text[p];
      if (!(c == '"' || c == '\'' || c == ')' || c == ']' || c == '}')) break;
      const std::size_t q = p + 1;
      if (q < hi && is_space(text[q])) {
        std::size_t r = q;
        while (r < hi && is_space(text[r])) ++r;
        matched_close = q - lo; matched_end = r - lo; ok = true; break;
      }
      if ((q + 1 < hi && text[q] == '-' && text[q + 1] == '-') || q == hi) {
        matched_close = q - lo; matched_end = q - lo; ok = true; break;
      }
    }
    if (ok) {
      out.push_back({s1.start, s2.start + matched_close});
      realign = matched_end;
    } else {
      realign = 0;
      if (nonempty) out.push_back(s1);
    }
  }
  return out;
}

thread_local WordTokenizer g_word_tokenizer;

}  // namespace

std::vector<std::string> sent_tokenize(std::string_view text) {
  const U t = decode_utf8(text);
  std::vector<std::string> out;
  for (const Span& s : sentence_spans(t)) out.push_back(encode_utf8(std::u32string_view(t).substr(s.start, s.stop - s.start)));
  return out;
}

std::vector<std::string> treebank_word_tokenize(std::string_view sentence) {
  std::vector<std::string> out;
  g_word_tokenizer.tokenize(decode_utf8(sentence), out);
  return out;
}

namespace {
template <class Out>
void word_tokenize_impl(std::u32string_view t, bool preserve_line, Out& out) {
  if (preserve_line) {
    g_word_tokenizer.tokenize(t, out);
    return;
  }
  if (t.find_first_of(U".?!") == V::npos) {  // no candidate sentence end: one sentence, rstripped
    std::size_t end = t.size();
    while (end > 0 && is_space(t[end - 1])) --end;
    if (end > 0) g_word_tokenizer.tokenize(t.substr(0, end), out);
    return;
  }
  const U text(t);
  for (const Span& s : sentence_spans(text)) g_word_tokenizer.tokenize(t.substr(s.start, s.stop - s.start), out);
}
}  // namespace

std::vector<std::string> word_tokenize(std::string_view text, bool preserve_line) {
  std::vector<std::string> out;
  word_tokenize_impl(decode_utf8(text), preserve_line, out);
  return out;
}

void word_tokenize_joined(std::u32string_view text, bool preserve_line, std::u32string& out) {
  word_tokenize_impl(text, preserve_line, out);
}

}  // namespace tf::text
