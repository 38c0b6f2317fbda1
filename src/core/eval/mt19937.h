// numpy's legacy RandomState for an int seed, as far as train_test_split uses it: MT19937 seeded by
// init_genrand (numpy's mt19937_seed; RandomState(int) never calls init_by_array for a scalar seed),
// random_interval (mask-and-reject on 32-bit draws below 2**32) and the legacy Fisher-Yates shuffle
// (i = n-1 .. 1, j = random_interval(i)), which permutation(n) applies to arange(n).
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

namespace tf::eval {

class LegacyRandomState {
 public:
  explicit LegacyRandomState(std::uint32_t seed) {
    key_[0] = seed;
    for (int i = 1; i < kN; ++i) key_[i] = 1812433253u * (key_[i - 1] ^ (key_[i - 1] >> 30)) + static_cast<std::uint32_t>(i);
    pos_ = kN;
  }

  std::uint32_t next_uint32() {
    if (pos_ >= kN) generate();
    std::uint32_t y = key_[pos_++];
    y ^= (y >> 11);
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= (y >> 18);
    return y;
  }
  std::uint64_t next_uint64() {
    const std::uint64_t hi = next_uint32();
    const std::uint64_t lo = next_uint32();
    return (hi << 32) | lo;
  }

  // Uniform integer in [0, max] (numpy's random_interval).
  std::uint64_t random_interval(std::uint64_t max) {
    if (max == 0) return 0;
    std::uint64_t mask = max;
    mask |= mask >> 1;
    mask |= mask >> 2;
    mask |= mask >> 4;
    mask |= mask >> 8;
    mask |= mask >> 16;
    mask |= mask >> 32;
    std::uint64_t value;
    if (max <= 0xffffffffull) {
      while ((value = (next_uint32() & mask)) > max) {
      }
    } else {
      while ((value = (next_uint64() & mask)) > max) {
      }
    }
    return value;
  }

  // RandomState.shuffle of a 1-d array (legacy algorithm).
  template <class T>
  void shuffle(std::vector<T>& x) {
    for (std::size_t i = x.size(); i-- > 1;) {
      const std::size_t j = static_cast<std::size_t>(random_interval(i));
      std::swap(x[i], x[j]);
    }
  }

  // RandomState.permutation(n): arange(n), shuffled.
  std::vector<std::size_t> permutation(std::size_t n) {
    std::vector<std::size_t> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = i;
    shuffle(v);
    return v;
  }

 private:
  static constexpr int kN = 624, kM = 397;
  void generate() {
    constexpr std::uint32_t upper = 0x80000000u, lower = 0x7fffffffu, matrix_a = 0x9908b0dfu;
    int i = 0;
    for (; i < kN - kM; ++i) {
      const std::uint32_t y = (key_[i] & upper) | (key_[i + 1] & lower);
      key_[i] = key_[i + kM] ^ (y >> 1) ^ ((y & 1u) ? matrix_a : 0u);
    }
    for (; i < kN - 1; ++i) {
      const std::uint32_t y = (key_[i] & upper) | (key_[i + 1] & lower);
      key_[i] = key_[i + (kM - kN)] ^ (y >> 1) ^ ((y & 1u) ? matrix_a : 0u);
    }
    const std::uint32_t y = (key_[kN - 1] & upper) | (key_[0] & lower);
    key_[kN - 1] = key_[kM - 1] ^ (y >> 1) ^ ((y & 1u) ? matrix_a : 0u);
    pos_ = 0;
  }
  std::uint32_t key_[kN];
  int pos_;
};

}  // namespace tf::eval
