# timed-tshark.sh — sourced by tests/bench/run.sh and tests/fuzz/hostile.sh.
# make_timed_tshark DIR: writes DIR/timed-tshark, a tshark that records
# "wall user sys maxrss" of itself in DIR/time.out. The path is baked in
# because tools/ikediag-tshark passes no environment through runuser.
make_timed_tshark() {
  local dir=$1
  chmod 1777 "$dir"
  cat >"$dir/timed-tshark" <<WRAPPER
#!/bin/sh
sync
exec /usr/bin/time -f '%e %U %S %M' -o "$dir/time.out" tshark "\$@"
WRAPPER
  chmod 755 "$dir/timed-tshark"
}
