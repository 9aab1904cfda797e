#!/bin/bash
# check-plugin-loads.sh DIR [--sanitizer] — fail loudly unless tshark loads
# ikediag.so from DIR with every contract field registered.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
if [ "${2:-}" = --sanitizer ]; then
  export IKEDIAG_PRELOAD=$(gcc -print-file-name=libasan.so)
  export ASAN_OPTIONS=detect_leaks=0:halt_on_error=1
fi
list=$(IKEDIAG_PLUGIN_DIR=$1 "$top/tools/ikediag-tshark" -G plugins)
if ! grep -q 'ikediag.so' <<<"$list"; then
  echo "FAIL: tshark did not load ikediag.so from $1" >&2
  echo "$list" >&2
  exit 1
fi
fields=$(IKEDIAG_PLUGIN_DIR=$1 "$top/tools/ikediag-tshark" -G fields | cut -f3 | grep '^ikediag\.' | sort)
for f in ikediag.sa ikediag.role ikediag.response_in ikediag.response_to ikediag.time \
         ikediag.retransmission ikediag.retransmission.original ikediag.retransmission.count \
         ikediag.retry ikediag.retry.previous ikediag.unanswered ikediag.nat.float ikediag.error \
         ikediag.error.phase ikediag.outcome ikediag.analysis.flags; do
  grep -qx "$f" <<<"$fields" || { echo "FAIL: field $f is not registered" >&2; exit 1; }
done
# The statistics: the text report and the two GUI tables, listed by -z help.
stats=$(IKEDIAG_PLUGIN_DIR=$1 "$top/tools/ikediag-tshark" -z help 2>&1 || true)
for z in ikediag ike,sa ike,exchanges; do
  grep -qx "  *$z" <<<"$stats" || { echo "FAIL: tshark -z help does not list $z" >&2; exit 1; }
done
echo "ok: ikediag.so loaded with all contract fields and its statistics"
