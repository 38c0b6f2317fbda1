// TfidfVectorizer of scikit-learn 1.2, step by step as sklearn/feature_extraction/text.py does it:
//   preprocess (str.lower, then strip_accents) -> analyze (word: token_pattern findall, stop words removed,
//   n-grams joined by " "; char / char_wb: character n-grams) -> count per document -> binary ->
//   (fit) max_df / min_df / max_features on the sorted vocabulary -> idf = ln((n + s) / (df + s)) + 1 ->
//   sublinear tf (ln tf + 1) -> * idf -> l2 / l1 row normalization.
#include "features/tfidf.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <set>

#include "common/error.h"
#include "features/accent_tables.h"
#include "features/regex.h"
#include "text/stopwords.h"
#include "text/unicode.h"

namespace tf::features {
namespace {

const char* const kDefaultPattern = "(?u)\\b\\w\\w+\\b";

std::uint64_t hash_bytes(const char* p, std::size_t n) {
  std::uint64_t h = 0x9E3779B97F4A7C15ull ^ (n * 0xff51afd7ed558ccdull);
  while (n >= 8) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    h = (h ^ v) * 0xbf58476d1ce4e5b9ull;
    h ^= h >> 31;
    p += 8;
    n -= 8;
  }
  std::uint64_t v = 0;  // the tail byte by byte: a variable-length memcpy is a call in WebAssembly
  for (std::size_t k = 0; k < n; ++k) v |= std::uint64_t(static_cast<unsigned char>(p[k])) << (8 * k);
  h = (h ^ v) * 0x94d049bb133111ebull;
  h ^= h >> 29;
  return h;
}

inline bool same_bytes(const char* a, const char* b, std::size_t n) {
  while (n >= 8) {
    std::uint64_t x, y;
    std::memcpy(&x, a, 8);
    std::memcpy(&y, b, 8);
    if (x != y) return false;
    a += 8;
    b += 8;
    n -= 8;
  }
  for (std::size_t k = 0; k < n; ++k)
    if (a[k] != b[k]) return false;
  return true;
}

// Open-addressing map from strings of CharT (bytes, or char32_t token-id sequences), stored once in
// one arena, to dense ids 0, 1, 2, ... in order of insertion.
template <class CharT>
class KeyTable {
 public:
  using View = std::basic_string_view<CharT>;
  KeyTable() { slots_.assign(1024, Slot{-1, 0}); }
  std::size_t size() const { return entries_.size(); }
  View key(int id) const {
    const Entry& e = entries_[std::size_t(id)];
    return View(arena_.data() + e.off, e.len);
  }
  int find(View s) const {
    const std::uint64_t h = hash_bytes(reinterpret_cast<const char*>(s.data()), s.size() * sizeof(CharT));
    const std::uint32_t tag = std::uint32_t(h >> 32);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = std::size_t(h) & mask;; i = (i + 1) & mask) {
      const Slot& sl = slots_[i];
      if (sl.id < 0) return -1;
      if (sl.tag == tag && equal(sl.id, s)) return sl.id;
    }
  }
  // stores s under a new id without indexing it (for keys that another index finds)
  int push_unindexed(View s) {
    entries_.push_back({0, std::uint32_t(arena_.size()), std::uint32_t(s.size())});
    arena_.append(s.data(), s.size());
    return int(entries_.size()) - 1;
  }
  // the id of s, inserting it when new (then the id is size() - 1)
  int insert(View s) {
    const std::uint64_t h = hash_bytes(reinterpret_cast<const char*>(s.data()), s.size() * sizeof(CharT));
    const std::uint32_t tag = std::uint32_t(h >> 32);
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = std::size_t(h) & mask;
    for (;; i = (i + 1) & mask) {
      const Slot& sl = slots_[i];
      if (sl.id < 0) break;
      if (sl.tag == tag && equal(sl.id, s)) return sl.id;
    }
    const int id = int(entries_.size());
    entries_.push_back({h, std::uint32_t(arena_.size()), std::uint32_t(s.size())});
    arena_.append(s.data(), s.size());
    slots_[i] = Slot{id, tag};
    if (entries_.size() * 2 > slots_.size()) grow();
    return id;
  }

 private:
  struct Entry { std::uint64_t hash; std::uint32_t off, len; };
  struct Slot { int id; std::uint32_t tag; };
  std::basic_string<CharT> arena_;
  std::vector<Entry> entries_;
  std::vector<Slot> slots_;
  bool equal(int id, View s) const {
    const Entry& e = entries_[std::size_t(id)];
    return e.len == s.size() && same_bytes(reinterpret_cast<const char*>(arena_.data() + e.off),
                                           reinterpret_cast<const char*>(s.data()), s.size() * sizeof(CharT));
  }
  void grow() {
    slots_.assign(slots_.size() * 2, Slot{-1, 0});
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t id = 0; id < entries_.size(); ++id) {
      std::size_t i = std::size_t(entries_[id].hash) & mask;
      while (slots_[i].id >= 0) i = (i + 1) & mask;
      slots_[i] = Slot{int(id), std::uint32_t(entries_[id].hash >> 32)};
    }
  }
};
using TermTable = KeyTable<char>;

// Token-id sequences (n-grams, n >= 2) -> dense ids; bigrams, the common case, through a flat table
// keyed by the two ids packed in 64 bits.
class GramTable {
 public:
  using View = std::u32string_view;
  GramTable() { pairs_.assign(1024, PairSlot{0, -1}); }
  std::size_t size() const { return all_.size(); }
  View key(int id) const { return all_.key(id); }
  int find(View s) const {
    if (s.size() != 2) return all_.find(s);
    const std::uint64_t k = pack(s);
    const std::size_t mask = pairs_.size() - 1;
    for (std::size_t i = slot_of(k, mask);; i = (i + 1) & mask) {
      if (pairs_[i].id < 0) return -1;
      if (pairs_[i].key == k) return pairs_[i].id;
    }
  }
  int insert(View s) {
    if (s.size() != 2) return all_.insert(s);
    const std::uint64_t k = pack(s);
    const std::size_t mask = pairs_.size() - 1;
    std::size_t i = slot_of(k, mask);
    for (;; i = (i + 1) & mask) {
      if (pairs_[i].id < 0) break;
      if (pairs_[i].key == k) return pairs_[i].id;
    }
    const int id = all_.push_unindexed(s);
    pairs_[i] = PairSlot{k, id};
    if (++n_pairs_ * 2 > pairs_.size()) grow();
    return id;
  }

 private:
  struct PairSlot { std::uint64_t key; int id; };
  KeyTable<char32_t> all_;  // every key (ids); indexes the n >= 3 ones
  std::vector<PairSlot> pairs_;
  std::size_t n_pairs_ = 0;
  static std::uint64_t pack(View s) { return (std::uint64_t(s[0]) << 32) | std::uint64_t(s[1]); }
  static std::size_t slot_of(std::uint64_t k, std::size_t mask) {
    k *= 0x9E3779B97F4A7C15ull;
    return std::size_t(k ^ (k >> 29)) & mask;
  }
  void grow() {
    std::vector<PairSlot> old(pairs_.size() * 2, PairSlot{0, -1});
    old.swap(pairs_);
    const std::size_t mask = pairs_.size() - 1;
    for (const PairSlot& p : old) {
      if (p.id < 0) continue;
      std::size_t i = slot_of(p.key, mask);
      while (pairs_[i].id >= 0) i = (i + 1) & mask;
      pairs_[i] = p;
    }
  }
};

void append_utf8(char32_t c, std::string& out) {
  if (c < 0x80) {
    out.push_back(char(c));
  } else if (c < 0x800) {
    out.push_back(char(0xC0 | (c >> 6)));
    out.push_back(char(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(char(0xE0 | (c >> 12)));
    out.push_back(char(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(char(0x80 | (c & 0x3F)));
  } else {
    out.push_back(char(0xF0 | (c >> 18)));
    out.push_back(char(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(char(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(char(0x80 | (c & 0x3F)));
  }
}

// numpy 1.24's argsort(kind="quicksort") for float64 (npy_aquicksort: introsort, median of three,
// insertion sort for 16 elements or fewer, heapsort past the depth limit): ties come out in its order.
bool np_less(double a, double b) { return a < b || (b != b && a == a); }

void np_aheapsort(const double* v, std::ptrdiff_t* tosort, std::ptrdiff_t n) {
  std::ptrdiff_t* a = tosort - 1;  // 1-based
  std::ptrdiff_t i, j, l, tmp;
  for (l = n >> 1; l > 0; --l) {
    tmp = a[l];
    for (i = l, j = l << 1; j <= n;) {
      if (j < n && np_less(v[a[j]], v[a[j + 1]])) j += 1;
      if (np_less(v[tmp], v[a[j]])) { a[i] = a[j]; i = j; j += j; }
      else break;
    }
    a[i] = tmp;
  }
  for (; n > 1;) {
    tmp = a[n];
    a[n] = a[1];
    n -= 1;
    for (i = 1, j = 2; j <= n;) {
      if (j < n && np_less(v[a[j]], v[a[j + 1]])) j++;
      if (np_less(v[tmp], v[a[j]])) { a[i] = a[j]; i = j; j += j; }
      else break;
    }
    a[i] = tmp;
  }
}

std::vector<std::ptrdiff_t> np_argsort_quick(const std::vector<double>& values) {
  const std::ptrdiff_t num = std::ptrdiff_t(values.size());
  std::vector<std::ptrdiff_t> idx(values.size());
  for (std::ptrdiff_t k = 0; k < num; ++k) idx[std::size_t(k)] = k;
  if (num < 2) return idx;
  const double* v = values.data();
  std::ptrdiff_t* pl = idx.data();
  std::ptrdiff_t* pr = pl + num - 1;
  std::vector<std::ptrdiff_t*> stack;
  std::vector<int> depth;
  int cdepth = 0;
  for (std::size_t u = std::size_t(num); u >>= 1;) ++cdepth;
  cdepth *= 2;
  for (;;) {
    if (cdepth < 0) {
      np_aheapsort(v, pl, pr - pl + 1);
      goto stack_pop;
    }
    while ((pr - pl) > 15) {  // SMALL_QUICKSORT
      std::ptrdiff_t* pm = pl + ((pr - pl) >> 1);
      if (np_less(v[*pm], v[*pl])) std::swap(*pm, *pl);
      if (np_less(v[*pr], v[*pm])) std::swap(*pr, *pm);
      if (np_less(v[*pm], v[*pl])) std::swap(*pm, *pl);
      const double vp = v[*pm];
      std::ptrdiff_t* pi = pl;
      std::ptrdiff_t* pj = pr - 1;
      std::swap(*pm, *pj);
      for (;;) {
        do ++pi; while (np_less(v[*pi], vp));
        do --pj; while (np_less(vp, v[*pj]));
        if (pi >= pj) break;
        std::swap(*pi, *pj);
      }
      std::ptrdiff_t* pk = pr - 1;
      std::swap(*pi, *pk);
      if (pi - pl < pr - pi) {
        stack.push_back(pi + 1);
        stack.push_back(pr);
        pr = pi - 1;
      } else {
        stack.push_back(pl);
        stack.push_back(pi - 1);
        pl = pi + 1;
      }
      depth.push_back(--cdepth);
    }
    for (std::ptrdiff_t* pi = pl + 1; pi <= pr; ++pi) {
      const std::ptrdiff_t vi = *pi;
      const double vp = v[vi];
      std::ptrdiff_t* pj = pi;
      std::ptrdiff_t* pk = pi - 1;
      while (pj > pl && np_less(vp, v[*pk])) *pj-- = *pk--;
      *pj = vi;
    }
  stack_pop:
    if (stack.empty()) break;
    pr = stack.back(); stack.pop_back();
    pl = stack.back(); stack.pop_back();
    cdepth = depth.back(); depth.pop_back();
  }
  return idx;
}

std::string df_text(const DfBound& b) {
  if (std::holds_alternative<long long>(b)) return std::to_string(std::get<long long>(b));
  nlohmann::json j = std::get<double>(b);
  return j.dump();
}

void check_df(const char* name, const DfBound& b) {
  if (std::holds_alternative<long long>(b)) {
    if (std::get<long long>(b) < 0) throw_invalid_parameter(name, "a float in the range [0.0, 1.0] or an int in the range [1, inf)", df_text(b));
  } else {
    const double d = std::get<double>(b);
    if (!(d >= 0.0 && d <= 1.0)) throw_invalid_parameter(name, "a float in the range [0.0, 1.0] or an int in the range [1, inf)", df_text(b));
  }
}

[[noreturn]] void type_error(const std::string& key, const std::string& allowed, const nlohmann::json& got) {
  throw_invalid_parameter("tfidf." + key, allowed, got.dump());
}

}  // namespace

// ---------------------------------------------------------------------------------------------------
// Parameters

void TfidfParams::validate() const {
  if (analyzer != "word" && analyzer != "char" && analyzer != "char_wb")
    throw_invalid_parameter("tfidf.analyzer", "a str among {'char', 'char_wb', 'word'}", "'" + analyzer + "'");
  if (strip_accents && *strip_accents != "ascii" && *strip_accents != "unicode")
    throw_invalid_parameter("tfidf.strip_accents", "a str among {'ascii', 'unicode'} or None", "'" + *strip_accents + "'");
  if (norm && *norm != "l1" && *norm != "l2")
    throw_invalid_parameter("tfidf.norm", "a str among {'l1', 'l2'} or None", "'" + *norm + "'");
  check_df("tfidf.max_df", max_df);
  check_df("tfidf.min_df", min_df);
  if (max_features && *max_features < 1)
    throw_invalid_parameter("tfidf.max_features", "an int in the range [1, inf) or None", std::to_string(*max_features));
  const std::string range = "(" + std::to_string(ngram_range.first) + ", " + std::to_string(ngram_range.second) + ")";
  if (ngram_range.first > ngram_range.second)
    throw Error(ErrorCode::invalid_parameter,
                "Invalid value for ngram_range=" + range + " lower boundary larger than the upper boundary.",
                "tfidf.ngram_range");
  if (ngram_range.first < 1)
    throw_invalid_parameter("tfidf.ngram_range", "a pair (min_n, max_n) with 1 <= min_n <= max_n", range);
  if (vocabulary) {
    if (vocabulary->empty()) throw Error(ErrorCode::invalid_parameter, "empty vocabulary passed to fit", "tfidf.vocabulary");
    std::set<std::string> seen;
    for (const auto& t : *vocabulary)
      if (!seen.insert(t).second)
        throw Error(ErrorCode::invalid_parameter, "Duplicate term in vocabulary: '" + t + "'", "tfidf.vocabulary");
  }
  if (analyzer == "word" && token_pattern != kDefaultPattern) {
    detail::Regex re(token_pattern, "tfidf.token_pattern");
    if (re.groups() > 1)
      throw Error(ErrorCode::invalid_parameter,
                  "More than 1 capturing group in token pattern. Only a single group should be captured.",
                  "tfidf.token_pattern");
  }
}

void to_json(nlohmann::json& j, const TfidfParams& p) {
  using nlohmann::json;
  j = json::object();
  j["analyzer"] = p.analyzer;
  j["lowercase"] = p.lowercase;
  j["strip_accents"] = p.strip_accents ? json(*p.strip_accents) : json(nullptr);
  j["token_pattern"] = p.token_pattern;
  switch (p.stop_words.kind) {
    case TfidfParams::StopWords::Kind::none: j["stop_words"] = nullptr; break;
    case TfidfParams::StopWords::Kind::english: j["stop_words"] = "english"; break;
    case TfidfParams::StopWords::Kind::list: j["stop_words"] = p.stop_words.words; break;
  }
  j["ngram_range"] = json::array({p.ngram_range.first, p.ngram_range.second});
  for (auto [key, b] : {std::pair<const char*, const DfBound*>{"max_df", &p.max_df}, {"min_df", &p.min_df}}) {
    if (std::holds_alternative<long long>(*b)) j[key] = std::get<long long>(*b);
    else j[key] = std::get<double>(*b);
  }
  j["max_features"] = p.max_features ? json(*p.max_features) : json(nullptr);
  j["vocabulary"] = p.vocabulary ? json(*p.vocabulary) : json(nullptr);
  j["binary"] = p.binary;
  j["norm"] = p.norm ? json(*p.norm) : json(nullptr);
  j["use_idf"] = p.use_idf;
  j["smooth_idf"] = p.smooth_idf;
  j["sublinear_tf"] = p.sublinear_tf;
}

void from_json(const nlohmann::json& j, TfidfParams& p) {
  if (!j.is_object()) throw_invalid_parameter("tfidf", "an object of TfidfVectorizer parameters", j.dump());
  auto get_bool = [](const std::string& k, const nlohmann::json& v) {
    if (!v.is_boolean()) type_error(k, "an instance of 'bool'", v);
    return v.get<bool>();
  };
  auto get_string = [](const std::string& k, const nlohmann::json& v) {
    if (!v.is_string()) type_error(k, "an instance of 'str'", v);
    return v.get<std::string>();
  };
  auto get_strings = [](const std::string& k, const nlohmann::json& v) {
    if (!v.is_array()) type_error(k, "a list of str", v);
    std::vector<std::string> out;
    for (const auto& x : v) {
      if (!x.is_string()) type_error(k, "a list of str", v);
      out.push_back(x.get<std::string>());
    }
    return out;
  };
  auto get_df = [](const std::string& k, const nlohmann::json& v) -> DfBound {
    if (v.is_number_integer()) return v.get<long long>();
    if (v.is_number_float()) return v.get<double>();
    type_error(k, "a float in the range [0.0, 1.0] or an int in the range [1, inf)", v);
  };
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    const nlohmann::json& v = it.value();
    if (k == "analyzer") p.analyzer = get_string(k, v);
    else if (k == "lowercase") p.lowercase = get_bool(k, v);
    else if (k == "strip_accents") p.strip_accents = v.is_null() ? std::nullopt : std::optional<std::string>(get_string(k, v));
    else if (k == "token_pattern") p.token_pattern = get_string(k, v);
    else if (k == "stop_words") {
      if (v.is_null()) p.stop_words = {TfidfParams::StopWords::Kind::none, {}};
      else if (v.is_string()) {
        if (v.get<std::string>() != "english") type_error(k, "a str among {'english'}, an instance of 'list' or None", v);
        p.stop_words = {TfidfParams::StopWords::Kind::english, {}};
      } else if (v.is_array()) {
        p.stop_words = {TfidfParams::StopWords::Kind::list, get_strings(k, v)};
      } else {
        type_error(k, "a str among {'english'}, an instance of 'list' or None", v);
      }
    } else if (k == "ngram_range") {
      if (!v.is_array() || v.size() != 2 || !v[0].is_number_integer() || !v[1].is_number_integer())
        type_error(k, "an instance of 'tuple' of two ints", v);
      p.ngram_range = {v[0].get<int>(), v[1].get<int>()};
    } else if (k == "max_df") p.max_df = get_df(k, v);
    else if (k == "min_df") p.min_df = get_df(k, v);
    else if (k == "max_features") {
      if (v.is_null()) p.max_features = std::nullopt;
      else if (v.is_number_integer()) p.max_features = v.get<long long>();
      else type_error(k, "an int in the range [1, inf) or None", v);
    } else if (k == "vocabulary") {
      if (v.is_null()) p.vocabulary = std::nullopt;
      else p.vocabulary = get_strings(k, v);
    } else if (k == "binary") p.binary = get_bool(k, v);
    else if (k == "norm") p.norm = v.is_null() ? std::nullopt : std::optional<std::string>(get_string(k, v));
    else if (k == "use_idf") p.use_idf = get_bool(k, v);
    else if (k == "smooth_idf") p.smooth_idf = get_bool(k, v);
    else if (k == "sublinear_tf") p.sublinear_tf = get_bool(k, v);
    else
      throw Error(ErrorCode::invalid_parameter,
                  "Unknown TF-IDF parameter '" + k +
                      "'; the parameters are analyzer, lowercase, strip_accents, token_pattern, stop_words, "
                      "ngram_range, max_df, min_df, max_features, vocabulary, binary, norm, use_idf, smooth_idf "
                      "and sublinear_tf.",
                  "tfidf." + k);
  }
}

// ---------------------------------------------------------------------------------------------------
// The analyzer: one document -> its features, handed to a callback as UTF-8 views (valid until the
// next call).

}  // namespace tf::features

namespace tf::features::detail {

// Per-call scratch buffers, reused from document to document.
struct Scratch {
  std::u32string text, tmp, word;
  std::string bytes, joined;
  std::vector<std::pair<int, int>> spans;                   // token spans in `text` (code points)
  std::vector<std::size_t> offsets;                          // byte offset of each code point in `bytes`, + end
  std::vector<std::pair<std::size_t, std::size_t>> tokens;  // [begin, end) byte ranges in `bytes`
  std::vector<int> ids;
};

// A word vocabulary by token ids: stop words are tokens 0 .. n_stop - 1.
struct WordIndex {
  KeyTable<char> tokens;
  int n_stop = 0;
  std::vector<int> unigram_col;  // token id -> column, -1
  GramTable grams;               // token-id sequence (n >= 2) -> gram id
  std::vector<int> gram_col;     // gram id -> column, -1
};

struct Analyzer {
  enum class Kind { word, chr, chr_wb } kind = Kind::word;
  enum class Strip { none, ascii, unicode } strip = Strip::none;
  bool lowercase = true;
  int min_n = 1, max_n = 1;
  bool default_pattern = true;
  std::unique_ptr<Regex> regex;
  TermTable stop;  // stop words
  bool has_stop = false;
  TermTable vocab;  // term -> index (fitted)

  // The vocabulary by token ids (word analyzer): from fit directly, or, for the default token pattern
  // (whose tokens never hold a space, so a term splits back into its tokens), from the terms.
  std::unique_ptr<WordIndex> index;

  void add_term(std::string_view term, int col) {
    if (kind != Kind::word || !default_pattern) {
      vocab.insert(term);
      return;
    }
    if (!index) {
      index = std::make_unique<WordIndex>();
      if (has_stop)
        for (std::size_t k = 0; k < stop.size(); ++k) index->tokens.insert(stop.key(int(k)));
      index->n_stop = int(index->tokens.size());
    }
    WordIndex& ix = *index;
    std::u32string seq;
    std::size_t b = 0;
    for (;;) {
      const std::size_t e = term.find(' ', b);
      seq.push_back(char32_t(ix.tokens.insert(term.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b))));
      if (e == std::string_view::npos) break;
      b = e + 1;
    }
    if (seq.size() == 1) {
      if (ix.unigram_col.size() <= seq[0]) ix.unigram_col.resize(std::size_t(seq[0]) + 1, -1);
      ix.unigram_col[seq[0]] = col;
    } else {
      const int g = ix.grams.insert(seq);
      if (std::size_t(g) == ix.gram_col.size()) ix.gram_col.push_back(col);
    }
  }

  explicit Analyzer(const TfidfParams& p) {
    kind = p.analyzer == "word" ? Kind::word : p.analyzer == "char" ? Kind::chr : Kind::chr_wb;
    strip = !p.strip_accents ? Strip::none : *p.strip_accents == "ascii" ? Strip::ascii : Strip::unicode;
    lowercase = p.lowercase;
    min_n = p.ngram_range.first;
    max_n = p.ngram_range.second;
    if (kind == Kind::word) {
      default_pattern = p.token_pattern == kDefaultPattern;
      if (!default_pattern) regex = std::make_unique<Regex>(p.token_pattern, "tfidf.token_pattern");
      if (p.stop_words.kind == TfidfParams::StopWords::Kind::english) {
        for (const auto& w : text::sklearn_english_stop_words()) stop.insert(w);
        has_stop = true;
      } else if (p.stop_words.kind == TfidfParams::StopWords::Kind::list) {
        for (const auto& w : p.stop_words.words) stop.insert(w);
        has_stop = true;
      }
    }
  }

  // str.lower(), then strip_accents, into sc.text
  void preprocess(std::string_view doc, Scratch& sc) const {
    bool ascii = true;
    for (unsigned char ch : doc)
      if (ch >= 0x80) { ascii = false; break; }
    sc.text.clear();
    if (ascii) {  // both accent strippers leave ASCII unchanged
      for (unsigned char ch : doc) sc.text.push_back(lowercase && ch >= 'A' && ch <= 'Z' ? char32_t(ch + 32) : char32_t(ch));
      return;
    }
    sc.text = text::decode_utf8(doc);
    if (lowercase) sc.text = text::py_lower(sc.text);
    if (strip == Strip::unicode) sc.text = strip_accents_unicode(sc.text);
    else if (strip == Strip::ascii) sc.text = strip_accents_ascii(sc.text);
  }

  // UTF-8 of s into sc.bytes, with sc.offsets
  static void encode(std::u32string_view s, Scratch& sc) {
    sc.bytes.clear();
    sc.offsets.clear();
    for (char32_t c : s) {
      sc.offsets.push_back(sc.bytes.size());
      append_utf8(c, sc.bytes);
    }
    sc.offsets.push_back(sc.bytes.size());
  }

  // re.sub(r"\s\s+", " ", text) into sc.tmp (a single whitespace character stays as it is)
  static void squeeze_spaces(Scratch& sc) {
    sc.tmp.clear();
    const std::u32string& t = sc.text;
    const std::size_t n = t.size();
    for (std::size_t i = 0; i < n;) {
      if (text::py_isspace(t[i]) && i + 1 < n && text::py_isspace(t[i + 1])) {
        std::size_t j = i;
        while (j < n && text::py_isspace(t[j])) ++j;
        sc.tmp.push_back(' ');
        i = j;
      } else {
        sc.tmp.push_back(t[i++]);
      }
    }
  }

  std::string_view piece(const Scratch& sc, int from, int to) const {
    return std::string_view(sc.bytes.data() + sc.offsets[std::size_t(from)],
                            sc.offsets[std::size_t(to)] - sc.offsets[std::size_t(from)]);
  }

  // Calls emit(feature) for every feature of doc, in sklearn's order; the view lives until the next call.
  template <class F>
  void analyze(std::string_view doc, Scratch& sc, F&& emit) const {
    if (kind == Kind::word) {
      tokenize(doc, sc);
      return emit_word_ngrams(sc, emit);
    }
    preprocess(doc, sc);
    squeeze_spaces(sc);
    if (kind == Kind::chr) {
      encode(sc.tmp, sc);
      const int len = int(sc.tmp.size());
      for (int n = min_n; n <= std::min(max_n, len); ++n)
        for (int i = 0; i + n <= len; ++i) emit(piece(sc, i, i + n));
      return;
    }
    // char_wb: each str.split() word, padded with one space on each side
    const std::u32string& t = sc.tmp;
    const std::size_t n_chars = t.size();
    for (std::size_t i = 0; i < n_chars;) {
      if (text::py_isspace(t[i])) { ++i; continue; }
      std::size_t j = i;
      while (j < n_chars && !text::py_isspace(t[j])) ++j;
      sc.word.assign(1, U' ');
      sc.word.append(t, i, j - i);
      sc.word.push_back(U' ');
      i = j;
      encode(sc.word, sc);
      const int w_len = int(sc.word.size());
      for (int n = min_n; n <= max_n; ++n) {
        int offset = 0;
        emit(piece(sc, offset, std::min(offset + n, w_len)));
        while (offset + n < w_len) {
          ++offset;
          emit(piece(sc, offset, offset + n));
        }
        if (offset == 0) break;  // a short word (w_len <= n) counts once
      }
    }
  }

  // sklearn's tokenizer on the preprocessed document: sc.tokens = byte ranges of the tokens in sc.bytes
  // (stop words not yet removed)
  void tokenize(std::string_view doc, Scratch& sc) const {
    sc.tokens.clear();
    bool ascii = true;
    for (unsigned char ch : doc)
      if (ch >= 0x80) { ascii = false; break; }
    if (ascii && default_pattern) {  // the common case, on bytes: both accent strippers keep ASCII as is
      sc.bytes.resize(doc.size());
      for (std::size_t i = 0; i < doc.size(); ++i) {
        const char ch = doc[i];
        sc.bytes[i] = lowercase && ch >= 'A' && ch <= 'Z' ? char(ch + 32) : ch;
      }
      const std::size_t n = sc.bytes.size();
      const char* b = sc.bytes.data();
      for (std::size_t i = 0; i < n;) {
        if (!ascii_word(b[i])) { ++i; continue; }
        std::size_t j = i + 1;
        while (j < n && ascii_word(b[j])) ++j;
        if (j - i >= 2) sc.tokens.emplace_back(i, j);
        i = j;
      }
      return;
    }
    preprocess(doc, sc);
    const std::u32string& t = sc.text;
    sc.spans.clear();
    const int n = int(t.size());
    if (default_pattern) {  // (?u)\b\w\w+\b: the maximal runs of \w of length >= 2
      for (int i = 0; i < n;) {
        if (!text::py_is_word(t[std::size_t(i)])) { ++i; continue; }
        int j = i + 1;
        while (j < n && text::py_is_word(t[std::size_t(j)])) ++j;
        if (j - i >= 2) sc.spans.emplace_back(i, j);
        i = j;
      }
    } else {
      regex->findall(t, sc.spans);
    }
    sc.bytes.clear();
    for (const auto& sp : sc.spans) {
      const std::size_t b = sc.bytes.size();
      for (int k = sp.first; k < sp.second; ++k) append_utf8(t[std::size_t(k)], sc.bytes);
      sc.tokens.emplace_back(b, sc.bytes.size());
    }
  }

  static bool ascii_word(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }
  static std::string_view token(const Scratch& sc, std::size_t k) {
    const auto& r = sc.tokens[k];
    return std::string_view(sc.bytes.data() + r.first, r.second - r.first);
  }

  // stop words removed, then n-grams joined with " "
  template <class F>
  void emit_word_ngrams(Scratch& sc, F&& emit) const {
    if (has_stop) {
      std::size_t kept = 0;
      for (std::size_t k = 0; k < sc.tokens.size(); ++k)
        if (stop.find(token(sc, k)) < 0) sc.tokens[kept++] = sc.tokens[k];
      sc.tokens.resize(kept);
    }
    const int n_tok = int(sc.tokens.size());
    for (int len = min_n; len <= std::min(max_n, n_tok); ++len) {
      for (int i = 0; i + len <= n_tok; ++i) {
        if (len == 1) {
          emit(token(sc, std::size_t(i)));
          continue;
        }
        sc.joined.clear();
        for (int k = i; k < i + len; ++k) {
          if (k > i) sc.joined.push_back(' ');
          sc.joined.append(token(sc, std::size_t(k)));
        }
        emit(std::string_view(sc.joined));
      }
    }
  }
};

}  // namespace tf::features::detail

namespace tf::features {

struct TfidfVectorizer::Impl : detail::Analyzer {
  using detail::Analyzer::Analyzer;
};

// ---------------------------------------------------------------------------------------------------
// Counting and weighting

namespace {

struct Counts {  // CSR of term counts (columns in table-id order, sorted within rows)
  std::vector<int> indptr{0};
  std::vector<int> indices;
  std::vector<double> values;
};

// Appends one CSR row: the row's term ids (any order, repeats = counts) as sorted (id, count) pairs.
void push_row(Counts& c, std::vector<int>& ids) {
  std::sort(ids.begin(), ids.end());
  for (std::size_t k = 0; k < ids.size();) {
    std::size_t e = k + 1;
    while (e < ids.size() && ids[e] == ids[k]) ++e;
    c.indices.push_back(ids[k]);
    c.values.push_back(double(e - k));
    k = e;
  }
  c.indptr.push_back(int(c.indices.size()));
}

template <class Lookup>
Counts count_docs(const detail::Analyzer& impl, const std::vector<std::string>& docs, Lookup&& lookup) {
  Counts c;
  c.indptr.reserve(docs.size() + 1);
  c.indices.reserve(docs.size() * 6);
  c.values.reserve(docs.size() * 6);
  detail::Scratch sc;
  std::vector<int>& ids = sc.ids;
  for (const auto& doc : docs) {
    ids.clear();
    impl.analyze(doc, sc, [&](std::string_view f) {
      const int id = lookup(f);
      if (id >= 0) ids.push_back(id);
    });
    push_row(c, ids);
  }
  return c;
}

}  // namespace

namespace {

// Indices of `names` in sorted string order (byte order = code-point order for UTF-8). The first 8
// bytes, big-endian and zero-padded, order like the strings do, so they are compared first.
std::vector<int> string_order(const std::vector<std::string_view>& names) {
  std::vector<std::pair<std::uint64_t, int>> keyed(names.size());
  for (std::size_t k = 0; k < names.size(); ++k) {
    std::uint64_t key = 0;
    const std::string_view t = names[k];
    for (std::size_t b = 0; b < 8; ++b) key = (key << 8) | (b < t.size() ? std::uint64_t(static_cast<unsigned char>(t[b])) : 0u);
    keyed[k] = {key, int(k)};
  }
  std::sort(keyed.begin(), keyed.end(), [&](const std::pair<std::uint64_t, int>& a, const std::pair<std::uint64_t, int>& b) {
    if (a.first != b.first) return a.first < b.first;
    return names[std::size_t(a.second)] < names[std::size_t(b.second)];
  });
  std::vector<int> order(names.size());
  for (std::size_t k = 0; k < names.size(); ++k) order[k] = keyed[k].second;
  return order;
}

// Indices of distinct keys in increasing key order: two 16-bit radix passes per 32-bit half when the
// halves (token ranks) fit in 16 bits, else a comparison sort.
std::vector<int> key_order(const std::vector<std::uint64_t>& keys) {
  const std::size_t n = keys.size();
  std::vector<int> order(n);
  for (std::size_t k = 0; k < n; ++k) order[k] = int(k);
  bool small = true;
  for (std::uint64_t key : keys)
    if ((key >> 48) != 0 || ((key >> 16) & 0xFFFFu) != 0) { small = false; break; }
  if (!small) {
    std::sort(order.begin(), order.end(), [&](int a, int b) { return keys[std::size_t(a)] < keys[std::size_t(b)]; });
    return order;
  }
  std::vector<int> tmp(n);
  for (int shift : {0, 32}) {  // stable LSD passes: low half (second token), then high half (first token)
    std::vector<std::size_t> count(65537, 0);
    for (std::size_t k = 0; k < n; ++k) ++count[((keys[std::size_t(order[k])] >> shift) & 0xFFFFu) + 1];
    for (std::size_t d = 1; d < count.size(); ++d) count[d] += count[d - 1];
    for (std::size_t k = 0; k < n; ++k) tmp[count[(keys[std::size_t(order[k])] >> shift) & 0xFFFFu]++] = order[k];
    order.swap(tmp);
  }
  return order;
}

// Word analyzer, fit: tokens get ids (stop words first, so that "is a stop word" is "id < n_stop"),
// n-grams are keyed by their token-id sequences, and each feature's string is built once at the end.
// ix receives the token and gram tables; unigram / gram_feature map token and gram ids to feature ids.
Counts count_words_fit(const detail::Analyzer& an, const std::vector<std::string>& docs, std::string& arena,
                       std::vector<std::string_view>& names, detail::WordIndex& ix, std::vector<int>& unigram,
                       std::vector<int>& gram_feature, std::vector<std::uint64_t>& sort_keys) {
  KeyTable<char>& tokens = ix.tokens;
  if (an.has_stop)
    for (std::size_t k = 0; k < an.stop.size(); ++k) tokens.insert(an.stop.key(int(k)));
  const int n_stop = ix.n_stop = int(tokens.size());
  GramTable& grams = ix.grams;
  std::vector<int> feature_key;   // feature id -> token id (unigram) or ~gram id
  Counts c;
  c.indptr.reserve(docs.size() + 1);
  c.indices.reserve(docs.size() * 6);
  c.values.reserve(docs.size() * 6);
  detail::Scratch sc;
  std::vector<char32_t> seq;  // (a vector: libc++ keeps basic_string members out of line)
  std::vector<int> last_doc, pos_in_row;  // by feature: the last document that had it, and where
  int doc_no = 0;
  for (const auto& doc : docs) {
    an.tokenize(doc, sc);
    seq.clear();
    for (std::size_t k = 0; k < sc.tokens.size(); ++k) {
      const int id = tokens.insert(detail::Analyzer::token(sc, k));
      if (id >= n_stop) seq.push_back(char32_t(id));
    }
    const int n_tok = int(seq.size());
    for (int len = an.min_n; len <= std::min(an.max_n, n_tok); ++len) {
      for (int i = 0; i + len <= n_tok; ++i) {
        int f;
        if (len == 1) {
          const std::size_t t = std::size_t(seq[std::size_t(i)]);
          if (unigram.size() <= t) unigram.resize(tokens.size(), -1);
          f = unigram[t];
          if (f < 0) {
            f = unigram[t] = int(feature_key.size());
            feature_key.push_back(int(t));
          }
        } else {
          const int g = grams.insert(std::u32string_view(seq.data() + i, std::size_t(len)));
          if (std::size_t(g) == gram_feature.size()) {
            gram_feature.push_back(int(feature_key.size()));
            feature_key.push_back(~g);
          }
          f = gram_feature[std::size_t(g)];
        }
        // count in this document's row (unsorted: the caller sorts rows once features are final)
        if (std::size_t(f) >= last_doc.size()) {
          last_doc.resize(feature_key.size(), -1);
          pos_in_row.resize(feature_key.size(), 0);
        }
        if (last_doc[std::size_t(f)] == doc_no) {
          c.values[std::size_t(pos_in_row[std::size_t(f)])] += 1.0;
        } else {
          last_doc[std::size_t(f)] = doc_no;
          pos_in_row[std::size_t(f)] = int(c.indices.size());
          c.indices.push_back(f);
          c.values.push_back(1.0);
        }
      }
    }
    c.indptr.push_back(int(c.indices.size()));
    ++doc_no;
  }
  // the feature strings, written into one arena sized up front
  std::size_t total = 0;
  for (int key : feature_key) {
    if (key >= 0) {
      total += tokens.key(key).size();
    } else {
      const std::u32string_view g = grams.key(~key);
      total += g.size() - 1;
      for (char32_t t : g) total += tokens.key(int(t)).size();
    }
  }
  arena.resize(total);
  names.clear();
  names.reserve(feature_key.size());
  char* w = &arena[0];
  for (int key : feature_key) {
    char* const begin = w;
    auto put = [&w](std::string_view t) {
      if (!t.empty()) std::memcpy(w, t.data(), t.size());
      w += t.size();
    };
    if (key >= 0) {
      put(tokens.key(key));
    } else {
      const std::u32string_view g = grams.key(~key);
      for (std::size_t k = 0; k < g.size(); ++k) {
        if (k) *w++ = ' ';
        put(tokens.key(int(g[k])));
      }
    }
    names.emplace_back(begin, std::size_t(w - begin));
  }
  // When no token has a byte <= ' ' (always so for \w tokens), "a b" sorts as the pair (a, b) of token
  // ranks, and a unigram before the bigrams it starts: one integer key per feature of n <= 2.
  sort_keys.clear();
  bool rankable = an.max_n <= 2;
  for (std::size_t t = std::size_t(n_stop); rankable && t < tokens.size(); ++t)
    for (char ch : tokens.key(int(t)))
      if (static_cast<unsigned char>(ch) <= 0x20) { rankable = false; break; }
  if (rankable) {
    std::vector<std::string_view> token_names(tokens.size());
    for (std::size_t t = 0; t < tokens.size(); ++t) token_names[t] = tokens.key(int(t));
    const std::vector<int> by_name = string_order(token_names);
    std::vector<std::uint64_t> rank(tokens.size());
    for (std::size_t r = 0; r < by_name.size(); ++r) rank[std::size_t(by_name[r])] = r + 1;
    sort_keys.resize(feature_key.size());
    for (std::size_t f = 0; f < feature_key.size(); ++f) {
      const int key = feature_key[f];
      if (key >= 0) {
        sort_keys[f] = rank[std::size_t(key)] << 32;
      } else {
        const std::u32string_view g = grams.key(~key);
        sort_keys[f] = (rank[g[0]] << 32) | rank[g[1]];
      }
    }
  }
  return c;
}

}  // namespace

TfidfVectorizer::TfidfVectorizer(TfidfParams p) : params_(std::move(p)) { params_.validate(); }

bool TfidfVectorizer::fitted() const { return impl_ != nullptr; }

void TfidfVectorizer::fit(const std::vector<std::string>& docs) { (void)fit_transform(docs); }

namespace {

SparseMatrix weigh(Counts&& c, std::size_t n_cols, const TfidfParams& p, const std::vector<double>& idf) {
  const std::size_t n_rows = c.indptr.size() - 1;
  double log1p_table[64];  // ln(count) + 1 for the small counts, as std::log gives it
  for (int k = 1; k < 64; ++k) log1p_table[k] = std::log(double(k)) + 1.0;
  for (double& v : c.values) {
    if (p.binary) v = 1.0;
    if (p.sublinear_tf) v = v < 64.0 ? log1p_table[int(v)] : std::log(v) + 1.0;
  }
  if (p.use_idf)
    for (std::size_t k = 0; k < c.values.size(); ++k) c.values[k] *= idf[std::size_t(c.indices[k])];
  if (p.norm) {
    const bool l2 = *p.norm == "l2";
    for (std::size_t r = 0; r < n_rows; ++r) {
      double s = 0.0;
      for (int k = c.indptr[r]; k < c.indptr[r + 1]; ++k) s += l2 ? c.values[std::size_t(k)] * c.values[std::size_t(k)] : std::fabs(c.values[std::size_t(k)]);
      if (s == 0.0) continue;
      if (l2) s = std::sqrt(s);
      for (int k = c.indptr[r]; k < c.indptr[r + 1]; ++k) c.values[std::size_t(k)] /= s;
    }
  }
  SparseMatrix m{Eigen::Index(n_rows), Eigen::Index(n_cols)};  // compressed, filled in place
  m.resizeNonZeros(Eigen::Index(c.values.size()));
  std::copy(c.indptr.begin(), c.indptr.end(), m.outerIndexPtr());
  std::copy(c.indices.begin(), c.indices.end(), m.innerIndexPtr());
  std::copy(c.values.begin(), c.values.end(), m.valuePtr());
  return m;
}

template <class Impl>
std::shared_ptr<Impl> make_impl_with_vocab(const TfidfParams& p, const std::vector<std::string>& terms) {
  auto impl = std::make_shared<Impl>(p);
  for (std::size_t k = 0; k < terms.size(); ++k) impl->add_term(terms[k], int(k));
  return impl;
}

// Counting against a fitted vocabulary: by token ids when the analyzer has a WordIndex, else by strings.
Counts count_fitted(const detail::Analyzer& an, const std::vector<std::string>& docs) {
  if (!an.index) return count_docs(an, docs, [&](std::string_view f) { return an.vocab.find(f); });
  const auto& ix = *an.index;
  constexpr char32_t kUnknown = 0xFFFFFFFFu;
  Counts c;
  c.indptr.reserve(docs.size() + 1);
  detail::Scratch sc;
  std::vector<char32_t> seq;  // (a vector: libc++ keeps basic_string members out of line)
  std::vector<int>& ids = sc.ids;
  for (const auto& doc : docs) {
    an.tokenize(doc, sc);
    seq.clear();
    for (std::size_t k = 0; k < sc.tokens.size(); ++k) {
      const int id = ix.tokens.find(detail::Analyzer::token(sc, k));
      if (id >= 0 && id < ix.n_stop) continue;  // stop words go before n-grams are formed
      seq.push_back(id < 0 ? kUnknown : char32_t(id));
    }
    ids.clear();
    const int n_tok = int(seq.size());
    for (int len = an.min_n; len <= std::min(an.max_n, n_tok); ++len) {
      for (int i = 0; i + len <= n_tok; ++i) {
        if (len == 1) {
          const char32_t t = seq[std::size_t(i)];
          if (t != kUnknown && t < ix.unigram_col.size() && ix.unigram_col[t] >= 0) ids.push_back(ix.unigram_col[t]);
          continue;
        }
        const std::u32string_view w(seq.data() + i, std::size_t(len));
        if (w.find(kUnknown) != std::u32string_view::npos) continue;
        const int g = ix.grams.find(w);
        if (g >= 0 && ix.gram_col[std::size_t(g)] >= 0) ids.push_back(ix.gram_col[std::size_t(g)]);
      }
    }
    push_row(c, ids);
  }
  return c;
}

}  // namespace

SparseMatrix TfidfVectorizer::fit_transform(const std::vector<std::string>& docs) {
  params_.validate();
  const TfidfParams& p = params_;
  auto impl = std::make_shared<Impl>(p);
  Counts c;
  std::vector<std::string> terms;
  if (p.vocabulary) {
    terms = *p.vocabulary;
    impl = make_impl_with_vocab<Impl>(p, terms);
    c = count_fitted(*impl, docs);
  } else {
    // count with dense feature ids, names[id] = the feature's string
    std::string name_arena;
    std::vector<std::string_view> names;
    auto ix = std::make_unique<detail::WordIndex>();
    std::vector<int> unigram_feature, gram_feature;
    std::vector<std::uint64_t> sort_keys;
    const bool word = impl->kind == detail::Analyzer::Kind::word;
    if (word) {
      c = count_words_fit(*impl, docs, name_arena, names, *ix, unigram_feature, gram_feature, sort_keys);
    } else {
      TermTable& table = impl->vocab;
      c = count_docs(*impl, docs, [&](std::string_view f) { return table.insert(f); });
      names.reserve(table.size());
      for (std::size_t k = 0; k < table.size(); ++k) names.push_back(table.key(int(k)));
    }
    const std::size_t n_terms = names.size();
    if (n_terms == 0)
      throw Error(ErrorCode::empty_vocabulary, "empty vocabulary; perhaps the documents only contain stop words", "tfidf");
    if (p.binary) std::fill(c.values.begin(), c.values.end(), 1.0);
    const double n_doc = double(docs.size());
    const bool max_int = std::holds_alternative<long long>(p.max_df);
    const bool min_int = std::holds_alternative<long long>(p.min_df);
    const double max_count = max_int ? double(std::get<long long>(p.max_df)) : std::get<double>(p.max_df) * n_doc;
    const double min_count = min_int ? double(std::get<long long>(p.min_df)) : std::get<double>(p.min_df) * n_doc;
    if (max_count < min_count)
      throw Error(ErrorCode::invalid_parameter, "max_df corresponds to < documents than min_df", "tfidf.max_df");
    // sorted term order (Python str order = code-point order = UTF-8 byte order)
    std::vector<int> order;
    if (!sort_keys.empty()) {  // unigrams and bigrams ranked by their tokens' order (see count_words_fit)
      order = key_order(sort_keys);
    } else {
      order = string_order(names);
    }
    std::vector<long long> df(n_terms, 0);
    std::vector<double> tfs(n_terms, 0.0);
    for (std::size_t k = 0; k < c.indices.size(); ++k) {
      ++df[std::size_t(c.indices[k])];
      tfs[std::size_t(c.indices[k])] += c.values[k];
    }
    std::vector<char> keep(n_terms, 0);  // by sorted position
    std::size_t n_keep = 0;
    for (std::size_t s = 0; s < n_terms; ++s) {
      const double d = double(df[std::size_t(order[s])]);
      keep[s] = d <= max_count && d >= min_count;
      n_keep += std::size_t(keep[s]);
    }
    if (p.max_features && n_keep > std::size_t(*p.max_features)) {
      std::vector<std::size_t> masked;
      std::vector<double> neg;
      for (std::size_t s = 0; s < n_terms; ++s)
        if (keep[s]) {
          masked.push_back(s);
          neg.push_back(-tfs[std::size_t(order[s])]);
        }
      const auto idx = np_argsort_quick(neg);
      std::fill(keep.begin(), keep.end(), 0);
      for (std::size_t k = 0; k < std::size_t(*p.max_features); ++k) keep[masked[std::size_t(idx[k])]] = 1;
      n_keep = std::size_t(*p.max_features);
    }
    if (n_keep == 0)
      throw Error(ErrorCode::empty_vocabulary, "After pruning, no terms remain. Try a lower min_df or a higher max_df.", "tfidf");
    std::vector<int> new_index(n_terms, -1);  // by table id
    terms.reserve(n_keep);
    for (std::size_t s = 0; s < n_terms; ++s)
      if (keep[s]) {
        new_index[std::size_t(order[s])] = int(terms.size());
        terms.emplace_back(names[std::size_t(order[s])]);
      }
    // remap the counts; rows sorted by the new index
    // in place (rows only shrink), then each row sorted by its new indices
    std::size_t out = 0;
    int row_begin = 0;
    std::vector<std::pair<int, double>> long_row;
    for (std::size_t d = 0; d + 1 < c.indptr.size(); ++d) {
      const std::size_t start = out;
      for (int k = row_begin; k < c.indptr[d + 1]; ++k) {
        const int ni = new_index[std::size_t(c.indices[std::size_t(k)])];
        if (ni < 0) continue;
        c.indices[out] = ni;
        c.values[out] = c.values[std::size_t(k)];
        ++out;
      }
      row_begin = c.indptr[d + 1];
      c.indptr[d + 1] = int(out);
      if (out - start <= 32) {  // the usual short row: insertion sort on the two arrays
        for (std::size_t i = start + 1; i < out; ++i) {
          const int ni = c.indices[i];
          const double v = c.values[i];
          std::size_t j = i;
          for (; j > start && c.indices[j - 1] > ni; --j) {
            c.indices[j] = c.indices[j - 1];
            c.values[j] = c.values[j - 1];
          }
          c.indices[j] = ni;
          c.values[j] = v;
        }
      } else {
        long_row.clear();
        for (std::size_t i = start; i < out; ++i) long_row.emplace_back(c.indices[i], c.values[i]);
        std::sort(long_row.begin(), long_row.end());
        for (std::size_t i = start; i < out; ++i) {
          c.indices[i] = long_row[i - start].first;
          c.values[i] = long_row[i - start].second;
        }
      }
    }
    c.indices.resize(out);
    c.values.resize(out);
    if (word) {  // the fitted tables become the transform index
      ix->unigram_col.resize(unigram_feature.size());
      for (std::size_t t = 0; t < unigram_feature.size(); ++t)
        ix->unigram_col[t] = unigram_feature[t] < 0 ? -1 : new_index[std::size_t(unigram_feature[t])];
      ix->gram_col.resize(gram_feature.size());
      for (std::size_t g = 0; g < gram_feature.size(); ++g) ix->gram_col[g] = new_index[std::size_t(gram_feature[g])];
      impl = std::make_shared<Impl>(p);
      impl->index = std::move(ix);
    } else {
      impl = make_impl_with_vocab<Impl>(p, terms);
    }
  }
  // idf from the document frequencies of the final matrix
  std::vector<double> idf;
  if (p.use_idf) {
    std::vector<double> df(terms.size(), 0.0);
    for (int k : c.indices) df[std::size_t(k)] += 1.0;
    const double s = p.smooth_idf ? 1.0 : 0.0;
    const double n = double(docs.size()) + s;
    idf.resize(terms.size());
    for (std::size_t k = 0; k < terms.size(); ++k) idf[k] = std::log(n / (df[k] + s)) + 1.0;
  }
  SparseMatrix out = weigh(std::move(c), terms.size(), p, idf);
  terms_ = std::move(terms);
  idf_ = std::move(idf);
  impl_ = std::move(impl);
  return out;
}

SparseMatrix TfidfVectorizer::transform(const std::vector<std::string>& docs) const {
  if (!impl_) throw Error(ErrorCode::not_fitted, "The TF-IDF vectorizer is not fitted: call fit or fit_transform first.", "tfidf");
  const Impl& impl = *impl_;
  Counts c = count_fitted(impl, docs);
  return weigh(std::move(c), terms_.size(), params_, idf_);
}

nlohmann::json TfidfVectorizer::to_json() const {
  nlohmann::json j;
  j["params"] = params_;
  if (impl_) {
    j["terms"] = terms_;
    if (params_.use_idf) {  // inf (a fixed-vocabulary term no document has, smooth_idf=False) as "inf"
      nlohmann::json idf = nlohmann::json::array();
      for (double x : idf_) idf.push_back(std::isfinite(x) ? nlohmann::json(x) : nlohmann::json("inf"));
      j["idf"] = std::move(idf);
    } else {
      j["idf"] = nullptr;
    }
  }
  return j;
}

TfidfVectorizer TfidfVectorizer::from_json(const nlohmann::json& j) {
  auto bad = [](const std::string& what) {
    throw Error(ErrorCode::model_format, "The TF-IDF vectorizer in the model is invalid: " + what + ".", "tfidf");
  };
  if (!j.is_object() || !j.contains("params")) bad("it has no params");
  for (auto it = j.begin(); it != j.end(); ++it)
    if (it.key() != "params" && it.key() != "terms" && it.key() != "idf") bad("unknown key '" + it.key() + "'");
  TfidfParams p;
  tf::features::from_json(j.at("params"), p);
  TfidfVectorizer v(p);
  if (j.contains("terms")) {
    const auto& t = j.at("terms");
    if (!t.is_array()) bad("terms is not a list");
    for (const auto& x : t) {
      if (!x.is_string()) bad("a term is not a string");
      v.terms_.push_back(x.get<std::string>());
    }
    if (p.use_idf) {
      if (!j.contains("idf") || !j.at("idf").is_array() || j.at("idf").size() != v.terms_.size())
        bad("idf does not have one value per term");
      for (const auto& x : j.at("idf")) {
        if (x.is_string() && x.get<std::string>() == "inf") v.idf_.push_back(HUGE_VAL);
        else if (x.is_number()) v.idf_.push_back(x.get<double>());
        else bad("an idf value is not a number");
      }
    }
    TermTable seen;
    for (const auto& t : v.terms_) seen.insert(t);
    if (seen.size() != v.terms_.size()) bad("terms has duplicates");
    auto impl = make_impl_with_vocab<Impl>(p, v.terms_);
    v.impl_ = std::move(impl);
  }
  return v;
}

}  // namespace tf::features
