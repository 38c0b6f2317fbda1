// Model files: JSON text or CBOR, told apart by their first byte (see model_io.h).
#include "io/model_io.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "common/error.h"
#include "text/unicode.h"

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

// CBOR as encode_model() writes it (nlohmann's to_cbor: definite lengths, text keys, no tags), decoded
// into the same value that nlohmann's from_cbor gives, but with byte and text strings copied whole
// (nlohmann reads them a byte at a time, which dominates loading a forest's packed trees). Anything
// else (indefinite lengths, tags, simple values beyond false/true/null) returns false and the caller
// falls back to nlohmann's complete decoder.
class CborReader {
 public:
  explicit CborReader(std::string_view b) : p_(reinterpret_cast<const std::uint8_t*>(b.data())), end_(p_ + b.size()) {}
  bool document(nlohmann::json& out) { return value(out, 0) && p_ == end_; }

 private:
  const std::uint8_t* p_;
  const std::uint8_t* end_;

  bool need(std::uint64_t n) const { return static_cast<std::uint64_t>(end_ - p_) >= n; }
  bool argument(std::uint8_t info, std::uint64_t& v) {
    if (info < 24) {
      v = info;
      return true;
    }
    const int n = info == 24 ? 1 : info == 25 ? 2 : info == 26 ? 4 : info == 27 ? 8 : 0;
    if (n == 0 || !need(n)) return false;
    v = 0;
    for (int k = 0; k < n; ++k) v = (v << 8) | *p_++;
    return true;
  }
  bool value(nlohmann::json& out, int depth) {
    if (depth > 64 || !need(1)) return false;
    const std::uint8_t head = *p_++;
    const std::uint8_t major = head >> 5, info = head & 31;
    std::uint64_t v = 0;
    if (major == 7) {
      switch (info) {
        case 20: out = false; return true;
        case 21: out = true; return true;
        case 22: out = nullptr; return true;
        case 25: {
          if (!argument(info, v)) return false;
          // IEEE 754 half precision, as nlohmann decodes it
          const unsigned half = static_cast<unsigned>(v), exp = (half >> 10) & 0x1f, mant = half & 0x3ff;
          double d = exp == 0 ? std::ldexp(mant, -24)
                   : exp != 31 ? std::ldexp(mant + 1024, static_cast<int>(exp) - 25)
                   : (mant == 0 ? std::numeric_limits<double>::infinity() : std::numeric_limits<double>::quiet_NaN());
          out = (half & 0x8000) ? -d : d;
          return true;
        }
        case 26: {
          if (!argument(info, v)) return false;
          float f;
          const auto bits = static_cast<std::uint32_t>(v);
          std::memcpy(&f, &bits, 4);
          out = static_cast<double>(f);
          return true;
        }
        case 27: {
          if (!argument(info, v)) return false;
          double d;
          std::memcpy(&d, &v, 8);
          out = d;
          return true;
        }
        default: return false;
      }
    }
    if (!argument(info, v)) return false;
    switch (major) {
      case 0: out = static_cast<std::uint64_t>(v); return true;
      case 1:
        if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return false;
        out = static_cast<std::int64_t>(-1 - static_cast<std::int64_t>(v));
        return true;
      case 2: {
        if (!need(v)) return false;
        out = nlohmann::json::binary(std::vector<std::uint8_t>(p_, p_ + v));
        p_ += v;
        return true;
      }
      case 3: {
        if (!need(v)) return false;
        out = std::string(reinterpret_cast<const char*>(p_), v);
        p_ += v;
        return true;
      }
      case 4: {
        if (!need(v)) return false;  // every element takes at least a byte
        out = nlohmann::json::array();
        auto& a = out.get_ref<nlohmann::json::array_t&>();
        a.resize(v);
        for (auto& e : a)
          if (!value(e, depth + 1)) return false;
        return true;
      }
      case 5: {
        if (!need(v)) return false;
        out = nlohmann::json::object();
        for (std::uint64_t k = 0; k < v; ++k) {
          nlohmann::json key;
          if (!need(1) || (*p_ >> 5) != 3 || !value(key, depth + 1)) return false;
          if (!value(out[key.get_ref<const std::string&>()], depth + 1)) return false;
        }
        return true;
      }
      default: return false;  // tags
    }
  }
};

// JSON text into the same value as nlohmann's parse(), about 5x faster on a model's long arrays of numbers
// (nlohmann's lexer takes some 130 ns a number). Strict RFC 8259; whatever it is not sure of (invalid
// UTF-8, a lone surrogate escape, deep nesting, any syntax error) returns false, and the caller asks
// nlohmann's parser, which then gives its own answer.
class JsonReader {
 public:
  explicit JsonReader(std::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}
  bool document(nlohmann::json& out) {
    space();
    if (!value(out, 0)) return false;
    space();
    return p_ == end_;
  }

 private:
  const char* p_;
  const char* end_;

  void space() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  bool literal(const char* word, std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n || std::memcmp(p_, word, n) != 0) return false;
    p_ += n;
    return true;
  }
  bool value(nlohmann::json& out, int depth) {
    if (p_ == end_ || depth > 64) return false;
    switch (*p_) {
      case '{': {
        ++p_;
        out = nlohmann::json::object();
        space();
        if (p_ != end_ && *p_ == '}') return ++p_, true;
        std::string key;
        for (;;) {
          space();
          if (p_ == end_ || *p_ != '"' || !string(key)) return false;
          space();
          if (p_ == end_ || *p_ != ':') return false;
          ++p_;
          space();
          if (!value(out[key], depth + 1)) return false;
          space();
          if (p_ == end_) return false;
          if (*p_ == '}') return ++p_, true;
          if (*p_++ != ',') return false;
        }
      }
      case '[': {
        ++p_;
        out = nlohmann::json::array();
        auto& a = out.get_ref<nlohmann::json::array_t&>();
        space();
        if (p_ != end_ && *p_ == ']') return ++p_, true;
        for (;;) {
          space();
          a.emplace_back();
          if (!value(a.back(), depth + 1)) return false;
          space();
          if (p_ == end_) return false;
          if (*p_ == ']') return ++p_, true;
          if (*p_++ != ',') return false;
        }
      }
      case '"': {
        std::string str;
        if (!string(str)) return false;
        out = std::move(str);
        return true;
      }
      case 't': out = true; return literal("true", 4);
      case 'f': out = false; return literal("false", 5);
      case 'n': out = nullptr; return literal("null", 4);
      default: return number(out);
    }
  }
  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  bool hex4(unsigned& v) {
    if (end_ - p_ < 4) return false;
    v = 0;
    for (int k = 0; k < 4; ++k) {
      const int h = hex(*p_++);
      if (h < 0) return false;
      v = v << 4 | static_cast<unsigned>(h);
    }
    return true;
  }
  bool string(std::string& out) {  // at the opening quote
    ++p_;
    out.clear();
    for (;;) {
      const char* run = p_;
      while (p_ != end_ && static_cast<unsigned char>(*p_) >= 0x20 && *p_ != '"' && *p_ != '\\' &&
             static_cast<unsigned char>(*p_) < 0x80)
        ++p_;
      out.append(run, p_);
      if (p_ == end_) return false;
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') return ++p_, true;
      if (c < 0x20) return false;
      if (c >= 0x80) {  // one UTF-8 sequence, checked as nlohmann's lexer checks it
        const int n = c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2 : c >= 0xF0 && c <= 0xF4 ? 3 : -1;
        if (n < 0 || end_ - p_ <= n) return false;
        const auto b1 = static_cast<unsigned char>(p_[1]);
        const unsigned lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80, hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
        if (b1 < lo || b1 > hi) return false;
        for (int k = 2; k <= n; ++k)
          if ((static_cast<unsigned char>(p_[k]) & 0xC0) != 0x80) return false;
        out.append(p_, p_ + n + 1);
        p_ += n + 1;
        continue;
      }
      ++p_;  // a backslash
      if (p_ == end_) return false;
      switch (*p_++) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          unsigned cp;
          if (!hex4(cp)) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            unsigned low;
            if (end_ - p_ < 6 || p_[0] != '\\' || p_[1] != 'u') return false;
            p_ += 2;
            if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          tf::text::append_utf8(static_cast<char32_t>(cp), out);
          break;
        }
        default: return false;
      }
    }
  }
  bool number(nlohmann::json& out) {
    const char* start = p_;
    const bool negative = p_ != end_ && *p_ == '-';
    if (negative) ++p_;
    if (p_ == end_ || *p_ < '0' || *p_ > '9') return false;
    std::uint64_t v = 0;
    bool overflow = false;
    if (*p_ == '0') {
      ++p_;
    } else {
      while (p_ != end_ && *p_ >= '0' && *p_ <= '9') {
        const unsigned d = static_cast<unsigned>(*p_++ - '0');
        if (v > (std::numeric_limits<std::uint64_t>::max() - d) / 10) overflow = true;
        else v = v * 10 + d;
      }
    }
    bool is_float = false;
    if (p_ != end_ && *p_ == '.') {
      is_float = true;
      ++p_;
      if (p_ == end_ || *p_ < '0' || *p_ > '9') return false;
      while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      is_float = true;
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ == end_ || *p_ < '0' || *p_ > '9') return false;
      while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    }
    if (!is_float && !overflow) {
      if (!negative) {
        out = v;
        return true;
      }
      if (v <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        out = -static_cast<std::int64_t>(v);
        return true;
      }
      if (v == static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + 1) {
        out = std::numeric_limits<std::int64_t>::min();
        return true;
      }
    }
    // a float, or an integer out of range (nlohmann then reads it as a float too): strtod, as nlohmann
    char buf[64];
    const std::size_t len = static_cast<std::size_t>(p_ - start);
    std::string long_token;
    const char* token = buf;
    if (len < sizeof buf) {
      std::memcpy(buf, start, len);
      buf[len] = '\0';
    } else {
      long_token.assign(start, len);
      token = long_token.c_str();
    }
    const double d = std::strtod(token, nullptr);
    if (!std::isfinite(d)) return false;  // nlohmann: "number overflow"
    out = d;
    return true;
  }
};

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
    j = parse_json_text(bytes.substr(i));
    if (j.is_discarded()) not_a_model(source, "its JSON is malformed or cut short");
  } else if (first >= 0xA0 && first <= 0xBF) {  // CBOR major type 5: a map
    j = decode_cbor(bytes);
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

nlohmann::json parse_json_text(std::string_view text) {
  nlohmann::json j;
  JsonReader fast(text);
  if (!fast.document(j)) j = nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  return j;
}

nlohmann::json decode_cbor(std::string_view bytes) {
  nlohmann::json j;
  CborReader fast(bytes);
  if (!fast.document(j))
    j = nlohmann::json::from_cbor(bytes.begin(), bytes.end(), /*strict=*/true, /*allow_exceptions=*/false);
  return j;
}

ModelEncoding encoding_for_path(const std::string& path) {
  return ends_with_ci(path, ".json") ? ModelEncoding::json : ModelEncoding::binary;
}

}  // namespace tf::io
