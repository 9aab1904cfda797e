#!/bin/bash
# cases.sh BUILD_DIR SHARED_MALFORMED_DIR — one line per tshark test case:
#   <test name> <check-capture.sh arguments...>
# Read by CMake (to register the tests) and by update-expected.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$1 malformed=$2
plain="--plugin-dir $build/plugins"
san="--plugin-dir $build/plugins-san --sanitizer"
exp=$here/expected

for cap in "$top"/captures/*.pcap "$top"/captures/*.pcapng; do
  [ -f "$cap" ] || continue
  name=$(basename "$cap"); name=${name%.pcap*}
  keys=$top/captures/$name.ikev2_decryption_table
  if [ -f "$keys" ]; then
    echo "tshark.$name.keys.1pass $plain --capture $cap --keys $keys --expected $exp/$name.keys.1pass.txt"
    echo "tshark.$name.keys.2pass $plain --capture $cap --keys $keys --two-pass --expected $exp/$name.keys.2pass.txt"
    echo "tshark-san.$name.keys.2pass $san --capture $cap --keys $keys --two-pass --expected $exp/$name.keys.2pass.txt"
  else
    echo "tshark.$name.nokeys.1pass $plain --capture $cap --expected $exp/$name.nokeys.1pass.txt"
  fi
  echo "tshark.$name.nokeys.2pass $plain --capture $cap --two-pass --expected $exp/$name.nokeys.2pass.txt"
  # The report is the same in one pass and two: both read the final engine.
  with_keys=; [ -f "$keys" ] && with_keys="--keys $keys"
  echo "tshark-stats.$name.1pass $plain --capture $cap $with_keys --stats --expected $exp/$name.stats.txt"
  echo "tshark-stats.$name.2pass $plain --capture $cap $with_keys --two-pass --stats --expected $exp/$name.stats.txt"
  echo "tshark-san.$name.nokeys.2pass $san --capture $cap --two-pass --expected $exp/$name.nokeys.2pass.txt"
done
# The IKE SA limit: with room for one IKE SA, the second is not analysed.
sim=$top/captures/simultaneous-initiation
echo "tshark.simultaneous-initiation.sa-limit.2pass $plain --capture $sim.pcap --keys $sim.ikev2_decryption_table --two-pass --option ikediag.max_sas:1 --expected $exp/simultaneous-initiation.sa-limit.2pass.txt"
echo "tshark-stats.simultaneous-initiation.sa-limit $plain --capture $sim.pcap --keys $sim.ikev2_decryption_table --stats --option ikediag.max_sas:1 --expected $exp/simultaneous-initiation.sa-limit.stats.txt"
# The display filter argument restricts which messages are counted.
echo "tshark-stats.requests-dropped.filtered $plain --capture $top/captures/requests-dropped.pcap --stats --stats-filter frame.number>=6 --expected $exp/requests-dropped.stats-filtered.txt"
for cap in "$malformed"/*; do
  [ -f "$cap" ] || continue
  name=$(basename "$cap"); name=${name%.pcap*}
  echo "tshark-san.malformed.$name $san --capture $cap --two-pass --expected $exp/malformed/$name.2pass.txt"
done
