#!/usr/bin/env bash
# bench-flood.sh [MESSAGES] [TRIALS] — removal latency next to a to-device flood against a real
# Synapse: one local account sends the bot MESSAGES (default 1000) encrypted room keys while a third
# person is let into a counselling room and removed, again and again; TRIALS (default 40) kicks
# without the flood first. Own Synapse instance (bench, client port 18308), like bench-removal.sh.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"
"$REPO/homeserver-config/synapse.sh" provide >/dev/null
mvn -B -q -pl test -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
export PRAATBRUG_IT_INSTANCE=bench PRAATBRUG_IT_CLIENT_PORT=18308 PRAATBRUG_IT_FEDERATION_PORT=18748
exec java -Dpraatbrug.repo="$REPO" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "test/target/test-classes:$(cat test/target/bench.classpath)" \
  be.praatbrug.it.ToDeviceFloodHarness "${1:-1000}" "${2:-40}"
