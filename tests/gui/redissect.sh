#!/bin/bash
# redissect.sh [SAN_PLUGIN_DIR [PLUGIN_DIR]] — re-dissection in one Wireshark GUI process:
# the same results every time, and no memory left behind.
#
# Opens a capture (with its IKEv2 keys) in the Wireshark GUI under Xvfb, with
# the sanitizer-built plugin and the ASan runtime preloaded (LeakSanitizer on),
# then: reloads it (Ctrl+R), switches the "ikediag.enabled" preference off in
# Edit > Preferences > Advanced (Wireshark re-dissects), switches it on again,
# and quits. The plugin logs each engine's life ("--log-domains ikediag",
# info level) with its IKE SAs, messages and a digest of every outcome.
# Checks:
#   - every engine created is freed, and none is found stale by the next one;
#   - every engine that analysed the capture holds the same SAs, messages and
#     digest, and that digest is the one tshark -2 gets on the same capture;
#   - with the preference off, the engine analyses nothing;
#   - no LeakSanitizer report has a frame inside ikediag.so (the addresses it
#     was loaded at are read from /proc while the GUI runs: at exit Wireshark
#     unloads its plugins, so the report cannot name them), no ASan error and
#     no UBSan "runtime error".
#
# Needs: wireshark-qt xvfb xdotool (apt), gcc's libasan. As root the GUI runs
# as "nobody" (root's GUI ignores WIRESHARK_PLUGIN_DIR).
#   GUI_TIMEOUT   seconds to wait for a window (default 90)
#   KEEP_WORK=1   keep the temporary folder
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
plugin_dir=$(cd "${1:-$top/build/plugins-san}" && pwd)
plain_dir=${2:-${plugin_dir%-san}}   # the plain build beside it, for tshark
timeout_s=${GUI_TIMEOUT:-90}
capture=ike-rekey

for tool in wireshark tshark xvfb-run xdotool gcc; do
  command -v $tool >/dev/null || { echo "missing $tool (apt-get install wireshark-qt xvfb xdotool gcc)" >&2; exit 1; }
done
asan=$(gcc -print-file-name=libasan.so)
[ -e "$asan" ] || { echo "no ASan runtime ($asan)" >&2; exit 1; }
ls "$plugin_dir"/*/epan/ikediag.so >/dev/null || { echo "no */epan/ikediag.so under $plugin_dir" >&2; exit 1; }

work=$(mktemp -d /tmp/ikediag-redissect.XXXXXX)
cleanup() { [ "${KEEP_WORK:-}" = 1 ] && echo "work: $work" >&2 || rm -rf "$work"; }
trap cleanup EXIT
conf=$work/home/.config/wireshark
mkdir -p "$conf" "$work/plugins" "$work/extcap" "$work/run" "$work/out"
cp -r "$plugin_dir"/. "$work/plugins/"
cp "$top/captures/$capture.pcap" "$work/"
cp "$top/captures/$capture.ikev2_decryption_table" "$conf/ikev2_decryption_table"
. "$top/tests/gui/recent-common.sh"
write_recent_common "$conf/recent_common"

# The digest tshark gets in two passes, for comparison.
ls "$plain_dir"/*/epan/ikediag.so >/dev/null || { echo "no */epan/ikediag.so under $plain_dir" >&2; exit 1; }
want=$(IKEDIAG_PLUGIN_DIR=$plain_dir IKEDIAG_KEYS=$top/captures/$capture.ikev2_decryption_table \
         "$top/tools/ikediag-tshark" -r "$top/captures/$capture.pcap" -2 -q -z ikediag \
         --log-level info --log-domains ikediag 2>&1 >/dev/null \
       | sed -n 's/.*engine freed: \(.*\), analysis on$/\1/p' | tail -1) || true
[ -n "$want" ] || { echo "FAIL: tshark logged no engine summary" >&2; exit 1; }
echo "tshark -2: $want"

cat > "$work/session.sh" <<'INNER'
#!/bin/bash
# Runs inside xvfb-run as the GUI user. $1 = work folder, $2 = timeout, $3 = ASan runtime, $4 = capture
set -uo pipefail
work=$1; timeout_s=$2; asan=$3; capture=$4
log() { echo "[$(date +%T)] $*"; }
cd "$work"
LD_PRELOAD=$asan \
ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0:malloc_context_size=40:alloc_dealloc_mismatch=0:halt_on_error=0:log_path=$work/out/asan \
UBSAN_OPTIONS=print_stacktrace=1 \
  wireshark -r "$capture.pcap" --log-level info --log-domains ikediag >"$work/out/wireshark.log" 2>&1 &
pid=$!
win=$(timeout "$timeout_s" xdotool search --sync --onlyvisible --name "$capture" 2>/dev/null | tail -1)
[ -n "$win" ] || { log "no main window"; kill "$pid"; exit 1; }
sleep 5
grep 'ikediag\.so' "/proc/$pid/maps" >"$work/out/maps" || log "ikediag.so not mapped"

# Edit > Preferences > Advanced, search the preference, double-click its value
# (toggles a boolean), OK. No window manager: the dialog opens at 0,0 and the
# first row's Value cell is at 660,115.
toggle_pref() {
  xdotool windowfocus --sync "$win"; xdotool key ctrl+shift+p
  local dlg
  dlg=$(timeout "$timeout_s" xdotool search --sync --onlyvisible --name "Preferences" 2>/dev/null | tail -1)
  [ -n "$dlg" ] || { log "no Preferences dialog"; return 1; }
  sleep 2
  xdotool key End; sleep 1
  xdotool key Tab; sleep 0.5; xdotool type ikediag.enabled; sleep 2
  xdotool mousemove --sync 660 115 click 1; sleep 0.5
  xdotool mousemove --sync 660 115 click --repeat 2 --delay 80 1; sleep 1
  xdotool key Return
  sleep 8
}

log "reload"; xdotool windowfocus --sync "$win"; xdotool key ctrl+r; sleep 8
log "analysis off"; toggle_pref
log "analysis on"; toggle_pref
log "quit"; xdotool windowfocus --sync "$win"; xdotool key ctrl+q
for _ in $(seq 1 "$timeout_s"); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
if kill -0 "$pid" 2>/dev/null; then log "did not quit"; kill "$pid"; exit 1; fi
wait "$pid"
log "wireshark exited with $?"
INNER
chmod -R a+rX "$work"
uid_args=()
if [ "$(id -u)" = 0 ]; then
  chown -R nobody "$work"
  uid_args=(runuser -u nobody --)
fi
chmod 700 "$work/run"
start=$(date +%s)
rc=0
(cd /tmp && "${uid_args[@]}" env HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" \
   XDG_RUNTIME_DIR="$work/run" WIRESHARK_PLUGIN_DIR="$work/plugins" WIRESHARK_EXTCAP_DIR="$work/extcap" \
   QT_QPA_PLATFORM=xcb LANG=C.UTF-8 NO_AT_BRIDGE=1 \
   xvfb-run -a -s "-screen 0 1600x1000x24" bash "$work/session.sh" "$work" "$timeout_s" "$asan" "$capture") || rc=$?
echo "GUI session: $(( $(date +%s) - start )) s, rc=$rc"
fail=$rc

lifecycle=$(sed -n 's/.*log_engine(): engine //p' "$work/out/wireshark.log")
echo "$lifecycle"
created=$(grep -c '^created' <<<"$lifecycle" || true)
freed=$(grep -c '^freed: ' <<<"$lifecycle" || true)
stale=$(grep -c '^freed (stale)' <<<"$lifecycle" || true)
analysed=$(sed -n 's/^freed: \(.*[1-9][0-9]* messages.*\), analysis \(on\|off\)$/\1/p' <<<"$lifecycle")
idle=$(grep -c '^freed: 0 IKE SAs, 0 messages' <<<"$lifecycle" || true)
# opened, reloaded, switched off (freed after its re-dissection), on again (at exit)
[ "$created" -ge 4 ] && [ "$created" = "$freed" ] \
  || { echo "FAIL: $created engines created, $freed freed (want >= 4, all freed)" >&2; fail=1; }
[ "$stale" = 0 ] || { echo "FAIL: $stale engines found stale by the init routine" >&2; fail=1; }
[ "$(wc -l <<<"$analysed")" -ge 3 ] \
  || { echo "FAIL: fewer than 3 engines analysed the capture (reload or re-enable did not re-dissect)" >&2; fail=1; }
[ "$(sort -u <<<"$analysed")" = "$want" ] \
  || { echo "FAIL: the engines disagree with each other or with tshark -2 ($want)" >&2; fail=1; }
[ "$idle" -ge 1 ] || { echo "FAIL: no engine ran with the preference off" >&2; fail=1; }

if grep -q 'runtime error' "$work/out/wireshark.log"; then
  echo "FAIL: UBSan:" >&2; grep -A5 'runtime error' "$work/out/wireshark.log" >&2; fail=1
fi
reports=$(ls "$work"/out/asan.* 2>/dev/null || true)
if grep -l 'ERROR: AddressSanitizer' $reports /dev/null >/dev/null 2>&1; then
  echo "FAIL: AddressSanitizer error:" >&2; grep -h -A20 'ERROR: AddressSanitizer' $reports >&2; fail=1
fi
[ -s "$work/out/maps" ] || { echo "FAIL: could not read where ikediag.so was loaded" >&2; fail=1; }
if [ -s "$work/out/maps" ] && [ -n "$reports" ]; then
  python3 - "$work/out/maps" $reports <<'PY' || fail=1
import re, sys
ranges = []
for line in open(sys.argv[1]):
    lo, hi = line.split()[0].split("-")
    ranges.append((int(lo, 16), int(hi, 16)))
bad = []
for path in sys.argv[2:]:
    for block in open(path).read().split("\n\n"):
        if "leak of" not in block:
            continue
        for m in re.finditer(r"#\d+ 0x([0-9a-f]+)", block):
            a = int(m.group(1), 16)
            if any(lo <= a < hi for lo, hi in ranges):
                bad.append(block.strip())
                break
for b in bad:
    print("FAIL: leak from ikediag.so:\n" + b, file=sys.stderr)
total = sum(open(p).read().count("leak of") for p in sys.argv[2:])
print(f"LeakSanitizer: {total} leak reports, {len(bad)} from ikediag.so")
sys.exit(1 if bad else 0)
PY
fi
[ "$fail" = 0 ] && echo "ok: re-dissection gives the same result and frees every engine"
exit $fail
