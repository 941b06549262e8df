#!/usr/bin/env bash
# crypto-bench.sh [ROUNDS] — Olm/Megolm throughput of the Java crypto module (JMH, CryptoBenchmark)
# against libolm (python3-olm, test/scripts/libolm_bench.py) on the same machine. The two take
# turns, ROUNDS times (default 3), so load from other processes hits both alike; each round gives
# ratios, and the table shows every round plus the median ratio. A second table compares thread CPU
# time per operation (CryptoCpuTimes vs libolm_bench.py), which a busy machine disturbs far less
# than the wall clock. Results: test/target/crypto-bench.md
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"
ROUNDS=${1:-3}
/usr/bin/python3 -c 'import olm' 2>/dev/null || { echo "crypto-bench: install python3-olm (apt-get install python3-olm)" >&2; exit 1; }
mkdir -p test/target
# One build, then every round runs the same classes.
mvn -B -q -pl test -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
CLASSPATH="test/target/test-classes:$(cat test/target/bench.classpath)"
echo "python3-olm $(dpkg-query -W -f='${Version}' python3-olm 2>/dev/null || echo '?'), $(java -version 2>&1 | head -1)"
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round/$ROUNDS, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  java -cp "$CLASSPATH" org.openjdk.jmh.Main CryptoBenchmark -f 1 -wi 2 -w 2 -i 3 -r 2 -t 1 \
    -rf json -rff "test/target/crypto-jmh-$round.json" >"test/target/crypto-jmh-$round.txt"
  java -cp "$CLASSPATH" be.praatbrug.bench.CryptoCpuTimes >"test/target/crypto-cpu-$round.json"
  /usr/bin/python3 test/scripts/libolm_bench.py >"test/target/crypto-libolm-$round.json"
done
python3 - "$ROUNDS" <<'PY' | tee test/target/crypto-bench.md
import json, statistics, sys
rounds = int(sys.argv[1])
names = ("megolmEncrypt", "megolmDecrypt", "olmOutboundSession", "olmHandshake")
rows = {name: [] for name in names}
cpu_rows = {name: [] for name in names}
floor = []
for r in range(1, rounds + 1):
    java = {b["benchmark"].rsplit(".", 1)[1]: b["primaryMetric"]["score"] for b in json.load(open(f"test/target/crypto-jmh-{r}.json"))}
    java_cpu = json.load(open(f"test/target/crypto-cpu-{r}.json"))
    libolm = json.load(open(f"test/target/crypto-libolm-{r}.json"))
    floor.append(libolm["pythonCallFloor"])
    for name in names:
        rows[name].append((java[name], libolm[name]))
        cpu_rows[name].append((java_cpu[name], libolm["cpu"][name]))
for title, table in (("wall clock (JMH vs libolm_bench.py)", rows), ("thread CPU time (CryptoCpuTimes vs libolm_bench.py)", cpu_rows)):
    print(f"\n{title}\n")
    print("| operation | Java ops/s per round | libolm ops/s per round | Java / libolm per round | median ratio |")
    print("|---|---|---|---|---|")
    for name, pairs in table.items():
        ratios = [j / l for j, l in pairs]
        print(f"| {name} | {' / '.join(f'{j:,.0f}' for j, _ in pairs)} | {' / '.join(f'{l:,.0f}' for _, l in pairs)} "
              f"| {' / '.join(f'{x:.2f}' for x in ratios)} | {statistics.median(ratios):.2f}× |")
print(f"\npython call floor (a trivial python3-olm call): {statistics.median(1e6 / f for f in floor):.2f} µs per call")
PY
