#!/bin/bash
# summarize.sh [--stable] PCAP [IKEV2_DECRYPTION_TABLE] [ESP_SA]
# One line per IKE or ESP frame, decrypted with the key table(s) if given:
#   frame t=seconds src:port > dst:port EXCHANGE request|response MID=n
#         SPIi/SPIr [payloads] {notifies} (fragment x/y)
#   frame t=seconds src:port > dst:port ESP SPI=x [ICV ok] [inner ICMP]
# --stable: no times; IKE SAs labelled by their original initiator's address
# and order (ike<192.0.2.1>#1), ESP SPIs by order of appearance (esp#1),
# NAT-mapped ports (40000-40999) by "nat";
# used to compare a fresh capture with tools/expected/<name>.txt.
set -euo pipefail
stable=0
if [ "${1:-}" = --stable ]; then stable=1; shift; fi
pcap=$1 table=${2:-} espsa=${3:-}
h=$(mktemp -d)
trap 'rm -rf "$h"' EXIT
mkdir -p "$h/.config/wireshark"
[ -n "$table" ] && [ -f "$table" ] && cp "$table" "$h/.config/wireshark/ikev2_decryption_table"
espopt=()
if [ -n "$espsa" ] && [ -f "$espsa" ]; then
    cp "$espsa" "$h/.config/wireshark/esp_sa"
    espopt=(-o esp.enable_encryption_decode:TRUE -o esp.enable_authentication_check:TRUE)
fi

HOME=$h tshark -r "$pcap" "${espopt[@]}" -Y 'isakmp or esp' -T fields -E separator='|' -E occurrence=a -E aggregator=, \
    -e frame.number -e frame.time_relative -e ip.src -e ipv6.src -e udp.srcport \
    -e ip.dst -e ipv6.dst -e udp.dstport -e isakmp.ispi -e isakmp.rspi \
    -e isakmp.exchangetype -e isakmp.flag_r -e isakmp.messageid \
    -e isakmp.typepayload -e isakmp.notify.msgtype -e isakmp.frag.number \
    -e isakmp.frag.total -e esp.spi -e esp.icv_good -e icmp.type -e icmpv6.type \
    -e isakmp.flag_i 2>/dev/null |
awk -F'|' -v stable=$stable '
BEGIN {
    split("33 SA 34 KE 35 IDi 36 IDr 37 CERT 38 CERTREQ 39 AUTH 40 No 41 N 42 D 43 V 44 TSi 45 TSr 46 SK 47 CP 48 EAP 53 SKF", a, " ")
    for (i = 1; i in a; i += 2) pl[a[i]] = a[i + 1]
    split("34 IKE_SA_INIT 35 IKE_AUTH 36 CREATE_CHILD_SA 37 INFORMATIONAL", a, " ")
    for (i = 1; i in a; i += 2) ex[a[i]] = a[i + 1]
    split("7 INVALID_SYNTAX 9 INVALID_MESSAGE_ID 11 INVALID_SPI 14 NO_PROPOSAL_CHOSEN 17 INVALID_KE_PAYLOAD 24 AUTHENTICATION_FAILED 34 SINGLE_PAIR_REQUIRED 35 NO_ADDITIONAL_SAS 36 INTERNAL_ADDRESS_FAILURE 37 FAILED_CP_REQUIRED 38 TS_UNACCEPTABLE 43 TEMPORARY_FAILURE 44 CHILD_SA_NOT_FOUND 16384 INITIAL_CONTACT 16388 NAT_DETECTION_SOURCE_IP 16389 NAT_DETECTION_DESTINATION_IP 16390 COOKIE 16396 MOBIKE_SUPPORTED 16399 NO_ADDITIONAL_ADDRESSES 16404 MULTIPLE_AUTH_SUPPORTED 16406 REDIRECT_SUPPORTED 16417 EAP_ONLY_AUTHENTICATION 16418 CHILDLESS_IKEV2_SUPPORTED 16420 IKEV2_MESSAGE_ID_SYNC_SUPPORTED 16430 IKEV2_FRAGMENTATION_SUPPORTED 16431 SIGNATURE_HASH_ALGORITHMS", a, " ")
    for (i = 1; i in a; i += 2) nt[a[i]] = a[i + 1]
}
function names(list, map,   n, f, i, out) {
    n = split(list, f, ",")
    out = ""
    for (i = 1; i <= n; i++) {
        if (map == "pl" && (f[i] == 2 || f[i] == 3)) continue   # proposal/transform substructures
        out = out (out != "" ? " " : "") ((map == "pl") ? ((f[i] in pl) ? pl[f[i]] : f[i]) : ((f[i] in nt) ? nt[f[i]] : f[i]))
    }
    return out
}
function first(v) { sub(/,.*/, "", v); return v }
function port(p) { return (stable && p >= 40000 && p <= 40999) ? "nat" : p }
function label(kind, key) {
    if (!stable) return key
    if (!((kind, key) in lab)) lab[kind, key] = kind "#" (++cnt[kind])
    return lab[kind, key]
}
{
    src = ($3 != "" ? first($3) : "[" first($4) "]") ":" port(first($5))
    dst = ($6 != "" ? first($6) : "[" first($7) "]") ":" port(first($8))
    t = stable ? "" : sprintf(" t=%.3f", $2)
    if ($11 == "") {            # ESP
        inner = ($20 == "8" || $21 == "128") ? " ICMP echo request" : (($20 == "0" || $21 == "129") ? " ICMP echo reply" : "")
        printf "%4d%s %s > %s ESP SPI=%s%s%s\n", $1, t, src, dst, label("esp", $18), ($19 == "1" ? " ICV ok" : ""), inner
        next
    }
    # an ICMP error quoting an IKE message: outer addresses first, the quoted ports
    icmp = ($20 == "3") ? "ICMP port unreachable quoting " : (($20 != "" || $21 != "") ? "ICMP error quoting " : "")
    if (icmp != "") { src = first($3 != "" ? $3 : $4); dst = first($6 != "" ? $6 : $7) }
    mid = $13; sub(/^0x0*/, "", mid); if (mid == "") mid = 0
    # an IKE SA is known by its initiator SPI (responder SPI is 0 at first)
    # original initiator: sender of messages with the I flag
    init = ($22 == "1") ? first($3 != "" ? $3 : $4) : first($6 != "" ? $6 : $7)
    if (icmp != "")   # the ICMP error goes back to the sender of the quoted message
        init = ($22 == "1") ? first($6 != "" ? $6 : $7) : first($3 != "" ? $3 : $4)
    spis = stable ? label("ike<" init ">", $9) ((($10 ~ /^0+$/)) ? "/0" : "/r") : substr($9, 1, 16) "/" substr($10, 1, 16)
    printf "%4d%s %s > %s %s%s %s MID=%d %s [%s]", $1, t, src, dst, icmp, ex[$11], ($12 == "1" ? "response" : "request"), \
        strtonum_hex(mid), spis, names($14, "pl")
    if ($15 != "") printf " {%s}", names($15, "nt")
    if ($16 != "") printf " (fragment %s/%s)", $16, $17
    printf "\n"
}
function strtonum_hex(h,   i, c, v) {
    v = 0
    for (i = 1; i <= length(h); i++) {
        c = index("0123456789abcdef", tolower(substr(h, i, 1))) - 1
        v = v * 16 + c
    }
    return v
}'
