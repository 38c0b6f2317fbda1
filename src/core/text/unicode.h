// UTF-8 and the few pieces of Python 3's str semantics the pipeline depends on, from tables generated
// from Python's unicodedata by scripts/gen_unicode_tables.py (committed output: unicode_tables.cpp).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace tf::text {

// Invalid UTF-8 bytes decode to U+FFFD; *n_invalid (if given) is increased by the number replaced.
std::u32string decode_utf8(std::string_view s, std::size_t* n_invalid = nullptr);
void decode_utf8_append(std::string_view s, std::u32string& out, std::size_t* n_invalid = nullptr);
std::string encode_utf8(std::u32string_view s);
std::string sanitize_utf8(std::string_view s, std::size_t* n_invalid = nullptr);  // decode + encode

std::u32string py_lower(std::u32string_view s);  // str.lower(): full case mapping ("İ" -> "i̇")
std::string py_lower(std::string_view utf8);
bool py_isspace(char32_t c);                    // str.isspace() (= re's \s for str patterns)
bool py_isalnum(char32_t c);                    // str.isalnum()
bool py_is_word(char32_t c);                    // re's \w for str patterns: isalnum() or '_'
bool py_isdigit(char32_t c);                    // str.isdigit()
bool py_isdecimal(char32_t c);                  // str.isdecimal() (= re's \d for str patterns)
bool py_isupper(char32_t c);                    // str.isupper() of one code point
bool py_islower(char32_t c);                    // str.islower() of one code point
bool py_is_cased(char32_t c);                   // Unicode "Cased" (used by lower()'s final sigma)
bool py_is_case_ignorable(char32_t c);          // Unicode "Case_Ignorable"
char32_t py_simple_lower(char32_t c);           // one-code-point lowercase (re's IGNORECASE folding)
void py_lower_append(std::u32string_view s, std::u32string& out);  // out += s.lower()
std::u32string py_strip(std::u32string_view s);
void append_utf8(char32_t c, std::string& out);
std::string py_strip(std::string_view utf8);    // str.strip()
std::size_t py_len(std::string_view utf8);      // len(str): code points

}  // namespace tf::text
