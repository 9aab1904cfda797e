#!/bin/bash
# screenshots.sh [PLUGIN_DIR [OUTDIR]] — screenshots of ikediag in the Wireshark GUI.
#
# Starts the Wireshark 4.0 GUI headless (xvfb-run) with the freshly built
# plugin and the "IKE Diagnosis" profile, and saves into OUTDIR (default docs/):
#   gui-packet-list.png     packet list of a "tour" of real captures (lost
#                           requests and responses, retry, error, NAT-T, ESP)
#                           with the profile's colours, columns and buttons
#   gui-statistics-menu.png the Statistics menu with the two IKE Diagnosis entries
#   gui-expert-info.png     Analyze > Expert Information (-z expert)
#   gui-stats-ike-sa.png    Statistics > IKE Diagnosis > IKE SAs (-z ike,sa), tour
#   gui-stats-ike-sa-outcome.png  the same table scrolled right (NAT-T, Errors, Outcome)
#   gui-stats-ike-exchanges.png   ... > IKE Exchanges, tour
# and checks that "wireshark -z help" lists ike,sa and ike,exchanges (the
# statistics behind the Statistics > IKE Diagnosis menu entries).
#
# Needs: wireshark-qt xvfb xdotool imagemagick (apt). Root's GUI ignores
# WIRESHARK_PLUGIN_DIR and the per-user plugin folder, so as root the GUI runs
# as "nobody" with a private HOME and a 0700 XDG_RUNTIME_DIR. There is no
# window manager: windows are found with xdotool search --sync --onlyvisible.
#   GUI_TIMEOUT   seconds to wait for a window (default 30)
#   KEEP_WORK=1   keep the temporary folder
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
plugin_dir=$(cd "${1:-$top/build/plugins}" && pwd)
outdir=$(mkdir -p "${2:-$top/docs}" && cd "${2:-$top/docs}" && pwd)
timeout_s=${GUI_TIMEOUT:-90}
profile_name="IKE Diagnosis"

for tool in wireshark tshark editcap mergecap xvfb-run xdotool import identify; do
  command -v $tool >/dev/null || { echo "missing $tool (apt-get install wireshark-qt xvfb xdotool imagemagick)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/ikediag-gui.XXXXXX)
cleanup() { [ "${KEEP_WORK:-}" = 1 ] && echo "work: $work" >&2 || rm -rf "$work"; }
trap cleanup EXIT
conf=$work/home/.config/wireshark
mkdir -p "$conf/profiles" "$work/plugins" "$work/extcap" "$work/run" "$work/in" "$work/out"
cp -r "$plugin_dir"/. "$work/plugins/"
cp -r "$top/packaging/profile/$profile_name" "$conf/profiles/"
. "$top/tests/gui/recent-common.sh"
write_recent_common "$conf/recent_common" "gui.last_used_profile: $profile_name"

# "tour.pcap": one capture with every kind of finding, made of real captures
# placed one after the other (editcap -r picks frames, -t shifts them).
#   requests-dropped 1-5   request never answered (4 retransmissions)
#   responses-dropped 1-6  responses lost, requests and responses repeated
#   invalid-ke-retry       INVALID_KE_PAYLOAD, retry, NAT-T float
#   psk-mismatch           AUTHENTICATION_FAILED (decrypted with its keys)
#   nat-float-initiator-side  healthy IKE SA with NAT-T float and ESP
segments=("requests-dropped 1-5" "responses-dropped 1-6" "invalid-ke-retry 1-6"
          "psk-mismatch 1-4" "nat-float-initiator-side 1-12")
next_start=0 parts=()
for seg in "${segments[@]}"; do
  set -- $seg
  editcap -r "$top/captures/$1.pcap" "$work/in/$1.part" "$2"
  times=$(tshark -r "$work/in/$1.part" -T fields -e frame.time_epoch 2>/dev/null)
  first=$(head -1 <<<"$times"); last=$(tail -1 <<<"$times")
  if [ "$next_start" = 0 ]; then shift_s=0; else
    shift_s=$(awk -v a="$next_start" -v f="$first" 'BEGIN{printf "%.6f", a-f}'); fi
  editcap -t "$shift_s" "$work/in/$1.part" "$work/in/$1.shifted"
  next_start=$(awk -v l="$last" -v s="$shift_s" 'BEGIN{printf "%.6f", l+s+1.5}')
  parts+=("$work/in/$1.shifted")
  [ -f "$top/captures/$1.ikev2_decryption_table" ] && cat "$top/captures/$1.ikev2_decryption_table" >> "$work/in/tour.keys"
done
mergecap -a -w "$work/in/tour.pcap" "${parts[@]}"
cp "$top/captures/simultaneous-initiation.pcap" "$work/in/"
cp "$top/captures/simultaneous-initiation.ikev2_decryption_table" "$work/in/sim.keys"
# Taller packet list so that the whole tour fits.
printf 'gui.geometry_main_upper_pane: 560\n' >> "$conf/profiles/$profile_name/recent"

chmod -R a+rX "$work"
uid_args=()
if [ "$(id -u)" = 0 ]; then
  chown -R nobody "$work/home" "$work/run" "$work/out"
  uid_args=(runuser -u nobody --)
fi
chmod 700 "$work/run"
env_args=(HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_RUNTIME_DIR="$work/run"
          WIRESHARK_PLUGIN_DIR="$work/plugins" WIRESHARK_EXTCAP_DIR="$work/extcap"
          QT_QPA_PLATFORM=xcb LANG=C.UTF-8 NO_AT_BRIDGE=1)

# One X session for all shots: the inner script runs as the GUI user.
cat > "$work/session.sh" <<'INNER'
#!/bin/bash
# Runs inside xvfb-run as the GUI user. $1 = work folder, $2 = timeout, $3 = profile
set -uo pipefail
work=$1; timeout_s=$2; profile=$3
conf=$HOME/.config/wireshark
fail=0
log() { echo "[$(date +%T)] $*"; }

# shot NAME KEYS WINDOW-PATTERN GEOMETRY WIRESHARK-ARGS...
# GEOMETRY "root" photographs the main window (1600x1000 at 0,0), "root:CROP"
# a part of the screen (ImageMagick -crop geometry), "WxH+X+Y" resizes the window found
# (a dialog: there is no window manager to size it) and photographs just it.
shot() {
  local name=$1 keys=$2 pattern=$3 geom=$4; shift 4
  rm -f "$conf/profiles/$profile/ikev2_decryption_table"
  [ -n "$keys" ] && cp "$keys" "$conf/profiles/$profile/ikev2_decryption_table"
  wireshark -C "$profile" "$@" >"$work/out/$name.log" 2>&1 &
  local pid=$! win=""
  win=$(timeout "$timeout_s" xdotool search --sync --onlyvisible --name "$pattern" 2>/dev/null | tail -1)
  if [ -z "$win" ]; then
    log "$name: no window matching '$pattern' within ${timeout_s}s"; fail=1
  else
    local target=root crop=(-crop 1600x1000+0+0 +repage)
    if [[ $geom == root:* ]]; then
      crop=(-crop "${geom#root:}" +repage)
    elif [ "$geom" != root ]; then
      crop=()
      [[ $geom =~ ^([0-9]+)x([0-9]+)\+([0-9]+)\+([0-9]+)$ ]]
      xdotool windowsize --sync "$win" "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" 2>/dev/null || true
      xdotool windowmove --sync "$win" "${BASH_REMATCH[3]}" "${BASH_REMATCH[4]}" 2>/dev/null || true
      target=$win
    fi
    xdotool windowfocus --sync "$win" 2>/dev/null || true
    sleep "${SHOT_SETTLE:-3}"      # let the packet list, colours and tables fill
    [ -n "${SHOT_HOOK:-}" ] && eval "$SHOT_HOOK"
    import -window "$target" "${crop[@]}" "$work/out/$name.png" && log "$name: saved" || fail=1
    [ -n "${SHOT_AFTER:-}" ] && eval "$SHOT_AFTER"
  fi
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
}

wireshark -z help >"$work/out/z-help.txt" 2>&1 || true

# Packet list: frame 3 selected, its IKE Diagnosis subtree expanded (a click
# on the tree's last line, then Shift+Right = expand subtrees).
SHOT_HOOK='xdotool mousemove --sync 200 749 click 1; sleep 0.3; xdotool key Shift+Right; sleep 1' \
shot gui-packet-list "$work/in/tour.keys" "tour.pcap" root -r "$work/in/tour.pcap" -g 3
# Statistics menu open (no window manager: click at the menu title's place).
SHOT_HOOK='xdotool mousemove --sync 325 10 click 1; sleep 1' \
shot gui-statistics-menu "" "tour.pcap" root:820x420+0+0 -r "$work/in/tour.pcap"
shot gui-expert-info "$work/in/tour.keys" "Expert Information" 1100x330+150+120 -r "$work/in/tour.pcap" -z expert
# The IKE SAs table has 19 columns: a second picture scrolled to the right end
# (clicks on the horizontal scroll bar's track) shows NAT-T, Errors, Outcome.
SHOT_AFTER='for i in 1 2 3 4 5 6; do xdotool mousemove --window "$win" 1550 158 click 1; sleep 0.2; done; sleep 0.5
            import -window "$win" "$work/out/gui-stats-ike-sa-outcome.png" && log "gui-stats-ike-sa-outcome: saved"' \
shot gui-stats-ike-sa "$work/in/tour.keys" "IKE SAs" 1600x240+0+200 -r "$work/in/tour.pcap" -z ike,sa
shot gui-stats-ike-exchanges "$work/in/tour.keys" "IKE Exchanges" 1000x330+100+150 -r "$work/in/tour.pcap" -z ike,exchanges
exit $fail
INNER
chmod -R a+rX "$work/in" "$work/session.sh"

start=$(date +%s)
rc=0
(cd /tmp && "${uid_args[@]}" env "${env_args[@]}" \
   xvfb-run -a -s "-screen 0 1600x1000x24" bash "$work/session.sh" "$work" "$timeout_s" "$profile_name") || rc=$?
echo "GUI session: $(( $(date +%s) - start )) s, rc=$rc"

fail=$rc
for s in ike,sa ike,exchanges ikediag; do
  grep -qx " *$s" "$work/out/z-help.txt" || { echo "FAIL: wireshark -z help does not list $s" >&2; fail=1; }
done
for name in gui-packet-list gui-statistics-menu gui-expert-info gui-stats-ike-sa gui-stats-ike-sa-outcome gui-stats-ike-exchanges; do
  png=$work/out/$name.png
  if [ ! -s "$png" ]; then
    echo "FAIL: $name.png not produced (log: $(tail -3 "$work/out/$name.log" 2>/dev/null))" >&2; fail=1; continue
  fi
  # Non-trivial: many distinct colours (an empty or black screen has 1-2).
  colours=$(identify -format '%k' "$png")
  if [ "$colours" -lt 50 ]; then
    echo "FAIL: $name.png looks empty ($colours colours)" >&2; fail=1; continue
  fi
  cp "$png" "$outdir/$name.png"
  echo "ok: $outdir/$name.png ($colours colours)"
done
exit $fail
