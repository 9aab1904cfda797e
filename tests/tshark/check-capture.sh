#!/bin/bash
# check-capture.sh — run tshark with the ikediag plugin over one capture and
# compare the per-frame ikediag fields and expert messages with an expected
# file that a person checked against the capture and the daemons' logs.
#
#   check-capture.sh --plugin-dir DIR --capture PCAP --expected FILE
#                    [--keys TABLE] [--two-pass] [--sanitizer] [--update]
#                    [--stats [--stats-filter FILTER]] [--option PREF:VALUE]...
#
# --stats compares the `tshark -q -z ikediag[,FILTER]` report instead.
# --sanitizer preloads the ASan runtime (for a plugin built with
# -fsanitize=address,undefined) and fails on any sanitizer report.
# --update writes the expected file instead of comparing (review the diff!).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
plugin_dir= capture= expected= keys= two_pass= sanitizer= update= stats= stats_filter=
options=()
while [ $# -gt 0 ]; do
  case "$1" in
    --plugin-dir) plugin_dir=$2; shift 2 ;;
    --capture) capture=$2; shift 2 ;;
    --expected) expected=$2; shift 2 ;;
    --keys) keys=$2; shift 2 ;;
    --two-pass) two_pass=1; shift ;;
    --sanitizer) sanitizer=1; shift ;;
    --update) update=1; shift ;;
    --stats) stats=1; shift ;;
    --stats-filter) stats_filter=$2; shift 2 ;;
    --option) options+=(-o "$2"); shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -f "$capture" ] || { echo "FAIL: no capture $capture" >&2; exit 1; }
[ -n "$update" ] || [ -f "$expected" ] || { echo "FAIL: no expected output $expected" >&2; exit 1; }

fields=(frame.number ikediag.sa ikediag.role isakmp.exchangetype isakmp.messageid
        ikediag.response_in ikediag.response_to ikediag.time
        ikediag.retransmission.count ikediag.retransmission.original ikediag.retry.previous
        ikediag.unanswered ikediag.transmissions ikediag.response_lost ikediag.nat.float
        ikediag.nat.detected ikediag.error ikediag.error.phase ikediag.outcome
        ikediag.analysis.flags _ws.expert.message)
if [ -n "$stats" ]; then
  args=(-r "$capture" -q -z "ikediag${stats_filter:+,$stats_filter}")
else
  args=(-r "$capture" -Y ikediag -T fields -E header=y -E occurrence=a -E aggregator='|')
  for f in "${fields[@]}"; do args+=(-e "$f"); done
fi
[ -n "$two_pass" ] && args=(-2 "${args[@]}")
args+=("${options[@]}")

export IKEDIAG_PLUGIN_DIR=$plugin_dir
[ -n "$keys" ] && export IKEDIAG_KEYS=$keys
if [ -n "$sanitizer" ]; then
  export IKEDIAG_PRELOAD=$(gcc -print-file-name=libasan.so)
  # tshark's own allocations are not ours to judge; the engine's leaks are
  # checked by the unit tests under LeakSanitizer.
  export ASAN_OPTIONS=detect_leaks=0:halt_on_error=1:abort_on_error=1
  export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
fi

out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
status=0
timeout 300 "$top/tools/ikediag-tshark" "${args[@]}" >"$out" 2>"$err" || status=$?
if [ "$status" != 0 ] || grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$err"; then
  echo "FAIL: tshark exited with $status" >&2
  cat "$err" >&2
  exit 1
fi
# tshark 4.0 prints FT_BOOLEAN fields as 1/0, 4.2 and later as True/False:
# write and compare 1/0 so one expected file serves every series. Only whole
# cells (or |-joined occurrences) change, never the expert message column.
awk -F'\t' -v OFS='\t' '
  NR == 1 { for (i = 1; i <= NF; i++) if ($i == "_ws.expert.message") msg = i; print; next }
  { for (i = 1; i <= NF; i++)
      if (i != msg && $i ~ /^(True|False)(\|(True|False))*$/) { gsub(/True/, "1", $i); gsub(/False/, "0", $i) }
    print }' "$out" >"$out.bool" && mv "$out.bool" "$out"
if [ -n "$update" ]; then
  cp "$out" "$expected"
  echo "wrote $expected"
  exit 0
fi
if ! diff -u "$expected" "$out"; then
  echo "FAIL: output differs from $expected" >&2
  exit 1
fi
echo "ok: $(basename "$capture") $(wc -l <"$out") lines as expected"
