// Parser -> tree -> program for a backtracking machine with an undo stack (captures and loop marks
// are restored when a branch fails). Semantics follow CPython 3.11's sre for str patterns.
#include "features/regex.h"

#include <algorithm>
#include <unordered_map>

#include "common/error.h"
#include "features/accent_tables.h"
#include "text/unicode.h"

namespace tf::features::detail {
namespace {

constexpr int kInf = -1;
constexpr int kMaxExpansion = 2000;           // instructions one counted repeat may expand to
constexpr long long kMaxSteps = 20000000LL;  // per findall call: a pathological pattern stops here

enum Flag : unsigned { F_IGNORECASE = 1, F_ASCII = 2, F_DOTALL = 4, F_MULTILINE = 8 };

bool is_word(char32_t c, bool ascii) {
  if (ascii || c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  return text::py_is_word(c);
}
bool is_digit(char32_t c, bool ascii) { return ascii ? (c >= '0' && c <= '9') : is_decimal(c); }
bool is_space(char32_t c, bool ascii) {
  if (ascii) return c == ' ' || (c >= '\t' && c <= '\r');
  return text::py_isspace(c);
}

// Case folding of re.IGNORECASE: lower(ch) compared with lowered pattern items plus _EXTRA_CASES.
const std::vector<char32_t>& extra_cases(char32_t lo) {
  static const std::unordered_map<char32_t, std::vector<char32_t>> map = [] {
    std::unordered_map<char32_t, std::vector<char32_t>> m;
    for (std::size_t i = 0; i < k_extra_cases_size; ++i) m[k_extra_cases[i].from].push_back(k_extra_cases[i].to);
    return m;
  }();
  static const std::vector<char32_t> none;
  auto it = map.find(lo);
  return it == map.end() ? none : it->second;
}
// Every code point whose simple lowercase is t (t itself included when it is its own lowercase).
std::vector<char32_t> lower_preimage(char32_t t) {
  static const std::unordered_multimap<char32_t, char32_t> inv = [] {
    std::unordered_multimap<char32_t, char32_t> m;
    for (std::size_t i = 0; i < k_tolower_size; ++i) m.emplace(k_tolower[i].to, k_tolower[i].from);
    return m;
  }();
  std::vector<char32_t> out;
  if (sre_tolower(t) == t) out.push_back(t);
  auto range = inv.equal_range(t);
  for (auto it = range.first; it != range.second; ++it) out.push_back(it->second);
  return out;
}

enum Cat : unsigned { C_WORD = 1, C_NOTWORD = 2, C_DIGIT = 4, C_NOTDIGIT = 8, C_SPACE = 16, C_NOTSPACE = 32 };

bool cat_match(unsigned cats, char32_t c, bool ascii) {
  if ((cats & C_WORD) && is_word(c, ascii)) return true;
  if ((cats & C_NOTWORD) && !is_word(c, ascii)) return true;
  if ((cats & C_DIGIT) && is_digit(c, ascii)) return true;
  if ((cats & C_NOTDIGIT) && !is_digit(c, ascii)) return true;
  if ((cats & C_SPACE) && is_space(c, ascii)) return true;
  if ((cats & C_NOTSPACE) && !is_space(c, ascii)) return true;
  return false;
}

struct CharClass {
  bool negate = false;
  bool icase = false;    // re.IGNORECASE and at least one cased member (sre's "hascased")
  bool ascii = false;
  unsigned cats = 0;
  std::vector<std::pair<char32_t, char32_t>> ranges;  // literals are one-point ranges

  bool in_ranges(char32_t c) const {
    for (const auto& r : ranges)
      if (c >= r.first && c <= r.second) return true;
    return false;
  }
  bool matches(char32_t ch) const {
    bool hit;
    if (!icase) {
      hit = in_ranges(ch) || cat_match(cats, ch, ascii);
    } else {
      const char32_t lo = sre_tolower(ch);
      hit = cat_match(cats, lo, ascii);
      if (!hit) {  // lo is in {lower(i) : i in ranges} + their extra cases
        std::vector<char32_t> targets{lo};
        for (char32_t e : extra_cases(lo)) targets.push_back(e);
        for (char32_t t : targets) {
          for (char32_t pre : lower_preimage(t))
            if (in_ranges(pre)) { hit = true; break; }
          if (hit) break;
        }
      }
    }
    return hit != negate;
  }
};

enum class Op : std::uint8_t { Char, CharIC, Any, AnyNL, Class, Bol, BolM, Eol, EolM, StrBegin, StrEnd, WordB,
                               NotWordB, Split, Jmp, Save, Mark, Progress, Look, LookEnd, Match };

struct Inst {
  Op op;
  bool flag = false;  // WordB/NotWordB: ascii; Look: negative; Split: (unused)
  char32_t c = 0;     // Char / CharIC (lowered)
  int x = 0, y = 0;   // Split: preferred x, other y; Jmp: x; Save/Mark: slot x; Progress: slot x, loop x->y;
                      // Class: index x; Look: continuation x
};

struct Node {
  enum Kind { Empty, Lit, Any, Cls, Assert, Group, Concat, Alt, Repeat, Look } kind = Empty;
  char32_t c = 0;
  unsigned flags = 0;
  int cls = -1;
  Op assert_op = Op::Bol;
  int cap = -1;  // Group: capture index, -1 for (?: )
  int min = 0, max = kInf;
  bool greedy = true, neg = false;
  std::vector<std::unique_ptr<Node>> kids;
};
using NodeP = std::unique_ptr<Node>;

}  // namespace

struct Regex::Program {
  std::vector<Inst> code;
  std::vector<CharClass> classes;
  int groups = 0;
  int n_slots = 0;  // 2 * (groups + 1) capture slots, then loop marks

  bool run(std::u32string_view s, int pc, int pos, bool must_advance, std::vector<int>& slots, int& end,
           long long& steps) const;
};

namespace {

class Parser {
 public:
  Parser(std::string_view pattern, const std::string& where, Regex::Program& prog)
      : p_(text::decode_utf8(pattern)), where_(where), prog_(prog) {}

  NodeP parse() {
    // global flags: only at the start, as Python 3.11 requires
    while (i_ + 2 < p_.size() && p_[i_] == '(' && p_[i_ + 1] == '?' && is_flag(p_[i_ + 2])) {
      std::size_t j = i_ + 2;
      unsigned f = 0;
      while (j < p_.size() && is_flag(p_[j])) f |= flag_bit(p_[j++]);
      if (j < p_.size() && p_[j] == ')') {
        flags_ |= f;
        i_ = j + 1;
      } else {
        break;  // a scoped group (?i:...): parsed as an atom
      }
    }
    NodeP n = parse_alt(flags_);
    if (i_ < p_.size()) {
      if (p_[i_] == ')') fail("unbalanced parenthesis");
      fail("unexpected character");
    }
    return n;
  }

 private:
  std::u32string p_;
  std::size_t i_ = 0;
  unsigned flags_ = 0;
  std::string where_;
  Regex::Program& prog_;

  [[noreturn]] void fail(const std::string& what) {
    throw Error(ErrorCode::invalid_parameter,
                "The token pattern is not supported: " + what + " at position " + std::to_string(i_) + ".",
                where_);
  }
  static bool is_flag(char32_t c) { return c == 'a' || c == 'i' || c == 'L' || c == 'm' || c == 's' || c == 'u' || c == 'x'; }
  unsigned flag_bit(char32_t c) {
    switch (c) {
      case 'i': return F_IGNORECASE;
      case 'a': return F_ASCII;
      case 's': return F_DOTALL;
      case 'm': return F_MULTILINE;
      case 'u': return 0;
      case 'x': fail("the verbose flag (?x)");
      default: fail("the locale flag (?L)");
    }
  }
  bool more() const { return i_ < p_.size(); }
  char32_t peek() const { return p_[i_]; }

  NodeP make(Node::Kind k, unsigned flags) {
    auto n = std::make_unique<Node>();
    n->kind = k;
    n->flags = flags;
    return n;
  }

  NodeP parse_alt(unsigned flags) {
    std::vector<NodeP> alts;
    alts.push_back(parse_concat(flags));
    while (more() && peek() == '|') {
      ++i_;
      alts.push_back(parse_concat(flags));
    }
    if (alts.size() == 1) return std::move(alts[0]);
    NodeP n = make(Node::Alt, flags);
    n->kids = std::move(alts);
    return n;
  }

  NodeP parse_concat(unsigned flags) {
    NodeP n = make(Node::Concat, flags);
    while (more() && peek() != '|' && peek() != ')') {
      NodeP atom = parse_atom(flags);
      if (!atom) continue;  // a comment group
      atom = parse_quantifier(std::move(atom), flags);
      n->kids.push_back(std::move(atom));
    }
    return n;
  }

  bool parse_count(int& lo, int& hi) {  // at '{': a valid {m,n} or not (then '{' is a literal)
    std::size_t j = i_ + 1;
    std::string a, b;
    while (j < p_.size() && p_[j] >= '0' && p_[j] <= '9') a += char(p_[j++]);
    bool comma = false;
    if (j < p_.size() && p_[j] == ',') {
      comma = true;
      ++j;
      while (j < p_.size() && p_[j] >= '0' && p_[j] <= '9') b += char(p_[j++]);
    }
    if (j >= p_.size() || p_[j] != '}') return false;
    if (a.empty() && b.empty() && !comma) return false;  // "{}" is a literal
    if (a.size() > 6 || b.size() > 6) fail("a repeat count that is too large");
    lo = a.empty() ? 0 : std::stoi(a);
    hi = comma ? (b.empty() ? kInf : std::stoi(b)) : lo;
    if (hi != kInf && hi < lo) fail("min repeat greater than max repeat");
    i_ = j + 1;
    return true;
  }

  NodeP parse_quantifier(NodeP atom, unsigned flags) {
    bool quantified = false;
    while (more()) {
      const char32_t c = peek();
      int lo = 0, hi = kInf;
      if (c == '*') { lo = 0; hi = kInf; ++i_; }
      else if (c == '+') { lo = 1; hi = kInf; ++i_; }
      else if (c == '?') { lo = 0; hi = 1; ++i_; }
      else if (c == '{') { if (!parse_count(lo, hi)) break; }
      else break;
      if (quantified) fail("multiple repeat");
      if (atom->kind == Node::Assert || atom->kind == Node::Empty || atom->kind == Node::Look) fail("nothing to repeat");
      bool greedy = true;
      if (more() && peek() == '?') { greedy = false; ++i_; }
      else if (more() && peek() == '+') fail("a possessive quantifier");
      NodeP r = make(Node::Repeat, flags);
      r->min = lo;
      r->max = hi;
      r->greedy = greedy;
      r->kids.push_back(std::move(atom));
      atom = std::move(r);
      quantified = true;
    }
    return atom;
  }

  int add_class(CharClass cc) {
    prog_.classes.push_back(std::move(cc));
    return int(prog_.classes.size()) - 1;
  }

  NodeP cat_node(unsigned cat, unsigned flags) {
    CharClass cc;
    cc.cats = cat;
    cc.ascii = flags & F_ASCII;
    NodeP n = make(Node::Cls, flags);
    n->cls = add_class(std::move(cc));
    return n;
  }

  NodeP assert_node(Op op, unsigned flags) {
    NodeP n = make(Node::Assert, flags);
    n->assert_op = op;
    return n;
  }

  NodeP literal_node(char32_t c, unsigned flags) {
    NodeP n = make(Node::Lit, flags);
    n->c = c;
    return n;
  }

  std::uint32_t hex_digits(int count) {
    std::uint32_t v = 0;
    for (int k = 0; k < count; ++k) {
      if (!more()) fail("incomplete escape");
      const char32_t h = p_[i_++];
      int d;
      if (h >= '0' && h <= '9') d = int(h - '0');
      else if (h >= 'a' && h <= 'f') d = int(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F') d = int(h - 'A' + 10);
      else fail("incomplete escape");
      v = v * 16 + std::uint32_t(d);
    }
    if (v > 0x10FFFF) fail("bad escape (code point out of range)");
    return v;
  }

  // A literal escape shared by atoms and classes (after the backslash, at the escape letter); returns
  // false when the escape is not a literal.
  bool literal_escape(char32_t e, char32_t& out) {
    switch (e) {
      case 'a': out = 7; return true;
      case 'f': out = 12; return true;
      case 'n': out = 10; return true;
      case 'r': out = 13; return true;
      case 't': out = 9; return true;
      case 'v': out = 11; return true;
      case '\\': out = '\\'; return true;
      case 'x': out = hex_digits(2); return true;
      case 'u': out = hex_digits(4); return true;
      case 'U': out = hex_digits(8); return true;
      case '0': {  // octal: \0, \0o, \0oo
        std::uint32_t v = 0;
        for (int k = 0; k < 2 && more() && peek() >= '0' && peek() <= '7'; ++k) v = v * 8 + (p_[i_++] - '0');
        out = v;
        return true;
      }
      default: break;
    }
    if (e == 'N') fail("named Unicode escapes \\N{...}");
    if (e >= '1' && e <= '9') fail("backreferences and octal escapes");
    if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z')) fail(std::string("bad escape \\") + char(e));
    out = e;  // escaped punctuation, or any other non-ASCII-letter character
    return true;
  }

  NodeP parse_escape(unsigned flags) {
    if (!more()) fail("bad escape (end of pattern)");
    const char32_t e = p_[i_++];
    switch (e) {
      case 'w': return cat_node(C_WORD, flags);
      case 'W': return cat_node(C_NOTWORD, flags);
      case 'd': return cat_node(C_DIGIT, flags);
      case 'D': return cat_node(C_NOTDIGIT, flags);
      case 's': return cat_node(C_SPACE, flags);
      case 'S': return cat_node(C_NOTSPACE, flags);
      case 'b': return assert_node(Op::WordB, flags);
      case 'B': return assert_node(Op::NotWordB, flags);
      case 'A': return assert_node(Op::StrBegin, flags);
      case 'Z': return assert_node(Op::StrEnd, flags);
      default: break;
    }
    char32_t c;
    literal_escape(e, c);
    return literal_node(c, flags);
  }

  NodeP parse_class(unsigned flags) {  // after '['
    CharClass cc;
    cc.ascii = flags & F_ASCII;
    if (more() && peek() == '^') { cc.negate = true; ++i_; }
    bool first = true;
    for (;;) {
      if (!more()) fail("unterminated character set");
      char32_t c = p_[i_++];
      if (c == ']' && !first) break;
      first = false;
      char32_t lo;
      if (c == '\\') {
        if (!more()) fail("bad escape (end of pattern)");
        const char32_t e = p_[i_++];
        unsigned cat = 0;
        switch (e) {
          case 'w': cat = C_WORD; break;
          case 'W': cat = C_NOTWORD; break;
          case 'd': cat = C_DIGIT; break;
          case 'D': cat = C_NOTDIGIT; break;
          case 's': cat = C_SPACE; break;
          case 'S': cat = C_NOTSPACE; break;
          case 'b': lo = 8; break;
          default:
            if (e == 'A' || e == 'Z' || e == 'B') fail(std::string("bad escape \\") + char(e));
            literal_escape(e, lo);
        }
        if (cat) {
          if (i_ + 1 < p_.size() && peek() == '-' && p_[i_ + 1] != ']') fail("bad character range");
          cc.cats |= cat;
          continue;
        }
      } else {
        lo = c;
      }
      char32_t hi = lo;
      if (i_ + 1 < p_.size() && peek() == '-' && p_[i_ + 1] != ']') {
        ++i_;
        char32_t h = p_[i_++];
        if (h == '\\') {
          if (!more()) fail("bad escape (end of pattern)");
          const char32_t e = p_[i_++];
          if (e == 'w' || e == 'W' || e == 'd' || e == 'D' || e == 's' || e == 'S') fail("bad character range");
          if (e == 'b') h = 8;
          else literal_escape(e, h);
        }
        hi = h;
        if (hi < lo) fail("bad character range");
      }
      cc.ranges.emplace_back(lo, hi);
    }
    if (flags & F_IGNORECASE) {
      for (const auto& r : cc.ranges) {
        for (char32_t c = r.first; c <= r.second; ++c) {
          if (sre_iscased(c)) { cc.icase = true; break; }
          if (c - r.first > 0x20000) break;
        }
        if (cc.icase) break;
      }
    }
    NodeP n = make(Node::Cls, flags);
    n->cls = add_class(std::move(cc));
    return n;
  }

  NodeP parse_group(unsigned flags) {  // after '('
    if (more() && peek() == '?') {
      ++i_;
      if (!more()) fail("unexpected end of pattern");
      const char32_t c = p_[i_++];
      if (c == ':') return group_body(make(Node::Group, flags), flags);
      if (c == '=' || c == '!') {
        NodeP n = make(Node::Look, flags);
        n->neg = c == '!';
        return group_body(std::move(n), flags);
      }
      if (c == '#') {
        while (more() && peek() != ')') ++i_;
        if (!more()) fail("missing ), unterminated comment");
        ++i_;
        return nullptr;
      }
      if (c == 'P') {
        if (more() && peek() == '<') {
          ++i_;
          while (more() && peek() != '>') ++i_;
          if (!more()) fail("missing >, unterminated name");
          ++i_;
          NodeP n = make(Node::Group, flags);
          n->cap = ++prog_.groups;
          return group_body(std::move(n), flags);
        }
        fail("named backreferences (?P=name)");
      }
      if (c == '<') fail("lookbehind assertions");
      if (c == '>') fail("atomic groups");
      if (c == '(') fail("conditional groups");
      if (is_flag(c) || c == '-') {  // scoped flags (?i:...) / (?-i:...)
        --i_;
        unsigned on = 0, off = 0;
        while (more() && is_flag(peek())) on |= flag_bit(p_[i_++]);
        if (more() && peek() == '-') {
          ++i_;
          while (more() && is_flag(peek())) off |= flag_bit(p_[i_++]);
        }
        if (!more()) fail("missing flag");
        if (peek() == ')') fail("global flags not at the start of the expression");
        if (peek() != ':') fail("unknown flag");
        ++i_;
        const unsigned inner = (flags | on) & ~off;
        return group_body(make(Node::Group, inner), inner);
      }
      fail("unknown extension ?" + text::encode_utf8(std::u32string(1, c)));
    }
    NodeP n = make(Node::Group, flags);
    n->cap = ++prog_.groups;
    return group_body(std::move(n), flags);
  }

  NodeP group_body(NodeP n, unsigned flags) {
    n->kids.push_back(parse_alt(flags));
    if (!more() || peek() != ')') fail("missing ), unterminated subpattern");
    ++i_;
    return n;
  }

  NodeP parse_atom(unsigned flags) {
    const char32_t c = p_[i_++];
    switch (c) {
      case '(': return parse_group(flags);
      case '[': return parse_class(flags);
      case '.': return make(flags & F_DOTALL ? Node::Any : Node::Any, flags);
      case '^': return assert_node(flags & F_MULTILINE ? Op::BolM : Op::Bol, flags);
      case '$': return assert_node(flags & F_MULTILINE ? Op::EolM : Op::Eol, flags);
      case '\\': return parse_escape(flags);
      case '*': case '+': case '?': --i_; fail("nothing to repeat");
      case '{': {
        int lo, hi;
        --i_;
        if (parse_count(lo, hi)) fail("nothing to repeat");
        ++i_;
        return literal_node(c, flags);
      }
      default: return literal_node(c, flags);
    }
  }
};

class Compiler {
 public:
  explicit Compiler(Regex::Program& prog) : prog_(prog) {}
  void compile(const Node& root) {
    prog_.n_slots = 2 * (prog_.groups + 1);
    emit(root);
    prog_.code.push_back({Op::Match});
  }

 private:
  Regex::Program& prog_;
  std::vector<Inst>& code() { return prog_.code; }
  int here() { return int(prog_.code.size()); }
  int push(Inst in) {
    code().push_back(in);
    if (code().size() > 200000) throw Error(ErrorCode::invalid_parameter, "The token pattern is too large.", "tfidf.token_pattern");
    return here() - 1;
  }
  int new_mark() { return prog_.n_slots++; }

  void emit(const Node& n) {
    switch (n.kind) {
      case Node::Empty: return;
      case Node::Lit: {
        Inst in{Op::Char};
        in.c = n.c;
        if ((n.flags & F_IGNORECASE) && sre_iscased(n.c)) {
          in.op = Op::CharIC;
          in.c = sre_tolower(n.c);
        }
        push(in);
        return;
      }
      case Node::Any: push({n.flags & F_DOTALL ? Op::AnyNL : Op::Any}); return;
      case Node::Cls: {
        Inst in{Op::Class};
        in.x = n.cls;
        push(in);
        return;
      }
      case Node::Assert: {
        Inst in{n.assert_op};
        in.flag = n.flags & F_ASCII;
        push(in);
        return;
      }
      case Node::Group: {
        if (n.cap >= 0) { Inst s{Op::Save}; s.x = 2 * n.cap; push(s); }
        emit(*n.kids[0]);
        if (n.cap >= 0) { Inst s{Op::Save}; s.x = 2 * n.cap + 1; push(s); }
        return;
      }
      case Node::Concat:
        for (const auto& k : n.kids) emit(*k);
        return;
      case Node::Alt: {
        std::vector<int> jumps;
        for (std::size_t k = 0; k < n.kids.size(); ++k) {
          if (k + 1 < n.kids.size()) {
            const int split = push({Op::Split});
            code()[split].x = here();
            emit(*n.kids[k]);
            jumps.push_back(push({Op::Jmp}));
            code()[split].y = here();
          } else {
            emit(*n.kids[k]);
          }
        }
        for (int j : jumps) code()[j].x = here();
        return;
      }
      case Node::Look: {
        const int look = push({Op::Look});
        code()[look].flag = n.neg;
        emit(*n.kids[0]);
        push({Op::LookEnd});
        code()[look].x = here();
        return;
      }
      case Node::Repeat: emit_repeat(n); return;
    }
  }

  void split_to(int at, int body, int exit, bool greedy) {
    code()[at].x = greedy ? body : exit;
    code()[at].y = greedy ? exit : body;
  }

  void emit_repeat(const Node& n) {
    const Node& body = *n.kids[0];
    const int start = here();
    for (int k = 0; k < n.min; ++k) {
      emit(body);
      if (here() - start > kMaxExpansion * 50) throw Error(ErrorCode::invalid_parameter, "The token pattern repeats too much.", "tfidf.token_pattern");
    }
    if (n.max == kInf) {
      // L: split(body, exit); body: mark m; <body>; progress m (empty -> exit, else L)
      const int loop = push({Op::Split});
      const int m = new_mark();
      Inst mark{Op::Mark};
      mark.x = m;
      const int body_at = push(mark);
      emit(body);
      Inst prog{Op::Progress};
      prog.x = m;
      const int pr = push(prog);
      code()[pr].y = loop;
      const int exit = here();
      code()[pr].flag = false;
      split_to(loop, body_at, exit, n.greedy);
      patch_progress_exit(pr, exit);
      return;
    }
    std::vector<int> exits;  // progress instructions and splits that leave the optional part
    for (int k = n.min; k < n.max; ++k) {
      const int split = push({Op::Split});
      const int m = new_mark();
      Inst mark{Op::Mark};
      mark.x = m;
      const int body_at = push(mark);
      emit(body);
      Inst prog{Op::Progress};
      prog.x = m;
      const int pr = push(prog);
      code()[pr].y = here();  // non-empty iteration: go on with the next optional copy
      exits.push_back(split);
      exits.push_back(pr);
      code()[split].x = body_at;  // patched below
      if (here() - start > kMaxExpansion * 50) throw Error(ErrorCode::invalid_parameter, "The token pattern repeats too much.", "tfidf.token_pattern");
    }
    const int exit = here();
    for (std::size_t k = 0; k < exits.size(); k += 2) {
      split_to(exits[k], code()[exits[k]].x, exit, n.greedy);
      patch_progress_exit(exits[k + 1], exit);
    }
  }
  // Progress: slot x holds the position at the iteration's start; y = where a non-empty iteration
  // continues; the empty-iteration exit is stored in c (as an int).
  void patch_progress_exit(int at, int exit) { code()[at].c = char32_t(exit); }
};

}  // namespace

bool Regex::Program::run(std::u32string_view s, int pc, int pos, bool must_advance, std::vector<int>& slots,
                         int& end, long long& steps) const {
  struct Frame { int kind; int a; int b; };  // kind 0: branch (pc a, pos b); 1: restore slot a to b
  std::vector<Frame> stack;
  const int start = pos;
  const int n = int(s.size());
  for (;;) {
    bool ok = true;
    if (++steps > kMaxSteps)
      throw Error(ErrorCode::bad_input, "The token pattern needs too many steps on a document (catastrophic backtracking).",
                  "tfidf.token_pattern");
    const Inst& in = code[std::size_t(pc)];
    switch (in.op) {
      case Op::Char: ok = pos < n && s[pos] == in.c; if (ok) { ++pos; ++pc; } break;
      case Op::CharIC: {
        ok = false;
        if (pos < n) {
          const char32_t lo = sre_tolower(s[pos]);
          ok = lo == in.c;
          if (!ok)
            for (char32_t e : extra_cases(in.c)) if (lo == e) { ok = true; break; }
        }
        if (ok) { ++pos; ++pc; }
        break;
      }
      case Op::Any: ok = pos < n && s[pos] != '\n'; if (ok) { ++pos; ++pc; } break;
      case Op::AnyNL: ok = pos < n; if (ok) { ++pos; ++pc; } break;
      case Op::Class: ok = pos < n && classes[std::size_t(in.x)].matches(s[pos]); if (ok) { ++pos; ++pc; } break;
      case Op::Bol: ok = pos == 0; ++pc; break;
      case Op::BolM: ok = pos == 0 || s[pos - 1] == '\n'; ++pc; break;
      case Op::Eol: ok = pos == n || (pos == n - 1 && s[pos] == '\n'); ++pc; break;
      case Op::EolM: ok = pos == n || s[pos] == '\n'; ++pc; break;
      case Op::StrBegin: ok = pos == 0; ++pc; break;
      case Op::StrEnd: ok = pos == n; ++pc; break;
      case Op::WordB:
      case Op::NotWordB: {
        if (n == 0) { ok = false; break; }  // sre: no boundary (nor non-boundary) in an empty string
        const bool here_w = pos < n && is_word(s[pos], in.flag);
        const bool before_w = pos > 0 && is_word(s[pos - 1], in.flag);
        ok = (here_w != before_w) == (in.op == Op::WordB);
        ++pc;
        break;
      }
      case Op::Split: stack.push_back({0, in.y, pos}); pc = in.x; break;
      case Op::Jmp: pc = in.x; break;
      case Op::Save:
      case Op::Mark:
        stack.push_back({1, in.x, slots[std::size_t(in.x)]});
        slots[std::size_t(in.x)] = pos;
        ++pc;
        break;
      case Op::Progress: pc = slots[std::size_t(in.x)] == pos ? int(in.c) : in.y; break;
      case Op::Look: {
        std::vector<int> sub = slots;
        int sub_end = 0;
        const bool found = run(s, pc + 1, pos, false, sub, sub_end, steps);
        ok = found != in.flag;
        if (ok && found) {
          for (int k = 0; k < 2 * (groups + 1); ++k)
            if (sub[std::size_t(k)] != slots[std::size_t(k)]) {
              stack.push_back({1, k, slots[std::size_t(k)]});
              slots[std::size_t(k)] = sub[std::size_t(k)];
            }
        }
        pc = in.x;
        break;
      }
      case Op::LookEnd:
      case Op::Match:
        if (in.op == Op::Match && must_advance && pos == start) { ok = false; break; }
        end = pos;
        return true;
    }
    if (ok) continue;
    // backtrack
    for (;;) {
      if (stack.empty()) return false;
      const Frame f = stack.back();
      stack.pop_back();
      if (f.kind == 1) {
        slots[std::size_t(f.a)] = f.b;
      } else {
        pc = f.a;
        pos = f.b;
        break;
      }
    }
  }
}

Regex::Regex(std::string_view pattern, const std::string& where) : prog_(std::make_unique<Program>()) {
  Parser parser(pattern, where, *prog_);
  NodeP root = parser.parse();
  Compiler(*prog_).compile(*root);
}
Regex::~Regex() = default;
Regex::Regex(Regex&&) noexcept = default;
Regex& Regex::operator=(Regex&&) noexcept = default;

int Regex::groups() const { return prog_->groups; }

void Regex::findall(std::u32string_view s, std::vector<std::pair<int, int>>& out) const {
  const int n = int(s.size());
  std::vector<int> slots(std::size_t(prog_->n_slots), -1);
  long long steps = 0;
  int pos = 0;
  bool must_advance = false;
  while (pos <= n) {
    int match_start = -1, match_end = 0;
    for (int st = pos; st <= n; ++st) {
      std::fill(slots.begin(), slots.end(), -1);
      int end = 0;
      if (prog_->run(s, 0, st, must_advance && st == pos, slots, end, steps)) {
        match_start = st;
        match_end = end;
        break;
      }
    }
    if (match_start < 0) break;
    if (prog_->groups == 0) {
      out.emplace_back(match_start, match_end);
    } else if (slots[2] >= 0 && slots[3] >= 0) {
      out.emplace_back(slots[2], slots[3]);
    } else {
      out.emplace_back(0, 0);
    }
    must_advance = match_end == match_start;
    pos = match_end;
  }
}

}  // namespace tf::features::detail
