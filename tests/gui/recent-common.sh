# recent-common.sh — sourced by the GUI tests. write_recent_common FILE [LINE...]:
# Wireshark's recent_common for a GUI without a window manager: the main
# window fixed at 1600x1000 in the screen's top left (tests click at fixed
# places), no warning about elevated privileges; extra LINEs are appended.
write_recent_common() {
  local f=$1; shift
  printf '%s\n' "gui.geometry_main_x: 0" "gui.geometry_main_y: 0" \
    "gui.geometry_main_width: 1600" "gui.geometry_main_height: 1000" \
    "gui.geometry_main_maximized: FALSE" "privs.warn_if_elevated: FALSE" "$@" >"$f"
}
