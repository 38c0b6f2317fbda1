#pragma once
#include <string>
#include <vector>

namespace tf::text {

const std::vector<std::string>& nltk_english_stopwords();    // 179 words, corpus order
const std::vector<std::string>& sklearn_english_stop_words(); // 318 words, sorted

}  // namespace tf::text
