// nltk.word_tokenize(text) of NLTK 3.8: Punkt English sentence split, then NLTKWordTokenizer on each
// sentence. preserve_line = true skips the sentence split (word_tokenize(text, preserve_line=True)).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace tf::text {

std::vector<std::string> word_tokenize(std::string_view text, bool preserve_line = false);
std::vector<std::string> sent_tokenize(std::string_view text);       // Punkt, English model
std::vector<std::string> treebank_word_tokenize(std::string_view sentence);  // NLTKWordTokenizer

}  // namespace tf::text
