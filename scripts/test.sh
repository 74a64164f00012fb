#!/bin/sh
# README command 2: build everything and run the whole test suite with CTest
# (unit tests, golden fixtures, the seed stack, the shared corpus, output
# validators, packaging). Tests that need ../shared skip when it is absent.
# obslint is built fully static (OBSLINT_STATIC), as it is released, so the
# suite tests the shipped binary, its FROM scratch image and its .deb.
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
launcher=""
command -v ccache >/dev/null 2>&1 && launcher="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"
# ccache caches precompiled-header builds only with these sloppiness flags.
export CCACHE_SLOPPINESS="${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DOBSLINT_WERROR=ON -DOBSLINT_STATIC=ON $launcher >/dev/null
cmake --build build
cd build
ctest --output-on-failure -j2 "$@"
