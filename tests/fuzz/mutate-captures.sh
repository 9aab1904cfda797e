#!/bin/bash
# mutate-captures.sh N — mutate the project's captures and the shared
# malformed ones into N files and run every one through tshark with the
# sanitizer-built ikediag plugin (-2 -V -z ikediag); fail on a crash, a hang
# or any AddressSanitizer/UBSan report.
#
# Mutations: `editcap -E RATE --seed S` (random byte errors) at several rates,
# `editcap -s SNAPLEN` (truncation), and both. tshark starts slowly under
# ASan, so the mutated files are run in batches (mergecap -a of BATCH files);
# a failing batch is re-run file by file to name the culprit, which is kept
# in $MUTATE_WORK/failures/.
#
#   IKEDIAG_PLUGIN_DIR  sanitizer plugin folder (default build/plugins-san)
#   MALFORMED_DIR       extra captures (default ../shared/captures/malformed)
#   MUTATE_WORK         work folder (default .cache/mutate)
#   BATCH=25  JOBS=$(nproc)  TIMEOUT=120 (seconds per tshark run)  SEED=1
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-200}
export IKEDIAG_PLUGIN_DIR=${IKEDIAG_PLUGIN_DIR:-$top/build/plugins-san}
malformed=${MALFORMED_DIR:-$top/../shared/captures/malformed}
work=${MUTATE_WORK:-$top/.cache/mutate}
BATCH=${BATCH:-25}
JOBS=${JOBS:-$(nproc)}
TIMEOUT=${TIMEOUT:-120}
SEED=${SEED:-1}

ls "$IKEDIAG_PLUGIN_DIR"/*/epan/ikediag.so >/dev/null 2>&1 || {
  echo "FAIL: no sanitizer plugin under $IKEDIAG_PLUGIN_DIR (build with -DIKEDIAG_SANITIZERS=ON)" >&2; exit 1; }
export IKEDIAG_PRELOAD=$(gcc -print-file-name=libasan.so)
export ASAN_OPTIONS=detect_leaks=0:halt_on_error=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
"$top/tools/ikediag-tshark" -G plugins 2>/dev/null | grep -q ikediag.so || {
  echo "FAIL: tshark does not load ikediag.so from $IKEDIAG_PLUGIN_DIR" >&2; exit 1; }

rm -rf "$work/files" "$work/batches" "$work/logs"
mkdir -p "$work/files" "$work/batches" "$work/logs" "$work/failures"
sources=()
for f in "$top"/captures/*.pcap "$malformed"/*; do
  [ -f "$f" ] && sources+=("$f")
done
[ ${#sources[@]} -gt 0 ] || { echo "FAIL: no captures to mutate" >&2; exit 1; }

# --- mutate -----------------------------------------------------------------------
rates=(0.001 0.005 0.02 0.05 0.1 0.3)
snaps=(34 42 50 60 80 100 150 300)
i=0
while [ $i -lt "$n" ]; do
  src=${sources[$((i % ${#sources[@]}))]}
  s=$((SEED * 1000003 + i))
  ext=pcap; [[ $src == *.pcapng ]] && ext=pcapng
  out=$work/files/$(printf '%06d' $i)-$(basename "${src%.*}").$ext
  case $(( (i / ${#sources[@]}) % 3 )) in
    0) editcap -E "${rates[$((s % ${#rates[@]}))]}" --seed "$s" "$src" "$out" ;;
    1) editcap -s "${snaps[$((s % ${#snaps[@]}))]}" "$src" "$out" ;;
    2) editcap -s "${snaps[$((s % ${#snaps[@]}))]}" "$src" "$out.tmp" &&
       editcap -E "${rates[$((s % ${#rates[@]}))]}" --seed "$s" "$out.tmp" "$out" && rm -f "$out.tmp" ;;
  esac >/dev/null 2>&1 || cp "$src" "$out"   # editcap refuses some malformed files: run them as they are
  i=$((i + 1))
done

# --- run ----------------------------------------------------------------------------
# One tshark run: exit 0 when it neither crashed, hung nor reported.
run_one() { # capture log
  local rc=0
  timeout -k 10 "$TIMEOUT" "$top/tools/ikediag-tshark" -2 -V -z ikediag -r "$1" >/dev/null 2>"$2" || rc=$?
  if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then echo "HANG (timeout ${TIMEOUT}s)" >>"$2"; return 1; fi
  if [ $rc -ge 128 ]; then echo "CRASH (exit $rc)" >>"$2"; return 1; fi
  if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|Segmentation fault|Aborted' "$2"; then return 1; fi
  return 0   # other exits (a file tshark calls damaged) are not ours
}
export -f run_one
export top TIMEOUT work

ls "$work/files" | split -l "$BATCH" - "$work/batches/b."
batch_job() { # batch list file
  local b=$1 name; name=$(basename "$b")
  local files=(); while read -r f; do files+=("$work/files/$f"); done <"$b"
  if mergecap -a -w "$work/batches/$name.pcapng" "${files[@]}" 2>/dev/null &&
     run_one "$work/batches/$name.pcapng" "$work/logs/$name.log"; then
    rm -f "$work/batches/$name.pcapng"; echo "ok $name ${#files[@]}"; return 0
  fi
  # a failing (or unmergeable) batch: file by file
  local bad=0 f
  for f in "${files[@]}"; do
    if ! run_one "$f" "$work/logs/$(basename "$f").log"; then
      cp "$f" "$work/failures/"; cp "$work/logs/$(basename "$f").log" "$work/failures/"
      echo "FAIL $(basename "$f")"; bad=1
    fi
  done
  rm -f "$work/batches/$name.pcapng"
  [ $bad = 0 ] && echo "ok $name ${#files[@]} (one by one)"
  return $bad
}
export -f batch_job
start=$(date +%s)
status=0
ls "$work"/batches/b.* | xargs -P "$JOBS" -I{} bash -c 'batch_job "$1"' _ {} >"$work/results.txt" || status=$?
end=$(date +%s)
files_ok=$(awk '$1 == "ok" {s += $3} END {print s + 0}' "$work/results.txt")
fails=$(grep -c '^FAIL' "$work/results.txt" || true)
echo "mutate-captures: $n files from ${#sources[@]} captures, $files_ok passed in batches, $fails failed, $((end - start)) s (batch $BATCH, $JOBS jobs)"
if [ "$status" != 0 ] || [ "$fails" != 0 ]; then
  grep '^FAIL' "$work/results.txt" >&2 || true
  echo "FAIL: see $work/failures/" >&2
  exit 1
fi
