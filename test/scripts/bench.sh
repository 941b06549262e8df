#!/usr/bin/env bash
# bench.sh [JMH ARGS…] — runs the in-process JMH benchmarks (test/src/test/java/be/praatbrug/bench).
# Examples:  test/scripts/bench.sh PolicyDecisionBenchmark      (one benchmark class)
#            test/scripts/bench.sh -f 1 -wi 3 -i 5 -t 1          (JMH options)
# Results are printed and written to test/target/jmh-result.json.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"
# One reactor run, so the classpath points at the freshly compiled modules without an install.
mvn -B -q -pl test -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
CLASSPATH="test/target/test-classes:$(cat test/target/bench.classpath)"
exec java -cp "$CLASSPATH" org.openjdk.jmh.Main -rf json -rff test/target/jmh-result.json "$@"
