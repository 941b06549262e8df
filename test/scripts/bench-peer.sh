#!/usr/bin/env bash
# bench-peer.sh [TRIALS] [ROUNDS] [PAUSE_MS] — the bridge's join → kick time beside a minimal JS appservice on
# npm matrix-appservice that applies only the one-to-one kick rule (#21), alternating in one run
# (default 100 trials, 2 rounds each). Both run as their own process on the same registration and
# room; times are Synapse's own. Uses its own Synapse instance (peer, client port 18318).
# PEER_BENCH_JAVA_OPTS replaces the launcher's JVM flags for the bridge; PEER_BENCH_LOG_LEVEL its log level;
# PEER_BENCH_WARM_UP the unmeasured trials before each turn (50).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"
"$REPO/homeserver-config/synapse.sh" provide >/dev/null
(cd test/bench-peer && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
mvn -B -q -o -DskipTests install -pl policy,crypto,call-widget,client-web,bridge
mvn -B -q -pl test test-compile dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
export PRAATBRUG_IT_INSTANCE=peer PRAATBRUG_IT_CLIENT_PORT=18318 PRAATBRUG_IT_FEDERATION_PORT=18758
exec java -Dpraatbrug.repo="$REPO" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "test/target/test-classes:$(cat test/target/bench.classpath)" \
  be.praatbrug.it.KickPeerHarness "${1:-100}" "${2:-2}" "${3:-0}"
