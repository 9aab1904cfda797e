#!/bin/bash
# build-deb.sh [OUTDIR] — build the Debian package of the ikediag plugin for
# the Wireshark installed on this machine (or in this chroot), with plain
# dpkg tools: cmake builds and installs into a staging root, dpkg-deb packs it.
#
#   OUTDIR   where the .deb goes (default: build-deb/ of this checkout)
#
# The package is tied to the Wireshark series it was built for:
#   name     wireshark-plugin-ikediag
#   version  <project version>~ws<major.minor>, e.g. 0.1.0~ws4.0
#   files    <pkg-config plugindir of wireshark>/epan/ikediag.so
#            /usr/share/wireshark/profiles/IKE Diagnosis/  (if packaging/profile/ has it)
#            /usr/share/doc/wireshark-plugin-ikediag/
#   Depends  libwiresharkN (>= built-against version), libwiresharkN (<< next minor~)
#            where libwiresharkN is the package (dpkg -S) owning the
#            libwireshark.so the plugin was linked against, plus what
#            dpkg-shlibdeps finds for glib, libc and libwsutil.
#
# Environment:
#   IKEDIAG_DEB_MAINTAINER  Maintainer field (default: the project's address)
#   IKEDIAG_DEB_WORKDIR     build/staging folder, kept afterwards (default: a
#                           temporary folder, removed afterwards)
#   SOURCE_DATE_EPOCH       timestamp for the changelog and the files (default:
#                           the last commit, else the newest CMakeLists.txt)
#
# Needs: cmake, a C compiler, pkg-config, wireshark-dev + libwireshark-dev,
# dpkg-dev (dpkg-shlibdeps, dpkg-buildflags), binutils (strip, readelf).
# No fakeroot: dpkg-deb --root-owner-group makes every file root:root.
# Prints the path of the .deb as its last line.
set -euo pipefail

PKG=wireshark-plugin-ikediag
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)

die() { echo "build-deb: $*" >&2; exit 1; }
log() { echo "build-deb: $*" >&2; }

[ $# -le 1 ] || die "usage: $0 [OUTDIR]"
outdir=${1:-$top/build-deb}
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)

for tool in cmake pkg-config dpkg-deb dpkg-shlibdeps dpkg-buildflags dpkg-architecture strip readelf gzip; do
  command -v "$tool" >/dev/null \
    || die "$tool not found (apt-get install cmake pkg-config build-essential dpkg-dev wireshark-dev libwireshark-dev)"
done
pkg-config --exists wireshark || die "pkg-config does not know wireshark (apt-get install libwireshark-dev)"

# --- the Wireshark we build for ----------------------------------------------
ws_version=$(pkg-config --modversion wireshark)
ws_major=${ws_version%%.*}
ws_minor=$(cut -d. -f2 <<<"$ws_version")
series=$ws_major.$ws_minor
plugindir=$(pkg-config --variable=plugindir wireshark)
[ -n "$plugindir" ] || die "pkg-config wireshark has no plugindir"
[[ $plugindir == */$series ]] || die "plugindir $plugindir does not end in the series $series"
arch=$(dpkg --print-architecture)

project_version=$(sed -nE 's/^project\(ikediag VERSION ([0-9][0-9.]*).*/\1/p' "$top/CMakeLists.txt")
[ -n "$project_version" ] || die "no project(ikediag VERSION ...) in $top/CMakeLists.txt"
version=$project_version~ws$series

if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  SOURCE_DATE_EPOCH=$(git -C "$top" log -1 --format=%ct 2>/dev/null || true)
  [ -n "$SOURCE_DATE_EPOCH" ] || SOURCE_DATE_EPOCH=$(stat -c %Y "$top/CMakeLists.txt")
fi
export SOURCE_DATE_EPOCH
maintainer=${IKEDIAG_DEB_MAINTAINER:-ikediag maintainers <maintainers@users.noreply.r-seed-6c3b600c.example>}

log "$PKG $version ($arch) for Wireshark $ws_version, plugins in $plugindir"

# --- build and install into a staging root -------------------------------------
if [ -n "${IKEDIAG_DEB_WORKDIR:-}" ]; then
  work=$IKEDIAG_DEB_WORKDIR
  rm -rf "$work/stage" "$work/shlibs"
  mkdir -p "$work"
else
  work=$(mktemp -d /tmp/ikediag-deb.XXXXXX)
  trap 'rm -rf "$work"' EXIT
fi
build=$work/build stage=$work/stage

# Debian's hardening and optimisation flags; CMAKE_BUILD_TYPE=None adds none
# of its own (as debhelper does), so these are the flags used.
# CMake ignores CPPFLAGS (where _FORTIFY_SOURCE is), so they go into CFLAGS.
export DEB_BUILD_MAINT_OPTIONS=${DEB_BUILD_MAINT_OPTIONS:-hardening=+all}
eval "$(dpkg-buildflags --export=sh)"
export CFLAGS="$CPPFLAGS $CFLAGS"
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=None -DCMAKE_INSTALL_PREFIX=/usr \
  -DIKEDIAG_BUILD_TESTS=OFF -DIKEDIAG_SANITIZERS=OFF -DIKEDIAG_INSTALL_SYSTEM=ON >&2
cmake --build "$build" -j"$(nproc)" >&2
DESTDIR=$stage cmake --install "$build" >&2

so=$stage$plugindir/epan/ikediag.so
[ -f "$so" ] || die "cmake --install did not put ikediag.so into $plugindir/epan (check Wireshark_PLUGIN_INSTALL_DIR)"
extra=$(cd "$stage" && find . -type f ! -path ".$plugindir/epan/ikediag.so")
[ -z "$extra" ] || die "cmake --install installed more than the plugin: $extra"

# Stripped as dh_strip does; no RPATH (CMake drops the build RPATH on install).
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$so"
chmod 0644 "$so"
if readelf -d "$so" | grep -qE '\((RPATH|RUNPATH)\)'; then
  die "ikediag.so carries an RPATH/RUNPATH"
fi

# --- the libwireshark package the plugin was linked against ---------------------
soname=$(readelf -d "$so" | sed -nE 's/.*NEEDED.*\[(libwireshark\.so\.[0-9]+)\].*/\1/p')
[ -n "$soname" ] || die "ikediag.so does not link libwireshark"
linked=$(grep -oE '[^ ]*/libwireshark\.so[^ ]*' "$build/plugin/CMakeFiles/ikediag.dir/link.txt" | head -n 1 || true)
if [ -z "$linked" ]; then  # fall back to the dynamic linker's cache
  linked=$(ldconfig -p | awk -v s="$soname" '$1 == s { print $NF; exit }')
fi
{ [ -n "$linked" ] && [ -e "$linked" ]; } || die "cannot find the libwireshark the plugin links ($soname)"
linked=$(readlink -f "$linked")
libws_pkg=$(dpkg -S "$linked" 2>/dev/null | head -n 1 | cut -d: -f1 || true)
if [ -z "$libws_pkg" ]; then  # merged /usr: dpkg may know the file under the other name
  case "$linked" in
    /usr/*) libws_pkg=$(dpkg -S "${linked#/usr}" 2>/dev/null | head -n 1 | cut -d: -f1 || true) ;;
    *)      libws_pkg=$(dpkg -S "/usr$linked" 2>/dev/null | head -n 1 | cut -d: -f1 || true) ;;
  esac
fi
[[ $libws_pkg =~ ^libwireshark[0-9]+$ ]] || die "dpkg -S $linked gave '$libws_pkg', not a libwiresharkN package"
[ "${libws_pkg#libwireshark}" = "${soname##*.}" ] \
  || die "$linked belongs to $libws_pkg, which does not match the soname $soname"
log "linked against $linked from $libws_pkg"

# --- Depends -------------------------------------------------------------------
# dpkg-shlibdeps wants a debian/control to read; a minimal one will do.
mkdir -p "$work/shlibs/debian"
printf 'Source: ikediag\n\nPackage: %s\nArchitecture: any\n' "$PKG" >"$work/shlibs/debian/control"
shlibs=$(cd "$work/shlibs" && dpkg-shlibdeps -O "$so" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || die "dpkg-shlibdeps found no dependencies"
# libwireshark: at least the series' first release (or what the symbols file
# demands, if more) and, as plugins are only ABI-compatible within one
# major.minor series, below the next minor version; "~" so that its
# pre-releases (4.1.0~rc1) are excluded too.
depends=() lower=$series.0
IFS=',' read -r -a parts <<<"$shlibs"
for d in "${parts[@]}"; do
  d=$(sed -E 's/^ +| +$//g' <<<"$d")
  [ -n "$d" ] || continue
  if [[ $d == "$libws_pkg" || $d == "$libws_pkg "* ]]; then
    v=$(sed -nE 's/.*\(>= *([^)]*)\).*/\1/p' <<<"$d")
    if [ -n "$v" ] && dpkg --compare-versions "$v" gt "$lower"; then lower=$v; fi
    continue
  fi
  depends+=("$d")
done
depends+=("$libws_pkg (>= $lower)" "$libws_pkg (<< $ws_major.$((ws_minor + 1))~)")
depends_field=$(printf '%s, ' "${depends[@]}")
depends_field=${depends_field%, }

# --- profile and docs ----------------------------------------------------------
profile_src="$here/profile/IKE Diagnosis"
profile_dst="/usr/share/wireshark/profiles/IKE Diagnosis"
if [ -d "$profile_src" ]; then
  mkdir -p "$stage$profile_dst"
  cp -r "$profile_src"/. "$stage$profile_dst/"
  log "profile: $profile_dst"
else
  log "no $profile_src: the package has no profile"
fi

doc=$stage/usr/share/doc/$PKG
mkdir -p "$doc"
cp "$here/debian/copyright" "$doc/copyright"
sed -e "s|@SERIES@|$series|g" -e "s|@WS_VERSION@|$ws_version|g" -e "s|@PLUGINDIR@|$plugindir|g" \
    -e "s|@PROFILEDIR@|$profile_dst|g" -e "s|@VERSION@|$version|g" \
    "$here/debian/README.Debian.in" >"$doc/README.Debian"
[ ! -f "$top/README.md" ] || cp "$top/README.md" "$doc/README.md"
# shellcheck disable=SC1091
distribution=$(. /etc/os-release 2>/dev/null; echo "${VERSION_CODENAME:-unstable}")
[ -n "$distribution" ] || distribution=unstable
{
  echo "$PKG ($version) $distribution; urgency=medium"
  echo
  echo "  * ikediag $project_version built for Wireshark $series ($ws_version, $libws_pkg)."
  echo
  echo " -- $maintainer  $(LC_ALL=C date -u -R -d "@$SOURCE_DATE_EPOCH")"
} >"$doc/changelog"
# A native version (no Debian revision): the changelog is changelog.gz.
gzip -9n "$doc/changelog"
for f in "$doc"/README*; do  # Debian policy: docs over 4 kB are compressed
  [ "$(stat -c %s "$f")" -le 4096 ] || gzip -9n "$f"
done

# --- control -------------------------------------------------------------------
find "$stage" -type d -exec chmod 0755 {} +
find "$stage" -type f -exec chmod 0644 {} +
mkdir -p "$stage/DEBIAN"
(cd "$stage" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z \
  | xargs -0 md5sum) >"$stage/DEBIAN/md5sums"
installed_size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
cat >"$stage/DEBIAN/control" <<CONTROL
Package: $PKG
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $installed_size
Depends: $depends_field
Enhances: tshark, wireshark
Section: net
Priority: optional
Description: IKE/IPsec negotiation diagnosis plugin for Wireshark $series
 ikediag is a Wireshark post-dissector that follows IKEv1/IKEv2 exchanges
 and explains why an IPsec tunnel did not come up: retransmissions,
 unanswered requests, proposal and authentication failures, NAT detection
 and floating, with filterable ikediag.* fields, expert information and
 statistics (tshark -z ikediag).
 .
 This build is for the Wireshark $series series only ($ws_version); plugins
 are not binary compatible across Wireshark series.
CONTROL
chmod 0644 "$stage/DEBIAN/control" "$stage/DEBIAN/md5sums"

deb=$outdir/${PKG}_${version}_$arch.deb
rm -f "$deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >&2
echo "$deb"
