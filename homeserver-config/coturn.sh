#!/usr/bin/env bash
# coturn.sh — a throwaway TURN server (Debian's coturn) per test homeserver, on loopback only.
# See --help. Progress goes to stderr; stdout carries only key=value lines.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TEMPLATE=$HERE/templates/turnserver.conf.tmpl
STOP_TIMEOUT=10

usage() {
  cat <<'USAGE'
Usage: coturn.sh COMMAND [OPTIONS]

A TURN relay for the call widget, beside a test Synapse from synapse.sh: org "caw"
listens on 127.0.0.2, org "clb" on 127.0.0.3, loopback only.

Commands:
  start --name NAME --org caw|clb --secret-file FILE [--port 3478]
        [--min-port 49160] [--max-port 49199] [--max-bps BYTES]
      Render the config with the shared secret from FILE (synapse.sh's
      turn_shared_secret, printed by `synapse.sh paths` as turn_secret_file)
      and start turnserver in the background. Installs Debian's coturn if
      missing. Starting a running instance is a no-op.
      --max-bps: test only; cap each relay session at BYTES per second and
      direction (coturn's max-bps), a narrow line for the call widget's tests.
  stop --name NAME [--org caw|clb]
      Stop the instance(s) started by this script (both orgs by default).
  status --name NAME
      Per org: running/stopped, address, log path.

Environment:
  PRAATBRUG_CACHE   state directory base (as synapse.sh): instances live in
                    $PRAATBRUG_CACHE/coturn/NAME/ORG
USAGE
}

log() { printf '[coturn.sh] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source=SCRIPTDIR/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"



instance_paths() {
  [[ ${NAME:-} =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || die "--name must match [A-Za-z0-9][A-Za-z0-9._-]*"
  IP=$(org_ip "$ORG")
  DIR=$(cache_dir)/coturn/$NAME/$ORG
  PID_FILE=$DIR/turnserver.pid
  LOG_FILE=$DIR/turnserver.log
  CONF=$DIR/turnserver.conf
}

# Prints the pid if the pid file names a turnserver running this instance's config.
running_pid() {
  local pid
  [[ -r $PID_FILE ]] || return 1
  read -r pid <"$PID_FILE" || return 1
  [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "turnserver.*$CONF" || return 1
  echo "$pid"
}

ensure_coturn() {
  command -v turnserver >/dev/null && return 0
  log "installing Debian's coturn"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends coturn >&2
}

cmd_start() {
  local secret_file="" port=3478 min_port=49160 max_port=49199 max_bps=""
  while [[ $# -gt 0 ]]; do
    case $1 in
      --name) NAME=${2:?}; shift 2 ;;
      --org) ORG=${2:?}; shift 2 ;;
      --secret-file) secret_file=${2:?}; shift 2 ;;
      --port) port=${2:?}; shift 2 ;;
      --min-port) min_port=${2:?}; shift 2 ;;
      --max-port) max_port=${2:?}; shift 2 ;;
      --max-bps) max_bps=${2:?}; shift 2 ;;
      *) die "start: unknown option $1" ;;
    esac
  done
  [[ -n ${ORG:-} ]] || die "--org is required"
  [[ -s $secret_file ]] || die "--secret-file $secret_file is missing or empty; start Synapse with --turn-port first"
  [[ $port =~ ^[0-9]+$ && $min_port =~ ^[0-9]+$ && $max_port =~ ^[0-9]+$ ]] || die "ports must be numbers"
  [[ -z $max_bps || $max_bps =~ ^[0-9]+$ ]] || die "--max-bps must be a number of bytes per second"
  ((min_port < max_port)) || die "--min-port must be below --max-port"
  instance_paths
  ensure_coturn
  mkdir -p "$DIR"
  local pid
  if pid=$(running_pid); then
    log "$NAME/$ORG already running (pid $pid)"
    print_paths "$port"
    return
  fi
  local secret
  read -r secret <"$secret_file"
  # shellcheck disable=SC2016
  SERVER_NAME=$(org_server_name "$ORG") BIND_IP=$IP PORT=$port MIN_PORT=$min_port MAX_PORT=$max_port \
  SECRET=$secret DIR=$DIR \
    envsubst '${SERVER_NAME} ${BIND_IP} ${PORT} ${MIN_PORT} ${MAX_PORT} ${SECRET} ${DIR}' \
    <"$TEMPLATE" >"$CONF"
  [[ -z $max_bps ]] || printf '\n# Test only: a narrow line (--max-bps).\nmax-bps=%s\n' "$max_bps" >>"$CONF"
  chmod 600 "$CONF"
  echo "$port" >"$DIR/port"
  log "starting turnserver on $IP:$port (relay ports $min_port-$max_port), log $LOG_FILE"
  # setsid: outlives this script and ignores the caller's Ctrl-C, like synapse.sh's Synapse.
  setsid turnserver -c "$CONF" >>"$DIR/stdout.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PID_FILE"
  local waited=0
  # Ready when it accepts TCP on the listening port (bash's /dev/tcp: no extra tool).
  until (exec 3<>"/dev/tcp/$IP/$port") 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$LOG_FILE" "$DIR/stdout.log" >&2 || true; die "turnserver exited during startup"; }
    ((waited++ < 100)) || die "turnserver not listening on $IP:$port after 10 s; see $LOG_FILE"
    sleep 0.1
  done
  # coturn rewrites its pid file with its own pid; keep ours, which is the same process.
  echo "$pid" >"$PID_FILE"
  print_paths "$port"
}

print_paths() {
  echo "turn_uri=turn:$IP:$1"
  echo "conf=$CONF"
  echo "log=$LOG_FILE"
  echo "pid=$PID_FILE"
}

cmd_stop() {
  local orgs=(caw clb)
  while [[ $# -gt 0 ]]; do
    case $1 in
      --name) NAME=${2:?}; shift 2 ;;
      --org) orgs=("${2:?}"); shift 2 ;;
      *) die "stop: unknown option $1" ;;
    esac
  done
  local pid
  for ORG in "${orgs[@]}"; do
    instance_paths
    pid=$(running_pid) || { rm -f "$PID_FILE"; continue; }
    log "$NAME/$ORG: stopping turnserver (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 $((STOP_TIMEOUT * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    rm -f "$PID_FILE"
  done
}

cmd_status() {
  while [[ $# -gt 0 ]]; do
    case $1 in
      --name) NAME=${2:?}; shift 2 ;;
      *) die "status: unknown option $1" ;;
    esac
  done
  local pid port
  for ORG in caw clb; do
    instance_paths
    port=$(cat "$DIR/port" 2>/dev/null || echo '?')
    if pid=$(running_pid); then
      printf '%s/%s: running (pid %s) on %s:%s\n  log: %s\n' "$NAME" "$ORG" "$pid" "$IP" "$port" "$LOG_FILE"
    else
      printf '%s/%s: stopped\n' "$NAME" "$ORG"
    fi
  done
}

main() {
  local cmd=${1:-}
  [[ $# -gt 0 ]] && shift
  for arg in "$@"; do
    [[ $arg == -h || $arg == --help ]] && { usage; return; }
  done
  case $cmd in
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    status) cmd_status "$@" ;;
    -h|--help|help) usage ;;
    "") usage >&2; exit 2 ;;
    *) log "unknown command '$cmd'"; usage >&2; exit 2 ;;
  esac
}

main "$@"
