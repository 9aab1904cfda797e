#!/bin/bash
# hostile.sh [PLUGIN_DIR] — captures built to hurt (tests/bench/gen_capture.py
# --kind spis|mids|retrans|absurd, COUNT messages each, default 10^6): time and
# peak RSS of `tshark -q -z ikediag` with the plugin, next to `tshark -q -Y isakmp`
# without it (an empty plugin folder: the baseline must not run ikediag).
# Prints a Markdown table (for docs/robustness.md). Fails if tshark fails or
# runs over TIMEOUT seconds (default 600).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
plugin_dir=$(cd "${1:-$top/build/plugins}" && pwd)
COUNT=${COUNT:-1000000}
TIMEOUT=${TIMEOUT:-600}
cache=$top/.cache/hostile
mkdir -p "$cache"
work=$(mktemp -d /tmp/ikediag-hostile.XXXXXX)
trap 'rm -rf "$work"' EXIT
. "$top/tests/bench/timed-tshark.sh"
make_timed_tshark "$work"
mkdir -p "$work/no-plugins"

echo "| capture | packets | command | exit | wall s | CPU s | peak RSS MiB | last report line |"
echo "|---|---:|---|---:|---:|---:|---:|---|"
for kind in spis mids retrans absurd; do
  f=$cache/$kind-$COUNT.pcap
  [ -s "$f" ] || python3 "$top/tests/bench/gen_capture.py" --kind "$kind" --count "$COUNT" -o "$f" 2>"$f.info"
  pk=$(sed -n 's/^[^:]*: \([0-9]*\) packets.*/\1/p' "$f.info")
  for cmd in "-q -Y isakmp" "-q -z ikediag"; do
    rc=0 dir=$plugin_dir
    [ "$cmd" = "-q -Y isakmp" ] && dir=$work/no-plugins
    # shellcheck disable=SC2086
    IKEDIAG_PLUGIN_DIR=$dir IKEDIAG_TSHARK=$work/timed-tshark \
      timeout -k 10 "$TIMEOUT" "$top/tools/ikediag-tshark" -r "$f" $cmd >"$work/out" 2>"$work/err" || rc=$?
    read -r wall user sys rss <"$work/time.out" || true
    last=$(grep -E '^(Totals|Outcomes|Not analysed):' "$work/out" | tr '\n' ' ' | cut -c1-400 || true)
    printf '| %s | %s | `tshark %s` | %s | %s | %s | %.0f | %s |\n' "$kind" "$pk" "$cmd" "$rc" "$wall" \
      "$(echo "$user + $sys" | bc)" "$(echo "$rss / 1024" | bc -l)" "$last"
    [ "$rc" = 0 ] || { echo "FAIL: $kind $cmd exited $rc" >&2; tail -5 "$work/err" >&2; }
  done
done
