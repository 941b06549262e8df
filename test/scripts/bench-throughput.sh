#!/usr/bin/env bash
# bench-throughput.sh [TRANSACTIONS] [EVENTS_PER_TRANSACTION] — transactions per second one bridge
# takes when they arrive one at a time, as Synapse sends them (default 2000 of 1 event). The store
# is SQLite, or PostgreSQL when PRAATBRUG_BENCH_POSTGRES_URL is set. Its own Synapse instance
# (PRAATBRUG_IT_INSTANCE, default bench on client port 18308), like bench-removal.sh.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"
"$REPO/homeserver-config/synapse.sh" provide >/dev/null
mvn -B -q -pl test -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
export PRAATBRUG_IT_INSTANCE=${PRAATBRUG_IT_INSTANCE:-bench}
export PRAATBRUG_IT_CLIENT_PORT=${PRAATBRUG_IT_CLIENT_PORT:-18308}
export PRAATBRUG_IT_FEDERATION_PORT=${PRAATBRUG_IT_FEDERATION_PORT:-18748}
exec java -Dpraatbrug.repo="$REPO" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "test/target/test-classes:$(cat test/target/bench.classpath)" \
  be.praatbrug.it.TransactionThroughputHarness "${1:-2000}" "${2:-1}"
