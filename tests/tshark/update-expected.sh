#!/bin/bash
# update-expected.sh [BUILD_DIR] — rewrite every expected tshark output from
# the current plugin. Then read `git diff tests/tshark/expected` line by line
# against the captures and the daemons' logs before committing: these files
# are only worth something if a person checked them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${1:-$top/build}
mkdir -p "$here/expected/malformed"
"$here/cases.sh" "$build" "$top/../shared/captures/malformed" | grep -v '^tshark-san\.[^m]' | grep -v '^tshark-stats\..*\.2pass' |
while read -r name args; do
  # shellcheck disable=SC2086
  "$here/check-capture.sh" $args --update
done
