#!/usr/bin/env bash
# crypto-bench.sh [JMH ARGS…] — Olm/Megolm throughput of the Java crypto module (JMH) and of libolm
# (python3-olm, test/scripts/libolm_bench.py) in one run on the same machine, with the ratios.
# Default JMH options: -f 1 -wi 2 -w 2 -i 3 -r 2 -t 1. Results: test/target/crypto-bench.txt
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"
/usr/bin/python3 -c 'import olm' 2>/dev/null || { echo "crypto-bench: install python3-olm (apt-get install python3-olm)" >&2; exit 1; }
mkdir -p test/target
ARGS=("$@")
((${#ARGS[@]})) || ARGS=(-f 1 -wi 2 -w 2 -i 3 -r 2 -t 1)
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
test/scripts/bench.sh CryptoBenchmark "${ARGS[@]}" >test/target/crypto-bench-jmh.txt
grep -E '^CryptoBenchmark|^Benchmark' test/target/crypto-bench-jmh.txt
echo "libolm (python3-olm $(dpkg-query -W -f='${Version}' python3-olm 2>/dev/null || echo '?'))…"
LIBOLM=$(/usr/bin/python3 test/scripts/libolm_bench.py)
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$LIBOLM" test/target/jmh-result.json <<'PY' | tee test/target/crypto-bench.txt
import json, sys
libolm = json.loads(sys.argv[1])
java = {r["benchmark"].rsplit(".", 1)[1]: r["primaryMetric"]["score"] for r in json.load(open(sys.argv[2]))}
print("| operation | Java (ops/s) | libolm via python3-olm (ops/s) | Java / libolm |")
print("|---|---|---|---|")
for name in ("megolmEncrypt", "megolmDecrypt", "olmOutboundSession", "olmHandshake"):
    print(f"| {name} | {java[name]:,.0f} | {libolm[name]:,.0f} | {java[name] / libolm[name]:.2f}× |")
print(f"\npython call floor (OutboundGroupSession.message_index): {libolm['pythonCallFloor']:,.0f} calls/s "
      f"= {1e6 / libolm['pythonCallFloor']:.2f} µs per call")
PY
