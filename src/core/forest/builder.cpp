// The tree builder: scikit-learn 1.2's DepthFirstTreeBuilder + BestSparseSplitter semantics, reorganised so
// that a node costs time in proportion to the non-zeros it actually holds, not to its number of rows.
//
// How it works (one Builder per thread, reused across trees):
//  - samples[start, end) are the rows of a node (rows with a non-zero sample weight, each once; bootstrap
//    multiplicity is the weight, as sklearn's curr_sample_weight *= sample_counts); where[r] is r's position.
//  - A Context is the node's own inverted index: for every feature present in the node, the list of the
//    node's stored entries of that feature (cnt[f] of them, in arena[start[f], start[f] + cnt[f])), and the
//    set of present features (items). Splitting a node moves the rows of the child with fewer non-zeros into
//    a fresh context and removes them from the parent's, which the other child inherits; so each row is
//    touched O(log nnz) times per tree, and at most ~log2(nnz) contexts are alive at once.
//  - Feature sampling has sklearn's distribution: sklearn visits features in a uniformly random order,
//    stops after max_features visits if one of them was non-constant, else at the first non-constant one.
//    Absent features are constant, so: the number j of present features among the first max_features of a
//    random permutation of all features is hypergeometric; we evaluate j random present features in random
//    order and, if all were constant, keep drawing present features until a non-constant one.
//  - Candidate splits: the node's values of a feature sorted, the zeros as one block; a threshold between
//    two consecutive values more than 1e-7 apart (sklearn's FEATURE_THRESHOLD), at their midpoint computed
//    as sklearn does on float32 values; the best proxy improvement wins, the first one on ties.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "forest/tree.h"

namespace tf::forest::detail {
namespace {

constexpr double kFeatureThreshold = 1e-7;                               // sklearn FEATURE_THRESHOLD
constexpr double kEpsilon = std::numeric_limits<double>::epsilon();     // sklearn EPSILON
const double kLn2 = std::log(2.0);

// One node's inverted index (see the file comment).
struct Feat {
  std::int32_t cnt = 0;    // the node's rows holding the feature
  std::int32_t start = 0;  // their entries: arena[start, start + cnt)
  std::int32_t pos = 0;    // position in items
};
struct Context {
  std::vector<Feat> feat;             // per feature
  std::vector<std::int32_t> items;    // present features
  std::vector<std::int32_t> arena;    // stored-entry ids, grouped by feature
  void init(int n_features) { feat.assign(n_features, Feat{}); }
};

struct Pending {
  std::int32_t start, end, depth;
  std::int32_t parent;  // internal node index, -1 for the root
  bool is_left;
  bool leaf;            // known to be a leaf already (pure, too small, max depth)
  std::int32_t ctx;     // context index, -1 when leaf
  double impurity, weighted_n;
  long long nnz;
};

// Uniform integer in [0, n), 0 < n < 2^32: Lemire's multiply-shift with rejection on the high 32 bits of
// one SplitMix64 output, dividing only in the rare case that needs it. 32 x 32 -> 64-bit products are
// native in WebAssembly (a 128-bit product is a library call there). Same numbers on every platform.
inline std::uint64_t draw(SplitMix64& g, std::uint64_t n64) {
  const std::uint32_t n = static_cast<std::uint32_t>(n64);
  std::uint64_t m = (g.next() >> 32) * n;
  std::uint32_t low = static_cast<std::uint32_t>(m);
  if (low < n) {
    const std::uint32_t threshold = (0u - n) % n;
    while (low < threshold) {
      m = (g.next() >> 32) * n;
      low = static_cast<std::uint32_t>(m);
    }
  }
  return m >> 32;
}

struct Candidate {
  bool found = false;
  std::int32_t feature = -1;
  double threshold = 0;
  double proxy = -std::numeric_limits<double>::infinity();
  std::int32_t n_left = 0;
  double w_left = 0;
};

}  // namespace

struct Builder::State {
  const Data& d;
  const Settings& s;
  int C, F;
  struct RowInfo {
    double w;        // sample weight of this tree (0: not in the tree)
    std::int32_t y;  // class
  };
  std::vector<RowInfo> rows;              // per row
  std::vector<std::int32_t> samples, where;
  std::vector<std::uint8_t> mark;          // per row, scratch for partitioning
  std::vector<std::int32_t> entry_slot;    // per stored entry: its slot in the arena of its row's context
  std::vector<Context> ctx;
  std::vector<std::int32_t> free_ctx;
  std::vector<Pending> stack;
  std::vector<double> stack_counts;        // C per stack entry
  std::vector<std::uint64_t> vals;       // scratch: a feature's sort_key(value, row) in the node
  std::vector<double> node_counts, left_counts, best_left, zero_counts, right_counts;
  std::vector<std::int32_t> moving;

  State(const Data& d_, const Settings& s_) : d(d_), s(s_), C(d_.n_classes), F(d_.n_features) {
    rows.resize(d.n_rows);
    for (int r = 0; r < d.n_rows; ++r) rows[r] = {0.0, d.y[r]};
    where.assign(d.n_rows, -1);
    mark.assign(d.n_rows, 0);
    entry_slot.assign(d.col.size(), 0);
    node_counts.resize(C);
    left_counts.resize(C);
    best_left.resize(C);
    zero_counts.resize(C);
    right_counts.resize(C);
  }

  // ---- contexts ---------------------------------------------------------------------------------------
  int new_ctx() {
    if (!free_ctx.empty()) {
      int c = free_ctx.back();
      free_ctx.pop_back();
      return c;
    }
    ctx.emplace_back();
    ctx.back().init(F);
    return static_cast<int>(ctx.size()) - 1;
  }
  void clear_ctx(int c) {
    Context& x = ctx[c];
    for (std::int32_t f : x.items) x.feat[f].cnt = 0;
    x.items.clear();
    x.arena.clear();
  }
  void release_ctx(int c) {
    clear_ctx(c);
    free_ctx.push_back(c);
  }
  // Fills an empty context with the rows samples[a, b).
  void fill_ctx(int c, std::int32_t a, std::int32_t b) {
    Context& x = ctx[c];
    for (std::int32_t i = a; i < b; ++i) {
      const std::int32_t r = samples[i];
      for (std::int32_t e = d.row_ptr[r]; e < d.row_ptr[r + 1]; ++e) {
        const std::int32_t f = d.col[e];
        if (x.feat[f].cnt++ == 0) {
          x.feat[f].pos = static_cast<std::int32_t>(x.items.size());
          x.items.push_back(f);
        }
      }
    }
    std::int32_t offset = 0;
    for (std::int32_t f : x.items) {
      x.feat[f].start = offset;
      offset += x.feat[f].cnt;
      x.feat[f].cnt = 0;
    }
    x.arena.resize(offset);
    for (std::int32_t i = a; i < b; ++i) {
      const std::int32_t r = samples[i];
      for (std::int32_t e = d.row_ptr[r]; e < d.row_ptr[r + 1]; ++e) {
        const std::int32_t f = d.col[e];
        const std::int32_t slot = x.feat[f].start + x.feat[f].cnt++;
        x.arena[slot] = e;
        entry_slot[e] = slot;
      }
    }
  }
  void remove_rows(int c, std::int32_t a, std::int32_t b) {
    Context& x = ctx[c];
    for (std::int32_t i = a; i < b; ++i) {
      const std::int32_t r = samples[i];
      for (std::int32_t e = d.row_ptr[r]; e < d.row_ptr[r + 1]; ++e) {
        const std::int32_t f = d.col[e];
        const std::int32_t slot = entry_slot[e];
        const std::int32_t last = x.feat[f].start + --x.feat[f].cnt;
        if (slot != last) {
          const std::int32_t moved = x.arena[last];
          x.arena[slot] = moved;
          entry_slot[moved] = slot;
        }
        if (x.feat[f].cnt == 0) {  // f leaves the node: swap-remove it from items
          const std::int32_t p = x.feat[f].pos;
          const std::int32_t g = x.items.back();
          x.items[p] = g;
          x.feat[g].pos = p;
          x.items.pop_back();
        }
      }
    }
  }

  // ---- criterion ---------------------------------------------------------------------------------------
  double impurity(const double* counts, double wn) const {
    if (s.criterion == Criterion::gini) {
      double sq = 0.0;
      for (int k = 0; k < C; ++k) sq += counts[k] * counts[k];
      return 1.0 - sq / (wn * wn);
    }
    double ent = 0.0;
    for (int k = 0; k < C; ++k) {
      double c = counts[k];
      if (c > 0.0) {
        c /= wn;
        ent -= c * (std::log(c) / kLn2);
      }
    }
    return ent;
  }

  // ---- split search -----------------------------------------------------------------------------------
  // A float32 value and a row packed so that sorting the integers sorts by value, then row (a total order,
  // so every standard library sorts alike).
  static std::uint64_t sort_key(float v, std::int32_t row) {
    std::uint32_t b;
    std::memcpy(&b, &v, sizeof b);
    b = (b & 0x80000000u) ? ~b : (b | 0x80000000u);
    return (static_cast<std::uint64_t>(b) << 32) | static_cast<std::uint32_t>(row);
  }
  static float key_value(std::uint64_t k) {
    std::uint32_t b = static_cast<std::uint32_t>(k >> 32);
    b = (b & 0x80000000u) ? (b & 0x7fffffffu) : ~b;
    float v;
    std::memcpy(&v, &b, sizeof v);
    return v;
  }
  static std::int32_t key_row(std::uint64_t k) { return static_cast<std::int32_t>(k & 0xffffffffu); }

  // Evaluates feature f on the node (sq_node: the sum of squared class weights, for gini); returns false
  // if f is constant there. Gini is updated per moved row in O(1) (exact for integer weights); entropy is
  // recomputed per candidate.
  bool evaluate(const Context& x, std::int32_t f, std::int32_t n_node, double wn, double sq_node, Candidate& best) {
    const Feat& ft = x.feat[f];
    const std::int32_t n_nz = ft.cnt;
    vals.resize(n_nz);
    std::copy(node_counts.begin(), node_counts.end(), zero_counts.begin());
    double w_nz = 0;
    for (std::int32_t k = 0; k < n_nz; ++k) {
      const Data::Entry& en = d.entry[x.arena[ft.start + k]];
      vals[k] = sort_key(en.val, en.row);
      const RowInfo& ri = rows[en.row];
      zero_counts[ri.y] -= ri.w;
      w_nz += ri.w;
    }
    std::sort(vals.begin(), vals.end());
    const std::int32_t n_zero = n_node - n_nz;
    double lo = key_value(vals.front()), hi = key_value(vals.back());
    if (n_zero > 0) {
      lo = std::min(lo, 0.0);
      hi = std::max(hi, 0.0);
    }
    if (hi <= lo + kFeatureThreshold) return false;

    std::size_t n_neg = 0;
    while (n_neg < vals.size() && key_value(vals[n_neg]) < 0.0f) ++n_neg;
    const double w_zero = wn - w_nz;
    const bool gini = s.criterion == Criterion::gini;
    std::fill(left_counts.begin(), left_counts.end(), 0.0);
    double sq_left = 0.0, sq_right = sq_node;
    std::int32_t n_left = 0;
    double w_left = 0;
    const std::int32_t msl = static_cast<std::int32_t>(std::min<long long>(s.min_samples_leaf, n_node));
    // Walk the items in order: vals[0, n_neg), the zero block, vals[n_neg, n_nz).
    const std::size_t n_items = vals.size() + (n_zero > 0 ? 1 : 0);
    double prev = 0;
    for (std::size_t it = 0; it < n_items; ++it) {
      const bool zero_block = n_zero > 0 && it == n_neg;
      std::uint64_t key = 0;
      double value = 0.0;
      if (!zero_block) {
        key = vals[it - ((n_zero > 0 && it > n_neg) ? 1 : 0)];
        value = key_value(key);
      }
      if (it > 0 && !(value <= prev + kFeatureThreshold) && n_left >= msl && n_node - n_left >= msl) {
        // A candidate: [items before it] | [it and after]
        const double w_right = wn - w_left;
        double proxy;
        if (gini) {
          proxy = -w_right * (1.0 - sq_right / (w_right * w_right)) - w_left * (1.0 - sq_left / (w_left * w_left));
        } else {
          for (int k = 0; k < C; ++k) right_counts[k] = node_counts[k] - left_counts[k];
          proxy = -w_right * impurity(right_counts.data(), w_right) - w_left * impurity(left_counts.data(), w_left);
        }
        if (proxy > best.proxy) {
          best.found = true;
          best.proxy = proxy;
          best.feature = f;
          double thr = prev / 2.0 + value / 2.0;
          if (thr == value || std::isinf(thr)) thr = prev;
          best.threshold = thr;
          best.n_left = n_left;
          best.w_left = w_left;
          std::copy(left_counts.begin(), left_counts.end(), best_left.begin());
        }
      }
      if (zero_block) {
        sq_left = 0.0;
        sq_right = 0.0;
        for (int k = 0; k < C; ++k) {
          left_counts[k] += zero_counts[k];
          const double r = node_counts[k] - left_counts[k];
          sq_left += left_counts[k] * left_counts[k];
          sq_right += r * r;
        }
        n_left += n_zero;
        w_left += w_zero;
      } else {
        const RowInfo& ri = rows[key_row(key)];
        const double l = left_counts[ri.y], r = node_counts[ri.y] - l, ww = ri.w;
        sq_left += ww * (2.0 * l + ww);
        sq_right += ww * (ww - 2.0 * r);
        left_counts[ri.y] = l + ww;
        n_left += 1;
        w_left += ww;
      }
      prev = value;
    }
    return true;
  }


  std::int32_t hypergeometric(std::int32_t N, std::int32_t K, std::int32_t m, SplitMix64& rng) {
    if (m >= N) return K;
    std::int32_t s_ = 0;
    if (K <= m) {
      for (std::int32_t i = 0; i < K; ++i)
        if (static_cast<std::int32_t>(draw(rng, static_cast<std::uint64_t>(N - i))) < m - s_) ++s_;
    } else {
      for (std::int32_t i = 0; i < m; ++i)
        if (static_cast<std::int32_t>(draw(rng, static_cast<std::uint64_t>(N - i))) < K - s_) ++s_;
    }
    return s_;
  }

  // Moves the rows of the node [a, b) with x[f] > threshold (thr >= 0) or x[f] <= threshold (thr < 0), all
  // of them rows with a stored entry of f, to the right or left end; returns the sum of their nnz.
  long long partition(const Context& x, std::int32_t a, std::int32_t b, std::int32_t pos, std::int32_t f,
                      double thr) {
    const bool to_right = thr >= 0.0;  // zeros go left: the moving rows are the right ones
    moving.clear();
    for (std::int32_t k = x.feat[f].start, e_end = x.feat[f].start + x.feat[f].cnt; k < e_end; ++k) {
      const std::int32_t e = x.arena[k];
      const bool goes_left = static_cast<double>(d.entry[e].val) <= thr;
      if (goes_left != to_right) moving.push_back(d.entry[e].row);
    }
    long long nnz = 0;
    for (std::int32_t r : moving) {
      mark[r] = 1;
      nnz += d.row_ptr[r + 1] - d.row_ptr[r];
    }
    // Region the moving rows must end up in: [pos, b) when to_right, else [a, pos).
    const std::int32_t lo = to_right ? pos : a, hi = to_right ? b : pos;
    std::int32_t j = lo;
    for (std::int32_t r : moving) {
      const std::int32_t p = where[r];
      if (p >= lo && p < hi) continue;
      while (mark[samples[j]]) ++j;
      const std::int32_t other = samples[j];
      samples[j] = r;
      where[r] = j;
      samples[p] = other;
      where[other] = p;
      ++j;
    }
    for (std::int32_t r : moving) mark[r] = 0;
    return nnz;
  }

  Tree build(std::uint64_t tree_seed);
};

Builder::Builder(const Data& d, const Settings& s) : st_(new State(d, s)) {}
Builder::~Builder() { delete st_; }
Tree Builder::build(std::uint64_t tree_seed) { return st_->build(tree_seed); }

std::vector<std::int32_t> bootstrap_counts(std::uint64_t tree_seed, int n_rows, long long n_draws) {
  std::vector<std::int32_t> counts(n_rows, 0);
  SplitMix64 rng(derive_seed(tree_seed, 0));
  for (long long k = 0; k < n_draws; ++k) ++counts[draw(rng, static_cast<std::uint64_t>(n_rows))];
  return counts;
}

Tree Builder::State::build(std::uint64_t tree_seed) {
  Tree t;
  const int n = d.n_rows;
  // Sample weights: bootstrap counts times class weights (sklearn's _parallel_build_trees).
  if (s.bootstrap) {
    std::vector<std::int32_t> counts = bootstrap_counts(tree_seed, n, s.n_samples_bootstrap);
    for (int r = 0; r < n; ++r) rows[r].w = counts[r];
    if (s.class_weight == 1) {
      for (int r = 0; r < n; ++r) rows[r].w = s.balanced_weight[d.y[r]] * rows[r].w;
    } else if (s.class_weight == 2) {
      std::vector<double> per_class(C, 0.0);
      for (int r = 0; r < n; ++r) per_class[d.y[r]] += counts[r];
      int present = 0;
      for (int k = 0; k < C; ++k) present += per_class[k] > 0;
      std::vector<double> cw(C, 0.0);
      for (int k = 0; k < C; ++k)
        if (per_class[k] > 0) cw[k] = static_cast<double>(s.n_samples_bootstrap) / (present * per_class[k]);
      for (int r = 0; r < n; ++r) rows[r].w = rows[r].w * cw[d.y[r]];
    }
  } else {
    for (int r = 0; r < n; ++r) rows[r].w = s.class_weight ? s.balanced_weight[d.y[r]] : 1.0;
  }
  SplitMix64 rng(derive_seed(tree_seed, 1));

  samples.clear();
  long long root_nnz = 0;
  std::fill(node_counts.begin(), node_counts.end(), 0.0);
  double root_wn = 0;
  for (int r = 0; r < n; ++r) {
    if (rows[r].w != 0.0) {
      where[r] = static_cast<std::int32_t>(samples.size());
      samples.push_back(r);
      root_nnz += d.row_ptr[r + 1] - d.row_ptr[r];
      node_counts[d.y[r]] += rows[r].w;
      root_wn += rows[r].w;
    }
  }
  const std::int32_t n_root = static_cast<std::int32_t>(samples.size());
  if (n_root == 0) {  // nothing to learn from: one empty leaf
    t.root = ~0;
    t.leaf_offset.push_back(0);
    t.finish();
    return t;
  }

  auto known_leaf = [&](std::int32_t n_node, std::int32_t depth, double imp) {
    return depth >= s.max_depth || n_node < s.min_samples_split || n_node < 2 * s.min_samples_leaf ||
           imp <= kEpsilon;
  };

  stack.clear();
  stack_counts.clear();
  {
    const double imp = impurity(node_counts.data(), root_wn);
    Pending root{0, n_root, 0, -1, false, known_leaf(n_root, 0, imp), -1, imp, root_wn, root_nnz};
    if (!root.leaf) {
      root.ctx = new_ctx();
      fill_ctx(root.ctx, 0, n_root);
    }
    stack.push_back(root);
    stack_counts.insert(stack_counts.end(), node_counts.begin(), node_counts.end());
  }

  while (!stack.empty()) {
    const Pending p = stack.back();
    stack.pop_back();
    std::copy(stack_counts.end() - C, stack_counts.end(), node_counts.begin());
    stack_counts.resize(stack_counts.size() - C);
    const std::int32_t n_node = p.end - p.start;

    Candidate best;
    if (!p.leaf) {
      Context& x = ctx[p.ctx];
      const std::int32_t K = static_cast<std::int32_t>(x.items.size());
      const std::int32_t j = hypergeometric(F, K, s.max_features, rng);
      bool found_nonconstant = false;
      double sq_node = 0.0;
      for (int k = 0; k < C; ++k) sq_node += node_counts[k] * node_counts[k];
      for (std::int32_t i = 0; i < K && (i < j || !found_nonconstant); ++i) {
        const std::int32_t pick = i + static_cast<std::int32_t>(draw(rng, static_cast<std::uint64_t>(K - i)));
        const std::int32_t f = x.items[pick];
        if (pick != i) {
          const std::int32_t g = x.items[i];
          x.items[i] = f;
          x.feat[f].pos = i;
          x.items[pick] = g;
          x.feat[g].pos = pick;
        }
        if (evaluate(x, f, n_node, p.weighted_n, sq_node, best)) found_nonconstant = true;
      }
    }
    double imp_left = 0, imp_right = 0, improvement = 0;
    bool is_leaf = p.leaf || !best.found;
    if (!is_leaf) {
      const double w_right = p.weighted_n - best.w_left;
      for (int k = 0; k < C; ++k) right_counts[k] = node_counts[k] - best_left[k];
      imp_left = impurity(best_left.data(), best.w_left);
      imp_right = impurity(right_counts.data(), w_right);
      improvement = p.weighted_n / root_wn *
                    (p.impurity - w_right / p.weighted_n * imp_right - best.w_left / p.weighted_n * imp_left);
      if (improvement + kEpsilon < s.min_impurity_decrease) is_leaf = true;
    }

    std::int32_t ref;
    if (is_leaf) {
      if (p.ctx >= 0) release_ctx(p.ctx);
      ref = ~static_cast<std::int32_t>(t.n_leaves());
      for (int k = 0; k < C; ++k) {
        if (node_counts[k] > 0.0) {
          t.leaf_class.push_back(k);
          t.leaf_count.push_back(node_counts[k]);
        }
      }
      t.leaf_offset.push_back(static_cast<std::int32_t>(t.leaf_class.size()));
    } else {
      ref = static_cast<std::int32_t>(t.feature.size());
      t.feature.push_back(best.feature);
      float thr = static_cast<float>(best.threshold);
      if (static_cast<double>(thr) > best.threshold) thr = std::nextafter(thr, -std::numeric_limits<float>::infinity());
      t.threshold.push_back(thr);
      t.left.push_back(0);
      t.right.push_back(0);
    }
    if (p.parent < 0) t.root = ref;
    else if (p.is_left) t.left[p.parent] = ref;
    else t.right[p.parent] = ref;
    if (is_leaf) continue;

    // Split: rows [start, pos) go left.
    const std::int32_t pos = p.start + best.n_left;
    const long long moved_nnz = partition(ctx[p.ctx], p.start, p.end, pos, best.feature, best.threshold);
    const bool moved_right = best.threshold >= 0.0;
    const long long nnz_right = moved_right ? moved_nnz : p.nnz - moved_nnz;
    const long long nnz_left = p.nnz - nnz_right;
    const std::int32_t n_left = best.n_left, n_right = n_node - best.n_left;
    const std::int32_t depth = p.depth + 1;
    Pending L{p.start, pos, depth, ref, true, known_leaf(n_left, depth, imp_left), -1, imp_left, best.w_left, nnz_left};
    Pending R{pos, p.end, depth, ref, false, known_leaf(n_right, depth, imp_right), -1, imp_right,
              p.weighted_n - best.w_left, nnz_right};
    // Hand the parent's context on (see the file comment).
    const int c = p.ctx;
    const long long cost_l = nnz_left + n_left, cost_r = nnz_right + n_right;
    bool new_first = false;  // whether the child that got a new context is R (pushed last = popped first)
    if (L.leaf && R.leaf) {
      release_ctx(c);
    } else if (L.leaf || R.leaf) {
      Pending& keep = L.leaf ? R : L;
      const Pending& drop = L.leaf ? L : R;
      const long long cost_drop = drop.nnz + (drop.end - drop.start);
      const long long cost_rebuild = static_cast<long long>(ctx[c].items.size()) + keep.nnz + (keep.end - keep.start);
      if (cost_drop <= cost_rebuild) {
        remove_rows(c, drop.start, drop.end);
      } else {
        clear_ctx(c);
        fill_ctx(c, keep.start, keep.end);
      }
      keep.ctx = c;
    } else {
      const bool left_small = cost_l <= cost_r;
      Pending& small = left_small ? L : R;
      Pending& big = left_small ? R : L;
      remove_rows(c, small.start, small.end);
      big.ctx = c;
      small.ctx = new_ctx();
      fill_ctx(small.ctx, small.start, small.end);
      new_first = !left_small;
    }
    for (int k = 0; k < C; ++k) right_counts[k] = node_counts[k] - best_left[k];
    if (new_first) {  // push L then R: R is popped first
      stack.push_back(L);
      stack_counts.insert(stack_counts.end(), best_left.begin(), best_left.end());
      stack.push_back(R);
      stack_counts.insert(stack_counts.end(), right_counts.begin(), right_counts.end());
    } else {
      stack.push_back(R);
      stack_counts.insert(stack_counts.end(), right_counts.begin(), right_counts.end());
      stack.push_back(L);
      stack_counts.insert(stack_counts.end(), best_left.begin(), best_left.end());
    }
  }
  for (std::int32_t r : samples) {
    where[r] = -1;
    rows[r].w = 0.0;
  }
  t.canonicalize();
  t.finish();
  return t;
}

}  // namespace tf::forest::detail
