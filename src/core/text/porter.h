// nltk.stem.PorterStemmer(mode).stem(word, to_lowercase) of NLTK 3.8, exactly.
#pragma once
#include <string>
#include <string_view>

namespace tf::text {

enum class StemMode { nltk, martin, original };  // NLTK_EXTENSIONS, MARTIN_EXTENSIONS, ORIGINAL_ALGORITHM

std::string porter_stem(std::string_view word, StemMode mode = StemMode::nltk, bool to_lowercase = true);
StemMode stem_mode_from_string(std::string_view s);  // "nltk" | "martin" | "original", else Error
std::string_view to_string(StemMode m);

}  // namespace tf::text
