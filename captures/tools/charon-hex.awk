# charon-hex.awk — shared by keys-from-log.awk and esp-from-log.awk (load it
# first: awk -f charon-hex.awk -f ...). hexline() returns the lower-case hex
# of one line of a charon chunk dump ("  0: 0A 1B ..."), up to 16 bytes.
function hexline(line,   n, i, f, out) {
    sub(/^.*> +[0-9]+: /, "", line)
    out = ""
    n = split(line, f, " ")
    for (i = 1; i <= n && i <= 16; i++) {
        if (f[i] !~ /^[0-9A-F][0-9A-F]$/) break
        out = out tolower(f[i])
    }
    return out
}
