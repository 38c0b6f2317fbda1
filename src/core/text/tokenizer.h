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

// word_tokenize on decoded text, appending the tokens to out separated by single spaces (tokens never
// contain whitespace, so this is unambiguous); no allocation per token.
void word_tokenize_joined(std::u32string_view text, bool preserve_line, std::u32string& out);

}  // namespace tf::text
