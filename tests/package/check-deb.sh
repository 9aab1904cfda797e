#!/bin/bash
# check-deb.sh — build the Debian package with packaging/build-deb.sh and check
# it without installing it: lintian has no errors, dpkg-deb -I shows the
# expected fields, Depends pins the libwireshark ABI series the plugin was
# built for, the files are where Wireshark looks for them, and tshark loads
# the plugin from the extracted package.
#
# Needs (besides the build dependencies): dpkg-dev, lintian, binutils.
# Set IKEDIAG_DEB to check an existing .deb instead of building one.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
PKG=wireshark-plugin-ikediag

fail() { echo "FAIL: $*" >&2; exit 1; }
for tool in dpkg-deb dpkg-shlibdeps lintian readelf pkg-config; do
  command -v "$tool" >/dev/null \
    || fail "$tool not found: apt-get install dpkg-dev lintian binutils pkg-config"
done

work=$(mktemp -d /tmp/ikediag-check-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"

# --- what to expect ---------------------------------------------------------------
ws_version=$(pkg-config --modversion wireshark)
ws_major=${ws_version%%.*}
ws_minor=$(cut -d. -f2 <<<"$ws_version")
series=$ws_major.$ws_minor
plugindir=$(pkg-config --variable=plugindir wireshark)
arch=$(dpkg --print-architecture)
project_version=$(sed -nE 's/^project\(ikediag VERSION ([0-9][0-9.]*).*/\1/p' "$top/CMakeLists.txt")
libdir=$(pkg-config --variable=libdir wireshark)
libws=$(readlink -f "$libdir/libwireshark.so")
libws_pkg=$(dpkg -S "$libws" | head -n 1 | cut -d: -f1)
[[ $libws_pkg =~ ^libwireshark[0-9]+$ ]] || fail "dpkg -S $libws gave '$libws_pkg'"
libws_installed=$(dpkg-query -W -f='${Version}' "$libws_pkg")

# --- build ------------------------------------------------------------------------
if [ -n "${IKEDIAG_DEB:-}" ]; then
  deb=$IKEDIAG_DEB
else
  start=$(date +%s)
  deb=$("$top/packaging/build-deb.sh" "$work/out" 2>"$work/build.log" | tail -n 1) \
    || { cat "$work/build.log" >&2; fail "packaging/build-deb.sh failed"; }
  echo "built $(basename "$deb") in $(( $(date +%s) - start )) s"
fi
[ -f "$deb" ] || fail "no .deb at '$deb'"
[ "$(basename "$deb")" = "${PKG}_${project_version}~ws${series}_${arch}.deb" ] \
  || fail "unexpected file name $(basename "$deb")"

# --- lintian ----------------------------------------------------------------------
lintian --fail-on error --pedantic -I "$deb" >"$work/lintian.log" 2>&1 || lrc=$?
grep -v '^running with root privileges' "$work/lintian.log" || true
if [ "${lrc:-0}" != 0 ] || grep -q '^E: ' "$work/lintian.log"; then
  fail "lintian reports errors"
fi
echo "lintian: $(grep -c '^E: ' "$work/lintian.log" || true) errors," \
     "$(grep -c '^W: ' "$work/lintian.log" || true) warnings," \
     "$(grep -c '^[IP]: ' "$work/lintian.log" || true) info/pedantic"

# --- control fields ----------------------------------------------------------------
dpkg-deb -I "$deb" >"$work/info"
cat "$work/info"
field() { dpkg-deb -f "$deb" "$1"; }
expect() {  # expect FIELD VALUE
  [ "$(field "$1")" = "$2" ] || fail "$1 is '$(field "$1")', expected '$2'"
}
expect Package "$PKG"
expect Version "$project_version~ws$series"
expect Architecture "$arch"
expect Section net
expect Priority optional
for f in Maintainer Installed-Size Description; do
  [ -n "$(field "$f")" ] || fail "no $f field"
done
grep -q "Wireshark $series" <<<"$(field Description)" || fail "Description does not name Wireshark $series"

depends=$(field Depends)
upper="$libws_pkg (<< $ws_major.$((ws_minor + 1))~)"
grep -qF "$upper" <<<"$depends" || fail "Depends lacks '$upper': $depends"
lower=$(grep -oE "$libws_pkg \(>= [^)]+\)" <<<"$depends" | sed -E 's/.*>= ([^)]+)\)/\1/') \
  || fail "Depends lacks '$libws_pkg (>= ...)': $depends"
dpkg --compare-versions "$lower" ge "$series.0" || fail "lower bound $lower is below $series.0"
grep -qE '(^|, )libc6( |,|$)' <<<"$depends" || fail "Depends lacks libc6: $depends"
# The pair accepts the installed libwireshark and nothing of the next series.
satisfies() { dpkg --compare-versions "$1" ge "$lower" && dpkg --compare-versions "$1" lt "$ws_major.$((ws_minor + 1))~"; }
satisfies "$libws_installed" || fail "Depends ($depends) rejects the installed $libws_pkg $libws_installed"
for v in "$ws_major.$((ws_minor + 1)).0~rc1" "$ws_major.$((ws_minor + 1)).0" "$ws_major.$((ws_minor + 2)).0"; do
  ! satisfies "$v" || fail "Depends ($depends) would accept libwireshark $v"
done
echo "ok: Depends pins $libws_pkg to the $series series (installed $libws_installed)"

# --- contents ------------------------------------------------------------------------
dpkg-deb -c "$deb" >"$work/contents"
awk '$2 != "root/root" { bad = 1; print "not root/root: " $0 } END { exit bad }' "$work/contents" >&2 \
  || fail "files not owned by root"
root=$work/root
dpkg-deb -x "$deb" "$root"
so=$root$plugindir/epan/ikediag.so
[ -f "$so" ] || fail "no $plugindir/epan/ikediag.so in the package"
[ "$(stat -c %a "$so")" = 644 ] || fail "ikediag.so has mode $(stat -c %a "$so")"
! readelf -S "$so" | grep -qE '\.(symtab|debug_info)' || fail "ikediag.so is not stripped"
! readelf -d "$so" | grep -qE '\((RPATH|RUNPATH)\)' || fail "ikediag.so has an RPATH"
doc=$root/usr/share/doc/$PKG
[ -f "$doc/copyright" ] || fail "no /usr/share/doc/$PKG/copyright"
[ -f "$doc/changelog.gz" ] || fail "no /usr/share/doc/$PKG/changelog.gz"
profile_src="$top/packaging/profile/IKE Diagnosis"
profile_dst="$root/usr/share/wireshark/profiles/IKE Diagnosis"
if [ -d "$profile_src" ]; then
  diff -r "$profile_src" "$profile_dst" >&2 || fail "the packaged profile differs from packaging/profile/"
  echo "ok: profile installed as /usr/share/wireshark/profiles/IKE Diagnosis/"
fi
unexpected=$(cd "$root"; find . -type f | sed 's|^\.||' \
  | grep -vE "^$plugindir/epan/ikediag\.so$|^/usr/share/doc/$PKG/|^/usr/share/wireshark/profiles/IKE Diagnosis/" || true)
[ -z "$unexpected" ] || fail "unexpected files in the package: $unexpected"

# --- tshark loads the packaged plugin ------------------------------------------------
mkdir -p "$work/plugins/$series"
cp -r "$root$plugindir/epan" "$work/plugins/$series/epan"
list=$(IKEDIAG_PLUGIN_DIR=$work/plugins "$top/tools/ikediag-tshark" -G plugins)
grep -E '^ikediag\.so' <<<"$list" || { echo "$list" >&2; fail "tshark did not load the packaged ikediag.so"; }
grep -qE "^ikediag\.so[[:space:]]+${project_version//./\\.}[[:space:]]" <<<"$list" \
  || fail "tshark reports another version than $project_version for ikediag.so"
echo "ok: $(basename "$deb") checked"
