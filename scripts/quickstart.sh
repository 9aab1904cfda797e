#!/bin/bash
# quickstart.sh — install what is needed, build ikediag, install it for the
# current user and show its diagnosis of a shipped capture.
#   scripts/quickstart.sh [CAPTURE]   (default: the NAT capture, responder side)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
capture=${1:-$top/captures/nat-float-responder-side.pcap}

"$top/scripts/install-deps.sh"
cmake -S "$top" -B "$top/build" -DIKEDIAG_SANITIZERS=OFF -DIKEDIAG_BUILD_TESTS=OFF >/dev/null
cmake --build "$top/build" -j"$(nproc)"
cmake --install "$top/build"

series=$(tshark --version | head -1 | grep -oE '[0-9]+\.[0-9]+' | head -1)
installed=$HOME/.local/lib/wireshark/plugins
echo
echo "== ikediag installed in $installed/$series/epan"
echo "== Diagnosis of $(basename "$capture") (two passes, so that late findings are final)"
columns='gui.column.format:"No.","%m","Time","%Rt","Source","%s","Destination","%d","IKE SA","%Cus:ikediag.sa","Role","%Cus:ikediag.role","Outcome","%Cus:ikediag.outcome","Info","%i"'
run_tshark() {
  if [ "$(id -u)" = 0 ]; then
    # tshark run by root ignores per-user plugins: run it as nobody on the installed copy.
    IKEDIAG_PLUGIN_DIR=$installed "$top/tools/ikediag-tshark" "$@"
  else
    tshark "$@"
  fi
}
# The capture's IKEv2 key table, if it ships one, so that IKE_AUTH is decrypted.
keys=()
table=${capture%.pcap*}.ikev2_decryption_table
if [ -f "$table" ]; then
  while IFS= read -r line; do
    [ -n "$line" ] && keys+=(-o "uat:ikev2_decryption_table:$line")
  done <"$table"
fi
run_tshark -r "$capture" -2 -Y ikediag -o "$columns" "${keys[@]}"
echo
run_tshark -r "$capture" -2 -q -z ikediag "${keys[@]}"
echo
echo "== Findings (expert info, notes and worse)"
run_tshark -r "$capture" -2 -q -z "expert,note,ikediag" "${keys[@]}"
