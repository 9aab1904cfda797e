#!/bin/bash
# run-tshark.sh — tools/ikediag-tshark plus configuration profiles.
#
# Runs tshark (or IKEDIAG_TSHARK) with the freshly built ikediag plugin in a
# private HOME, as the user "nobody" when run by root (root's tshark ignores
# WIRESHARK_PLUGIN_DIR and the per-user plugin folder).
#
#   IKEDIAG_PLUGIN_DIR  folder holding <major.minor>/epan/ikediag.so
#                       (default: build/plugins of this checkout)
#   IKEDIAG_PROFILE     a profile folder (e.g. "packaging/profile/IKE Diagnosis");
#                       it is copied to <home>/.config/wireshark/profiles/<its name>
#                       so that "-C <its name>" selects it
#   IKEDIAG_KEYS        an ikev2_decryption_table to use (optional)
#   IKEDIAG_TSHARK      the program to run (default: tshark)
# All other arguments go to tshark; the file after -r is copied.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
plugin_dir=${IKEDIAG_PLUGIN_DIR:-$top/build/plugins}
tshark=${IKEDIAG_TSHARK:-tshark}

work=$(mktemp -d /tmp/ikediag-profile.XXXXXX)
trap 'rm -rf "$work"' EXIT
conf=$work/home/.config/wireshark
mkdir -p "$conf/profiles" "$work/plugins" "$work/extcap"
cp -r "$plugin_dir"/. "$work/plugins/"
[ -n "${IKEDIAG_KEYS:-}" ] && cp "$IKEDIAG_KEYS" "$conf/ikev2_decryption_table"
if [ -n "${IKEDIAG_PROFILE:-}" ]; then
  pdir=$conf/profiles/$(basename "$IKEDIAG_PROFILE")
  cp -r "$IKEDIAG_PROFILE" "$pdir"
  # UAT tables such as the IKEv2 keys are per profile.
  [ -n "${IKEDIAG_KEYS:-}" ] && cp "$IKEDIAG_KEYS" "$pdir/ikev2_decryption_table"
fi

args=()
while [ $# -gt 0 ]; do
  if [ "$1" = "-r" ] && [ $# -ge 2 ]; then
    cp "$2" "$work/input"
    args+=(-r "$work/input")
    shift 2
  else
    args+=("$1")
    shift
  fi
done
chmod -R a+rX "$work"

env_args=(HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config"
          WIRESHARK_PLUGIN_DIR="$work/plugins" WIRESHARK_EXTCAP_DIR="$work/extcap")
if [ "$(id -u)" = 0 ]; then
  chown -R nobody "$work/home"
  cd /tmp
  runuser -u nobody -- env "${env_args[@]}" "$tshark" "${args[@]}"
else
  env "${env_args[@]}" "$tshark" "${args[@]}"
fi
