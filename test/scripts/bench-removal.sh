#!/usr/bin/env bash
# bench-removal.sh [TRIALS] — end-to-end removal latency against a real Synapse (default 200 trials):
# join accepted → kick accepted, next to the floor (join pushed to a no-op appservice).
# Uses its own Synapse instance (bench, client port 18308) so it never disturbs the demo or tests.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"
"$REPO/homeserver-config/synapse.sh" provide >/dev/null
mvn -B -q -pl test -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
export PRAATBRUG_IT_INSTANCE=bench PRAATBRUG_IT_CLIENT_PORT=18308 PRAATBRUG_IT_FEDERATION_PORT=18748
exec java -Dpraatbrug.repo="$REPO" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "test/target/test-classes:$(cat test/target/bench.classpath)" \
  be.praatbrug.it.RemovalLatencyHarness "${1:-200}"
