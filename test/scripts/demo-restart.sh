#!/usr/bin/env bash
# demo-restart.sh — with the demo running (./praatbrug demo --background): kill -9 the caw.test
# bridge and check that the demo starts it again within its back-off, while both Synapses and the
# clb.test bridge keep running, and that the restarted bridge is ready. ./praatbrug test then runs
# the smoke test against it again.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DEMO=$REPO/var/demo
fail() { echo "FAIL restart: $*"; exit 1; }

if ! { [[ -f $DEMO/supervisor.pid ]] && kill -0 "$(cat "$DEMO/supervisor.pid")" 2>/dev/null; }; then
  fail "no demo supervisor runs (start ./praatbrug demo --background first)"
fi
caw=$(cat "$DEMO/caw/bridge.pid")
clb=$(cat "$DEMO/clb/bridge.pid")
ready_before=$(grep -c "Praatbrug ready" "$DEMO/caw/bridge.log" || true)

kill -9 "$caw"
killed_at=$SECONDS
deadline=$((SECONDS + 90))
until [[ $(cat "$DEMO/caw/bridge.pid") != "$caw" ]] \
    && (($(grep -c "Praatbrug ready" "$DEMO/caw/bridge.log" || true) > ready_before)); do
  ((SECONDS < deadline)) || fail "the killed caw.test bridge was not ready again within 90 s"
  sleep 0.5
done
echo "ok   restart: caw.test bridge killed with -9, restarted and ready after $((SECONDS - killed_at)) s"

kill -0 "$clb" 2>/dev/null || fail "the clb.test bridge stopped when the caw.test one was killed"
for hs in 127.0.0.2 127.0.0.3; do
  curl -fsS -m 5 "http://$hs:8008/health" >/dev/null || fail "Synapse on $hs stopped"
done
curl -fsS -m 5 "http://127.0.0.1:29341/health/ready" >/dev/null || fail "the restarted bridge is not ready"
for port in 29331 29332; do
  status=$(curl -s -o /dev/null -w '%{http_code}' -m 5 "http://127.0.0.1:$port/metrics/")
  [[ $status == 404 ]] || fail "/metrics/ answers $status on the public port $port"
done
echo "ok   restart: Synapse on both servers and the clb.test bridge ran on; health only on the internal port"
