# Extract ESP SA keys from charon logs (filelog with ike_name = yes, ike >= 1
# and chd >= 4) and print Wireshark "esp_sa" UAT lines:
#   "IPv4"|"IPv6","*","*","0xSPI","AES-CBC [RFC3602]","0xKEY",
#   "HMAC-SHA-256-128 [RFC4868]","0xKEY"
# (addresses wildcarded, so one table fits both sides of a NAT).
# Only AES-CBC + HMAC-SHA-256-128 CHILD_SAs created in IKE_AUTH or
# CREATE_CHILD_SA by the logging peer or its peer are handled.
# Usage: awk -v proto=IPv4 -f esp-from-log.awk keys-a.log keys-b.log
# hexline() comes from charon-hex.awk.
function sa_of(line) {
    if (match(line, /<[^>]*\|[0-9]+>/)) return FILENAME substr(line, RSTART, RLENGTH)
    return ""
}
BEGIN { if (proto == "") proto = "IPv4" }
FNR == 1 { cur = "" }
{
    sa = sa_of($0)
    if (cur != "" && sa == cursa && $0 ~ /> +[0-9]+: [0-9A-F][0-9A-F] /) {
        buf = buf hexline($0)
        if (length(buf) >= want * 2) { val[cursa, cur] = substr(buf, 1, want * 2); cur = "" }
        next
    }
    cur = ""
    if (sa == "") next
    if ($0 ~ /\[IKE\] <[^>]*> initiating IKE_SA /) { initiator[sa] = 1; next }
    if (match($0, /(encryption|integrity) (initiator|responder) key => [0-9]+ bytes/)) {
        split(substr($0, RSTART, RLENGTH), p, " ")
        cur = p[1] "_" p[2]; want = p[5] + 0; cursa = sa; buf = ""
        next
    }
    if (match($0, /established with SPIs [0-9a-f]+_i [0-9a-f]+_o/)) {
        split(substr($0, RSTART, RLENGTH), p, " ")
        in_spi = p[4]; sub(/_i$/, "", in_spi)
        out_spi = p[5]; sub(/_o$/, "", out_spi)
        # traffic from the CHILD_SA initiator uses the "initiator" keys
        if (sa in initiator) { ispi = out_spi; rspi = in_spi }
        else                 { ispi = in_spi;  rspi = out_spi }
        emit(ispi, val[sa, "encryption_initiator"], val[sa, "integrity_initiator"])
        emit(rspi, val[sa, "encryption_responder"], val[sa, "integrity_responder"])
    }
}
function emit(spi, ek, ik) {
    if (spi in seen || ek == "" || ik == "") return
    seen[spi] = 1
    printf "\"%s\",\"*\",\"*\",\"0x%s\",\"AES-CBC [RFC3602]\",\"0x%s\",\"HMAC-SHA-256-128 [RFC4868]\",\"0x%s\"\n", \
        proto, spi, ek, ik
}
