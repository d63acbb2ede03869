#!/usr/bin/env bash
# Installs the Debian packages seraug needs (only the missing ones) and builds it in
# Release mode into build/. Safe to run repeatedly.
set -euo pipefail
cd "$(dirname "$0")/.."

# The package lists to install: the files given, else scripts/debian-packages.txt (what
# `seraug` needs) when building only $SERAUG_BUILD_TARGETS (the main job), else that and
# scripts/test-packages.txt (the tests, benchmarks and Python package).
lists=("$@")
if [ ${#lists[@]} -eq 0 ]; then
  lists=(scripts/debian-packages.txt)
  [ -n "${SERAUG_BUILD_TARGETS:-}" ] || lists+=(scripts/test-packages.txt)
fi
mapfile -t packages < <(cat "${lists[@]}" | grep -v '^\s*#' | sed '/^\s*$/d')
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# What to build: everything (the tests, benchmarks and the Python package too), or only
# the targets in $SERAUG_BUILD_TARGETS (the main job builds `seraug`, which brings the
# LibTorch plug-in: about half the compile time of everything).
# Ninja compiles a layer's files while the layer below still links (make waits), 20 %
# off the build on 2 cores (docs/performance.md); a build/ made earlier keeps its generator.
generator=()
[ -f build/CMakeCache.txt ] || generator=(-G Ninja)
# The tests and benchmarks are configured only where their packages were installed.
suites=ON
[ -z "${SERAUG_BUILD_TARGETS:-}" ] || suites=OFF
cmake -S . -B build "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DSERAUG_BUILD_TESTS=$suites -DSERAUG_BUILD_BENCH=$suites >/dev/null
if [ -n "${SERAUG_BUILD_TARGETS:-}" ]; then
  # shellcheck disable=SC2086
  cmake --build build -j"$(nproc)" --target $SERAUG_BUILD_TARGETS
  echo "setup: built $SERAUG_BUILD_TARGETS" >&2
else
  cmake --build build -j"$(nproc)"
  echo "setup: built build/seraug, the tests, the benchmarks and the Python package" >&2
fi

# `import seraug` for Debian's Python (/usr/bin/python3): a .pth file in the user's
# site-packages pointing at build/python (like an editable install; delete it to undo).
if [ -f build/python/seraug/__init__.py ]; then
  site=$(/usr/bin/python3 -c 'import site; print(site.getusersitepackages())')
  mkdir -p "$site" && echo "$PWD/build/python" > "$site/seraug.pth"
  echo "setup: /usr/bin/python3 imports seraug from build/python ($site/seraug.pth)" >&2
fi
