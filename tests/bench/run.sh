#!/bin/bash
# run.sh [PLUGIN_DIR] — benchmark the ikediag plugin against plain tshark and
# write docs/performance.md. Builds nothing: PLUGIN_DIR (default build/plugins)
# must hold <major.minor>/epan/ikediag.so.
#
# Captures are generated (tests/bench/gen_capture.py) into .cache/bench/
# (git-ignored) and reused while the generator is unchanged.
#
#   RUNS=5          runs per command at 1x (median reported)
#   SCALE_RUNS=3    runs per command at the larger scales
#   SCALES="1 2 4"  input scales for the scaling table
#   SEED=1          generator seed
#   DOC=docs/performance.md   where the report goes
#   BENCH_NOTES=tests/bench/profile-notes.md  appended to the report (profile findings)
#   LOAD_NOTE="..."           a line on other load during the run, for the report
#
# Every tshark runs through tools/ikediag-tshark (as root it runs as nobody on
# private copies); /usr/bin/time wraps the inner tshark process itself, so
# the copying and runuser are not measured.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
plugin_dir=$(cd "${1:-$top/build/plugins}" && pwd)
RUNS=${RUNS:-5}
SCALE_RUNS=${SCALE_RUNS:-3}
SCALES=${SCALES:-1 2 4}
SEED=${SEED:-1}
DOC=${DOC:-$top/docs/performance.md}
export BENCH_NOTES=${BENCH_NOTES:-$top/tests/bench/profile-notes.md}
cache=$top/.cache/bench
mkdir -p "$cache"

ls "$plugin_dir"/*/epan/ikediag.so >/dev/null 2>&1 || { echo "no */epan/ikediag.so under $plugin_dir" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "install the 'time' package (/usr/bin/time)" >&2; exit 1; }

# --- captures ---------------------------------------------------------------
gen=$top/tests/bench/gen_capture.py
gen_sum=$(sha1sum "$gen" | cut -c1-12)
declare -A info
capture() { # kind scale -> path
  local f=$cache/$1-$2-s$SEED-$gen_sum.pcap
  if [ ! -s "$f" ]; then
    rm -f "$cache/$1-$2-s$SEED-"*.pcap "$cache/$1-$2-s$SEED-"*.info
    python3 "$gen" --kind "$1" --scale "$2" --seed "$SEED" -o "$f.tmp" 2>"$f.info.tmp"
    mv "$f.tmp" "$f"; mv "$f.info.tmp" "${f%.pcap}.info"
  fi
  echo "$f"
}
for k in esp ike; do
  for s in $SCALES; do
    f=$(capture $k $s)
    echo "capture $k ${s}x: $(sed 's/^[^:]*: //' "${f%.pcap}.info")" >&2
  done
done

# --- timing wrapper -----------------------------------------------------------
work=$(mktemp -d /tmp/ikediag-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
. "$top/tests/bench/timed-tshark.sh"
make_timed_tshark "$work"

results=$work/results.tsv   # label capture scale run wall cpu rss
: >"$results"

# The baselines run without ikediag: a loaded and enabled plugin would run its
# post-dissector and engine in them too and hide its own cost.
no_plugin=$work/no-plugins
mkdir -p "$no_plugin"
plugins_for() { # label -> plugin folder
  case $1 in floor|isakmp) echo "$no_plugin" ;; *) echo "$plugin_dir" ;; esac
}

# One measured run: label kind scale run [tshark args...]
measure() {
  local label=$1 kind=$2 scale=$3 run=$4; shift 4
  local f; f=$(capture "$kind" "$scale")
  rm -f "$work/time.out"
  IKEDIAG_PLUGIN_DIR=$(plugins_for "$label") IKEDIAG_TSHARK=$work/timed-tshark \
    "$top/tools/ikediag-tshark" -r "$f" "$@" >"$work/out" 2>"$work/err" || {
      echo "FAIL: tshark $* on $f" >&2; cat "$work/err" >&2; exit 1; }
  case $label in
    ikediag)
      # the plugin really ran: its report lists every IKE SA of the capture
      local want; want=$(sed -n 's/.* \([0-9]*\) IKE SAs$/\1/p' "${f%.pcap}.info")
      grep -q "^Totals: $want IKE SAs" "$work/out" || {
        echo "FAIL: -z ikediag did not report $want IKE SAs on $f" >&2; tail -5 "$work/out" >&2; exit 1; } ;;
    ikediag-off)
      grep -q "IKE diagnosis (ikediag)" "$work/out" || { echo "FAIL: no ikediag report (off)" >&2; exit 1; } ;;
  esac
  read -r wall user sys rss <"$work/time.out"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$kind" "$scale" "$run" "$wall" \
    "$(echo "$user + $sys" | bc)" "$rss" >>"$results"
  printf '  %-12s %-3s %sx run %s: wall %6ss cpu %6ss rss %7s KiB\n' "$label" "$kind" "$scale" "$run" \
    "$wall" "$(echo "$user + $sys" | bc)" "$rss" >&2
}

# The plugin runs load it and the baselines do not (-G plugins proves both).
IKEDIAG_PLUGIN_DIR=$plugin_dir "$top/tools/ikediag-tshark" -G plugins 2>/dev/null | grep -q ikediag.so \
  || { echo "FAIL: tshark does not load ikediag.so from $plugin_dir" >&2; exit 1; }
if IKEDIAG_PLUGIN_DIR=$no_plugin "$top/tools/ikediag-tshark" -G plugins 2>/dev/null | grep -q ikediag; then
  echo "FAIL: the baseline tshark loads ikediag from elsewhere (a user or system install?)" >&2; exit 1
fi

labels=(floor isakmp engine ikediag ikediag-off)
declare -A cmd=(
  [floor]="-q"
  [isakmp]="-q -Y isakmp"
  [engine]="-q -Y ikediag"
  [ikediag]="-q -z ikediag"
  [ikediag-off]="-q -z ikediag -o ikediag.enabled:FALSE"
)
# Warm the page cache, then alternate the commands run by run.
for k in esp ike; do cat "$(capture $k 1)" >/dev/null; done
for r in $(seq 1 "$RUNS"); do
  for k in esp ike; do
    for l in "${labels[@]}"; do
      # shellcheck disable=SC2086
      measure "$l" "$k" 1 "$r" ${cmd[$l]}
    done
  done
done
for s in $SCALES; do
  [ "$s" = 1 ] && continue
  for r in $(seq 1 "$SCALE_RUNS"); do
    for k in esp ike; do
      for l in isakmp ikediag; do
        # shellcheck disable=SC2086
        measure "$l" "$k" "$s" "$r" ${cmd[$l]}
      done
    done
  done
done

# --- report ---------------------------------------------------------------------
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
tsv=$(tshark --version 2>/dev/null | head -1)
mkdir -p "$(dirname "$DOC")"
python3 - "$results" "$DOC" "$(nproc)" "$cpu" "$mem" "$tsv" "$plugin_dir" "$RUNS" "$SCALE_RUNS" "$SEED" \
  "$cache" "$(date -u +%Y-%m-%dT%H:%MZ)" "$(cd "$top" && git rev-parse --short HEAD 2>/dev/null || echo '?')" <<'PY'
import sys, statistics, collections, glob, os
res, doc, nproc, cpu, mem, tsv, plugin, runs, sruns, seed, cache, when, head = sys.argv[1:]
rows = collections.defaultdict(list)
for line in open(res):
    label, kind, scale, run, wall, cpu_s, rss = line.split("\t")
    rows[(label, kind, int(scale))].append((float(wall), float(cpu_s), int(rss)))
def med(label, kind, scale, i):
    v = [x[i] for x in rows[(label, kind, scale)]]
    return statistics.median(v) if v else None
names = {"esp": "ESP-dominated", "ike": "IKE-only"}
cmds = {"floor": "tshark -q -r F", "isakmp": "tshark -q -r F -Y isakmp", "engine": "tshark -q -r F -Y ikediag",
        "ikediag": "tshark -q -r F -z ikediag", "ikediag-off": "tshark -q -r F -z ikediag -o ikediag.enabled:FALSE"}
out = []
w = out.append
w("# ikediag performance\n")
w(f"Generated by `tests/bench/run.sh` on {when} (commit {head}); do not edit by hand.\n")
w("## Machine\n")
w(f"- CPUs: {nproc} ({cpu})")
w(f"- RAM: {mem}")
w(f"- {tsv}")
w(f"- plugin: `{plugin}`\n")
w("## Captures\n")
w(f"Generated by `tests/bench/gen_capture.py --kind KIND --scale S --seed {seed}` (IPv4, documentation addresses):\n")
for f in sorted(glob.glob(os.path.join(cache, f"*-s{seed}-*.info"))):
    w(f"- `{os.path.basename(f)[:-5]}`: " + open(f).read().strip().split(": ", 1)[1])
w("")
w("## Commands\n")
w("Each runs through `tools/ikediag-tshark` (as root: `runuser -u nobody` on a private copy of the")
w("capture and the plugin); `/usr/bin/time -f '%e %U %S %M'` wraps the inner tshark process only.")
w(f"Commands alternate run by run; medians of {runs} runs at 1x, {sruns} runs at larger scales.\n")
for k, v in cmds.items():
    w(f"- {k}: `{v}`")
w("")
w("`floor` and `isakmp` run with an empty plugin folder (checked with `-G plugins`): the baseline is")
w("tshark without ikediag. The other three load the plugin.")
w("`-q` without a filter or tap makes tshark 4.0 skip dissection: the floor is reading the file.")
w("`engine` (`-Y ikediag`) runs the post-dissector and engine on every packet without the `-z` report:")
w("the difference between `engine` and `ikediag` is the statistics tap and the text report.")
w("The `-z ikediag` runs are checked to report every IKE SA of the capture (the plugin ran).\n")
if os.environ.get("LOAD_NOTE"):
    w("Other load during the run: " + os.environ["LOAD_NOTE"] + "\n")
w("## Results at 1x\n")
w("| capture | command | wall s | CPU s | peak RSS MiB | wall / isakmp | CPU / isakmp | RSS / isakmp |")
w("|---|---|---:|---:|---:|---:|---:|---:|")
verdicts = []
for kind in ("esp", "ike"):
    bw, bc, br = (med("isakmp", kind, 1, i) for i in range(3))
    for label in ("floor", "isakmp", "engine", "ikediag", "ikediag-off"):
        mw, mc, mr = (med(label, kind, 1, i) for i in range(3))
        if mw is None:
            continue
        w(f"| {names[kind]} | {label} | {mw:.2f} | {mc:.2f} | {mr/1024:.0f} | {mw/bw:.3f} | {mc/bc:.3f} | {mr/br:.3f} |")
    mw, mc, mr = (med("ikediag", kind, 1, i) for i in range(3))
    lim = 1.10 if kind == "esp" else 1.15
    verdicts.append(f"- {names[kind]}: `-z ikediag` wall {mw/bw:.3f}x, CPU {mc/bc:.3f}x of `-Y isakmp` "
                    f"(target <= {lim:.2f}): {'met' if max(mw/bw, mc/bc) <= lim else 'MISSED'}; "
                    f"peak RSS {mr/br:.3f}x (target <= 1.20): {'met' if mr/br <= 1.2 else 'MISSED'}")
    ew, ec, er = (med("engine", kind, 1, i) for i in range(3))
    if ew is not None:
        verdicts.append(f"  - of which the engine alone (`-Y ikediag`, no report): wall {ew/bw:.3f}x, "
                        f"CPU {ec/bc:.3f}x, peak RSS {er/br:.3f}x of `-Y isakmp`")
w("")
w("## Targets\n")
out.extend(verdicts)
w("")
w("## Scaling\n")
w("Median wall / CPU / peak RSS; the ratio is to the 1x run of the same command (2x input should cost <= 2.1x).\n")
w("| capture | command | scale | wall s | CPU s | peak RSS MiB | wall / 1x | CPU / 1x | RSS / 1x |")
w("|---|---|---:|---:|---:|---:|---:|---:|---:|")
scales = sorted({s for (_, _, s) in rows})
for kind in ("esp", "ike"):
    for label in ("isakmp", "ikediag"):
        b = [med(label, kind, 1, i) for i in range(3)]
        for s in scales:
            m = [med(label, kind, s, i) for i in range(3)]
            if m[0] is None:
                continue
            w(f"| {names[kind]} | {label} | {s}x | {m[0]:.2f} | {m[1]:.2f} | {m[2]/1024:.0f} | "
              f"{m[0]/b[0]:.2f} | {m[1]/b[1]:.2f} | {m[2]/b[2]:.2f} |")
w("")
w("## All runs\n")
w("<details><summary>raw (label, capture, scale, run, wall s, CPU s, peak RSS KiB)</summary>\n")
w("```")
w(open(res).read().rstrip())
w("```")
w("</details>\n")
extra = os.environ.get("BENCH_NOTES")
if extra and os.path.exists(extra):
    w(open(extra).read())
open(doc, "w").write("\n".join(out) + "\n")
print("\n".join(out[out.index("## Results at 1x\n"):out.index("## All runs\n")]))
PY
echo "wrote $DOC" >&2
