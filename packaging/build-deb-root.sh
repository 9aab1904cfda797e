#!/bin/bash
# build-deb-root.sh SUITE [OUTDIR] — build the .deb for the Wireshark of a
# cached Debian root of tests/matrix.sh (.cache/roots/SUITE: trixie = 4.4,
# sid = 4.6) by running packaging/build-deb.sh inside it. Needs root.
#
# The checkout is bind-mounted read-only at /ikediag-src in the root and
# OUTDIR (default: build-deb/ of this checkout) at /ikediag-out, in a private
# mount namespace, so nothing stays mounted afterwards. dpkg-dev is installed
# into the root (apt-get) when missing. The roots' lock is held meanwhile,
# so this never runs alongside tests/matrix.sh. Same as, by hand:
#   mount --bind "$PWD" .cache/roots/trixie/ikediag-src  (+ /ikediag-out, /proc)
#   chroot .cache/roots/trixie /ikediag-src/packaging/build-deb.sh /ikediag-out
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then echo "usage: $0 SUITE [OUTDIR]" >&2; exit 2; fi
suite=$1
top=$(cd "$(dirname "$0")/.." && pwd)
r=$top/.cache/roots/$suite
[ "$(id -u)" = 0 ] || { echo "build-deb-root.sh needs root (chroot, mount)" >&2; exit 2; }
[ -f "$r/.ikediag-debootstrap-done" ] \
  || { echo "no root $r: make it with tests/matrix.sh --only $suite" >&2; exit 2; }
out=${2:-$top/build-deb}
mkdir -p "$out"
out=$(cd "$out" && pwd)

if [ -z "${IKEDIAG_DEB_NS:-}" ]; then
  export IKEDIAG_DEB_NS=1
  exec unshare --mount --propagation private /bin/bash "$0" "$@"
fi

exec 9>"$top/.cache/roots/.lock"
flock 9

mkdir -p "$r/ikediag-src" "$r/ikediag-out"
mount --bind "$top" "$r/ikediag-src"
mount -o remount,bind,ro "$r/ikediag-src"
mount --bind "$out" "$r/ikediag-out"
mount --bind /proc "$r/proc"
cp -L /etc/resolv.conf "$r/etc/resolv.conf" 2>/dev/null || true

in_root() {
  chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive ${http_proxy:+http_proxy=$http_proxy} \
    ${https_proxy:+https_proxy=$https_proxy} "$@"
}
# shellcheck disable=SC2016  # ${Status} is dpkg-query's
if ! in_root dpkg-query -W -f='${Status}' dpkg-dev 2>/dev/null | grep -q 'install ok installed'; then
  echo "== installing dpkg-dev in $suite" >&2
  in_root /bin/sh -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends dpkg-dev' >&2
fi
deb=$(in_root /ikediag-src/packaging/build-deb.sh /ikediag-out | tail -n 1)
echo "$out/${deb#/ikediag-out/}"
