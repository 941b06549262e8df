#!/usr/bin/env bash
# synapse.sh — provide and run throwaway Synapse homeservers (caw.test and
# clb.test) for Praatbrug development and integration tests.
#
# Debian 12 ships no Synapse, so unless the host already has one we install
# Debian sid's matrix-synapse into a minimal debootstrap root that is cached
# outside the clone and run Synapse in it with chroot. See README.md.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TEMPLATE_DIR=$SCRIPT_DIR/templates
ORGS=(caw clb other)
READY_TIMEOUT=120   # seconds to wait for /health after starting
STOP_TIMEOUT=20     # seconds between TERM and KILL

usage() {
  cat <<'EOF'
Usage: synapse.sh COMMAND [OPTIONS]

Throwaway Synapse homeservers for Praatbrug tests: org "caw" is caw.test on
127.0.0.2, org "clb" is clb.test on 127.0.0.3, org "other" is other.test on
127.0.0.4 (the outsider federation tests keep out).

Commands:
  provide
      Make Synapse available (host install, or a cached Debian sid chroot that
      is installed on first use: about 90 s, ~700 MB, one time) and print
      key=value lines: mode, root, synapse_version.
  start --name NAME --org caw|clb --registration /abs/registration.yaml
        [--client-port 8008] [--federation-port 8448] [--shared-secret S]
        [--turn-port 3478] [--server-name-with-port]
        [--federation-allow caw.test,clb.test] [--fast-federation-retries]
        [--retention-purge-interval 1h] [--media-lifetime 365d]
        [--oidc-issuer URL --oidc-client-secret S --sso-redirect-allow URL,URL]
        [--postgres postgresql://USER:PASSWORD@HOST:PORT/DATABASE]
      Create or reuse the instance NAME/ORG, (re)copy the appservice
      registration, render the config, start Synapse in the background and
      wait up to 120 s until http://IP:CLIENT_PORT/health answers.
      Federation between instances on the default port 8448 needs nothing
      more. On another federation port, give --server-name-with-port: the
      server name becomes e.g. caw.test:18641, which tells other servers the
      port (there is no DNS SRV or .well-known here to announce it).
      --federation-allow: federation_domain_whitelist, comma separated, exact
      server names including any port (`praatbrug-bridge federation-whitelist`
      prints it from the policies); "none" renders [] (blocks all federation),
      "any" leaves it unset (federates with everyone). Default caw.test,clb.test.
      --fast-federation-retries: test only; give up on an unreachable server
      after seconds instead of minutes and try it again soon, so outage tests
      see Synapse mark the destination failed and recover within a minute.
      --retention-purge-interval: how often Synapse's retention purge job
      deletes expired events (m.room.retention), default 1h; keep it well
      below the shortest policy max_lifetime (tests use seconds).
      --media-lifetime: media_retention backstop, local files not downloaded
      for this long are deleted; default 365d, the bridge's default
      admin.floor_max_retention (set it to yours). Cached partner files go
      after a day without use.
      --oidc-issuer: staff sign in through this OpenID Connect issuer (see
      keycloak.sh) and never with a password; --sso-redirect-allow lists the
      pages (URL prefixes) that receive login tokens without a confirmation.
      --postgres: keep Synapse's data in this PostgreSQL database (made with
      LC_COLLATE and LC_CTYPE 'C', as Synapse requires) instead of SQLite in
      the instance directory; give it on every start (a start without it
      uses SQLite); make-admin works on whichever the last start used.
      For benchmarks with many rooms; tests use SQLite.
      --turn-port: hand out TURN credentials for a coturn on IP:PORT (see
      coturn.sh), signed with a per-instance secret in turn_shared_secret.
  stop --name NAME [--org caw|clb]
      Stop the instance(s) started by this script (both orgs by default).
  status --name NAME
      Per org: running/stopped, client URL, log path.
  register --name NAME --org caw|clb --user LOCALPART --password PW [--admin]
      Create a user via the registration shared secret. Succeeds if the user
      already exists.
  make-admin --name NAME --org caw|clb --user @USER:SERVER
      Make an existing user (e.g. the Praatbrug bot) a server admin: the flag is
      set in the database with Synapse stopped (it caches admin flags and has no
      API for appservice users), then Synapse is started again if it ran.
  paths --name NAME --org caw|clb|other
      Print key=value lines (root, instance_dir, config, log, pid,
      client_url, ca_file, ...) for other scripts and tests.

Environment:
  PRAATBRUG_CACHE           cache directory (default /var/cache/praatbrug,
                            else ${XDG_CACHE_HOME:-$HOME/.cache}/praatbrug)
  PRAATBRUG_DEBIAN_MIRROR   Debian mirror URI; overrides the one derived from
                            this machine's apt sources
  PRAATBRUG_SYNAPSE_MODE    host|chroot to force a mode (default: host if
                            `python3 -c 'import synapse'` works)

Progress goes to stderr; stdout carries only the key=value results.
EOF
}

log() { printf '[synapse.sh] %s\n' "$*" >&2; }
# Sub-second timings for the progress lines (bash 5 EPOCHREALTIME).
now_us() { echo "${EPOCHREALTIME//[.,]/}"; }
since() { local d=$(( $(now_us) - $1 )); printf '%d.%d s' $((d / 1000000)) $((d / 100000 % 10)); }
die() { log "error: $*"; exit 1; }
# shellcheck source=SCRIPTDIR/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# ---------------------------------------------------------------------------
# Where things live
# ---------------------------------------------------------------------------


# Sets MODE, ROOT (chroot root, empty on host), BASE_IN (instance base as
# Synapse sees it), BASE_HOST (same directory as seen from the host) and
# IN_ROOT (command prefix that runs a program where Synapse is installed).
resolve_layout() {
  CACHE=$(cache_dir)
  MODE=${PRAATBRUG_SYNAPSE_MODE:-}
  if [[ -z $MODE ]]; then
    if python3 -c 'import synapse' 2>/dev/null; then MODE=host; else MODE=chroot; fi
  fi
  case $MODE in
    host)
      ROOT=""
      BASE_IN=$CACHE/instances
      BASE_HOST=$BASE_IN
      IN_ROOT=()
      ;;
    chroot)
      ROOT=$CACHE/synapse-root
      BASE_IN=/var/lib/praatbrug
      BASE_HOST=$ROOT$BASE_IN
      # env -i: the host's environment (PATH, PYTHONPATH, locale) means
      # nothing inside the sid root.
      IN_ROOT=(chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin
               HOME=/root LANG=C.UTF-8)
      ;;
    *) die "PRAATBRUG_SYNAPSE_MODE must be host or chroot, not '$MODE'" ;;
  esac
}


check_name() {
  [[ -n ${NAME:-} ]] || die "--name is required"
  # The name becomes a directory; keep it to one safe path component.
  [[ $NAME =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || die "--name must match [A-Za-z0-9][A-Za-z0-9._-]*"
}
check_org() {
  [[ -n ${ORG:-} ]] || die "--org is required"
  org_ip "$ORG" >/dev/null
}

# Per-instance paths; call after resolve_layout, NAME and ORG are set.
instance_paths() {
  IP=$(org_ip "$ORG")
  SERVER_NAME=$(org_server_name "$ORG")
  INST_IN=$BASE_IN/$NAME/$ORG
  INST_HOST=$BASE_HOST/$NAME/$ORG
  TLS_IN=$BASE_IN/$NAME/tls
  TLS_HOST=$BASE_HOST/$NAME/tls
  PID_FILE=$INST_HOST/synapse.pid
  LOG_FILE=$INST_HOST/homeserver.log
  PORTS_FILE=$INST_HOST/ports   # remembered so stop/status/register know the URL
  CLIENT_PORT_CUR=8008
  FEDERATION_PORT_CUR=8448
  local remembered_name=""
  if [[ -r $PORTS_FILE ]]; then
    read -r CLIENT_PORT_CUR FEDERATION_PORT_CUR remembered_name <"$PORTS_FILE" || true
  fi
  # A server name with a port (see start --server-name-with-port) is remembered with the ports.
  [[ -n $remembered_name ]] && SERVER_NAME=$remembered_name
  return 0
}

# ---------------------------------------------------------------------------
# provide
# ---------------------------------------------------------------------------

# The mirror comes from this machine's apt configuration so no host name is
# baked into the repository; PRAATBRUG_DEBIAN_MIRROR overrides it.
debian_mirror() {
  if [[ -n ${PRAATBRUG_DEBIAN_MIRROR:-} ]]; then
    printf '%s\n' "$PRAATBRUG_DEBIAN_MIRROR"
    return
  fi
  local uri="" f
  # deb822 files: the first enabled "deb" stanza with a plain suite (no
  # -updates/-security) that is not the security archive.
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -r $f ]] || continue
    uri=$(awk 'BEGIN { RS = ""; FS = "\n" }
      {
        types = uris = suites = enabled = ""
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^Types:/) types = $i
          else if ($i ~ /^URIs:/) uris = $i
          else if ($i ~ /^Suites:/) suites = $i
          else if ($i ~ /^Enabled:/) enabled = $i
        }
        if (enabled ~ /no/) next
        if (types !~ /[ \t]deb([ \t]|$)/ || uris ~ /security/) next
        if (suites !~ /[ \t][a-z]+([ \t]|$)/) next
        sub(/^URIs:[ \t]*/, "", uris); split(uris, u, /[ \t]+/); print u[1]; exit
      }' "$f")
    [[ -n $uri ]] && break
  done
  # One-line format: "deb [opts] URI SUITE COMPONENTS..."
  if [[ -z $uri ]]; then
    uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
      sed -E 's/\[[^]]*\]//' |
      awk '$1 == "deb" && $2 !~ /security/ && $3 !~ /-/ { print $2; exit }')
  fi
  [[ -n $uri ]] || die "cannot derive a Debian mirror from /etc/apt; set PRAATBRUG_DEBIAN_MIRROR"
  printf '%s\n' "$uri"
}

# Run a long install step with its output in the install log, printing a
# heartbeat every 10 s so nobody wonders whether it hangs.
run_step() {
  local what=$1; shift
  local t0=$SECONDS t0us pid next=10
  t0us=$(now_us)
  log "  $what …"
  "$@" >>"$INSTALL_LOG" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    if (( SECONDS - t0 >= next )) && kill -0 "$pid" 2>/dev/null; then
      log "    … $what, $((SECONDS - t0)) s"
      next=$((next + 10))
    fi
  done
  if ! wait "$pid"; then
    log "step failed: $what; last lines of $INSTALL_LOG:"
    tail -n 30 "$INSTALL_LOG" >&2
    exit 1
  fi
  log "  $what done ($(since "$t0us"))"
}

# Unmount anything left mounted below the root (e.g. /proc from an
# interrupted debootstrap) so deleting it can never reach host files.
unmount_below_root() {
  local m
  while read -r m; do
    [[ -n $m ]] || continue
    log "  unmounting leftover $m"
    umount -l "$m" || true
  done < <(awk -v r="$ROOT/" 'index($2, r) == 1 { print $2 }' /proc/self/mounts | sort -r)
}

# The root's own /etc/hosts: the host's entries (so apt inside can reach the
# mirror the same way the host does) plus the two test homeservers.
write_root_hosts() {
  {
    grep -v -E '[[:space:]](caw|clb|other)\.test([[:space:]]|$)' /etc/hosts || true
    echo "# Praatbrug test homeservers (written by synapse.sh)"
    echo "127.0.0.2 caw.test"
    echo "127.0.0.3 clb.test"
    echo "127.0.0.4 other.test"
  } >"$ROOT/etc/hosts.new"
  mv "$ROOT/etc/hosts.new" "$ROOT/etc/hosts"
}

install_root() {
  local mirror t0
  t0=$(now_us)
  mirror=$(debian_mirror)
  mkdir -p "$CACHE"
  INSTALL_LOG=$CACHE/synapse-root.install.log
  : >"$INSTALL_LOG"
  if [[ -e $ROOT ]]; then
    log "removing unfinished root $ROOT"
    unmount_below_root
    rm -rf --one-file-system "$ROOT"
  fi
  log "installing Debian sid root (about 90 s, ~700 MB, one time) into $ROOT"
  log "  mirror $mirror, log $INSTALL_LOG"
  if ! command -v debootstrap >/dev/null; then
    run_step "apt-get install debootstrap" \
      env DEBIAN_FRONTEND=noninteractive apt-get install -y debootstrap
  fi
  run_step "debootstrap --variant=minbase sid" \
    debootstrap --variant=minbase sid "$ROOT" "$mirror"

  # No service may start inside the root, whatever the postinst thinks.
  printf '#!/bin/sh\n# synapse.sh: never start services in this root\nexit 101\n' \
    >"$ROOT/usr/sbin/policy-rc.d"
  chmod 755 "$ROOT/usr/sbin/policy-rc.d"
  # A mirror may be a frozen snapshot whose Release has passed Valid-Until;
  # this root is for tests only, so accept it. Recommends would add ~100 MB.
  cat >"$ROOT/etc/apt/apt.conf.d/99praatbrug" <<'EOF'
// synapse.sh: test-only root
Acquire::Check-Valid-Until "false";
APT::Install-Recommends "false";
EOF
  write_root_hosts
  # Answer the postinst questions up front.
  printf '%s\n' \
    'matrix-synapse matrix-synapse/server-name string caw.test' \
    'matrix-synapse matrix-synapse/report-stats boolean false' |
    "${IN_ROOT[@]}" debconf-set-selections

  run_step "apt-get update (sid)" "${IN_ROOT[@]}" apt-get update
  run_step "apt-get install matrix-synapse python3-psycopg2" \
    "${IN_ROOT[@]}" DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends matrix-synapse python3-psycopg2 python3-authlib
  run_step "apt-get clean" "${IN_ROOT[@]}" apt-get clean

  # Our instances run Synapse directly; the packaged default config and its
  # unused database are noise, but harmless, so they stay.
  "${IN_ROOT[@]}" python3 -c 'import synapse; print(synapse.__version__)' \
    >"$ROOT/.praatbrug-complete"
  log "Debian sid root ready in $(since "$t0") (Synapse $(cat "$ROOT/.praatbrug-complete"))"
}

synapse_version() {
  # The marker holds the version imported right after installing; reading
  # it keeps a cached provide fast.
  if [[ $MODE == chroot ]]; then
    cat "$ROOT/.praatbrug-complete"
  else
    python3 -c 'import synapse; print(synapse.__version__)'
  fi
}

# Make Synapse available; quiet when it already is.
ensure_synapse() {
  resolve_layout
  if [[ $MODE == host ]]; then
    mkdir -p "$BASE_HOST"
    return
  fi
  [[ $(id -u) == 0 ]] || die "the chroot mode needs root (chroot, debootstrap)"
  mkdir -p "$CACHE"
  # One installer at a time; a second caller waits and then reuses the root.
  exec 9>"$CACHE/.synapse-root.lock"
  if ! flock -n 9; then
    log "waiting for another synapse.sh to finish installing …"
    flock 9
  fi
  if [[ ! -f $ROOT/.praatbrug-complete ]]; then
    install_root
  fi
  # Single sign-on (oidc_providers) needs Authlib, which roots made before it was used lack.
  if ! "${IN_ROOT[@]}" python3 -c 'import authlib' 2>/dev/null; then
    INSTALL_LOG=$CACHE/synapse-root.install.log
    run_step "apt-get install python3-authlib (single sign-on)" "${IN_ROOT[@]}" DEBIAN_FRONTEND=noninteractive \
      apt-get install -y --no-install-recommends python3-authlib
  fi
  write_root_hosts
  exec 9>&-
}

cmd_provide() {
  [[ $# -eq 0 ]] || die "provide takes no options"
  local t0
  t0=$(now_us)
  ensure_synapse
  local version
  version=$(synapse_version)
  log "Synapse $version available ($MODE mode, $(since "$t0"))"
  echo "mode=$MODE"
  echo "root=${ROOT:-/}"
  echo "synapse_version=$version"
}

# ---------------------------------------------------------------------------
# TLS: one throwaway CA per NAME, one server certificate per org
# ---------------------------------------------------------------------------

ensure_ca() {
  [[ -s $TLS_HOST/ca.pem && -s $TLS_HOST/ca.key ]] && return
  mkdir -p "$TLS_HOST"
  log "creating test CA $TLS_HOST/ca.pem"
  cat >"$TLS_HOST/ca.cnf" <<EOF
[req]
distinguished_name = dn
x509_extensions = v3_ca
prompt = no
[dn]
CN = Praatbrug test CA ($NAME)
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
EOF
  openssl req -x509 -new -newkey rsa:2048 -nodes -sha256 -days 3650 \
    -config "$TLS_HOST/ca.cnf" -keyout "$TLS_HOST/ca.key" -out "$TLS_HOST/ca.pem" 2>/dev/null
  chmod 600 "$TLS_HOST/ca.key"
}

ensure_server_cert() {
  local crt=$INST_HOST/tls.crt key=$INST_HOST/tls.key
  # Certificates name the host only: a port in the server name is not part of it.
  local host=${SERVER_NAME%%:*}
  # Reuse while signed by the current CA, for this host, and valid for at least a day.
  if [[ -s $crt && -s $key ]] &&
     openssl verify -CAfile "$TLS_HOST/ca.pem" "$crt" >/dev/null 2>&1 &&
     openssl x509 -in "$crt" -noout -checkhost "$host" 2>/dev/null | grep -q 'does match' &&
     openssl x509 -in "$crt" -noout -checkend 86400 >/dev/null; then
    return
  fi
  log "creating TLS certificate for $host"
  cat >"$INST_HOST/tls.cnf" <<EOF
[v3_srv]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:$host
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
  openssl req -new -newkey rsa:2048 -nodes -subj "/CN=$host" \
    -keyout "$key" -out "$INST_HOST/tls.csr" 2>/dev/null
  openssl x509 -req -sha256 -days 825 -in "$INST_HOST/tls.csr" \
    -CA "$TLS_HOST/ca.pem" -CAkey "$TLS_HOST/ca.key" -set_serial "0x$(openssl rand -hex 16)" \
    -extfile "$INST_HOST/tls.cnf" -extensions v3_srv -out "$crt" 2>/dev/null
  rm -f "$INST_HOST/tls.csr"
  chmod 600 "$key"
}

# ---------------------------------------------------------------------------
# Processes
# ---------------------------------------------------------------------------

# Prints the pid if the pid file names a live Synapse process.
running_pid() {
  local pid
  [[ -r $PID_FILE ]] || return 1
  read -r pid <"$PID_FILE" || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  # Pids get reused: only a Synapse running this instance's config counts
  # as ours.
  [[ -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "synapse.*$INST_IN/homeserver.yaml" || return 1
  echo "$pid"
}

client_url() { echo "http://$IP:$CLIENT_PORT_CUR"; }

healthy() { curl -fsS -m 2 "$(client_url)/health" >/dev/null 2>&1; }

# Sends TERM to the instance's Synapse; prints its pid if it was running.
signal_stop() {
  local pid
  if ! pid=$(running_pid); then
    [[ -e $PID_FILE ]] && log "$NAME/$ORG: removing stale pid file"
    rm -f "$PID_FILE"
    log "$NAME/$ORG: not running"
    return
  fi
  log "$NAME/$ORG: stopping Synapse (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  echo "$pid"
}

# Waits for TERMed pids to exit, KILLs what is left after STOP_TIMEOUT.
wait_stopped() {
  local t0=$SECONDS pid
  for pid in "$@"; do
    while kill -0 "$pid" 2>/dev/null && (( SECONDS - t0 < STOP_TIMEOUT )); do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      log "pid $pid still running after ${STOP_TIMEOUT} s, sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
}

stop_instance() {
  local pid
  pid=$(signal_stop)
  [[ -n $pid ]] || return 0
  wait_stopped "$pid"
  rm -f "$PID_FILE"
}

# ---------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------

render_config() {
  # Only these variables are substituted; any other "$" in the templates
  # stays as written. (Single quotes are intended: envsubst wants the names.)
  # shellcheck disable=SC2016
  local vars='${DATABASE} ${SERVER_NAME} ${BIND_IP} ${CLIENT_PORT} ${FEDERATION_PORT} ${INSTANCE_DIR} ${TLS_DIR} ${SHARED_SECRET} ${TURN_URIS} ${TURN_SHARED_SECRET} ${FEDERATION_WHITELIST} ${FEDERATION_RETRIES} ${RETENTION_PURGE_INTERVAL} ${MEDIA_LIFETIME} ${STAFF_SIGN_IN}'
  DATABASE=$DATABASE_VALUE STAFF_SIGN_IN=$STAFF_SIGN_IN_VALUE RETENTION_PURGE_INTERVAL=$RETENTION_PURGE_INTERVAL_VALUE MEDIA_LIFETIME=$MEDIA_LIFETIME_VALUE \
  FEDERATION_RETRIES=$FEDERATION_RETRIES_VALUE FEDERATION_WHITELIST=$FEDERATION_WHITELIST_VALUE SERVER_NAME=$SERVER_NAME BIND_IP=$IP CLIENT_PORT=$CLIENT_PORT_CUR \
  FEDERATION_PORT=$FEDERATION_PORT_CUR INSTANCE_DIR=$INST_IN TLS_DIR=$TLS_IN \
  SHARED_SECRET=$SHARED_SECRET_VALUE TURN_URIS=$TURN_URIS_VALUE \
  TURN_SHARED_SECRET=$TURN_SECRET_VALUE \
    envsubst "$vars" <"$TEMPLATE_DIR/homeserver.yaml.tmpl" >"$INST_HOST/homeserver.yaml"
  # shellcheck disable=SC2016
  INSTANCE_DIR=$INST_IN envsubst '${INSTANCE_DIR}' \
    <"$TEMPLATE_DIR/log.config.tmpl" >"$INST_HOST/log.config"
  chmod 600 "$INST_HOST/homeserver.yaml"
}

# Starts Synapse from the already rendered config and waits until /health answers.
launch_synapse() {
  local pid
  log "starting $SERVER_NAME on $IP (client $CLIENT_PORT_CUR, federation $FEDERATION_PORT_CUR), log $LOG_FILE"
  local t0=$SECONDS t0us
  t0us=$(now_us)
  # setsid: Synapse must outlive this script and not get the caller's
  # Ctrl-C. Without job control "&" gives a non-leader, so setsid, chroot
  # and env all exec in place and $! is Synapse's own pid.
  setsid "${IN_ROOT[@]}" python3 -m synapse.app.homeserver \
    --config-path "$INST_IN/homeserver.yaml" >>"$LOG_FILE" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PID_FILE"

  printf '[synapse.sh] waiting for %s/health ' "$(client_url)" >&2
  while ! healthy; do
    if ! kill -0 "$pid" 2>/dev/null; then
      printf '\n' >&2
      log "Synapse exited during startup; last 40 lines of $LOG_FILE:"
      tail -n 40 "$LOG_FILE" >&2
      rm -f "$PID_FILE"
      exit 1
    fi
    if (( SECONDS - t0 >= READY_TIMEOUT )); then
      printf '\n' >&2
      log "not ready after ${READY_TIMEOUT} s; last 40 lines of $LOG_FILE:"
      tail -n 40 "$LOG_FILE" >&2
      stop_instance
      exit 1
    fi
    printf '.' >&2
    sleep 1
  done
  printf ' ok\n' >&2
  log "$SERVER_NAME ready in $(since "$t0us") (pid $pid)"
}

# Makes USER a Synapse server admin. Synapse has no API for this on appservice users (M_EXCLUSIVE),
# and caches admin flags, so the flag is set in the database while Synapse is stopped.
cmd_make_admin() {
  local user=""
  while [[ $# -gt 0 ]]; do
    case $1 in
      --name) NAME=${2:?}; shift 2 ;;
      --org) ORG=${2:?}; shift 2 ;;
      --user) user=${2:?}; shift 2 ;;
      *) die "make-admin: unknown option $1" ;;
    esac
  done
  check_name; check_org
  [[ $user =~ ^@[a-z0-9._=/+-]+:[A-Za-z0-9.:-]+$ ]] || die "--user must be a full Matrix user id"
  resolve_layout
  instance_paths
  local db=$INST_HOST/homeserver.db
  [[ -f $db || -s $INST_HOST/postgres ]] || die "$NAME/$ORG has no database yet; start it first"
  local flag
  flag=$(sql "$db" "SELECT admin FROM users WHERE name = '$user';")
  [[ -n $flag ]] || die "$user does not exist on $SERVER_NAME yet (the bridge registers its bot at startup)"
  if [[ $flag == 1 ]]; then
    log "$user is already a server admin"
    return
  fi
  local was_running=false
  if running_pid >/dev/null; then
    was_running=true
    stop_instance
  fi
  sql "$db" "UPDATE users SET admin = 1 WHERE name = '$user';" >/dev/null
  log "$user is now a server admin of $SERVER_NAME"
  if $was_running; then
    launch_synapse
  fi
}

# Runs one SQL statement on the instance's database: PostgreSQL when it has one (psycopg2 in the root),
# else its SQLite file (host sqlite3, else Python in the root).
sql() {
  if [[ -s $INST_HOST/postgres ]]; then
    local url
    read -r url <"$INST_HOST/postgres"
    "${IN_ROOT[@]}" python3 -c 'import psycopg2,sys
c=psycopg2.connect(sys.argv[1]); k=c.cursor(); k.execute(sys.argv[2])
r=k.fetchall() if k.description else []; c.commit()
print("\n".join("|".join(str(v) for v in row) for row in r))' "$url" "$2"
  elif command -v sqlite3 >/dev/null; then
    sqlite3 "$1" "$2"
  else
    "${IN_ROOT[@]}" python3 -c 'import sqlite3,sys
c=sqlite3.connect(sys.argv[1]); r=c.execute(sys.argv[2]).fetchall(); c.commit()
print("\n".join("|".join(str(v) for v in row) for row in r))' "${1#"$ROOT"}" "$2"
  fi
}

# Sets DATABASE_VALUE, the rendered database section: SQLite in the instance directory, or the
# PostgreSQL database of a postgresql://user:password@host:port/name URL (kept in $INST_HOST/postgres).
database_settings() {
  local url=$1 file=$INST_HOST/postgres
  if [[ -z $url ]]; then
    rm -f "$file"
    DATABASE_VALUE=$(printf 'database:\n  name: sqlite3\n  args:\n    database: "%s/homeserver.db"' "$INST_IN")
    return
  fi
  [[ $url =~ ^postgresql://([A-Za-z0-9_]+):([A-Za-z0-9._~-]+)@([0-9A-Za-z.-]+):([0-9]+)/([A-Za-z0-9_]+)$ ]] ||
    die "--postgres must look like postgresql://user:password@127.0.0.1:5432/synapse (password: letters, digits, . _ ~ -)"
  printf '%s\n' "$url" >"$file"
  chmod 600 "$file"
  DATABASE_VALUE=$(printf 'database:\n  name: psycopg2\n  args:\n    user: "%s"\n    password: "%s"\n    dbname: "%s"\n    host: "%s"\n    port: %s\n    cp_min: 5\n    cp_max: 10' \
    "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" "${BASH_REMATCH[5]}" "${BASH_REMATCH[3]}" "${BASH_REMATCH[4]}")
  log "data in PostgreSQL database ${BASH_REMATCH[5]} on ${BASH_REMATCH[3]}:${BASH_REMATCH[4]}"
}

# Sets TURN_URIS_VALUE and TURN_SECRET_VALUE for the config: empty without a TURN port.
# The secret is made once per instance; coturn.sh reads the same file (use-auth-secret).
turn_settings() {
  local port=$1 file=$INST_HOST/turn_shared_secret
  TURN_URIS_VALUE='[]'
  TURN_SECRET_VALUE=''
  [[ -n $port ]] || return 0
  [[ -s $file ]] || openssl rand -hex 32 >"$file"
  chmod 600 "$file"
  read -r TURN_SECRET_VALUE <"$file"
  TURN_URIS_VALUE="[\"turn:$IP:$port?transport=udp\", \"turn:$IP:$port?transport=tcp\"]"
  log "TURN: $IP:$port, secret $file"
}

# Sets FEDERATION_WHITELIST_VALUE, the rendered federation_domain_whitelist line, from a comma
# separated list: exact server names (with port where the name has one), "none" or "any".
federation_whitelist() {
  local list=$1 name rendered=""
  case $list in
    any) FEDERATION_WHITELIST_VALUE="# federation_domain_whitelist not set: federates with every server"; return ;;
    none) FEDERATION_WHITELIST_VALUE="federation_domain_whitelist: []"; return ;;
  esac
  IFS=, read -r -a names <<<"$list"
  for name in "${names[@]}"; do
    [[ $name =~ ^[A-Za-z0-9.-]+(:[0-9]{1,5})?$ ]] || die "--federation-allow: '$name' is not a server name"
    rendered+="${rendered:+, }\"$name\""
  done
  FEDERATION_WHITELIST_VALUE="federation_domain_whitelist: [$rendered]"
  log "federation allowed with: $list"
}

# Sets STAFF_SIGN_IN_VALUE: with an issuer, single sign-on through the organisation's identity
# provider (OpenID Connect, authorization code flow, back-channel logout) and no password sign-in;
# without one, password sign-in (test homeservers whose suites sign staff in with passwords).
staff_sign_in() {
  local issuer=$1 secret=$2 allow=$3 list="" url
  if [[ -z $issuer ]]; then
    STAFF_SIGN_IN_VALUE="# Staff sign in with a password (test only: no --oidc-issuer given)."
    return
  fi
  [[ -n $secret ]] || die "--oidc-issuer needs --oidc-client-secret"
  [[ $issuer =~ ^https?://[^\"\ ]+$ ]] || die "--oidc-issuer: '$issuer' is not a URL"
  IFS=, read -r -a urls <<<"$allow"
  for url in "${urls[@]}"; do
    [[ $url =~ ^https?://[^\"\ ]+$ ]] || die "--sso-redirect-allow: '$url' is not a URL"
    list+="${list:+, }\"$url\""
  done
  local skip=false
  [[ $issuer == http://127.* ]] && skip=true   # test only: the local Keycloak speaks plain HTTP
  STAFF_SIGN_IN_VALUE=$(cat <<YAML
# Staff sign in through the organisation's identity provider (OpenID Connect); the bridge's pages
# and Element use the homeserver's SSO redirect and a login token. Passwords are not accepted:
# the bot and clients' guest accounts are appservice users and never use one.
password_config:
  enabled: false
# Where the browser comes back from the identity provider (the OIDC callback).
public_baseurl: "http://$IP:$CLIENT_PORT_CUR/"
oidc_providers:
  - idp_id: organisation
    idp_name: "Aanmelden via je organisatie / Sign in with your organisation"
    discover: true
    issuer: "$issuer"
    client_id: "synapse"
    client_secret: "$secret"
    scopes: ["openid", "profile"]
    skip_verification: $skip
    # Every sign-in asks for the password and the one-time code again, also while the identity
    # provider still knows the browser: a locked page or a shared computer needs the person.
    additional_authorization_parameters: {prompt: "login"}
    # Staff accounts keep their ids (@counsellor:caw.test): the localpart is the IdP's user name.
    allow_existing_users: true
    backchannel_logout_enabled: true
    user_mapping_provider:
      config:
        localpart_template: "{{ user.preferred_username }}"
        display_name_template: "{{ user.name }}"
# The pages that may receive a login token without Synapse asking "continue to this site?".
sso:
  client_whitelist: [$list]
YAML
)
  log "staff sign in through $issuer (no passwords)"
}

cmd_start() {
  local oidc_issuer="" oidc_secret="" sso_allow=""
  local registration="" client_port=8008 federation_port=8448 shared_secret="" turn_port=""
  local port_in_name=false allow="caw.test,clb.test" postgres=""
  RETENTION_PURGE_INTERVAL_VALUE=1h MEDIA_LIFETIME_VALUE=365d
  FEDERATION_RETRIES_VALUE="# federation retries: Synapse's defaults"
  while [[ $# -gt 0 ]]; do
    case $1 in
      --name) NAME=${2:?}; shift 2 ;;
      --org) ORG=${2:?}; shift 2 ;;
      --registration) registration=${2:?}; shift 2 ;;
      --client-port) client_port=${2:?}; shift 2 ;;
      --federation-port) federation_port=${2:?}; shift 2 ;;
      --shared-secret) shared_secret=${2:?}; shift 2 ;;
      --turn-port) turn_port=${2:?}; shift 2 ;;
      --server-name-with-port) port_in_name=true; shift ;;
      --federation-allow) allow=${2:?}; shift 2 ;;
      --retention-purge-interval) RETENTION_PURGE_INTERVAL_VALUE=${2:?}; shift 2 ;;
      --media-lifetime) MEDIA_LIFETIME_VALUE=${2:?}; shift 2 ;;
      --oidc-issuer) oidc_issuer=${2:?}; shift 2 ;;
      --oidc-client-secret) oidc_secret=${2:?}; shift 2 ;;
      --sso-redirect-allow) sso_allow=${2:?}; shift 2 ;;
      --postgres) postgres=${2:?}; shift 2 ;;
      --fast-federation-retries)
        FEDERATION_RETRIES_VALUE='federation: {max_long_retries: 2, max_long_retry_delay: "2s", destination_min_retry_interval: "5s", destination_max_retry_interval: "20s"}'
        shift ;;
      *) die "start: unknown option $1" ;;
    esac
  done
  check_name; check_org
  [[ $registration == /* ]] || die "--registration must be an absolute path"
  [[ -r $registration ]] || die "registration file $registration not readable"
  [[ $client_port =~ ^[0-9]+$ && $federation_port =~ ^[0-9]+$ ]] || die "ports must be numbers"
  [[ -z $turn_port || $turn_port =~ ^[0-9]+$ ]] || die "--turn-port must be a number"
  [[ $RETENTION_PURGE_INTERVAL_VALUE =~ ^[1-9][0-9]*[smhd]$ ]] || die "--retention-purge-interval must look like 30s, 5m, 1h"
  [[ $MEDIA_LIFETIME_VALUE =~ ^[1-9][0-9]*[smhd]$ ]] || die "--media-lifetime must look like 30d"

  ensure_synapse
  instance_paths
  mkdir -p "$INST_HOST"
  local pid
  if pid=$(running_pid); then
    log "$NAME/$ORG already running (pid $pid) at $(client_url); stop it first to apply new settings"
    healthy || die "$NAME/$ORG is running but $(client_url)/health does not answer; see $LOG_FILE"
    print_paths
    return
  fi
  CLIENT_PORT_CUR=$client_port
  FEDERATION_PORT_CUR=$federation_port
  SERVER_NAME=$(org_server_name "$ORG")
  if $port_in_name; then SERVER_NAME=$SERVER_NAME:$federation_port; fi
  echo "$CLIENT_PORT_CUR $FEDERATION_PORT_CUR $SERVER_NAME" >"$PORTS_FILE"
  federation_whitelist "$allow"
  database_settings "$postgres"
  staff_sign_in "$oidc_issuer" "$oidc_secret" "$sso_allow"

  # Re-copied on every start so a regenerated registration is picked up.
  cp "$registration" "$INST_HOST/registration.yaml"

  local secret_file=$INST_HOST/registration_shared_secret
  if [[ -n $shared_secret ]]; then
    printf '%s\n' "$shared_secret" >"$secret_file"
  elif [[ ! -s $secret_file ]]; then
    openssl rand -hex 32 >"$secret_file"
  fi
  chmod 600 "$secret_file"
  read -r SHARED_SECRET_VALUE <"$secret_file"
  log "registration shared secret: $secret_file"
  turn_settings "$turn_port"

  ensure_ca
  ensure_server_cert
  render_config

  if [[ ! -s $INST_HOST/signing.key ]]; then
    log "generating signing key"
    "${IN_ROOT[@]}" python3 -m synapse.app.homeserver \
      --config-path "$INST_IN/homeserver.yaml" --generate-keys >>"$LOG_FILE" 2>&1 ||
      { tail -n 40 "$LOG_FILE" >&2; die "signing key generation failed"; }
  fi

  launch_synapse
  print_paths
}

cmd_stop() {
  local orgs=("${ORGS[@]}")
  while [[ $# -gt 0 ]]; do
    case $1 in
      --name) NAME=${2:?}; shift 2 ;;
      --org) ORG=${2:?}; orgs=("$2"); shift 2 ;;
      *) die "stop: unknown option $1" ;;
    esac
  done
  check_name
  resolve_layout
  # TERM all first, then wait: the orgs shut down in parallel.
  local t0 pid pids=() pid_files=()
  t0=$(now_us)
  for ORG in "${orgs[@]}"; do
    check_org
    instance_paths
    [[ $ORG == other && ! -d $INST_HOST ]] && continue
    pid=$(signal_stop)
    if [[ -n $pid ]]; then pids+=("$pid"); pid_files+=("$PID_FILE"); fi
  done
  [[ ${#pids[@]} -gt 0 ]] || return 0
  wait_stopped "${pids[@]}"
  rm -f "${pid_files[@]}"
  log "$NAME: stopped in $(since "$t0")"
}

cmd_status() {
  while [[ $# -gt 0 ]]; do
    case $1 in
      --name) NAME=${2:?}; shift 2 ;;
      *) die "status: unknown option $1" ;;
    esac
  done
  check_name
  resolve_layout
  local pid state
  for ORG in "${ORGS[@]}"; do
    instance_paths
    # The outsider only exists in federation tests; say nothing about it elsewhere.
    [[ $ORG == other && ! -d $INST_HOST ]] && continue
    if pid=$(running_pid); then
      if healthy; then state="running (pid $pid, healthy)"; else state="running (pid $pid, not answering /health)"; fi
    elif [[ -d $INST_HOST ]]; then
      state=stopped
    else
      state="not created"
    fi
    printf '%s/%s: %s\n  url: %s\n  log: %s\n' "$NAME" "$ORG" "$state" "$(client_url)" "$LOG_FILE"
  done
}

cmd_register() {
  local user="" password="" admin=--no-admin
  while [[ $# -gt 0 ]]; do
    case $1 in
      --name) NAME=${2:?}; shift 2 ;;
      --org) ORG=${2:?}; shift 2 ;;
      --user) user=${2:?}; shift 2 ;;
      --password) password=${2:?}; shift 2 ;;
      --admin) admin=--admin; shift ;;
      *) die "register: unknown option $1" ;;
    esac
  done
  check_name; check_org
  [[ -n $user && -n $password ]] || die "--user and --password are required"
  resolve_layout
  instance_paths
  running_pid >/dev/null || die "$NAME/$ORG is not running; start it first"
  local out rc=0
  # -c: the script reads the shared secret from the config, so it never
  # shows up in a process list.
  out=$("${IN_ROOT[@]}" python3 -m synapse._scripts.register_new_matrix_user \
        -c "$INST_IN/homeserver.yaml" -u "$user" -p "$password" "$admin" \
        --exists-ok "$(client_url)" 2>&1) || rc=$?
  if [[ $rc -eq 0 ]] && grep -q 'already exists' <<<"$out"; then
    log "@$user:$SERVER_NAME already exists"
  elif [[ $rc -eq 0 ]]; then
    log "registered @$user:$SERVER_NAME$([[ $admin == --admin ]] && echo ' (admin)')"
  else
    printf '%s\n' "$out" >&2
    die "registering @$user:$SERVER_NAME failed"
  fi
  echo "user_id=@$user:$SERVER_NAME"
}

print_paths() {
  echo "mode=$MODE"
  echo "root=${ROOT:-/}"
  echo "server_name=$SERVER_NAME"
  echo "instance_dir=$INST_HOST"
  echo "config=$INST_HOST/homeserver.yaml"
  echo "log=$LOG_FILE"
  echo "pid=$PID_FILE"
  echo "client_url=$(client_url)"
  echo "federation_url=https://${SERVER_NAME%%:*}:$FEDERATION_PORT_CUR"
  echo "ca_file=$TLS_HOST/ca.pem"
  echo "shared_secret_file=$INST_HOST/registration_shared_secret"
  echo "turn_secret_file=$INST_HOST/turn_shared_secret"
}

cmd_paths() {
  while [[ $# -gt 0 ]]; do
    case $1 in
      --name) NAME=${2:?}; shift 2 ;;
      --org) ORG=${2:?}; shift 2 ;;
      *) die "paths: unknown option $1" ;;
    esac
  done
  check_name; check_org
  resolve_layout
  instance_paths
  print_paths
}

main() {
  local cmd=${1:-}
  [[ $# -gt 0 ]] && shift
  local arg
  for arg in "$@"; do
    [[ $arg == -h || $arg == --help ]] && { usage; return; }
  done
  case $cmd in
    provide) cmd_provide "$@" ;;
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    status) cmd_status "$@" ;;
    register) cmd_register "$@" ;;
    paths) cmd_paths "$@" ;;
    make-admin) cmd_make_admin "$@" ;;
    -h|--help|help) usage ;;
    "") usage >&2; exit 2 ;;
    *) log "unknown command '$cmd'"; usage >&2; exit 2 ;;
  esac
}

main "$@"
