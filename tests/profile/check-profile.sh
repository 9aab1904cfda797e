#!/bin/bash
# check-profile.sh PLUGIN_DIR — checks the "IKE Diagnosis" configuration profile
# (packaging/profile/IKE Diagnosis) against the built plugin and real captures.
#
#  1. syntax of colorfilters, dfilter_buttons, cfilters; every colour rule has
#     enough contrast (WCAG ratio >= 4.5) to read on any theme
#  2. every display filter of colorfilters and dfilter_buttons compiles with the
#     plugin loaded (tshark -Y exits 0); capture filters compile (dumpcap -d,
#     only when dumpcap may open the loopback interface)
#  3. tshark -C "IKE Diagnosis" --color picks the expected colour rule per frame
#     (frame.coloring_rule.name) on real captures (one built with editcap and
#     mergecap) and shows the profile's columns
#  4. make-zip.sh builds "IKE Diagnosis.zip" with the folder at top level, and
#     the profile unpacked from it works (Wireshark's Import does the same)
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
export IKEDIAG_PLUGIN_DIR=$(cd "${1:-$top/build/plugins}" && pwd)
name="IKE Diagnosis"
profile=$top/packaging/profile/$name
run=$top/tests/profile/run-tshark.sh
caps=$top/captures
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }
ok() { echo "ok: $*"; }

for f in colorfilters dfilter_buttons cfilters preferences; do
  [ -s "$profile/$f" ] || bad "$f missing"
done

# --- 1. syntax and contrast ------------------------------------------------
rules=()      # "name<TAB>filter"
while IFS= read -r l; do
  case $l in ''|'#'*) continue;; esac
  if [[ $l =~ ^@([^@]+)@([^@]+)@\[([0-9]+),([0-9]+),([0-9]+)\]\[([0-9]+),([0-9]+),([0-9]+)\]$ ]]; then
    rules+=("${BASH_REMATCH[1]}"$'\t'"${BASH_REMATCH[2]}")
    if [[ ${BASH_REMATCH[1]} == IKE* || ${BASH_REMATCH[1]} == ESP ]]; then
      ratio=$(awk -v c="${BASH_REMATCH[*]:3:6}" 'function lin(v){v/=65535; return v<=0.03928 ? v/12.92 : ((v+0.055)/1.055)^2.4}
        function lum(r,g,b){return 0.2126*lin(r)+0.7152*lin(g)+0.0722*lin(b)}
        BEGIN{split(c,a," "); f=lum(a[1],a[2],a[3]); b=lum(a[4],a[5],a[6]);
              if (f<b) {t=f; f=b; b=t}; printf "%.1f", (f+0.05)/(b+0.05)}')
      awk -v r="$ratio" 'BEGIN{exit !(r>=4.5)}' || bad "colour rule '${BASH_REMATCH[1]}': contrast $ratio < 4.5"
    fi
  else
    bad "colorfilters: bad line: $l"
  fi
done < "$profile/colorfilters"
ok "colorfilters: ${#rules[@]} rules"
first=$(printf '%s\n' "${rules[@]}" | cut -f1 | head -8 | paste -sd,)
[ "$first" = "IKE error,IKE unanswered request,IKE retransmission,IKE other warning,IKE retry,IKE NAT-T float,IKE healthy,ESP" ] \
  || bad "colorfilters: ikediag rules not first or not in severity order: $first"

buttons=()
while IFS= read -r l; do
  case $l in ''|'#'*) continue;; esac
  if [[ $l =~ ^\"(TRUE|FALSE)\",\"([^\"]+)\",\"([^\"]+)\",\"([^\"]*)\"$ ]]; then
    buttons+=("${BASH_REMATCH[2]}"$'\t'"${BASH_REMATCH[3]}")
  else
    bad "dfilter_buttons: bad line: $l"
  fi
done < "$profile/dfilter_buttons"
labels=$(printf '%s\n' "${buttons[@]}" | cut -f1 | paste -sd,)
for want in "IKE errors" "Retransmissions" "Unanswered" "NAT-T" "One IKE SA"; do
  [[ ,$labels, == *",$want,"* ]] || bad "dfilter_buttons: no button '$want'"
done
ok "dfilter_buttons: $labels"

cfs=()
while IFS= read -r l; do
  case $l in ''|'#'*) continue;; esac
  if [[ $l =~ ^\"([^\"]+)\"\ (.+)$ ]]; then cfs+=("${BASH_REMATCH[2]}"); else bad "cfilters: bad line: $l"; fi
done < "$profile/cfilters"
grep -q '192\.0\.2\.' "$profile/cfilters" && grep -q '198\.51\.100\.' "$profile/cfilters" \
  || bad "cfilters: placeholder addresses must come from 192.0.2.0/24 and 198.51.100.0/24"

# --- 2. filters compile with the plugin ---------------------------------------
n=0
for r in "${rules[@]}" "${buttons[@]}"; do
  filter=${r#*$'\t'}
  if err=$("$run" -r "$caps/ike-proposal-mismatch.pcap" -Y "$filter" 2>&1 >/dev/null); then
    n=$((n+1))
  else
    bad "filter of '${r%%$'\t'*}' does not compile: $filter: $err"
  fi
done
ok "$n display filters compile"
# The check must be able to fail: a misspelt ikediag field is rejected.
if "$run" -r "$caps/ike-proposal-mismatch.pcap" -Y "ikediag.no_such_field" >/dev/null 2>&1; then
  bad "tshark accepted an unknown field: the plugin or the check is broken"
fi
if command -v dumpcap >/dev/null && dumpcap -i lo -d -f "udp" >/dev/null 2>&1; then
  for f in "${cfs[@]}"; do
    dumpcap -i lo -d -f "$f" >/dev/null 2>&1 || bad "capture filter does not compile: $f"
  done
  ok "${#cfs[@]} capture filters compile"
else
  echo "skip: capture filters (dumpcap cannot open lo here)"
fi

# --- 3. colouring and columns ---------------------------------------------------
tmp=$(mktemp -d /tmp/ikediag-profile-check.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# restart.pcap: requests-dropped frames 1-5 (IKE SA given up), then
# responses-dropped (the same initiator starts over).
editcap -r "$caps/requests-dropped.pcap" "$tmp/rd5.pcap" 1-5
mergecap -a -w "$tmp/restart.pcap" "$tmp/rd5.pcap" "$caps/responses-dropped.pcap"
# expect CAPTURE "frame:rule" ...   (frames not listed are not checked)
expect() {
  local cap=$1; shift
  local keys=$caps/${cap%.pcap}.ikev2_decryption_table
  local file=$caps/$cap
  [ -f "$file" ] || file=$tmp/$cap
  local got
  got=$(IKEDIAG_PROFILE=$PROFILE_DIR IKEDIAG_KEYS=$([ -f "$keys" ] && echo "$keys") \
        "$run" -C "$name" --color -2 -r "$file" -T fields -e frame.number -e frame.coloring_rule.name) \
    || { bad "$cap: tshark failed"; return; }
  local pair frame rule line
  for pair in "$@"; do
    frame=${pair%%:*}; rule=${pair#*:}
    line=$(awk -F'\t' -v f="$frame" '$1==f {print $2}' <<<"$got")
    [ "$line" = "$rule" ] || bad "$cap frame $frame: colour rule '$line', expected '$rule'"
  done
  ok "$cap: colour rules as expected ($#)"
}
check_colours() {
  PROFILE_DIR=$1
  local u=() i
  for i in $(seq 1 10); do u+=("$i:IKE unanswered request"); done
  expect requests-dropped.pcap "${u[@]}"
  expect ike-proposal-mismatch.pcap "1:IKE healthy" "2:IKE error"
  expect psk-mismatch.pcap "1:IKE healthy" "4:IKE error"
  expect responses-dropped.pcap "1:IKE healthy" "2:IKE healthy" "3:IKE retransmission" "4:IKE retransmission" "10:IKE retransmission"
  expect invalid-ke-retry.pcap "1:IKE healthy" "2:IKE retry" "3:IKE retry" "4:IKE healthy" "5:IKE NAT-T float"
  expect nat-float-initiator-side.pcap "2:IKE healthy" "3:IKE NAT-T float" "5:ESP" "10:ESP" "11:IKE healthy"
  # A warning without a rule of its own (here: the initiator gave up and
  # starts over) gets "IKE other warning", not "IKE healthy".
  expect restart.pcap "5:IKE unanswered request" "6:IKE other warning" "7:IKE healthy" "8:IKE retransmission"
}
check_colours "$profile"

# Columns: the profile's preferences load without complaint and give the columns.
out=$(IKEDIAG_PROFILE=$profile IKEDIAG_KEYS=$caps/psk-mismatch.ikev2_decryption_table \
      "$run" -C "$name" -2 -r "$caps/psk-mismatch.pcap" 2>"${TMPDIR:-/tmp}/ikd-prof.$$") || bad "tshark -C failed"
errs=$(cat "${TMPDIR:-/tmp}/ikd-prof.$$"); rm -f "${TMPDIR:-/tmp}/ikd-prof.$$"
[ -z "$errs" ] || bad "tshark -C \"$name\" complained: $errs"
# frame 1: SA 1, initiator, IKE_SA_INIT, MID 0, response in frame 2
grep -Eq '^ *1 .* ISAKMP 1 initiator IKE_SA_INIT 0x00000000 2 ' <<<"$out" \
  || bad "columns: frame 1 lacks 'ISAKMP 1 initiator IKE_SA_INIT 0x00000000 2': $(head -1 <<<"$out")"
# frame 4: SA 1, responder, IKE_AUTH, MID 1, a response time
grep -Eq '^ *4 .* ISAKMP 1 responder IKE_AUTH 0x00000001 +0\.[0-9]+ ' <<<"$out" \
  || bad "columns: frame 4 lacks 'ISAKMP 1 responder IKE_AUTH 0x00000001 <time>': $(sed -n 4p <<<"$out")"
ok "columns of the profile"

# --- 4. zip for Import ---------------------------------------------------------
"$top/packaging/profile/make-zip.sh" "$tmp" >/dev/null
zip=$tmp/$name.zip
[ -s "$zip" ] || bad "make-zip.sh made no '$name.zip'"
unzip -tq "$zip" >/dev/null || bad "zip is corrupt"
listing=$(unzip -Z1 "$zip")
for f in colorfilters dfilter_buttons cfilters preferences; do
  grep -qx "$name/$f" <<<"$listing" || bad "zip lacks '$name/$f'"
done
grep -v "^$name/" <<<"$listing" && bad "zip has entries outside '$name/'"
mkdir -p "$tmp/profiles" && (cd "$tmp/profiles" && unzip -q "$zip")
check_colours "$tmp/profiles/$name" >/dev/null
ok "zip: $(wc -l <<<"$listing") entries under '$name/', unpacked profile colours as expected"

[ $fail = 0 ] && echo "PASS" || echo "FAILED"
exit $fail
