// Our own small RNG for model code (DESIGN.md section 4: never std::uniform_int_distribution/std::shuffle,
// whose algorithms differ between libstdc++ and libc++). Same numbers natively and in WebAssembly.
#pragma once
#include <cstdint>

namespace tf {

struct SplitMix64 {
  std::uint64_t state;
  explicit SplitMix64(std::uint64_t seed) : state(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform integer in [0, n), n > 0 (Lemire's multiply-shift with rejection: unbiased).
  std::uint64_t bounded(std::uint64_t n) {
    std::uint64_t threshold = (0 - n) % n;
    for (;;) {
      std::uint64_t r = next();
      unsigned __int128 m = static_cast<unsigned __int128>(r) * n;
      if (static_cast<std::uint64_t>(m) >= threshold) return static_cast<std::uint64_t>(m >> 64);
    }
  }
  double uniform01() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
};

// Independent stream per (seed, index): the same whatever the number of threads or workers.
inline std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t index) {
  SplitMix64 g(seed ^ (0xD1B54A32D192ED03ULL * (index + 1)));
  g.next();
  return g.next();
}

}  // namespace tf
