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
  if (ni == 0) {
    root = ~0;
    left.clear();
    right.clear();
    return n_leaves_ == 1;
  }
  left.assign(ni, 0);
  right.assign(ni, 0);
  // One pass in preorder: node i's zero child is a leaf (the next leaf number) or node i + 1; its other
  // child comes once the zero child's subtree is complete, so internal nodes wait for it on a stack.
  std::vector<std::int32_t> waiting;
  std::int32_t next_leaf = 0;
  auto set = [&](std::size_t i, bool zero_side, std::int32_t child) {
    const bool zero_left = 0.0f <= threshold[i];
    (zero_side == zero_left ? left[i] : right[i]) = child;
  };
  for (std::size_t i = 0; i < ni; ++i) {
    if (kinds[i] > 3) return false;
    const std::int32_t next = static_cast<std::int32_t>(i + 1);  // the next internal node in preorder
    if (!(kinds[i] & 1)) {  // the zero child is node i + 1; the other child waits
      if (i + 1 >= ni) return false;
      set(i, true, next);
      waiting.push_back(static_cast<std::int32_t>(i));
      continue;
    }
    set(i, true, ~next_leaf++);
    if (!(kinds[i] & 2)) {  // the other child is internal: the next node
      if (i + 1 >= ni) return false;
      set(i, false, next);
      continue;
    }
    set(i, false, ~next_leaf++);
    // node i's subtree is complete: give the waiting nodes their other child, leaves until one is internal
    bool placed = false;
    while (!waiting.empty()) {
      const std::size_t p = static_cast<std::size_t>(waiting.back());
      waiting.pop_back();
      if (kinds[p] & 2) {
        set(p, false, ~next_leaf++);
        continue;
      }
      if (i + 1 >= ni) return false;
      set(p, false, next);
      placed = true;
      break;
    }
    if (!placed && i + 1 != ni) return false;  // the whole tree is complete but nodes are left over
  }
  root = 0;
  return waiting.empty() && static_cast<std::size_t>(next_leaf) == n_leaves_;
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

// Every internal node's weighted impurity w * impurity is needed, and so its class counts. Trees here are
// long zero chains whose other child is mostly a small leaf, so the counts are carried up the tree: nodes are
// visited in reverse preorder (children before parents; the other child's subtree before the zero child's),
// each finished subtree leaves its dense counts on a stack, and a parent takes its zero child's counts over
// and adds the other child's. With q = sum of c^2 (gini) or of c ln c (entropy) kept up to date per changed
// class, a node costs the size of the leaf it adds, not n_classes.
bool Tree::add_importances(Criterion c, int n_classes, std::vector<double>& out, ImportanceScratch& scratch) const {
  const std::size_t n_int = feature.size();
  if (n_int == 0) return false;
  const bool gini = c == Criterion::gini;
  const double ln2 = std::log(2.0);
  auto term = [gini](double x) { return gini ? x * x : (x > 0 ? x * std::log(x) : 0.0); };
  // w * impurity from the total weight and q
  auto weighted = [gini, ln2](double w, double q) {
    if (w <= 0) return 0.0;
    return gini ? w - q / w : (w * std::log(w) - q) / ln2;
  };
  struct Counts {
    std::vector<double> c;
    double w = 0, q = 0;
  };
  std::vector<Counts> stack;  // stack[0, depth) in use; entries past depth keep their buffers for reuse
  std::size_t depth = 0;
  auto fresh = [&]() -> Counts& {
    if (depth == stack.size()) stack.emplace_back();
    Counts& s = stack[depth++];
    s.c.assign(n_classes, 0.0);
    s.w = s.q = 0;
    return s;
  };
  auto add = [&](Counts& s, std::int32_t k, double d) {
    const double before = s.c[k];
    s.c[k] = before + d;
    s.q += term(before + d) - term(before);
    s.w += d;
  };
  auto leaf_weighted = [&](std::int32_t l) {
    double w = 0, q = 0;
    for (std::int32_t k = leaf_offset[l]; k < leaf_offset[l + 1]; ++k) {
      w += leaf_count[k];
      q += term(leaf_count[k]);
    }
    return weighted(w, q);
  };
  std::vector<double> h(n_int), wn(n_int);
  auto add_leaf = [&](Counts& s, std::int32_t l) {
    for (std::int32_t k = leaf_offset[l]; k < leaf_offset[l + 1]; ++k) add(s, leaf_class[k], leaf_count[k]);
  };
  for (std::size_t i = n_int; i-- > 0;) {
    const std::int32_t z = zero_child(static_cast<std::int32_t>(i));
    const std::int32_t o = z == left[i] ? right[i] : left[i];
    // on the stack: the zero child's counts on top of the other child's, for those that are internal nodes
    if (z >= 0 && o >= 0) {
      Counts& dst = stack[depth - 2];
      const Counts& src = stack[depth - 1];
      for (int k = 0; k < n_classes; ++k)
        if (src.c[k] != 0) add(dst, k, src.c[k]);
      --depth;
    } else if (z >= 0 || o >= 0) {
      add_leaf(stack[depth - 1], z >= 0 ? ~o : ~z);
    } else {
      Counts& s = fresh();
      add_leaf(s, ~z);
      add_leaf(s, ~o);
    }
    h[i] = weighted(stack[depth - 1].w, stack[depth - 1].q);
    wn[i] = stack[depth - 1].w;
  }
  // the decrease per feature, for the features this tree tests (in the order first tested)
  std::vector<double>& local = scratch.local;
  local.resize(out.size(), 0.0);
  scratch.seen.resize(out.size(), 0);
  std::vector<std::int32_t>& used = scratch.used;
  used.clear();
  auto child = [&](std::int32_t ch) { return ch >= 0 ? h[ch] : leaf_weighted(~ch); };
  for (std::size_t i = 0; i < n_int; ++i) {
    const std::int32_t f = feature[i];
    if (!scratch.seen[f]) {
      scratch.seen[f] = 1;
      used.push_back(f);
    }
    local[f] += h[i] - child(left[i]) - child(right[i]);
  }
  const double root_w = wn[root];
  double total = 0;
  for (std::int32_t f : used) {
    local[f] /= root_w;
    total += local[f];
  }
  for (std::int32_t f : used) {
    out[f] += total > 0 ? local[f] / total : local[f];
    local[f] = 0.0;
    scratch.seen[f] = 0;
  }
  return true;
}

}  // namespace tf::forest::detail
