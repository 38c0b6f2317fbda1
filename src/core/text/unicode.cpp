// UTF-8 decoding/encoding and Python 3 str semantics from the generated tables (unicode_tables.cpp).
#include "text/unicode.h"

#include <algorithm>

#include "text/unicode_tables.h"

namespace tf::text {
namespace {

using detail::CodeRange;

bool in_ranges(const CodeRange* r, std::size_t n, char32_t c) {
  // Binary search for the last range with lo <= c.
  std::size_t lo = 0, hi = n;
  while (lo < hi) {
    const std::size_t mid = (lo + hi) / 2;
    if (r[mid].lo <= c) lo = mid + 1; else hi = mid;
  }
  return lo > 0 && c <= r[lo - 1].hi;
}

// The lowercase of c if it is a single code point, else 0 (c unchanged) — U+0130 is multi.
char32_t lookup_lower(char32_t c) {
  const auto* b = detail::k_lower_single;
  const auto* e = b + detail::k_lower_single_size;
  const auto* it = std::lower_bound(b, e, c, [](const detail::LowerPair& p, char32_t v) { return p.from < v; });
  return (it != e && it->from == c) ? it->to : 0;
}

// CPython's handle_capital_sigma: U+03A3 at i lowercases to final sigma U+03C2 when it follows a cased
// letter and is not followed by one (case-ignorable code points skipped on both sides).
char32_t lower_sigma(std::u32string_view s, std::size_t i) {
  std::size_t j = i;
  char32_t c = 0;
  bool found = false;
  while (j > 0) {
    c = s[--j];
    if (!py_is_case_ignorable(c)) { found = true; break; }
  }
  bool final_sigma = found && py_is_cased(c);
  if (final_sigma && i + 1 < s.size()) {
    std::size_t k = i + 1;
    for (; k < s.size(); ++k) {
      c = s[k];
      if (!py_is_case_ignorable(c)) break;
    }
    final_sigma = k == s.size() || !py_is_cased(c);
  }
  return final_sigma ? 0x3C2 : 0x3C3;
}

}  // namespace

std::u32string decode_utf8(std::string_view s, std::size_t* n_invalid) {
  std::u32string out;
  decode_utf8_append(s, out, n_invalid);
  return out;
}

void decode_utf8_append(std::string_view s, std::u32string& out, std::size_t* n_invalid) {
  out.reserve(out.size() + s.size());
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0, bad = 0;
  while (i < n) {
    const unsigned b0 = p[i];
    if (b0 < 0x80) { out.push_back(b0); ++i; continue; }
    int need;
    unsigned lo = 0x80, hi = 0xBF;  // allowed range of the first continuation byte
    char32_t cp;
    if (b0 >= 0xC2 && b0 <= 0xDF) { need = 1; cp = b0 & 0x1F; }
    else if (b0 >= 0xE0 && b0 <= 0xEF) {
      need = 2; cp = b0 & 0x0F;
      if (b0 == 0xE0) lo = 0xA0;
      if (b0 == 0xED) hi = 0x9F;  // no surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      need = 3; cp = b0 & 0x07;
      if (b0 == 0xF0) lo = 0x90;
      if (b0 == 0xF4) hi = 0x8F;
    } else {  // a stray continuation byte, C0/C1 or F5..FF
      out.push_back(0xFFFD); ++bad; ++i; continue;
    }
    std::size_t j = i + 1;
    bool ok = true;
    for (int k = 0; k < need; ++k, ++j) {
      const unsigned lo_k = k == 0 ? lo : 0x80, hi_k = k == 0 ? hi : 0xBF;
      if (j >= n || p[j] < lo_k || p[j] > hi_k) { ok = false; break; }
      cp = (cp << 6) | (p[j] & 0x3F);
    }
    if (ok) out.push_back(cp);
    else { out.push_back(0xFFFD); ++bad; }  // the maximal valid prefix becomes one U+FFFD (as Python)
    i = j;
  }
  if (n_invalid) *n_invalid += bad;
}

void append_utf8(char32_t c, std::string& out) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

std::string encode_utf8(std::u32string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char32_t c : s) append_utf8(c, out);
  return out;
}

std::string sanitize_utf8(std::string_view s, std::size_t* n_invalid) {
  // ASCII runs are copied as they are; only the runs of non-ASCII bytes between them are decoded and
  // encoded again. The same as encode_utf8(decode_utf8(s)): an ASCII byte is never part of a multi-byte
  // sequence, so an invalid sequence ends before it.
  std::string out;
  out.reserve(s.size());
  std::u32string buf;
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    std::size_t j = i;
    while (j < n && static_cast<unsigned char>(s[j]) < 0x80) ++j;
    out.append(s.data() + i, j - i);
    if (j == n) break;
    std::size_t k = j;
    while (k < n && static_cast<unsigned char>(s[k]) >= 0x80) ++k;
    buf.clear();
    decode_utf8_append(s.substr(j, k - j), buf, n_invalid);
    for (char32_t c : buf) append_utf8(c, out);
    i = k;
  }
  return out;
}

bool py_isspace(char32_t c) {
  if (c < 0x80) return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
  return in_ranges(detail::k_space, detail::k_space_size, c);
}
bool py_isalnum(char32_t c) {
  if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  return in_ranges(detail::k_alnum, detail::k_alnum_size, c);
}
bool py_is_word(char32_t c) { return c == '_' || py_isalnum(c); }
bool py_isdigit(char32_t c) {
  if (c < 0x80) return c >= '0' && c <= '9';
  return in_ranges(detail::k_digit, detail::k_digit_size, c);
}
bool py_isdecimal(char32_t c) {
  if (c < 0x80) return c >= '0' && c <= '9';
  return in_ranges(detail::k_decimal, detail::k_decimal_size, c);
}
bool py_isupper(char32_t c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  return in_ranges(detail::k_upper, detail::k_upper_size, c);
}
bool py_islower(char32_t c) {
  if (c < 0x80) return c >= 'a' && c <= 'z';
  return in_ranges(detail::k_lower, detail::k_lower_size, c);
}
bool py_is_cased(char32_t c) { return in_ranges(detail::k_cased, detail::k_cased_size, c); }
bool py_is_case_ignorable(char32_t c) {
  return in_ranges(detail::k_case_ignorable, detail::k_case_ignorable_size, c);
}

char32_t py_simple_lower(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  if (c == 0x130) return 0x69;  // simple mapping of U+0130 (its full mapping is two code points)
  if (c == 0x3A3) return 0x3C3;
  const char32_t l = lookup_lower(c);
  return l ? l : c;
}

void py_lower_append(std::u32string_view s, std::u32string& out) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char32_t c = s[i];
    if (c < 0x80) {
      out.push_back((c >= 'A' && c <= 'Z') ? c + 32 : c);
    } else if (c == 0x3A3) {
      out.push_back(lower_sigma(s, i));
    } else if (const char32_t l = lookup_lower(c)) {
      out.push_back(l);
    } else {
      bool multi = false;
      for (std::size_t k = 0; k < detail::k_lower_multi_size; ++k) {
        const auto& m = detail::k_lower_multi[k];
        if (m.from == c) {
          out.append(m.to, m.to + m.n);
          multi = true;
          break;
        }
      }
      if (!multi) out.push_back(c);
    }
  }
}

std::u32string py_lower(std::u32string_view s) {
  std::u32string out;
  out.reserve(s.size());
  py_lower_append(s, out);
  return out;
}

std::string py_lower(std::string_view utf8) {
  bool ascii = true;
  for (char ch : utf8) if (static_cast<unsigned char>(ch) >= 0x80) { ascii = false; break; }
  if (ascii) {
    std::string out(utf8);
    for (char& ch : out) if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch + 32);
    return out;
  }
  return encode_utf8(py_lower(decode_utf8(utf8)));
}

std::u32string py_strip(std::u32string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && py_isspace(s[b])) ++b;
  while (e > b && py_isspace(s[e - 1])) --e;
  return std::u32string(s.substr(b, e - b));
}

std::string py_strip(std::string_view utf8) { return encode_utf8(py_strip(decode_utf8(utf8))); }

std::size_t py_len(std::string_view utf8) { return decode_utf8(utf8).size(); }

}  // namespace tf::text
