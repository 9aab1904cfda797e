#!/bin/bash
# make-captures.sh — (re)generate the real IKEv2 captures described in README.md.
#
#   sudo ./make-captures.sh                        all scenarios
#   sudo ./make-captures.sh psk-mismatch nat-float some of them
#   ./make-captures.sh --list                      scenario names
#   KEEP_WORK=1 sudo ./make-captures.sh ...        keep .work/ (configs, full logs)
#   UPDATE_EXPECTED=1 sudo ./make-captures.sh ...  accept new tools/expected/*.txt
#
# Real strongSwan charon daemons (one per peer) in network namespaces created
# here (ikd<PID>-i, -r, -n), veth pairs created directly inside them,
# documentation addresses only, tcpdump inside a namespace. Every process
# started is recorded by PID and stopped by PID; the namespaces are deleted
# on exit, error or signal. Scratch files (configs, throw-away private keys,
# full logs) live in .work/, which is removed at the end unless KEEP_WORK=1.
set -Eeuo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOOLS=$HERE/tools
WORK=$HERE/.work
CHARON=/usr/lib/ipsec/charon
PFX=ikd$$

ALL=(healthy-delete nat-float ike-proposal-mismatch child-proposal-mismatch
     psk-mismatch requests-dropped responses-dropped invalid-ke-retry
     simultaneous-initiation ike-fragmentation ipv6-healthy ike-rekey ip-fragmentation
     responder-down)

declare -A DESC=(
  [healthy-delete]="IKE_SA_INIT, IKE_AUTH, 3 pings over ESP-in-UDP, Delete by the initiator"
  [nat-float]="same as healthy-delete through a NAT router (captured on both sides)"
  [ike-proposal-mismatch]="NO_PROPOSAL_CHOSEN in the IKE_SA_INIT response"
  [child-proposal-mismatch]="IKE SA up, NO_PROPOSAL_CHOSEN for the CHILD SA in IKE_AUTH"
  [psk-mismatch]="AUTHENTICATION_FAILED (different pre-shared keys)"
  [requests-dropped]="responder drops all requests; 2 keying tries x 5 transmissions"
  [responses-dropped]="initiator drops all responses; retransmitted requests, cached responses"
  [invalid-ke-retry]="INVALID_KE_PAYLOAD (MODP-2048 -> ECP-256), retry, success"
  [simultaneous-initiation]="both peers initiate at the same time: two IKE SAs"
  [ike-fragmentation]="certificate auth, IKE_AUTH in 5 RFC 7383 fragments each way"
  [ipv6-healthy]="IKE SA and CHILD SA over IPv6, 3 ping6 over ESP-in-UDP"
  [ike-rekey]="tunnel up, CHILD SA rekey, IKE SA rekey (old SA deleted), then Delete of the new one"
  [ip-fragmentation]="certificate auth without RFC 7383: IKE_AUTH travels as IP fragments"
  [responder-down]="no IKE daemon on the responder: ICMP port unreachable for every request"
)

usage() { sed -n '2,9s/^# \{0,1\}//p' "$0"; }

if [ "${1:-}" = --list ]; then
    for s in "${ALL[@]}"; do printf '%-24s %s\n' "$s" "${DESC[$s]}"; done
    exit 0
fi
case "${1:-}" in -h|--help) usage; exit 0 ;; esac

SEL=()
if [ $# -eq 0 ]; then SEL=("${ALL[@]}"); else
    for a in "$@"; do
        [ -n "${DESC[$a]:-}" ] || { echo "unknown scenario '$a' (see --list)" >&2; exit 2; }
        SEL+=("$a")
    done
fi

[ "$(id -u)" = 0 ] || { echo "must run as root (network namespaces)" >&2; exit 1; }

log()  { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
warn() { printf '[%s] WARNING: %s\n' "$(date +%T)" "$*" >&2; }
die()  { printf '[%s] ERROR: %s\n' "$(date +%T)" "$*" >&2; exit 1; }

# ---------------------------------------------------------------- packages
ensure_packages() {
    local p missing=()
    for p in strongswan-charon strongswan-swanctl strongswan-pki libcharon-extra-plugins \
             libstrongswan-extra-plugins nftables iproute2 tcpdump tshark iputils-ping \
             util-linux mawk; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
            missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" ||
        { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"; }
}
ensure_packages
[ -x "$CHARON" ] || die "$CHARON not found"

# ------------------------------------------------------- process/ns tracking
PIDS=()        # every background process we started (charon, tcpdump, swanctl)
NETNS=()       # every namespace we created

forget_pid() {
    local p keep=()
    for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
    PIDS=("${keep[@]}")
}
stop_pid() {       # stop_pid PID [SIGNAL]: signal, wait up to 5 s, then SIGKILL
    local pid=$1 sig=${2:-TERM} i
    if kill -0 "$pid" 2>/dev/null; then
        kill -"$sig" "$pid" 2>/dev/null || true
        for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
    forget_pid "$pid"
}
del_netns() {
    local n
    for n in "${NETNS[@]}"; do ip netns del "$n" 2>/dev/null || true; done
    NETNS=()
}
cleanup() {
    local rc=$? p
    trap - EXIT INT TERM
    for p in "${PIDS[@]}"; do stop_pid "$p"; done
    del_netns
    if [ "${KEEP_WORK:-0}" = 1 ]; then log "scratch files kept in $WORK"
    else rm -rf "$WORK"; fi
    exit $rc
}
trap cleanup EXIT
trap 'log "command failed (line $LINENO): $BASH_COMMAND"' ERR
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- topology
NS_I= NS_R= NS_N=
mkns() {           # mkns ROLE v4|v6: create $PFX-ROLE (IPv6 off for v4)
    local ns=$PFX-$1
    ip netns add "$ns"
    NETNS+=("$ns")
    if [ "$2" = v4 ]; then
        ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 \
            net.ipv6.conf.default.disable_ipv6=1
    else
        ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.accept_dad=0 \
            net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.default.router_solicitations=0 \
            net.ipv6.conf.all.router_solicitations=0
    fi
    ip -n "$ns" link set lo up
}
topo_pair() {      # two peers on one veth link; $1 = v4|v6
    NS_I=$PFX-i NS_R=$PFX-r NS_N=
    mkns i "$1"; mkns r "$1"
    ip -n "$NS_I" link add eth0 type veth peer name eth0 netns "$NS_R"
    if [ "$1" = v4 ]; then
        ip -n "$NS_I" addr add 192.0.2.1/24 dev eth0
        ip -n "$NS_R" addr add 192.0.2.2/24 dev eth0
        ip -n "$NS_I" addr add 203.0.113.1/32 dev lo
        ip -n "$NS_R" addr add 203.0.113.65/32 dev lo
    else
        ip -n "$NS_I" addr add 2001:db8::1/64 dev eth0 nodad
        ip -n "$NS_R" addr add 2001:db8::2/64 dev eth0 nodad
        ip -n "$NS_I" addr add 2001:db8:a::1/128 dev lo
        ip -n "$NS_R" addr add 2001:db8:b::1/128 dev lo
    fi
    ip -n "$NS_I" link set eth0 up
    ip -n "$NS_R" link set eth0 up
}
topo_nat() {       # initiator -- NAT router -- responder (IPv4)
    NS_I=$PFX-i NS_R=$PFX-r NS_N=$PFX-n
    mkns i v4; mkns n v4; mkns r v4
    ip -n "$NS_I" link add eth0 type veth peer name eth0 netns "$NS_N"
    ip -n "$NS_N" link add eth1 type veth peer name eth0 netns "$NS_R"
    ip -n "$NS_I" addr add 192.0.2.1/24 dev eth0
    ip -n "$NS_N" addr add 192.0.2.254/24 dev eth0
    ip -n "$NS_N" addr add 198.51.100.254/24 dev eth1
    ip -n "$NS_R" addr add 198.51.100.2/24 dev eth0
    ip -n "$NS_I" addr add 203.0.113.1/32 dev lo
    ip -n "$NS_R" addr add 203.0.113.65/32 dev lo
    ip -n "$NS_I" link set eth0 up
    ip -n "$NS_N" link set eth0 up
    ip -n "$NS_N" link set eth1 up
    ip -n "$NS_R" link set eth0 up
    ip -n "$NS_I" route add 198.51.100.0/24 via 192.0.2.254
    ip netns exec "$NS_N" sysctl -q -w net.ipv4.ip_forward=1
    ip netns exec "$NS_N" nft -f - <<'EOF'
table ip nat {
    chain postrouting {
        type nat hook postrouting priority srcnat; policy accept;
        oifname "eth1" meta l4proto udp masquerade to :40000-40999
        oifname "eth1" masquerade
    }
}
EOF
}

# ---------------------------------------------------------------- strongSwan
# write_conf DIR libipsec(0|1) v6(0|1) [fragment_size]
write_conf() {
    local d=$1 libipsec=$2 v6=$3 frag=${4:-} load
    load="random nonce openssl aes sha1 sha2 hmac kdf gmp pem pkcs1 pkcs8 x509 pubkey constraints kernel-netlink socket-default vici"
    [ "$libipsec" = 1 ] && load="kernel-libipsec $load"
    cat >"$d/strongswan.conf" <<EOF
# generated by make-captures.sh
charon {
    load = $load
    retransmit_timeout = 1
    retransmit_base = 1.4
    retransmit_tries = 4
    install_virtual_ip = no
${frag:+    fragment_size = $frag
}    filelog {
        main {
            path = $d/charon.log
            time_format = %Y-%m-%d %H:%M:%S
            time_add_ms = yes
            ike_name = yes
            append = no
            flush_line = yes
            default = 1
        }
        keys {
            path = $d/keys.log
            time_format = %Y-%m-%d %H:%M:%S
            time_add_ms = yes
            ike_name = yes
            append = no
            flush_line = yes
            default = -1
            ike = 4
            chd = 4
            cfg = 1
        }
    }
    plugins {
        vici {
            socket = unix://$d/charon.vici
        }
        socket-default {
            use_ipv6 = $([ "$v6" = 1 ] && echo yes || echo no)
            use_ipv4 = $([ "$v6" = 1 ] && echo no || echo yes)
        }
    }
}
swanctl {
    load = random nonce openssl pem pkcs1 pkcs8 x509 pubkey
}
pki {
    load = random nonce openssl gmp sha1 sha2 pem pkcs1 pkcs8 x509 pubkey
}
EOF
}

# write_swanctl DIR key=value ...
#   laddr raddr lid rid ike esp lts rts psk tries frag auth(psk|pubkey)
#   cert key ca
write_swanctl() {
    local d=$1; shift
    local -A o=([laddr]=%any [raddr]=%any [ike]=aes128-sha256-modp2048 [esp]=aes128-sha256
                [tries]=1 [frag]=yes [auth]=psk [psk]=ikediag-test-psk)
    local kv
    for kv in "$@"; do o[${kv%%=*}]=${kv#*=}; done
    {
        echo "# generated by make-captures.sh"
        echo "connections {"
        echo "    tunnel {"
        echo "        version = 2"
        echo "        local_addrs = ${o[laddr]}"
        echo "        remote_addrs = ${o[raddr]}"
        echo "        proposals = ${o[ike]}"
        echo "        keyingtries = ${o[tries]}"
        echo "        fragmentation = ${o[frag]}"
        echo "        mobike = no"
        if [ "${o[auth]}" = pubkey ]; then echo "        send_cert = always"; fi
        echo "        local {"
        echo "            auth = ${o[auth]}"
        echo "            id = ${o[lid]}"
        if [ "${o[auth]}" = pubkey ]; then
            echo "            certs = ${o[cert]}"
        fi
        echo "        }"
        echo "        remote {"
        echo "            auth = ${o[auth]}"
        echo "            id = ${o[rid]}"
        echo "        }"
        echo "        children {"
        echo "            net {"
        echo "                local_ts = ${o[lts]}"
        echo "                remote_ts = ${o[rts]}"
        echo "                esp_proposals = ${o[esp]}"
        echo "            }"
        echo "        }"
        echo "    }"
        echo "}"
        if [ "${o[auth]}" = pubkey ]; then
            echo "authorities {"
            echo "    ikediag-ca {"
            echo "        cacert = ${o[ca]}"
            echo "    }"
            echo "}"
        else
            echo "secrets {"
            echo "    ike-psk {"
            echo "        id-1 = ${o[lid]}"
            echo "        id-2 = ${o[rid]}"
            echo "        secret = \"${o[psk]}\""
            echo "    }"
            echo "}"
        fi
    } >"$d/swanctl.conf"
    if [ "${o[auth]}" = pubkey ]; then
        # swanctl --load-all --file DIR/swanctl.conf loads unencrypted keys from DIR/private
        mkdir -p "$d/private"; chmod 700 "$d/private"
        install -m 600 "${o[key]}" "$d/private/"
    fi
}

swan() {           # swan DIR swanctl-args...
    local d=$1; shift
    STRONGSWAN_CONF=$d/strongswan.conf swanctl "$@" --uri "unix://$d/charon.vici"
}

declare -A CHARON_PID=()
start_charon() {   # start_charon ROLE NS DIR
    local role=$1 ns=$2 d=$3 i
    rm -f "$d/charon.vici"
    # own mount namespace with a private /run (pid file, no clash with other
    # instances or a host charon); exec chain keeps $! = charon's PID
    STRONGSWAN_CONF=$d/strongswan.conf ip netns exec "$ns" \
        unshare -m --propagation private \
        sh -c 'mount -t tmpfs -o mode=0755 ikd-run /run && exec "$0"' "$CHARON" \
        >"$d/charon.out" 2>&1 </dev/null &
    CHARON_PID[$role]=$!
    PIDS+=($!)
    for i in $(seq 100); do
        if [ -S "$d/charon.vici" ] && swan "$d" --stats >/dev/null 2>&1; then
            swan "$d" --load-all --file "$d/swanctl.conf" >"$d/swanctl-load.out" 2>&1 ||
                { cat "$d/swanctl-load.out" >&2; die "swanctl --load-all failed ($role)"; }
            return 0
        fi
        kill -0 "${CHARON_PID[$role]}" 2>/dev/null || { cat "$d/charon.out" >&2; die "charon ($role) died"; }
        sleep 0.1
    done
    die "charon ($role) did not open its vici socket"
}
stop_charons() {
    local r
    for r in "${!CHARON_PID[@]}"; do stop_pid "${CHARON_PID[$r]}"; done
    CHARON_PID=()
}

# ---------------------------------------------------------------- capture
declare -A CAP_PID=()
CAP_T0=            # local time of the first capture start (log lines before it are start-up)
cap_start() {      # cap_start NAME NS [IFACE]; CAP_EXTRA: more to capture (a pcap filter)
    local name=$1 ns=$2 ifc=${3:-eth0} i
    [ -n "$CAP_T0" ] || CAP_T0=$(date '+%Y-%m-%d %H:%M:%S.%3N')
    ip netns exec "$ns" tcpdump -i "$ifc" -n -s 0 -U --immediate-mode -Z root \
        -w "$SDIR/$name.pcap" \
        "udp port 500 or udp port 4500 or esp or (ip[6:2] & 0x1fff != 0) or (ip6 and ip6[6] == 44)${CAP_EXTRA:+ or $CAP_EXTRA}" \
        >"$SDIR/$name.tcpdump.out" 2>&1 </dev/null &
    CAP_PID[$name]=$!
    PIDS+=($!)
    for i in $(seq 100); do
        grep -q 'listening on' "$SDIR/$name.tcpdump.out" 2>/dev/null && return 0
        kill -0 "${CAP_PID[$name]}" 2>/dev/null || { cat "$SDIR/$name.tcpdump.out" >&2; die "tcpdump died"; }
        sleep 0.05
    done
    die "tcpdump did not start"
}
cap_stop() {
    local n
    for n in "${!CAP_PID[@]}"; do stop_pid "${CAP_PID[$n]}" INT; done
    CAP_PID=()
}

wait_log() {       # wait_log FILE EXTENDED-REGEX TIMEOUT_S [COUNT]
    local f=$1 re=$2 t=$3 n=${4:-1} i
    for i in $(seq $((t * 20))); do
        [ "$(grep -cE "$re" "$f" 2>/dev/null || true)" -ge "$n" ] && return 0
        sleep 0.05
    done
    return 1
}

teardown() {
    cap_stop
    stop_charons
    local p
    for p in "${PIDS[@]}"; do stop_pid "$p"; done
    del_netns
}

# common helpers: per-peer scratch dirs, default IPv4 peer configs (extra key=value
# options override write_swanctl defaults), start both daemons, initiate from I
D_I= D_R=
setup_dirs() { D_I=$SDIR/i D_R=$SDIR/r; mkdir -p "$D_I" "$D_R"; }
swanctl_i4() { write_swanctl "$D_I" laddr=192.0.2.1 raddr=192.0.2.2 lid=initiator.example.org \
                   rid=responder.example.org lts=203.0.113.0/26 rts=203.0.113.64/26 "$@"; }
swanctl_r4() { write_swanctl "$D_R" laddr=192.0.2.2 lid=responder.example.org \
                   rid=initiator.example.org lts=203.0.113.64/26 rts=203.0.113.0/26 "$@"; }
start_both() { start_charon initiator "$NS_I" "$D_I"; start_charon responder "$NS_R" "$D_R"; }
initiate()   { timeout 30 env STRONGSWAN_CONF=$D_I/strongswan.conf swanctl --initiate --child net \
                   --timeout 25 --uri "unix://$D_I/charon.vici" >"$D_I/initiate.out" 2>&1; }

# ---------------------------------------------------------------- scenarios
# Each sc_* function sets CAPS (capture names), PROTO, KEYS (1 = key table
# expected), ESP (1 = esp_sa expected) and leaves the pcaps in $SDIR; it
# stops the capture(s) itself, the main loop then stops everything else.

sc_healthy_delete() {
    CAPS=(healthy-delete) PROTO=IPv4 KEYS=1 ESP=1
    topo_pair v4; setup_dirs
    write_conf "$D_I" 1 0; write_conf "$D_R" 1 0
    swanctl_i4; swanctl_r4
    start_both
    cap_start healthy-delete "$NS_I"
    sleep 0.2
    initiate || { cat "$D_I/initiate.out" >&2; return 1; }
    ip netns exec "$NS_I" ping -n -q -c 3 -i 0.3 -W 1 -I 203.0.113.1 203.0.113.65 >"$SDIR/ping.out" ||
        { cat "$SDIR/ping.out" >&2; return 1; }
    sleep 0.5
    swan "$D_I" --terminate --ike tunnel --timeout 10 >"$D_I/terminate.out" 2>&1
    sleep 0.3
    cap_stop
}

sc_nat_float() {
    CAPS=(nat-float-initiator-side nat-float-responder-side) PROTO=IPv4 KEYS=1 ESP=1
    topo_nat; setup_dirs
    write_conf "$D_I" 1 0; write_conf "$D_R" 1 0
    write_swanctl "$D_I" laddr=192.0.2.1 raddr=198.51.100.2 lid=initiator.example.org \
        rid=responder.example.org lts=203.0.113.0/26 rts=203.0.113.64/26
    write_swanctl "$D_R" laddr=198.51.100.2 lid=responder.example.org \
        rid=initiator.example.org lts=203.0.113.64/26 rts=203.0.113.0/26
    start_both
    cap_start nat-float-initiator-side "$NS_I"
    cap_start nat-float-responder-side "$NS_R"
    sleep 0.2
    initiate || { cat "$D_I/initiate.out" >&2; return 1; }
    ip netns exec "$NS_I" ping -n -q -c 3 -i 0.3 -W 1 -I 203.0.113.1 203.0.113.65 >"$SDIR/ping.out" ||
        { cat "$SDIR/ping.out" >&2; return 1; }
    sleep 0.5
    swan "$D_I" --terminate --ike tunnel --timeout 10 >"$D_I/terminate.out" 2>&1
    sleep 0.3
    cap_stop
}

sc_ike_proposal_mismatch() {
    CAPS=(ike-proposal-mismatch) PROTO=IPv4 KEYS=0 ESP=0
    topo_pair v4; setup_dirs
    write_conf "$D_I" 0 0; write_conf "$D_R" 0 0
    swanctl_i4; swanctl_r4 ike=aes256gcm16-prfsha384-ecp384
    start_both
    cap_start ike-proposal-mismatch "$NS_I"
    sleep 0.2
    initiate && { warn "initiation unexpectedly succeeded"; return 1; }
    wait_log "$D_I/charon.log" 'received NO_PROPOSAL_CHOSEN' 5 || return 1
    sleep 0.5
    cap_stop
}

sc_child_proposal_mismatch() {
    CAPS=(child-proposal-mismatch) PROTO=IPv4 KEYS=1 ESP=0
    topo_pair v4; setup_dirs
    write_conf "$D_I" 0 0; write_conf "$D_R" 0 0
    swanctl_i4; swanctl_r4 esp=aes256gcm16-ecp384
    start_both
    cap_start child-proposal-mismatch "$NS_I"
    sleep 0.2
    initiate && { warn "CHILD_SA unexpectedly established"; return 1; }
    wait_log "$D_I/charon.log" 'failed to establish CHILD_SA, keeping IKE_SA' 5 || return 1
    sleep 0.5
    cap_stop
}

sc_psk_mismatch() {
    CAPS=(psk-mismatch) PROTO=IPv4 KEYS=1 ESP=0
    topo_pair v4; setup_dirs
    write_conf "$D_I" 0 0; write_conf "$D_R" 0 0
    swanctl_i4; swanctl_r4 psk=a-different-psk
    start_both
    cap_start psk-mismatch "$NS_I"
    sleep 0.2
    initiate && { warn "initiation unexpectedly succeeded"; return 1; }
    wait_log "$D_I/charon.log" 'received AUTHENTICATION_FAILED' 5 || return 1
    sleep 0.5
    cap_stop
}

# drop_scenario CAPTURE DROP_NS SRC_ADDR PORT_MATCH CAPTURE_NS TIMEOUT [swanctl_i4 args]:
# an nft rule in DROP_NS drops IKE from SRC_ADDR; the initiator retransmits
# until it gives up ("peer not responding").
drop_scenario() {
    local cap=$1 drop_ns=$2 src=$3 match=$4 cap_ns=$5 t=$6; shift 6
    CAPS=("$cap") PROTO=IPv4 KEYS=0 ESP=0
    topo_pair v4; setup_dirs
    write_conf "$D_I" 0 0; write_conf "$D_R" 0 0
    swanctl_i4 "$@"; swanctl_r4
    ip netns exec "${!drop_ns}" nft -f - <<EOF
table inet ikediag {
    chain input {
        type filter hook input priority filter; policy accept;
        ip saddr $src udp $match { 500, 4500 } drop
    }
}
EOF
    start_both
    cap_start "$cap" "${!cap_ns}"
    sleep 0.2
    initiate && { warn "initiation unexpectedly succeeded"; return 1; }
    wait_log "$D_I/charon.log" 'establishing IKE_SA failed, peer not responding' "$t" || return 1
    sleep 0.5
    cap_stop
}

# The responder drops the requests; captured at the initiator, two keying tries.
sc_requests_dropped() { drop_scenario requests-dropped NS_R 192.0.2.1 dport NS_I 40 tries=2; }
# The initiator drops the responses; captured at the responder.
sc_responses_dropped() { drop_scenario responses-dropped NS_I 192.0.2.2 sport NS_R 20; }

# The responder's host runs no IKE daemon: its kernel answers each request
# with ICMP port unreachable (quoting the request); captured at the initiator.
sc_responder_down() {
    CAPS=(responder-down) PROTO=IPv4 KEYS=0 ESP=0
    local CAP_EXTRA=icmp
    topo_pair v4; setup_dirs
    write_conf "$D_I" 0 0; write_conf "$D_R" 0 0
    swanctl_i4; swanctl_r4
    : >"$D_R/charon.log"   # no responder daemon, no responder log
    start_charon initiator "$NS_I" "$D_I"
    cap_start responder-down "$NS_I"
    sleep 0.2
    initiate && { warn "initiation unexpectedly succeeded"; return 1; }
    wait_log "$D_I/charon.log" 'establishing IKE_SA failed, peer not responding' 40 || return 1
    sleep 0.5
    cap_stop
}

sc_invalid_ke_retry() {
    CAPS=(invalid-ke-retry) PROTO=IPv4 KEYS=1 ESP=0
    topo_pair v4; setup_dirs
    write_conf "$D_I" 1 0; write_conf "$D_R" 1 0
    swanctl_i4 ike=aes128-sha256-modp2048-ecp256; swanctl_r4 ike=aes128-sha256-ecp256
    start_both
    cap_start invalid-ke-retry "$NS_I"
    sleep 0.2
    initiate || { cat "$D_I/initiate.out" >&2; return 1; }
    sleep 0.5
    cap_stop
}

# one attempt; returns 2 if the two IKE_SA_INIT requests did not cross
sc_simultaneous_initiation_once() {
    CAPS=(simultaneous-initiation) PROTO=IPv4 KEYS=1 ESP=0
    topo_pair v4; setup_dirs
    write_conf "$D_I" 1 0; write_conf "$D_R" 1 0
    swanctl_i4
    write_swanctl "$D_R" laddr=192.0.2.2 raddr=192.0.2.1 lid=responder.example.org \
        rid=initiator.example.org lts=203.0.113.64/26 rts=203.0.113.0/26
    start_both
    cap_start simultaneous-initiation "$NS_I"
    sleep 0.3
    local go=$SDIR/go p1 p2 d
    rm -f "$go"
    # both swanctl processes spin on the same file and are released together
    for d in "$D_I" "$D_R"; do
        STRONGSWAN_CONF=$d/strongswan.conf timeout 30 sh -c \
            'while [ ! -e "$1" ]; do :; done; exec swanctl --initiate --child net --timeout 20 --uri "unix://$2/charon.vici"' \
            sh "$go" "$d" >"$d/initiate.out" 2>&1 &
        PIDS+=($!)
        [ "$d" = "$D_I" ] && p1=$! || p2=$!
    done
    sleep 0.3
    touch "$go"
    wait "$p1" || true; forget_pid "$p1"
    wait "$p2" || true; forget_pid "$p2"
    sleep 0.5
    cap_stop
    # crossed = the first two frames are IKE_SA_INIT requests from both peers
    local first
    first=$(tshark -r "$SDIR/simultaneous-initiation.pcap" -Y isakmp -c 2 -T fields \
              -e ip.src -e isakmp.exchangetype -e isakmp.flag_r 2>/dev/null | sort | tr '\n\t' ' ')
    [ "$first" = "192.0.2.1 34 0 192.0.2.2 34 0 " ] || return 2
    local n
    n=$(tshark -r "$SDIR/simultaneous-initiation.pcap" -Y isakmp 2>/dev/null | wc -l)
    [ "$n" = 8 ] || { warn "simultaneous-initiation: $n IKE frames instead of 8"; return 2; }
}
sc_simultaneous_initiation() {
    local try rc
    for try in 1 2 3 4 5 6 7 8; do
        rc=0; sc_simultaneous_initiation_once || rc=$?
        [ $rc = 0 ] && { log "simultaneous-initiation: requests crossed (try $try)"; return 0; }
        [ $rc = 2 ] || return $rc
        log "simultaneous-initiation: requests did not cross (try $try), again"
        teardown
        rm -rf "$SDIR"; mkdir -p "$SDIR"; CAP_T0=
    done
    return 1
}

make_certs() {     # throw-away RSA-3072 CA and end-entity certificates (only in .work/)
    PK=$SDIR/pki
    mkdir -p "$PK"; chmod 700 "$PK"
    local P="env STRONGSWAN_CONF=$D_I/strongswan.conf pki" who
    $P --gen --type rsa --size 3072 --outform pem >"$PK/ca.key"
    $P --self --ca --lifetime 30 --in "$PK/ca.key" --type rsa \
        --dn "C=XX, O=ikediag test, CN=ikediag test CA" --outform pem >"$PK/ca.crt"
    for who in initiator responder; do
        $P --gen --type rsa --size 3072 --outform pem >"$PK/$who.key"
        $P --pub --in "$PK/$who.key" --type rsa |
            $P --issue --lifetime 30 --cacert "$PK/ca.crt" --cakey "$PK/ca.key" \
                --dn "C=XX, O=ikediag test, CN=$who.example.org" --san "$who.example.org" \
                --outform pem >"$PK/$who.crt"
    done
}

cert_scenario() {  # cert_scenario CAPTURE FRAG_I FRAG_R [FRAGMENT_SIZE]
    CAPS=("$1") PROTO=IPv4 KEYS=1 ESP=0
    topo_pair v4; setup_dirs
    write_conf "$D_I" 1 0 ${4:-}; write_conf "$D_R" 1 0 ${4:-}
    make_certs
    swanctl_i4 auth=pubkey frag="$2" cert="$PK/initiator.crt" key="$PK/initiator.key" ca="$PK/ca.crt"
    swanctl_r4 auth=pubkey frag="$3" cert="$PK/responder.crt" key="$PK/responder.key" ca="$PK/ca.crt"
    start_both
    cap_start "$1" "$NS_I"
    sleep 0.2
    initiate || { cat "$D_I/initiate.out" >&2; return 1; }
    sleep 0.5
    cap_stop
}

sc_ike_fragmentation() { cert_scenario ike-fragmentation force yes 512; }
sc_ip_fragmentation() { cert_scenario ip-fragmentation no no; }

sc_ike_rekey() {
    CAPS=(ike-rekey) PROTO=IPv4 KEYS=1 ESP=0
    topo_pair v4; setup_dirs
    write_conf "$D_I" 1 0; write_conf "$D_R" 1 0
    swanctl_i4; swanctl_r4
    start_both
    cap_start ike-rekey "$NS_I"
    sleep 0.2
    initiate || { cat "$D_I/initiate.out" >&2; return 1; }
    sleep 0.3
    swan "$D_I" --rekey --child net >"$D_I/rekey-child.out" 2>&1
    wait_log "$D_I/charon.log" 'CHILD_SA net\{[0-9]+\} established' 10 2 || return 1
    sleep 0.3
    swan "$D_I" --rekey --ike tunnel >"$D_I/rekey-ike.out" 2>&1
    wait_log "$D_I/charon.log" 'IKE_SA tunnel\[[0-9]+\] rekeyed' 10 || return 1
    sleep 0.5
    swan "$D_I" --terminate --ike tunnel --timeout 10 >"$D_I/terminate.out" 2>&1
    sleep 0.3
    cap_stop
}

sc_ipv6_healthy() {
    CAPS=(ipv6-healthy) PROTO=IPv6 KEYS=1 ESP=1
    topo_pair v6; setup_dirs
    write_conf "$D_I" 1 1; write_conf "$D_R" 1 1
    write_swanctl "$D_I" laddr=2001:db8::1 raddr=2001:db8::2 lid=initiator.example.org \
        rid=responder.example.org lts=2001:db8:a::/64 rts=2001:db8:b::/64
    write_swanctl "$D_R" laddr=2001:db8::2 lid=responder.example.org \
        rid=initiator.example.org lts=2001:db8:b::/64 rts=2001:db8:a::/64
    start_both
    cap_start ipv6-healthy "$NS_I"
    sleep 0.2
    initiate || { cat "$D_I/initiate.out" >&2; return 1; }
    ip netns exec "$NS_I" ping -6 -n -q -c 3 -i 0.3 -W 1 -I 2001:db8:a::1 2001:db8:b::1 >"$SDIR/ping.out" ||
        { cat "$SDIR/ping.out" >&2; return 1; }
    sleep 0.5
    cap_stop
}

# ---------------------------------------------------------------- products
trim_log() {       # trim_log IN OUT ROLE SCENARIO ADDRESS
    {
        echo "# charon (strongSwan $(dpkg-query -W -f='${Version}' strongswan-charon 2>/dev/null)) log of the $3 $5, scenario $4"
        echo "# level 1, IKE/NET/ENC/CFG/CHD lines logged after the capture started; local time ($(date +%Z))"
        grep -E '^[0-9-]+ [0-9:.]+ [0-9]+\[(IKE|NET|ENC|CFG|CHD)\] ' "$1" |
            awk -v t0="$CAP_T0" 'substr($0, 1, 23) >= t0' || true
    } >"$2"
    [ "$(stat -c %s "$2")" -le 102400 ] || { head -c 102400 "$2" >"$2.t"; mv "$2.t" "$2"; }
}

# check_decrypt PCAP TABLE: every SK/SKF payload must decrypt with a correct ICV
check_decrypt() {
    local h res
    h=$(mktemp -d); mkdir -p "$h/.config/wireshark"
    cp "$2" "$h/.config/wireshark/ikev2_decryption_table"
    res=$(HOME=$h tshark -r "$1" -V -Y isakmp 2>/dev/null | awk '
        /^Frame [0-9]+:/ { f = $2 }
        /^ *Payload: Encrypted and Authenticated( Fragment)? \((46|53)\)/ { enc[f] = 1 }
        /Integrity Checksum Data: .*\[correct\]/ { ok[f] = 1 }
        END { n = 0; bad = 0
              for (f in enc) { n++; if (!(f in ok)) { bad++; printf "frame %s: not decrypted/ICV wrong\n", f } }
              printf "%d encrypted, %d bad\n", n, bad }')
    rm -rf "$h"
    echo "$res"
    case "$res" in *" 0 bad") return 0 ;; *) return 1 ;; esac
}
check_esp() {      # every ESP frame must verify with the esp_sa table
    local h res
    h=$(mktemp -d); mkdir -p "$h/.config/wireshark"
    cp "$2" "$h/.config/wireshark/esp_sa"
    res=$(HOME=$h tshark -r "$1" -o esp.enable_encryption_decode:TRUE \
            -o esp.enable_authentication_check:TRUE -Y esp -T fields -e esp.icv_good 2>/dev/null |
          awk '{ n++; if ($1 != "1") bad++ } END { printf "%d ESP, %d bad\n", n, bad + 0 }')
    rm -rf "$h"
    echo "$res"
    case "$res" in *" 0 bad") return 0 ;; *) return 1 ;; esac
}

rekeyed_spis() {   # rekeyed_spis PCAP TABLE: "SPIi,SPIr" of the IKE SA made by a rekey
    local h; h=$(mktemp -d)
    mkdir -p "$h/.config/wireshark"; cp "$2" "$h/.config/wireshark/ikev2_decryption_table"
    HOME=$h tshark -r "$1" -Y 'isakmp.exchangetype == 36' -T fields -e isakmp.flag_r -e isakmp.spi 2>/dev/null |
        awk -F'\t' '{ n = split($2, s, ","); for (i = 1; i <= n; i++) if (length(s[i]) == 16) spi[$1 + 0] = s[i] }
                    END { if ((0 in spi) && (1 in spi)) print spi[0] "," spi[1] }'
    rm -rf "$h"
}

RESULTS=()
postprocess() {    # postprocess SCENARIO
    local s=$1 out=$SDIR/out c f tab esp exp
    mkdir -p "$out/logs" "$out/summaries"
    trim_log "$D_I/charon.log" "$out/logs/$s-initiator.log" initiator "$s" "$ADDR_I"
    trim_log "$D_R/charon.log" "$out/logs/$s-responder.log" responder "$s" "$ADDR_R"
    for c in "${CAPS[@]}"; do
        [ -s "$SDIR/$c.pcap" ] || die "$c: no capture"
        cp "$SDIR/$c.pcap" "$out/$c.pcap"
        tab= esp=
        if [ "$KEYS" = 1 ]; then
            awk -f "$TOOLS/charon-hex.awk" -f "$TOOLS/keys-from-log.awk" "$D_I/keys.log" "$D_R/keys.log" >"$out/$c.ikev2_decryption_table"
            if [ "$s" = ike-rekey ]; then
                # the new IKE SA's SPIs are inside the (now decryptable) rekey exchange
                local spis; spis=$(rekeyed_spis "$out/$c.pcap" "$out/$c.ikev2_decryption_table")
                awk -v rekey_spis="$spis" -f "$TOOLS/charon-hex.awk" -f "$TOOLS/keys-from-log.awk" "$D_I/keys.log" "$D_R/keys.log" \
                    >"$out/$c.ikev2_decryption_table"
            fi
            [ -s "$out/$c.ikev2_decryption_table" ] || die "$c: no IKE keys found in the logs"
            tab=$out/$c.ikev2_decryption_table
            check_decrypt "$out/$c.pcap" "$tab" >"$SDIR/$c.decrypt-check" ||
                { cat "$SDIR/$c.decrypt-check" >&2; die "$c: key table does not decrypt every frame"; }
            log "$c: IKE decryption: $(tail -1 "$SDIR/$c.decrypt-check")"
        fi
        if [ "$ESP" = 1 ]; then
            awk -v proto="$PROTO" -f "$TOOLS/charon-hex.awk" -f "$TOOLS/esp-from-log.awk" "$D_I/keys.log" "$D_R/keys.log" >"$out/$c.esp_sa"
            [ -s "$out/$c.esp_sa" ] || die "$c: no ESP keys found in the logs"
            esp=$out/$c.esp_sa
            check_esp "$out/$c.pcap" "$esp" >"$SDIR/$c.esp-check" ||
                { cat "$SDIR/$c.esp-check" >&2; die "$c: esp_sa does not verify every ESP frame"; }
            log "$c: ESP check: $(cat "$SDIR/$c.esp-check")"
        fi
        "$TOOLS/summarize.sh" "$out/$c.pcap" "$tab" "$esp" >"$out/summaries/$c.txt"
        "$TOOLS/summarize.sh" --stable "$out/$c.pcap" "$tab" "$esp" >"$SDIR/$c.stable"
        exp=$TOOLS/expected/$c.txt
        if [ "$s" = simultaneous-initiation ]; then
            # the order of the crossing frames varies: compare without frame numbers, sorted
            seqof() { cut -c6- "$1" | sort; }
        else
            seqof() { cat "$1"; }
        fi
        if [ ! -f "$exp" ]; then
            warn "$c: no $exp, creating it"; cp "$SDIR/$c.stable" "$exp"; RESULTS+=("$c: new expected")
        elif diff <(seqof "$exp") <(seqof "$SDIR/$c.stable") >"$SDIR/$c.diff"; then
            RESULTS+=("$c: frame sequence matches tools/expected/$c.txt")
        else
            warn "$c: frame sequence differs from tools/expected/$c.txt:"
            cat "$SDIR/$c.diff" >&2
            if [ "${UPDATE_EXPECTED:-0}" = 1 ]; then
                cp "$SDIR/$c.stable" "$exp"; RESULTS+=("$c: DIFFERED, expected updated")
            else
                RESULTS+=("$c: DIFFERS from expected (see above)")
            fi
        fi
    done
    # the scenario is complete: move the products into place
    mkdir -p "$HERE/logs" "$HERE/summaries"
    for c in "${CAPS[@]}"; do
        mv -f "$out/$c.pcap" "$HERE/$c.pcap"
        for f in ikev2_decryption_table esp_sa; do
            if [ -f "$out/$c.$f" ]; then mv -f "$out/$c.$f" "$HERE/$c.$f"; else rm -f "$HERE/$c.$f"; fi
        done
        mv -f "$out/summaries/$c.txt" "$HERE/summaries/$c.txt"
    done
    mv -f "$out/logs/$s-initiator.log" "$out/logs/$s-responder.log" "$HERE/logs/"
}

# ---------------------------------------------------------------- main
mkdir -p "$WORK"; chmod 700 "$WORK"
START=$(date +%s)
for s in "${SEL[@]}"; do
    SDIR=$WORK/$s
    rm -rf "$SDIR"; mkdir -p "$SDIR"
    ADDR_I=192.0.2.1 ADDR_R=192.0.2.2
    [ "$s" = nat-float ] && ADDR_R=198.51.100.2
    [ "$s" = ipv6-healthy ] && ADDR_I=2001:db8::1 ADDR_R=2001:db8::2
    log "$s: ${DESC[$s]}"
    CAP_T0=
    "sc_${s//-/_}"      # any failure ends the script (trap: cleanup)
    teardown
    postprocess "$s"
done
log "done in $(( $(date +%s) - START )) s"
printf '%s\n' "${RESULTS[@]}"
