// The forest's trees as a few byte strings (the binary model's layout, issue 6): written and read
// directly, without one JSON value per node, so that saving or loading a forest of millions of nodes
// costs about the size of the file in memory and time.
//
// {"n_internal": varints[T], "n_leaves": varints[T],
//  "feature": varints[sum n_internal], "threshold": float32 LE[sum n_internal],
//  "kind": 2 bits per internal node (4 per byte, low bits first, across trees),
//  "leaf_size": varints[sum n_leaves], "leaf_class": varints[sum sizes],
//  "leaf_count": varints (when "integral_counts") or float64 LE [sum sizes], "integral_counts": bool}
// Trees are in tree order, nodes in each tree's canonical preorder (tree.h), exactly as the JSON arrays.
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "forest/tree.h"

namespace tf::forest::detail {
namespace {

using Bytes = std::vector<std::uint8_t>;

// Appends to a byte buffer through a raw pointer; reserve() the worst case first.
class Writer {
 public:
  void reserve(std::size_t n) {
    const std::size_t used = size();
    buf_.resize(used + n);
    p_ = buf_.data() + used;
  }
  void varint(std::uint64_t v) {
    while (v >= 0x80) {
      *p_++ = static_cast<std::uint8_t>(v | 0x80);
      v >>= 7;
    }
    *p_++ = static_cast<std::uint8_t>(v);
  }
  template <class T>
  void le(T v) {  // little-endian whatever the host
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof(T));
    for (std::size_t k = 0; k < sizeof(T); ++k) *p_++ = static_cast<std::uint8_t>(bits >> (8 * k));
  }
  void byte(std::uint8_t b) { *p_++ = b; }
  Bytes take() {
    buf_.resize(size());
    buf_.shrink_to_fit();
    return std::move(buf_);
  }

 private:
  std::size_t size() const { return buf_.empty() ? 0 : static_cast<std::size_t>(p_ - buf_.data()); }
  Bytes buf_;
  std::uint8_t* p_ = nullptr;
};

bool host_is_little_endian() {
  const std::uint16_t one = 1;
  std::uint8_t first;
  std::memcpy(&first, &one, 1);
  return first == 1;
}

bool integral_count(double v) { return v >= 0 && v < 9007199254740992.0 && v == std::floor(v); }

[[noreturn]] void malformed(const std::string& what) {
  throw Error(ErrorCode::model_format, "The forest model is not valid: " + what + ".", "forest");
}

// Reads one byte string front to back; every read is bounds-checked.
class Reader {
 public:
  Reader(const nlohmann::json& packed, const char* key) : name_(key) {
    const auto it = packed.find(key);
    if (it == packed.end() || !it->is_binary()) malformed(std::string("its packed trees lack \"") + key + "\"");
    const auto& b = it->get_binary();
    p_ = b.data();
    end_ = p_ + b.size();
  }
  std::uint64_t varint(std::uint64_t max) {
    if (p_ != end_ && *p_ < 0x80 && *p_ <= max) return *p_++;  // the common case: one byte
    return varint_long(max);
  }
  // n float32 values, little-endian in the file
  void floats(float* dst, std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) / 4 < n) malformed(std::string("\"") + name_ + "\" is cut short");
    if (host_is_little_endian()) {
      std::memcpy(dst, p_, n * 4);
      p_ += n * 4;
    } else {
      for (std::size_t i = 0; i < n; ++i) dst[i] = le<float>();
    }
  }
  std::uint64_t varint_long(std::uint64_t max) {
    std::uint64_t v = 0;
    for (int shift = 0;; shift += 7) {
      if (p_ == end_ || shift > 63) malformed(std::string("\"") + name_ + "\" is cut short or corrupt");
      const std::uint8_t b = *p_++;
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) break;
    }
    if (v > max) malformed(std::string("\"") + name_ + "\" holds an out-of-range value");
    return v;
  }
  template <class T>
  T le() {
    if (static_cast<std::size_t>(end_ - p_) < sizeof(T)) malformed(std::string("\"") + name_ + "\" is cut short");
    std::uint64_t bits = 0;
    for (std::size_t k = 0; k < sizeof(T); ++k) bits |= static_cast<std::uint64_t>(p_[k]) << (8 * k);
    p_ += sizeof(T);
    T v;
    std::memcpy(&v, &bits, sizeof(T));
    return v;
  }
  std::size_t remaining() const { return static_cast<std::size_t>(end_ - p_); }
  void expect_end() const {
    if (p_ != end_) malformed(std::string("\"") + name_ + "\" has bytes left over");
  }

 private:
  const char* name_;
  const std::uint8_t* p_;
  const std::uint8_t* end_;
};

}  // namespace

nlohmann::json pack_trees(const std::vector<Tree>& trees) {
  Writer n_internal, n_leaves, feature, threshold, kind, leaf_size, leaf_class, leaf_count;
  bool integral = true;
  std::size_t total_internal = 0, total_leaves = 0, total_entries = 0;
  for (const Tree& t : trees) {
    total_internal += t.feature.size();
    total_leaves += t.n_leaves();
    total_entries += t.leaf_count.size();
    for (double c : t.leaf_count) integral = integral && integral_count(c);
  }
  // worst cases: a varint of 32 bits takes 5 bytes, of 53 bits 8
  n_internal.reserve(trees.size() * 5);
  n_leaves.reserve(trees.size() * 5);
  feature.reserve(total_internal * 5);
  threshold.reserve(total_internal * 4);
  kind.reserve(total_internal / 4 + 1);
  leaf_size.reserve(total_leaves * 5);
  leaf_class.reserve(total_entries * 5);
  leaf_count.reserve(total_entries * 8);
  std::uint8_t pending = 0;  // 2-bit kinds of internal nodes across trees, 4 to a byte
  std::size_t node = 0;
  for (const Tree& t : trees) {
    n_internal.varint(t.feature.size());
    n_leaves.varint(t.n_leaves());
    for (std::int32_t f : t.feature) feature.varint(static_cast<std::uint32_t>(f));
    for (float v : t.threshold) threshold.le(v);
    for (std::size_t i = 0; i < t.feature.size(); ++i, ++node) {
      const std::int32_t z = t.zero_child(static_cast<std::int32_t>(i));
      const std::int32_t o = z == t.left[i] ? t.right[i] : t.left[i];
      pending = static_cast<std::uint8_t>(pending | ((z < 0 ? 1 : 0) | (o < 0 ? 2 : 0)) << (2 * (node % 4)));
      if (node % 4 == 3) {
        kind.byte(pending);
        pending = 0;
      }
    }
    for (std::size_t l = 0; l < t.n_leaves(); ++l)
      leaf_size.varint(static_cast<std::uint32_t>(t.leaf_offset[l + 1] - t.leaf_offset[l]));
    for (std::int32_t c : t.leaf_class) leaf_class.varint(static_cast<std::uint32_t>(c));
    for (double c : t.leaf_count) {
      if (integral) leaf_count.varint(static_cast<std::uint64_t>(c));
      else leaf_count.le(c);
    }
  }
  if (node % 4 != 0) kind.byte(pending);
  using json = nlohmann::json;
  return json{{"n_internal", json::binary(n_internal.take())},
              {"n_leaves", json::binary(n_leaves.take())},
              {"feature", json::binary(feature.take())},
              {"threshold", json::binary(threshold.take())},
              {"kind", json::binary(kind.take())},
              {"leaf_size", json::binary(leaf_size.take())},
              {"leaf_class", json::binary(leaf_class.take())},
              {"leaf_count", json::binary(leaf_count.take())},
              {"integral_counts", integral}};
}

std::vector<Tree> unpack_trees(const nlohmann::json& packed, int n_classes, std::size_t n_features) {
  if (!packed.is_object()) malformed("its packed trees are not an object");
  const auto ic = packed.find("integral_counts");
  if (ic == packed.end() || !ic->is_boolean()) malformed("its packed trees lack \"integral_counts\"");
  const bool integral = ic->get<bool>();
  Reader n_internal(packed, "n_internal"), n_leaves(packed, "n_leaves"), feature(packed, "feature"),
      threshold(packed, "threshold"), leaf_size(packed, "leaf_size"),
      leaf_class(packed, "leaf_class"), leaf_count(packed, "leaf_count");
  const auto& nb = packed.at("n_internal").get_binary();
  std::vector<Tree> trees;
  // one varint per tree in "n_internal": count the bytes without the continuation bit
  std::size_t n_trees = 0;
  for (std::uint8_t b : nb) n_trees += !(b & 0x80);
  trees.reserve(n_trees);
  const auto kind_it = packed.find("kind");
  if (kind_it == packed.end() || !kind_it->is_binary()) malformed("its packed trees lack \"kind\"");
  const std::uint8_t* kinds_at = kind_it->get_binary().data();
  const std::size_t kinds_bytes = kind_it->get_binary().size();
  std::size_t node = 0;
  constexpr std::uint64_t kMaxNodes = 1u << 30;
  for (std::size_t t = 0; t < n_trees; ++t) {
    Tree tr;
    const std::size_t ni = n_internal.varint(kMaxNodes), nl = n_leaves.varint(kMaxNodes);
    // a binary tree has one leaf more than internal nodes; every node takes at least a byte of "feature"
    if (nl != ni + 1 || ni > feature.remaining()) malformed("a tree's node counts are inconsistent");
    if (ni > 0 && n_features == 0) malformed("a tree node tests an unknown feature");
    tr.feature.resize(ni);
    tr.threshold.resize(ni);
    for (std::size_t i = 0; i < ni; ++i) tr.feature[i] = static_cast<std::int32_t>(feature.varint(n_features - 1));
    threshold.floats(tr.threshold.data(), ni);
    std::vector<std::uint8_t> kinds(ni);
    if ((node + ni + 3) / 4 > kinds_bytes) malformed("\"kind\" is cut short");
    for (std::size_t i = 0; i < ni; ++i, ++node) kinds[i] = (kinds_at[node / 4] >> (2 * (node % 4))) & 3;
    tr.leaf_offset.assign(1, 0);
    tr.leaf_offset.reserve(nl + 1);
    for (std::size_t l = 0; l < nl; ++l)
      tr.leaf_offset.push_back(tr.leaf_offset.back() +
                               static_cast<std::int32_t>(leaf_size.varint(static_cast<std::uint64_t>(n_classes))));
    const std::size_t entries = static_cast<std::size_t>(tr.leaf_offset.back());
    if (entries > leaf_class.remaining()) malformed("\"leaf_class\" is cut short");
    tr.leaf_class.resize(entries);
    tr.leaf_count.resize(entries);
    for (std::size_t k = 0; k < entries; ++k)
      tr.leaf_class[k] = static_cast<std::int32_t>(leaf_class.varint(static_cast<std::uint64_t>(n_classes - 1)));
    for (std::size_t k = 0; k < entries; ++k)
      tr.leaf_count[k] = integral ? static_cast<double>(leaf_count.varint(9007199254740991ull)) : leaf_count.le<double>();
    if (!tr.set_shape(kinds, nl)) malformed("a tree's arrays are inconsistent");
    tr.finish();
    trees.push_back(std::move(tr));
  }
  if ((node + 3) / 4 != kinds_bytes) malformed("\"kind\" has bytes left over");
  for (Reader* r : {&n_internal, &n_leaves, &feature, &threshold, &leaf_size, &leaf_class, &leaf_count}) r->expect_end();
  return trees;
}

}  // namespace tf::forest::detail
