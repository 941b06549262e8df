#!/usr/bin/env bash
# bench-scale.sh N... — what the bridge costs with many rooms (#21): for each N (growing, e.g.
# 1000 5000 10000) rooms are made through the bridge up to N, then memory, a burst of joins and a
# restart are measured (see ScaleHarness). Uses its own Synapse instance (scale, client port 18388)
# and runs the shipped jar as its own process. Figures go to stdout and
# test/target/it-homeserver-scale/scale.txt. Knobs: SCALE_PARALLEL (counsellors at once, 6),
# SCALE_BURST (200), SCALE_FETCH_CONCURRENCY (8), SCALE_JAVA_OPTS (the launcher's); at the end the
# same rooms are measured again under SCALE_COMPARE_JAR (another build) and SCALE_COMPARE_JAVA_OPTS
# (other JVM flags), when set.
# SCALE_KEEP=1 goes on from the rooms an earlier run left (Synapse, bridge store and room list
# kept): making 10,000 rooms takes hours here, so they can be made over several sittings.
# SCALE_SYNAPSE_DB=postgres keeps Synapse's data in PostgreSQL (a throwaway cluster of
# test/scripts/postgres.sh in test/target/scale-postgres, port 54340) instead of SQLite.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"
(($# > 0)) || { echo "usage: $0 N..." >&2; exit 2; }
"$REPO/homeserver-config/synapse.sh" provide >/dev/null
mvn -B -q -o -DskipTests install -pl policy,crypto,call-widget,client-web,bridge
mvn -B -q -pl test test-compile dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
export PRAATBRUG_IT_INSTANCE=scale PRAATBRUG_IT_CLIENT_PORT=18388 PRAATBRUG_IT_FEDERATION_PORT=18788
export PRAATBRUG_IT_KEEP=${SCALE_KEEP:-0}
if [[ ${SCALE_SYNAPSE_DB:-sqlite} == postgres ]]; then
  "$REPO/test/scripts/postgres.sh" start --dir "$REPO/test/target/scale-postgres" --port 54340 >/dev/null
  # Stopped afterwards; its data stays for SCALE_KEEP=1.
  trap '"$REPO/test/scripts/postgres.sh" stop --dir "$REPO/test/target/scale-postgres" >/dev/null 2>&1 || true' EXIT
  export PRAATBRUG_IT_SYNAPSE_POSTGRES=postgresql://praatbrug:praatbrug@127.0.0.1:54340/synapse_scale
fi
java -Dpraatbrug.repo="$REPO" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "test/target/test-classes:$(cat test/target/bench.classpath)" \
  be.praatbrug.it.ScaleHarness "$@"
