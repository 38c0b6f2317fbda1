// Tree: canonical order, shape encoding, prediction index, importances.
#include <algorithm>
#include <cmath>

#include "forest/tree.h"

namespace tf::forest::detail {

void Tree::canonicalize() {
  Tree out;
  const std::size_t ni = feature.size();
  out.feature.reserve(ni);
  out.threshold.reserve(ni);
  out.left.reserve(ni);
  out.right.reserve(ni);
  out.leaf_class.reserve(leaf_class.size());
  out.leaf_count.reserve(leaf_count.size());
  // slots to fill, in preorder: (old reference, new parent, parent's side: 0 left, 1 right)
  struct Slot { std::int32_t old, parent; int side; };
  std::vector<Slot> stack{{root, -1, 0}};
  while (!stack.empty()) {
    const Slot sl = stack.back();
    stack.pop_back();
    std::int32_t ref;
    if (sl.old < 0) {
      const std::int32_t l = ~sl.old;
      ref = ~static_cast<std::int32_t>(out.n_leaves());
      for (std::int32_t k = leaf_offset[l]; k < leaf_offset[l + 1]; ++k) {
        out.leaf_class.push_back(leaf_class[k]);
        out.leaf_count.push_back(leaf_count[k]);
      }
      out.leaf_offset.push_back(static_cast<std::int32_t>(out.leaf_class.size()));
    } else {
      const std::int32_t i = sl.old;
      ref = static_cast<std::int32_t>(out.feature.size());
      out.feature.push_back(feature[i]);
      out.threshold.push_back(threshold[i]);
      out.left.push_back(0);
      out.right.push_back(0);
      const bool zero_left = 0.0f <= threshold[i];
      // push the other child first so that the zero child is visited (numbered) first
      if (zero_left) {
        stack.push_back({right[i], ref, 1});
        stack.push_back({left[i], ref, 0});
      } else {
        stack.push_back({left[i], ref, 0});
        stack.push_back({right[i], ref, 1});
      }
    }
    if (sl.parent < 0) out.root = ref;
    else if (sl.side == 0) out.left[sl.parent] = ref;
    else out.right[sl.parent] = ref;
  }
  *this = std::move(out);
}

std::vector<std::uint8_t> Tree::kinds() const {
  std::vector<std::uint8_t> k(feature.size());
  for (std::size_t i = 0; i < feature.size(); ++i) {
    const std::int32_t z = zero_child(static_cast<std::int32_t>(i));
    const std::int32_t o = z == left[i] ? right[i] : left[i];
    k[i] = static_cast<std::uint8_t>((z < 0 ? 1 : 0) | (o < 0 ? 2 : 0));
  }
  return k;
}

bool Tree::set_shape(const std::vector<std::uint8_t>& kinds, std::size_t n_leaves_) {
  const std::size_t ni = kinds.size();
  if (ni != feature.size() || ni != threshold.size()) return false;
  left.assign(ni, 0);
  right.assign(ni, 0);
  struct Slot { bool leaf; std::int32_t parent; int side; };
  std::vector<Slot> stack{{ni == 0, -1, 0}};
  std::size_t next_int = 0, next_leaf = 0;
  while (!stack.empty()) {
    const Slot sl = stack.back();
    stack.pop_back();
    std::int32_t ref;
    if (sl.leaf) {
      if (next_leaf >= n_leaves_) return false;
      ref = ~static_cast<std::int32_t>(next_leaf++);
    } else {
      if (next_int >= ni) return false;
      const std::size_t i = next_int++;
      ref = static_cast<std::int32_t>(i);
      if (kinds[i] > 3) return false;
      const bool zero_left = 0.0f <= threshold[i];
      const bool zero_leaf = kinds[i] & 1, other_leaf = kinds[i] & 2;
      const int zero_side = zero_left ? 0 : 1;
      stack.push_back({other_leaf, ref, 1 - zero_side});
      stack.push_back({zero_leaf, ref, zero_side});
    }
    if (sl.parent < 0) root = ref;
    else if (sl.side == 0) left[sl.parent] = ref;
    else right[sl.parent] = ref;
  }
  return next_int == ni && next_leaf == n_leaves_;
}

void Tree::finish() {
  leaf_proba.resize(leaf_count.size());
  for (std::size_t l = 0; l + 1 < leaf_offset.size(); ++l) {
    double sum = 0;
    for (std::int32_t k = leaf_offset[l]; k < leaf_offset[l + 1]; ++k) sum += leaf_count[k];
    if (sum == 0.0) sum = 1.0;  // sklearn: normalizer[normalizer == 0.0] = 1.0
    for (std::int32_t k = leaf_offset[l]; k < leaf_offset[l + 1]; ++k) leaf_proba[k] = leaf_count[k] / sum;
  }
  const std::int32_t ni = static_cast<std::int32_t>(feature.size());
  chain_last.assign(ni, 0);
  for (std::int32_t i = ni; i-- > 0;) {
    const std::int32_t z = zero_child(i);
    chain_last[i] = z >= 0 ? chain_last[z] : i;  // canonical: z == i + 1
  }
}

void PredictIndex::build(const std::vector<Tree>& trees, std::size_t n_features) {
  off_.assign(n_features + 1, 0);
  for (const Tree& t : trees)
    for (std::int32_t f : t.feature) ++off_[f + 1];
  for (std::size_t f = 0; f < n_features; ++f) off_[f + 1] += off_[f];
  key_.resize(static_cast<std::size_t>(off_[n_features]));
  std::vector<std::int64_t> fill(off_.begin(), off_.end() - 1);
  for (std::size_t t = 0; t < trees.size(); ++t) {
    const Tree& tr = trees[t];
    for (std::size_t i = 0; i < tr.feature.size(); ++i)
      key_[fill[tr.feature[i]]++] = (static_cast<std::uint64_t>(t) << 32) | static_cast<std::uint32_t>(i);
  }
}

bool Tree::add_importances(Criterion c, int n_classes, std::vector<double>& out) const {
  const std::size_t n_int = feature.size();
  if (n_int == 0) return false;
  const int C = n_classes;
  std::vector<double> counts(n_int * C, 0.0), wn(n_int, 0.0), imp(n_int, 0.0);
  std::vector<double> leaf_w(n_leaves(), 0.0), leaf_imp(n_leaves(), 0.0);
  std::vector<double> buf(C);
  auto impurity = [&](const double* cnt, double w) {
    if (c == Criterion::gini) {
      double sq = 0;
      for (int k = 0; k < C; ++k) sq += cnt[k] * cnt[k];
      return 1.0 - sq / (w * w);
    }
    double e = 0;
    for (int k = 0; k < C; ++k)
      if (cnt[k] > 0) {
        const double p = cnt[k] / w;
        e -= p * (std::log(p) / std::log(2.0));
      }
    return e;
  };
  for (std::size_t l = 0; l < n_leaves(); ++l) {
    std::fill(buf.begin(), buf.end(), 0.0);
    double w = 0;
    for (std::int32_t k = leaf_offset[l]; k < leaf_offset[l + 1]; ++k) {
      buf[leaf_class[k]] = leaf_count[k];
      w += leaf_count[k];
    }
    leaf_w[l] = w;
    leaf_imp[l] = w > 0 ? impurity(buf.data(), w) : 0.0;
  }
  auto add_child = [&](std::size_t i, std::int32_t ch) {
    double* dst = &counts[i * C];
    if (ch >= 0) {
      for (int k = 0; k < C; ++k) dst[k] += counts[ch * C + k];
    } else {
      const int l = ~ch;
      for (std::int32_t k = leaf_offset[l]; k < leaf_offset[l + 1]; ++k) dst[leaf_class[k]] += leaf_count[k];
    }
  };
  for (std::size_t i = n_int; i-- > 0;) {  // children have larger indices than their parent
    add_child(i, left[i]);
    add_child(i, right[i]);
    double w = 0;
    for (int k = 0; k < C; ++k) w += counts[i * C + k];
    wn[i] = w;
    imp[i] = impurity(&counts[i * C], w);
  }
  std::vector<std::pair<std::int32_t, double>> dec;
  double total = 0;
  std::vector<double> local(out.size(), 0.0);
  for (std::size_t i = 0; i < n_int; ++i) {
    auto wi = [&](std::int32_t ch, double& w, double& im) {
      if (ch >= 0) { w = wn[ch]; im = imp[ch]; } else { w = leaf_w[~ch]; im = leaf_imp[~ch]; }
    };
    double wl, il, wr, ir;
    wi(left[i], wl, il);
    wi(right[i], wr, ir);
    local[feature[i]] += wn[i] * imp[i] - wl * il - wr * ir;
  }
  const double root_w = wn[root];
  for (double& v : local) {
    v /= root_w;
    total += v;
  }
  if (total > 0)
    for (double& v : local) v /= total;
  for (std::size_t f = 0; f < out.size(); ++f) out[f] += local[f];
  return true;
}

}  // namespace tf::forest::detail
