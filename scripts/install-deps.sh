#!/bin/bash
# install-deps.sh — Debian packages to build, install and test ikediag.
# Uses sudo when not run as root. Safe to run again.
set -euo pipefail
packages=(
  build-essential cmake pkg-config        # toolchain (gcc brings the ASan/UBSan runtimes)
  libglib2.0-dev libcmocka-dev            # the engine and its unit tests
  wireshark-dev libwireshark-dev tshark   # the plugin and the capture tests
  dpkg-dev lintian                        # the Debian package and its test
  zip unzip                               # the profile's zip and its test
  wireshark-qt xvfb xdotool imagemagick   # GUI screenshots under Xvfb
  clang libclang-rt-14-dev                # libFuzzer harness of the engine
  time bc python3                         # the benchmark and hostile captures (tests/bench)
  util-linux                              # runuser, to run tshark unprivileged as root
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && { echo "install-deps: all packages present"; exit 0; }
sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
