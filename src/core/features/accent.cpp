// Lookups over the generated tables of accent_tables.cpp.
#include <algorithm>

#include "features/accent_tables.h"

namespace tf::features::detail {
namespace {

bool in_ranges(const CodeRange* r, std::size_t n, char32_t c) {
  const CodeRange* end = r + n;
  const CodeRange* it = std::upper_bound(r, end, c, [](char32_t v, const CodeRange& x) { return v < x.lo; });
  return it != r && c <= (it - 1)->hi;
}

// Hangul syllable decomposition (Unicode 3.12), which the table leaves out.
constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr char32_t kVCount = 21, kTCount = 28, kNCount = kVCount * kTCount, kSCount = 19 * kNCount;

}  // namespace

void append_nfkd(char32_t c, std::u32string& out) {
  if (c < 0xA0) {  // nothing below U+00A0 decomposes
    out.push_back(c);
    return;
  }
  if (c >= kSBase && c < kSBase + kSCount) {
    const char32_t s = c - kSBase;
    out.push_back(kLBase + s / kNCount);
    out.push_back(kVBase + (s % kNCount) / kTCount);
    if (s % kTCount != 0) out.push_back(kTBase + s % kTCount);
    return;
  }
  const Decomposition* end = k_nfkd + k_nfkd_size;
  const Decomposition* it =
      std::lower_bound(k_nfkd, end, c, [](const Decomposition& d, char32_t v) { return d.cp < v; });
  if (it != end && it->cp == c) {
    out.append(k_nfkd_pool + it->offset, it->length);
  } else {
    out.push_back(c);
  }
}

bool is_combining(char32_t c) { return c >= 0x300 && in_ranges(k_combining, k_combining_size, c); }
bool is_decimal(char32_t c) {
  if (c < 0x80) return c >= '0' && c <= '9';
  return in_ranges(k_decimal, k_decimal_size, c);
}
bool sre_iscased(char32_t c) { return in_ranges(k_cased, k_cased_size, c); }

char32_t sre_tolower(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  const CasePair* end = k_tolower + k_tolower_size;
  const CasePair* it = std::lower_bound(k_tolower, end, c, [](const CasePair& p, char32_t v) { return p.from < v; });
  return (it != end && it->from == c) ? it->to : c;
}

std::u32string strip_accents_unicode(std::u32string_view s) {
  // sklearn returns ASCII strings unchanged; otherwise NFKD without the combining characters (their
  // canonical reordering does not matter: all of them are dropped).
  if (std::all_of(s.begin(), s.end(), [](char32_t c) { return c < 0x80; })) return std::u32string(s);
  std::u32string nfkd, out;
  nfkd.reserve(s.size() + 8);
  for (char32_t c : s) append_nfkd(c, nfkd);
  out.reserve(nfkd.size());
  for (char32_t c : nfkd)
    if (!is_combining(c)) out.push_back(c);
  return out;
}

std::u32string strip_accents_ascii(std::u32string_view s) {
  std::u32string nfkd, out;
  nfkd.reserve(s.size() + 8);
  for (char32_t c : s) append_nfkd(c, nfkd);
  out.reserve(nfkd.size());
  for (char32_t c : nfkd)
    if (c < 0x80) out.push_back(c);
  return out;
}

}  // namespace tf::features::detail
