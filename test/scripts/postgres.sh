#!/usr/bin/env bash
# postgres.sh — a throwaway PostgreSQL cluster for Praatbrug tests.
#
# The cluster lives entirely in DIR (data, unix socket, log), listens on
# 127.0.0.1 only and trusts every local connection: never use it for real data.
set -euo pipefail

DEFAULT_PORT=54329
DB=praatbrug_test
ROLE=praatbrug
PASSWORD=praatbrug

usage() {
  cat <<EOF
Usage: postgres.sh start|stop|url --dir DIR [--port $DEFAULT_PORT]

  start   initdb DIR on first use, start PostgreSQL on 127.0.0.1:PORT (socket
          in DIR/socket), ensure role $ROLE (password $PASSWORD) and database
          $DB exist, print the JDBC URL. Does nothing if already running.
  stop    stop the cluster (pg_ctl -m fast).
  url     print jdbc:postgresql://127.0.0.1:PORT/$DB (PORT as last started).

Installs the Debian "postgresql" package if no server binaries are found
(that also creates and starts Debian's default cluster on port 5432).
EOF
}

log() { printf '[postgres.sh] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Newest installed server version, installing one if there is none.
find_bindir() {
  local postgres
  postgres=$(find /usr/lib/postgresql -maxdepth 3 -path '*/bin/postgres' 2>/dev/null | sort -V | tail -n 1)
  if [[ -z $postgres ]]; then
    [[ $(id -u) == 0 ]] || die "PostgreSQL is not installed; run as root or install 'postgresql'"
    log "installing PostgreSQL server (apt-get install postgresql) …"
    DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
    postgres=$(find /usr/lib/postgresql -maxdepth 3 -path '*/bin/postgres' | sort -V | tail -n 1)
    [[ -n $postgres ]] || die "no PostgreSQL server binaries after installing"
  fi
  dirname "$postgres"
}

# initdb and postgres refuse to run as root; as root we use the postgres user.
as_pg() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

jdbc_url() {
  local port=$PORT
  # Without an explicit --port, report the port the cluster was started on.
  if [[ $PORT_GIVEN == no && -r $DIR/port ]]; then read -r port <"$DIR/port"; fi
  echo "jdbc:postgresql://127.0.0.1:$port/$DB"
}

is_running() {
  [[ -f $DATA/PG_VERSION ]] && as_pg "$BIN/pg_ctl" status -D "$DATA" >/dev/null 2>&1
}

cmd_start() {
  BIN=$(find_bindir)
  mkdir -p "$DIR"
  if [[ $(id -u) == 0 ]]; then
    chown postgres: "$DIR"
    as_pg test -w "$DIR" -a -x "$DIR" ||
      die "user postgres cannot write $DIR (is a parent directory private?)"
  fi

  if [[ ! -f $DATA/PG_VERSION ]]; then
    log "initdb $DATA ($("$BIN/postgres" --version))"
    # --no-sync and the settings below trade durability for speed: the
    # cluster is thrown away after the tests.
    as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C \
      --no-sync >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
    as_pg mkdir -p "$SOCKET_DIR"
    as_pg tee -a "$DATA/postgresql.conf" >/dev/null <<EOF

# --- postgres.sh: throwaway test cluster ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$SOCKET_DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  else
    local have want
    read -r have <"$DATA/PG_VERSION"
    want=$(basename "$(dirname "$BIN")")
    [[ $have == "$want" ]] || die "$DATA was created by PostgreSQL $have, but the server found is $want"
  fi

  if is_running; then
    log "already running ($DATA)"
  else
    log "starting on 127.0.0.1:$PORT (log $DIR/postgres.log)"
    as_pg "$BIN/pg_ctl" start -D "$DATA" -w -t 60 -l "$DIR/postgres.log" -o "-p $PORT" >/dev/null ||
      { tail -n 20 "$DIR/postgres.log" >&2; die "PostgreSQL did not start"; }
  fi

  # Line 4 of postmaster.pid is the port the server really listens on (it
  # may have been started earlier with another --port); url reads it back.
  local port
  port=$(sed -n 4p "$DATA/postmaster.pid")
  echo "$port" >"$DIR/port"
  # \gexec runs the generated statement only when the object is missing,
  # which keeps start idempotent (CREATE DATABASE has no IF NOT EXISTS).
  as_pg "$BIN/psql" -X -q -h "$SOCKET_DIR" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 <<EOF
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', '$ROLE', '$PASSWORD')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', '$DB', '$ROLE')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DB') \gexec
-- Integration tests give each test bridge a database of its own.
ALTER ROLE "$ROLE" CREATEDB;
EOF
  PORT_GIVEN=no
  jdbc_url
}

cmd_stop() {
  if [[ ! -f $DATA/PG_VERSION ]]; then
    log "no cluster in $DIR"
    return
  fi
  BIN=$(find_bindir)
  if is_running; then
    as_pg "$BIN/pg_ctl" stop -D "$DATA" -m fast -w >/dev/null
    log "stopped"
  else
    log "not running"
  fi
}

main() {
  local cmd=${1:-}
  [[ $# -gt 0 ]] && shift
  DIR="" PORT=$DEFAULT_PORT PORT_GIVEN=no
  while [[ $# -gt 0 ]]; do
    case $1 in
      --dir) DIR=${2:?--dir needs a value}; shift 2 ;;
      --port) PORT=${2:?--port needs a value}; PORT_GIVEN=yes; shift 2 ;;
      -h|--help) usage; return ;;
      *) die "unknown option $1" ;;
    esac
  done
  case $cmd in
    start|stop|url) ;;
    -h|--help|help) usage; return ;;
    *) usage >&2; exit 2 ;;
  esac
  [[ -n $DIR ]] || die "--dir is required"
  [[ $PORT =~ ^[0-9]+$ ]] || die "--port must be a number"
  DIR=$(realpath -m "$DIR")
  DATA=$DIR/data
  SOCKET_DIR=$DIR/socket
  case $cmd in
    start) cmd_start ;;
    stop) cmd_stop ;;
    url) jdbc_url ;;
  esac
}

main "$@"
