#!/bin/bash
# check-pass-consistency.sh EXPECTED_DIR — every finding that does not depend
# on later packets must be the same in one pass and in two. The expected
# files are compared with the plugin's real output by the other tests; this
# checks that the single-pass and two-pass ones agree where they must.
set -euo pipefail
dir=$1
# Late-bound: response_in (6), unanswered (12), transmissions (13), outcome
# (19), analysis.flags (20, set by unanswered); and the "No response" message.
early() {
  awk -F'\t' -v OFS='\t' '{
      n = split($21, m, "|"); msgs = ""
      for (i = 1; i <= n; i++) if (m[i] !~ /^No response to /) msgs = msgs (msgs == "" ? "" : "|") m[i]
      print $1, $2, $3, $4, $5, $7, $8, $9, $10, $11, $14, $15, $16, $17, $18, msgs }' "$1"
}
checked=0
for one in "$dir"/*.1pass.txt; do
  two=${one%.1pass.txt}.2pass.txt
  [ -f "$two" ] || { echo "FAIL: $two missing" >&2; exit 1; }
  if ! diff -u <(early "$one") <(early "$two"); then
    echo "FAIL: $(basename "$one") and $(basename "$two") disagree on early findings" >&2
    exit 1
  fi
  checked=$((checked + 1))
done
[ "$checked" -gt 0 ] || { echo "FAIL: no single-pass expectations in $dir" >&2; exit 1; }
echo "ok: $checked captures agree between one pass and two on every early finding"
