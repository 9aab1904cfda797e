#!/bin/bash
# matrix.sh — build ikediag and run its tshark tests against other Wireshark
# series, each in a cached Debian root (see tests/matrix.md):
#
#   trixie  Debian 13   Wireshark 4.4.x
#   sid     unstable    Wireshark 4.6.x (whatever sid has today)
#   host    this system (Debian 12: 4.0.x), only with --host
#
#   tests/matrix.sh [--host] [--only SUITE]... [--src DIR] [--no-sanitizers]
#                   [--strict] [--upgrade]
#
#   --host           also build and test against the host's Wireshark
#   --only SUITE     test only this root (trixie or sid; repeatable)
#   --src DIR        test this source tree instead of the checkout holding
#                    this script (expected outputs are taken from it too)
#   --no-sanitizers  build only the plain plugin: skips the tshark-san tests
#                    (malformed captures under ASan/UBSan)
#   --strict         count compiler warnings as a build failure
#   --upgrade        apt-get update && full-upgrade each cached root first
#
# Roots live in .cache/roots/<suite> (git-ignored) and are made with
# debootstrap on first use (about a minute each, both at once); later runs
# only copy the source in, rebuild and test. Needs root (chroot, mount).
# Each series runs the same ctest tests the host runs, `ctest -R '^tshark'`
# (plain plugin and, unless --no-sanitizers, the ASan/UBSan plugin). Where a
# newer Wireshark legitimately changes an expected output, the file in
# tests/tshark/expected-<major.minor>/ replaces the one in expected/ for that
# series. Exit status: 0 all green, 1 any failure, 2 usage.
set -euo pipefail

SUITES_ALL=(trixie sid)
MIRROR=${IKEDIAG_MATRIX_MIRROR:-http://deb.debian.org/debian}
PACKAGES=(libwireshark-dev wireshark-dev tshark cmake make gcc libc6-dev pkg-config
          libglib2.0-dev libcmocka-dev util-linux)

args=("$@")
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
src=$top host='' sanitizers=ON strict='' upgrade='' only=()
while [ $# -gt 0 ]; do
  case "$1" in
    --host) host=1; shift ;;
    --only) [ $# -ge 2 ] || { echo "--only needs a suite" >&2; exit 2; }
            only+=("$2"); shift 2 ;;
    --src) if [ $# -lt 2 ] || [ ! -d "$2" ]; then echo "--src needs a directory" >&2; exit 2; fi
           src=$(cd "$2" && pwd); shift 2 ;;
    --no-sanitizers) sanitizers=OFF; shift ;;
    --strict) strict=1; shift ;;
    --upgrade) upgrade=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
suites=("${SUITES_ALL[@]}")
if [ ${#only[@]} -gt 0 ]; then
  for s in "${only[@]}"; do
    [[ " ${SUITES_ALL[*]} " == *" $s "* ]] || { echo "unknown suite $s (have: ${SUITES_ALL[*]})" >&2; exit 2; }
  done
  suites=("${only[@]}")
fi
[ "$(id -u)" = 0 ] || { echo "matrix.sh needs root (debootstrap, chroot, mount)" >&2; exit 2; }

cache=$top/.cache
roots=$cache/roots
logs=$cache/matrix
mkdir -p "$roots" "$logs"

# Mounts are made in a private mount namespace when the kernel lets us: they
# then vanish with this script even if it is killed. The trap below unmounts
# them on any exit either way.
if [ -z "${IKEDIAG_MATRIX_NS:-}" ] && command -v unshare >/dev/null \
   && unshare --mount --propagation private true 2>/dev/null; then
  export IKEDIAG_MATRIX_NS=1
  exec unshare --mount --propagation private /bin/bash "$0" "${args[@]}"
fi

# One matrix run at a time per checkout (roots and logs are shared).
exec 9>"$roots/.lock"
if ! flock -n 9; then
  echo "matrix.sh: waiting for another run to finish ($roots/.lock)" >&2
  flock 9
fi

mounts_under() {  # every mount point below $1, deepest first
  awk -v p="$1/" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r
}
unmount_all() {
  local m
  for m in $(mounts_under "$roots"); do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
}
cleanup() {
  local pids
  mapfile -t pids < <(jobs -p)
  if [ ${#pids[@]} -gt 0 ]; then
    kill "${pids[@]}" 2>/dev/null || true
    wait 2>/dev/null || true
  fi
  unmount_all
}
trap cleanup EXIT
trap 'exit 130' INT TERM
unmount_all  # left over from a run killed outside a namespace

safe_rm() {  # rm -rf, but never through a mount (a bound /proc or /dev)
  if [ -n "$(mounts_under "$1")" ]; then
    echo "refusing to remove $1: something is mounted below it" >&2
    return 1
  fi
  rm -rf "$1"
}
with_proc() {  # with_proc ROOT CMD... — run CMD with ROOT/proc mounted
  local r=$1 rc=0; shift
  mountpoint -q "$r/proc" || mount --bind /proc "$r/proc"
  "$@" || rc=$?
  umount "$r/proc" 2>/dev/null || umount -l "$r/proc"
  return $rc
}
in_root() {  # in_root ROOT SHELL-COMMAND — a clean environment inside ROOT
  local r=$1; shift
  local proxy=()
  [ -z "${http_proxy:-}" ] || proxy+=("http_proxy=$http_proxy")
  [ -z "${https_proxy:-}" ] || proxy+=("https_proxy=$https_proxy")
  with_proc "$r" chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
    LANG=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive "${proxy[@]}" /bin/bash -c "$1"
}

# --- roots -------------------------------------------------------------------

missing_packages() {  # prints the PACKAGES not installed in root $1
  local r=$1 p
  for p in "${PACKAGES[@]}"; do
    # shellcheck disable=SC2016  # ${Status} is dpkg-query's, not ours
    chroot "$r" dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' \
      || echo "$p"
  done
}

prepare_root() {  # prepare_root SUITE — create/refresh .cache/roots/SUITE
  local suite=$1 r=$roots/$1 missing
  if [ ! -f "$r/.ikediag-debootstrap-done" ]; then
    echo "== debootstrap $suite"
    safe_rm "$r.tmp"
    safe_rm "$r"
    debootstrap --variant=minbase "$suite" "$r.tmp" "$MIRROR"
    touch "$r.tmp/.ikediag-debootstrap-done"
    mv "$r.tmp" "$r"
  fi
  # sid's Release file carries a Valid-Until date; a mirror or snapshot that
  # lags behind the clock would make apt refuse it. No daemons in the root.
  echo 'Acquire::Check-Valid-Until "false";' >"$r/etc/apt/apt.conf.d/99ikediag-matrix"
  printf '#!/bin/sh\nexit 101\n' >"$r/usr/sbin/policy-rc.d"
  chmod 755 "$r/usr/sbin/policy-rc.d"
  cp -L /etc/resolv.conf "$r/etc/resolv.conf" 2>/dev/null || true

  missing=$(missing_packages "$r" | tr '\n' ' ')
  if [ -n "$upgrade" ]; then
    echo "== upgrade $suite"
    in_root "$r" "apt-get update -qq && apt-get full-upgrade -y -qq"
  fi
  if [ -n "${missing// /}" ]; then
    echo "== install in $suite: $missing"
    in_root "$r" "apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing"
  else
    echo "== $suite: all packages present"
  fi
  missing=$(missing_packages "$r" | tr '\n' ' ')
  [ -z "${missing// /}" ] || { echo "still missing in $suite: $missing" >&2; return 1; }
  # tools/ikediag-tshark runs tshark as "nobody" through runuser.
  chroot "$r" getent passwd nobody >/dev/null || { echo "no user nobody in $suite" >&2; return 1; }
  [ -x "$r/usr/sbin/runuser" ] || [ -x "$r/usr/bin/runuser" ] \
    || { echo "no runuser in $suite" >&2; return 1; }
}

command -v debootstrap >/dev/null || {
  echo "== installing debootstrap on the host"
  apt-get install -y -qq debootstrap >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq debootstrap; }
}

# Roots are made (network-bound) in parallel; building and testing is not.
declare -A prep_pid prep_ok
for s in "${suites[@]}"; do
  mkdir -p "$logs/$s"
  prepare_root "$s" >"$logs/$s/prepare.log" 2>&1 &
  prep_pid[$s]=$!
done
wait_roots() {
  local s
  for s in "${suites[@]}"; do
    if wait "${prep_pid[$s]}"; then
      prep_ok[$s]=1
    else
      prep_ok[$s]=''
      echo "!! preparing the $s root failed; last lines of $logs/$s/prepare.log:" >&2
      tail -n 20 "$logs/$s/prepare.log" >&2
    fi
  done
}

# --- build and test ------------------------------------------------------------

malformed=$(cd "$src/.." && pwd)/shared/captures/malformed
declare -A r_ws r_build r_pass r_fail r_failed r_over
failures=0

series_of() { sed -E 's/^[0-9]+://; s/[-+~].*//' <<<"$1" | cut -d. -f1,2; }

# record NAME VERSION BUILD_LOG TEST_LOG BUILD_RC TEST_RC
record() {
  local n=$1 ver=$2 blog=$3 tlog=$4 brc=$5 trc=$6 warnings line
  r_ws[$n]=${ver:-?}
  warnings=$(grep -c 'warning:' "$blog" || true)
  if [ "$brc" != 0 ]; then
    r_build[$n]=FAILED
  elif [ "$warnings" != 0 ]; then
    r_build[$n]="ok, $warnings warning(s)"
    [ -z "$strict" ] || r_build[$n]="FAILED ($warnings warning(s))"
  else
    r_build[$n]=ok
  fi
  r_pass[$n]=- r_fail[$n]=- r_failed[$n]=''
  if [ -f "$tlog" ]; then
    line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$tlog" | tail -n 1 || true)
    if [ -n "$line" ]; then
      local failed total
      failed=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
      total=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\2/' <<<"$line")
      r_pass[$n]=$((total - failed)) r_fail[$n]=$failed
      r_failed[$n]=$(sed -n '/The following tests FAILED:/,/^[^[:space:]]/s/^[[:space:]]\+[0-9]\+ - \([^ ]*\).*/\1/p' "$tlog" | tr '\n' ' ')
    elif [ "$trc" != 0 ] || grep -q 'No tests were found' "$tlog"; then
      r_pass[$n]=0 r_fail[$n]="no tests ran"
    fi
  fi
  if [[ ${r_build[$n]} == FAILED* ]] || [ "$trc" != 0 ] || [ "${r_fail[$n]}" != 0 ]; then
    failures=$((failures + 1))
    echo "!! $n failed; logs: $blog $tlog" >&2
    [ "$brc" = 0 ] || tail -n 30 "$blog" >&2
    if [ "$brc" = 0 ] && [ -f "$tlog" ]; then
      tail -n 40 "$tlog" >&2
    fi
  fi
}

# The matrix runs the tshark tests only: the fuzz harness (clang) stays on the host.
cmake_args="-DIKEDIAG_BUILD_TESTS=ON -DIKEDIAG_SANITIZERS=$sanitizers -DIKEDIAG_FUZZ=OFF"
ctest_args="-R '^tshark' -j$(nproc) --timeout 300 --output-on-failure"

run_series() {  # run_series SUITE
  local suite=$1 r=$roots/$1 ver series over=0 brc=0 trc=0 f
  local blog=$logs/$suite/build.log tlog=$logs/$suite/test.log
  rm -f "$blog" "$tlog"
  # shellcheck disable=SC2016
  ver=$(chroot "$r" dpkg-query -W -f='${Version}' tshark)
  series=$(series_of "$ver")
  echo "== $suite: Wireshark $ver"

  # A fresh copy of the source each run, every file stamped now (tar -m):
  # everything is recompiled (seconds), and an object built from another
  # tree (--src) or from a newer file can never be taken as up to date.
  safe_rm "$r/src"
  mkdir -p "$r/src"
  tar -C "$src" --exclude=./.git --exclude=./.cache --exclude='./build*' -cf - . | tar -C "$r/src" -xmf -
  safe_rm "$r/malformed"
  mkdir -p "$r/malformed"
  [ ! -d "$malformed" ] || cp -a "$malformed"/. "$r/malformed/"
  # Per-series expected outputs replace the common ones (tests/matrix.md).
  if [ -d "$src/tests/tshark/expected-$series" ]; then
    while IFS= read -r -d '' f; do
      f=${f#"$src/tests/tshark/expected-$series/"}
      mkdir -p "$(dirname "$r/src/tests/tshark/expected/$f")"
      cp "$src/tests/tshark/expected-$series/$f" "$r/src/tests/tshark/expected/$f"
      over=$((over + 1))
    done < <(find "$src/tests/tshark/expected-$series" -type f -print0)
  fi
  r_over[$suite]=$over

  in_root "$r" "cmake -S /src -B /build $cmake_args -DIKEDIAG_MALFORMED_DIR=/malformed \
                && cmake --build /build -j\$(nproc)" >"$blog" 2>&1 || brc=$?
  if [ "$brc" = 0 ]; then
    in_root "$r" "cd /build && ctest $ctest_args" >"$tlog" 2>&1 || trc=$?
  fi
  record "$suite" "$ver" "$blog" "$tlog" "$brc" "$trc"
}

run_host() {
  local b=$top/build-matrix-host brc=0 trc=0 ver
  # One build dir, but never one configured for another tree (--src).
  if [ -f "$b/CMakeCache.txt" ] && ! grep -qxF "CMAKE_HOME_DIRECTORY:INTERNAL=$src" "$b/CMakeCache.txt"; then
    rm -rf "$b"
  fi
  local blog=$logs/host/build.log tlog=$logs/host/test.log
  mkdir -p "$logs/host"
  rm -f "$blog" "$tlog"
  ver=$(dpkg-query -W -f='${Version}' tshark 2>/dev/null || echo "?")
  echo "== host: Wireshark $ver"
  # shellcheck disable=SC2086
  { cmake -S "$src" -B "$b" $cmake_args && cmake --build "$b" -j"$(nproc)"; } >"$blog" 2>&1 || brc=$?
  if [ "$brc" = 0 ]; then
    (cd "$b" && eval "ctest $ctest_args") >"$tlog" 2>&1 || trc=$?
  fi
  r_over[host]=0
  record host "$ver" "$blog" "$tlog" "$brc" "$trc"
}

names=()
if [ -n "$host" ]; then
  run_host  # while the roots are being prepared
  names+=(host)
fi
wait_roots
for s in "${suites[@]}"; do
  names+=("$s")
  if [ -z "${prep_ok[$s]}" ]; then
    r_ws[$s]='?' r_build[$s]="FAILED (no root)" r_pass[$s]=- r_fail[$s]=- r_failed[$s]='' r_over[$s]=0
    failures=$((failures + 1))
    continue
  fi
  run_series "$s"
done

# --- summary -------------------------------------------------------------------

echo
echo "ikediag compatibility matrix ($(cd "$src" && git describe --always --dirty 2>/dev/null || echo "$src"), sanitizers $sanitizers)"
fmt="%-8s %-7s %-22s %-24s %-7s %-7s %s\n"
# shellcheck disable=SC2059
printf "$fmt" target series Wireshark build passed failed overrides
for n in "${names[@]}"; do
  v=${r_ws[$n]}
  # shellcheck disable=SC2059
  printf "$fmt" "$n" "$(series_of "$v")" "$v" "${r_build[$n]}" "${r_pass[$n]}" "${r_fail[$n]}" "${r_over[$n]}"
done
for n in "${names[@]}"; do
  [ -n "${r_failed[$n]}" ] || continue
  read -r -a list <<<"${r_failed[$n]}"
  if [ ${#list[@]} -gt 8 ]; then
    echo "  $n failed: ${list[*]:0:8} ... and $((${#list[@]} - 8)) more (see its test.log)"
  else
    echo "  $n failed: ${list[*]}"
  fi
done
echo "logs: $logs/<target>/{prepare,build,test}.log"
if [ "$failures" != 0 ]; then
  echo "MATRIX FAILED ($failures of ${#names[@]} targets)"
  exit 1
fi
echo "matrix ok"
