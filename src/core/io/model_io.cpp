// Model files: JSON text or CBOR, told apart by their first byte (see model_io.h).
#include "io/model_io.h"

#include <algorithm>

#include "common/error.h"

namespace tf::io {
namespace {

[[noreturn]] void not_a_model(const std::string& source, const std::string& why) {
  throw Error(ErrorCode::model_format, source + " is not a titleforest model (" + why + ").", source);
}

bool ends_with_ci(const std::string& s, const std::string& suffix) {
  if (s.size() < suffix.size()) return false;
  return std::equal(suffix.rbegin(), suffix.rend(), s.rbegin(),
                    [](char a, char b) { return std::tolower((unsigned char)a) == std::tolower((unsigned char)b); });
}

}  // namespace

std::vector<std::uint8_t> encode_model(const nlohmann::json& model, ModelEncoding enc) {
  if (enc == ModelEncoding::binary) return nlohmann::json::to_cbor(model);
  // Compact, one line, a final newline; nlohmann prints doubles in their shortest round-trip form.
  std::string s;
  try {
    s = model.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorCode::internal, std::string("The model could not be written as JSON: ") + e.what() + ".");
  }
  s += '\n';
  return std::vector<std::uint8_t>(s.begin(), s.end());
}

nlohmann::json decode_model(std::string_view bytes, const std::string& source) {
  std::size_t i = 0;
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  while (i < bytes.size() && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\n' || bytes[i] == '\r')) ++i;
  if (i >= bytes.size()) not_a_model(source, "it is empty");

  const auto first = static_cast<unsigned char>(bytes[i]);
  nlohmann::json j;
  if (first == '{') {
    j = nlohmann::json::parse(bytes.begin() + i, bytes.end(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) not_a_model(source, "its JSON is malformed or cut short");
  } else if (first >= 0xA0 && first <= 0xBF) {  // CBOR major type 5: a map
    j = nlohmann::json::from_cbor(bytes.begin(), bytes.end(), /*strict=*/true, /*allow_exceptions=*/false);
    if (j.is_discarded()) not_a_model(source, "its binary data is malformed or cut short");
  } else {
    not_a_model(source, "it is neither a JSON model nor a binary one");
  }

  if (!j.is_object()) not_a_model(source, "it does not hold an object");
  const auto fmt = j.find("format");
  if (fmt == j.end() || !fmt->is_string() || fmt->get<std::string>() != kModelFormat)
    not_a_model(source, "it has no \"format\": \"" + std::string(kModelFormat) + "\" field");
  const auto ver = j.find("version");
  if (ver == j.end() || !ver->is_number_integer() || ver->get<long long>() < 1)
    throw Error(ErrorCode::model_format, source + " has no valid format version (a positive integer \"version\").",
                source);
  const long long v = ver->get<long long>();
  if (v > kModelVersion)
    throw Error(ErrorCode::model_format,
                source + " was written by a newer titleforest (format version " + std::to_string(v) +
                    "; this build reads up to " + std::to_string(kModelVersion) + ").",
                source);
  return j;
}

ModelEncoding encoding_for_path(const std::string& path) {
  return ends_with_ci(path, ".json") ? ModelEncoding::json : ModelEncoding::binary;
}

}  // namespace tf::io
