#!/usr/bin/env bash
# Installs what is missing and builds what is stale; fast when everything is already in place.
#   bash scripts/setup.sh [start|test|bench]   (npm start / npm test / npm run bench call it)
# start: Debian packages for the build, npm packages, the native CLI + bundled model, the WASM module.
# test:  the same plus Chromium and every test executable, native and WebAssembly.
# bench: the same as start, plus python3-nltk/python3-sklearn when apt can install them (for comparisons).
set -euo pipefail
mode=${1:-start}
cd "$(dirname "$0")/.."
root=$(pwd)
say() { printf 'titleforest setup: %s\n' "$*" >&2; }

# --- Debian packages -------------------------------------------------------------------------------
packages=(cmake g++ make emscripten libeigen3-dev nlohmann-json3-dev doctest-dev)
case "$mode" in
  test) packages+=(chromium) ;;
  bench) packages+=(python3-nltk python3-sklearn) ;;
esac
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else
    say "these packages are missing and this user cannot install them (not root, no sudo): ${missing[*]}"
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- npm packages ----------------------------------------------------------------------------------
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

# --- builds (CMake knows what is stale) ------------------------------------------------------------
jobs=$(nproc 2>/dev/null || echo 2)
export NODE_PATH=/usr/share/nodejs   # Debian's emcc needs acorn from here for optimised links
if [ ! -f build/native/CMakeCache.txt ]; then
  cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
if [ ! -f build/wasm/CMakeCache.txt ]; then
  emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node >/dev/null
fi
case "$mode" in
  test) native_targets=(all); wasm_targets=(all) ;;
  bench) native_targets=(titleforest models titleforest_bench); wasm_targets=(titleforest_wasm titleforest_bench) ;;
  *) native_targets=(titleforest models); wasm_targets=(titleforest_wasm) ;;
esac
say "building (native: ${native_targets[*]}; wasm: ${wasm_targets[*]})"
cmake --build build/native -j"$jobs" --target "${native_targets[@]}" >&2 || { say "the native build failed"; exit 1; }
cmake --build build/wasm -j"$jobs" --target "${wasm_targets[@]}" >&2 || { say "the WebAssembly build failed"; exit 1; }
say "ready"
