#!/bin/bash
# make-zip.sh [OUTDIR] — pack the "IKE Diagnosis" configuration profile as
# "IKE Diagnosis.zip" (default OUTDIR: the current directory).
#
# The profile folder is the zip's top-level entry, which is what Wireshark's
# Edit > Configuration Profiles > Import > from zip file expects.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
name="IKE Diagnosis"
out=$(mkdir -p "${1:-.}" && cd "${1:-.}" && pwd)/$name.zip
rm -f "$out"
cd "$here"
files=()
while IFS= read -r -d '' f; do files+=("$f"); done \
  < <(find "$name" -type f ! -name '*~' ! -name '.*' -print0 | sort -z)
if command -v zip >/dev/null; then
  zip -q -X "$out" "$name/" "${files[@]}"
else
  python3 - "$out" "$name/" "${files[@]}" <<'PY'
import sys, zipfile
out, *names = sys.argv[1:]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for n in names:
        z.write(n, n)
PY
fi
echo "$out"
