// Model files: JSON text, or binary (CBOR, via nlohmann_json) for a compact encoding. Both carry
// {"format": "titleforest-model", "version": N, ...}; readers detect which one they were given.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace tf::io {

inline constexpr const char* kModelFormat = "titleforest-model";
inline constexpr int kModelVersion = 1;

enum class ModelEncoding { json, binary };

std::vector<std::uint8_t> encode_model(const nlohmann::json& model, ModelEncoding enc);
// JSON or CBOR, detected from the bytes; checks "format" and "version" (Error(model_format) otherwise).
nlohmann::json decode_model(std::string_view bytes, const std::string& source = "model");
ModelEncoding encoding_for_path(const std::string& path);
// Any JSON text as nlohmann's parse() reads it (a faster reader first); a discarded value when malformed.
nlohmann::json parse_json_text(std::string_view text);
// Any CBOR document as a JSON value (byte strings as binary values); a discarded value when malformed.
nlohmann::json decode_cbor(std::string_view bytes);  // ".json" -> json, anything else -> binary

}  // namespace tf::io
