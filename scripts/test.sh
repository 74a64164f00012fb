#!/bin/sh
# README command 2: build everything and run the whole test suite with CTest
# (unit tests, golden fixtures, the seed stack, the shared corpus, output
# validators). Tests that need ../shared skip when it is absent.
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
launcher=""
command -v ccache >/dev/null 2>&1 && launcher="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DOBSLINT_WERROR=ON $launcher >/dev/null
cmake --build build
cd build
ctest --output-on-failure -j2 "$@"
