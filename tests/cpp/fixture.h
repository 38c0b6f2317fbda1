// Golden fixtures (tests/fixtures/**, written by scripts/fixtures/*.py with Debian's python3-nltk and
// python3-sklearn; tests never need Python).
#pragma once
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>

namespace tf::test {

inline std::string fixture_path(const std::string& rel) { return std::string(TF_FIXTURES_DIR) + "/" + rel; }
inline std::string project_path(const std::string& rel) { return std::string(TF_PROJECT_DIR) + "/" + rel; }

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline nlohmann::json fixture(const std::string& rel) { return nlohmann::json::parse(read_text(fixture_path(rel))); }

}  // namespace tf::test
