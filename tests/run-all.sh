#!/bin/bash
# run-all.sh — the whole test suite: engine unit tests (plain and under
# ASan+UBSan) and tshark tests on every capture with the plain and the
# sanitizer-built plugin. Builds in build-test/ so a user build is untouched.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/install-deps.sh"
cmake -S "$top" -B "$top/build-test" -DIKEDIAG_SANITIZERS=ON -DIKEDIAG_BUILD_TESTS=ON >/dev/null
cmake --build "$top/build-test" -j"$(nproc)"
ctest --test-dir "$top/build-test" -j"$(nproc)" --timeout 600 --output-on-failure
