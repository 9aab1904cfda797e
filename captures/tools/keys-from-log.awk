# Extract IKE SA keys from charon logs (filelog with ike_name = yes and
# ike >= 4; cfg >= 1 adds the "selected proposal" line) and print Wireshark
# 4.0 "ikev2_decryption_table" UAT lines, one per IKE SA:
#   SPIi,SPIr,SK_ei,SK_er,"AES-CBC-128 [RFC3602]",SK_ai,SK_ar,"HMAC_SHA2_256_128 [RFC4868]"
# SPIs and keys are bare hex (a quoted SPI is read as text and rejected by
# Wireshark); only the two algorithm names are quoted strings.
#
# Keys come from the "Sk_ei secret => 16 bytes" ... dumps, the SPIs from the
# "natd_chunk" dumps (SPIi | SPIr | IP | port) of the same IKE SA (the last
# one with a non-zero SPIr). An IKE SA is identified by log file and unique
# id (<name|N> or, on a responder before its config is known, <N>). The same
# IKE SA found in both peers' logs is printed once.
# Handles AES-CBC (128/192/256) with HMAC-SHA1-96 / HMAC-SHA2-256/384/512;
# other IKE SAs (e.g. AEAD) are reported on stderr and skipped.
# An IKE SA made by a CREATE_CHILD_SA rekey has no natd_chunk: pass its SPIs
# (read from the decrypted rekey exchange) as -v rekey_spis=SPIi,SPIr.
# Usage: awk [-v rekey_spis=I,R] -f keys-from-log.awk keys-initiator.log keys-responder.log > table
# hexline() comes from charon-hex.awk.
function sa_of(line,   s) {
    if (!match(line, /\] <([^>|]*\|)?[0-9]+> /)) return ""
    s = substr(line, RSTART, RLENGTH)
    sub(/^\] <([^>|]*\|)?/, "", s); sub(/> $/, "", s)
    return FILENAME "|" s
}
FNR == 1 { cur = "" }
{
    sa = sa_of($0)
    if (cur != "" && sa == cursa && $0 ~ /> +[0-9]+: [0-9A-F][0-9A-F] /) {
        buf = buf hexline($0)
        if (length(buf) >= want * 2) { store(cursa, cur, substr(buf, 1, want * 2)); cur = "" }
        next
    }
    cur = ""
    if (sa == "") next
    if (!(sa in order)) { order[sa] = ++nsa; byorder[nsa] = sa }
    if (match($0, /(Sk_e[ir]|Sk_a[ir]) secret => [0-9]+ bytes/) ||
        match($0, /natd_chunk => [0-9]+ bytes/)) {
        split(substr($0, RSTART, RLENGTH), p, " ")
        cur = p[1]; want = p[(cur == "natd_chunk") ? 3 : 4] + 0; cursa = sa; buf = ""
        next
    }
    if (match($0, /selected proposal: IKE:[^ ]+/))
        prop[sa] = substr($0, RSTART + 23, RLENGTH - 23)
}
function store(sa, what, hex) {
    if (what == "natd_chunk") {
        if (substr(hex, 17, 16) != "0000000000000000") { spii[sa] = substr(hex, 1, 16); spir[sa] = substr(hex, 17, 16) }
        return
    }
    # A rekey derives the new IKE SA's keys in the old SA's log context: a
    # second set under one name belongs to the successor.
    if ((sa, what) in key) {
        sa = sa "+rekey"
        if (!(sa in order)) { order[sa] = ++nsa; byorder[nsa] = sa }
    }
    key[sa, what] = hex
}
function encr_name(sa, n) {
    if (!(sa in prop) && (sa ~ /\+rekey$/)) { p0 = sa; sub(/\+rekey$/, "", p0); if (p0 in prop) prop[sa] = prop[p0] }
    if (sa in prop && prop[sa] !~ /^AES_CBC_/) return ""
    n = length(key[sa, "Sk_ei"]) / 2
    return (n == 16 || n == 24 || n == 32) ? "AES-CBC-" (n * 8) " [RFC3602]" : ""
}
function integ_name(sa, n) {
    n = length(key[sa, "Sk_ai"]) / 2
    if (sa in prop) {
        if (prop[sa] ~ /HMAC_SHA1_96/ && n == 20) return "HMAC_SHA1_96 [RFC2404]"
        if (prop[sa] ~ /HMAC_SHA2_256_128/ && n == 32) return "HMAC_SHA2_256_128 [RFC4868]"
        if (prop[sa] ~ /HMAC_SHA2_384_192/ && n == 48) return "HMAC_SHA2_384_192 [RFC4868]"
        if (prop[sa] ~ /HMAC_SHA2_512_256/ && n == 64) return "HMAC_SHA2_512_256 [RFC4868]"
        return ""
    }
    if (n == 20) return "HMAC_SHA1_96 [RFC2404]"
    if (n == 32) return "HMAC_SHA2_256_128 [RFC4868]"
    if (n == 48) return "HMAC_SHA2_384_192 [RFC4868]"
    if (n == 64) return "HMAC_SHA2_512_256 [RFC4868]"
    return ""
}
END {
    for (i = 1; i <= nsa; i++) {
        sa = byorder[i]
        if (!((sa, "Sk_ei") in key)) continue          # no key derivation
        if (!(sa in spii) && length(rekey_spis) == 33 && substr(rekey_spis, 17, 1) == ",") {
            spii[sa] = substr(rekey_spis, 1, 16); spir[sa] = substr(rekey_spis, 18, 16)
        }
        if (!(sa in spii)) { print "keys-from-log: " sa ": keys but no SPIs" > "/dev/stderr"; continue }
        id = spii[sa] "," spir[sa]
        if (id in seen) continue
        e = encr_name(sa); a = integ_name(sa)
        if (e == "" || a == "" || !((sa, "Sk_er") in key) || !((sa, "Sk_ai") in key) || !((sa, "Sk_ar") in key)) {
            print "keys-from-log: " sa ": unsupported or incomplete (" prop[sa] ")" > "/dev/stderr"
            continue
        }
        seen[id] = 1
        printf "%s,%s,%s,%s,\"%s\",%s,%s,\"%s\"\n", spii[sa], spir[sa], key[sa, "Sk_ei"], key[sa, "Sk_er"], e,
            key[sa, "Sk_ai"], key[sa, "Sk_ar"], a
    }
}
