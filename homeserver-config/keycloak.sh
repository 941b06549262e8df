#!/usr/bin/env bash
# keycloak.sh — a real Keycloak as the organisations' identity provider for the demo and the tests:
# staff sign in to Synapse through OpenID Connect with a password and a one-time code (TOTP).
#
# The Keycloak distribution comes from Maven Central (org.keycloak:keycloak-quarkus-dist), is
# checked against its published SHA-1 and kept in the cache next to the Synapse root; it is built
# once ("kc.sh build": in-memory database, local caches, health endpoints), so every later start is
# an optimized start (about 15 s on two cores). Keycloak needs Java 21+; only Keycloak uses it.
set -euo pipefail

KEYCLOAK_VERSION=26.7.3
KEYCLOAK_SHA1=4ff244668809213a1c91ad2505390287203029d0
READY_TIMEOUT=180

usage() {
  cat <<'EOF'
Usage: keycloak.sh COMMAND [OPTIONS]

Commands:
  provide
      Download (once, ~170 MB), unpack and build Keycloak into the cache; print home=, java_home=.
  start --name NAME --port PORT
      Start instance NAME on http://127.0.0.1:PORT (management/health on PORT+1000) with an
      in-memory database, and wait until it is ready. Prints url=, admin_password_file=, log=.
  realm --name NAME --org caw|clb --synapse URL --client-secret S
        --user LOCALPART:PASSWORD:OTP_SECRET [--user ...]
      (Re)create the organisation's realm: Dutch first (nl, en), a confidential client "synapse"
      whose back-channel logout goes to URL/_synapse/client/oidc/backchannel_logout, a one-time code
      required for every account (new accounts must set one up), the given accounts with the
      seeded TOTP secret (HMAC-SHA1, 6 digits, 30 s), and a service account "praatbrug-bridge"
      that may read the realm's users (the bridge notices disabled staff with it).
  stop --name NAME
  paths --name NAME
Environment: PRAATBRUG_CACHE (default /var/cache/praatbrug), PRAATBRUG_KEYCLOAK_JAVA (Java 21+ home).
EOF
}

log() { printf '[keycloak.sh] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source=SCRIPTDIR/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

CACHE=$(cache_dir)
KC_DIR=$CACHE/keycloak
KC_HOME=$KC_DIR/keycloak-$KEYCLOAK_VERSION
BUILD_OPTIONS=(--db=dev-mem --cache=local --health-enabled=true)

java_home() {
  local candidate
  for candidate in "${PRAATBRUG_KEYCLOAK_JAVA:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 \
      /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64; do
    [[ -n $candidate && -x $candidate/bin/java ]] && { echo "$candidate"; return; }
  done
  die "Keycloak needs Java 21 or newer: install openjdk-21-jdk-headless or set PRAATBRUG_KEYCLOAK_JAVA"
}

kc() { JAVA_HOME=$(java_home) PATH=$(java_home)/bin:$PATH "$KC_HOME/bin/kc.sh" "$@"; }

cmd_provide() {
  mkdir -p "$KC_DIR"
  exec 8>"$KC_DIR/.install.lock"
  flock 8
  if [[ ! -f $KC_HOME/.praatbrug-built ]]; then
    local archive=$KC_DIR/keycloak-quarkus-dist-$KEYCLOAK_VERSION.tar.gz
    local url=https://repo1.maven.org/maven2/org/keycloak/keycloak-quarkus-dist/$KEYCLOAK_VERSION/keycloak-quarkus-dist-$KEYCLOAK_VERSION.tar.gz
    if [[ ! -f $archive ]] || ! echo "$KEYCLOAK_SHA1  $archive" | sha1sum -c --quiet 2>/dev/null; then
      log "downloading Keycloak $KEYCLOAK_VERSION from Maven Central (~170 MB, one time)"
      curl -fsSL -o "$archive.part" "$url"
      echo "$KEYCLOAK_SHA1  $archive.part" | sha1sum -c --quiet || die "checksum mismatch for $url"
      mv "$archive.part" "$archive"
    fi
    rm -rf "$KC_HOME"
    tar xzf "$archive" -C "$KC_DIR"
    log "building an optimized Keycloak (one time, about 20 s of CPU)"
    kc build "${BUILD_OPTIONS[@]}" >"$KC_DIR/build.log" 2>&1 || { tail -20 "$KC_DIR/build.log" >&2; die "kc.sh build failed"; }
    touch "$KC_HOME/.praatbrug-built"
  fi
  exec 8>&-
  echo "home=$KC_HOME"
  echo "java_home=$(java_home)"
}

instance() {
  [[ ${NAME:-} =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || die "--name must match [A-Za-z0-9][A-Za-z0-9._-]*"
  INST=$KC_DIR/instances/$NAME
  PID_FILE=$INST/keycloak.pid
  LOG_FILE=$INST/keycloak.log
  ADMIN_FILE=$INST/admin_password
  PORT_FILE=$INST/port
}

running_pid() {
  [[ -f $PID_FILE ]] || return 1
  local pid
  pid=$(cat "$PID_FILE")
  kill -0 "$pid" 2>/dev/null && grep -q keycloak "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
}

print_paths() {
  echo "url=http://127.0.0.1:$(cat "$PORT_FILE")"
  echo "admin_password_file=$ADMIN_FILE"
  echo "log=$LOG_FILE"
}

cmd_start() {
  local port=""
  while [[ $# -gt 0 ]]; do
    case $1 in
      --name) NAME=${2:?}; shift 2 ;;
      --port) port=${2:?}; shift 2 ;;
      *) die "start: unknown option $1" ;;
    esac
  done
  [[ $port =~ ^[0-9]+$ ]] || die "--port must be a number"
  instance
  cmd_provide >/dev/null
  mkdir -p "$INST/tmp" "$INST/tx"
  if running_pid >/dev/null; then
    log "$NAME already running at http://127.0.0.1:$(cat "$PORT_FILE")"
    print_paths
    return
  fi
  echo "$port" >"$PORT_FILE"
  (umask 077 && openssl rand -hex 16 >"$ADMIN_FILE")
  local started=$EPOCHREALTIME
  # The temporary admin exists only in this instance's memory; it creates the realms.
  KC_BOOTSTRAP_ADMIN_USERNAME=praatbrug-setup KC_BOOTSTRAP_ADMIN_PASSWORD=$(cat "$ADMIN_FILE") \
  JAVA_OPTS_APPEND="-Djava.io.tmpdir=$INST/tmp -Dquarkus.transaction-manager.object-store.directory=$INST/tx" \
  JAVA_HOME=$(java_home) PATH=$(java_home)/bin:$PATH \
    setsid "$KC_HOME/bin/kc.sh" start --optimized \
      --http-enabled=true --http-host=127.0.0.1 --http-port="$port" --http-management-port=$((port + 1000)) \
      --hostname="http://127.0.0.1:$port" --log-level=warn </dev/null >"$LOG_FILE" 2>&1 &
  echo $! >"$PID_FILE"
  local deadline=$((SECONDS + READY_TIMEOUT))
  until curl -fsS -m 2 "http://127.0.0.1:$((port + 1000))/health/ready" >/dev/null 2>&1; do
    running_pid >/dev/null || { tail -20 "$LOG_FILE" >&2; die "Keycloak $NAME stopped during startup"; }
    ((SECONDS < deadline)) || die "Keycloak $NAME not ready after $READY_TIMEOUT s (see $LOG_FILE)"
    sleep 0.3
  done
  log "Keycloak $NAME ready at http://127.0.0.1:$port in $(printf '%.1f' "$(echo "$EPOCHREALTIME - $started" | bc)") s"
  print_paths
}

admin_token() {
  curl -fsS -m 10 "http://127.0.0.1:$(cat "$PORT_FILE")/realms/master/protocol/openid-connect/token" \
    -d grant_type=password -d client_id=admin-cli -d username=praatbrug-setup \
    --data-urlencode "password=$(cat "$ADMIN_FILE")" | jq -r .access_token
}

cmd_realm() {
  local org="" synapse="" secret="" users=()
  while [[ $# -gt 0 ]]; do
    case $1 in
      --name) NAME=${2:?}; shift 2 ;;
      --org) org=${2:?}; shift 2 ;;
      --synapse) synapse=${2:?}; shift 2 ;;
      --client-secret) secret=${2:?}; shift 2 ;;
      --user) users+=("${2:?}"); shift 2 ;;
      *) die "realm: unknown option $1" ;;
    esac
  done
  instance
  running_pid >/dev/null || die "Keycloak $NAME is not running"
  [[ $org =~ ^[a-z]+$ && -n $synapse && -n $secret ]] || die "realm needs --org, --synapse and --client-secret"
  local accounts='[]' spec localpart password otp
  for spec in "${users[@]}"; do
    IFS=: read -r localpart password otp <<<"$spec"
    [[ -n $localpart && -n $password && -n $otp ]] || die "--user wants LOCALPART:PASSWORD:OTP_SECRET"
    accounts=$(jq -c --arg u "$localpart" --arg p "$password" --arg o "$otp" --arg org "$org" \
      '. + [{username: $u, enabled: true, emailVerified: true, email: "\($u)@\($org).test", firstName: $u, lastName: ($org | ascii_upcase),
             credentials: [{type: "password", value: $p, temporary: false},
                           {type: "otp", userLabel: "Praatbrug", secretData: ({value: $o} | tojson),
                            credentialData: ({subType: "totp", digits: 6, counter: 0, period: 30, algorithm: "HmacSHA1"} | tojson)}]}]' \
      <<<"$accounts")
  done
  local realm
  realm=$(jq -n --arg org "$org" --arg synapse "$synapse" --arg secret "$secret" --argjson users "$accounts" \
    --arg bridge_secret "$secret-bridge" '{
    realm: $org, enabled: true, displayName: ($org | ascii_upcase),
    internationalizationEnabled: true, supportedLocales: ["nl", "en"], defaultLocale: "nl",
    loginWithEmailAllowed: false, bruteForceProtected: true, failureFactor: 10,
    otpPolicyType: "totp", otpPolicyAlgorithm: "HmacSHA1", otpPolicyDigits: 6, otpPolicyPeriod: 30,
    otpPolicyLookAheadWindow: 1,
    requiredActions: [{alias: "CONFIGURE_TOTP", name: "Configure OTP", providerId: "CONFIGURE_TOTP",
                       enabled: true, defaultAction: true, priority: 10}],
    clients: [
      {clientId: "synapse", name: "Praatbrug (Matrix)", enabled: true, protocol: "openid-connect",
       publicClient: false, secret: $secret, standardFlowEnabled: true, directAccessGrantsEnabled: false,
       redirectUris: ["\($synapse)/_synapse/client/oidc/callback"], webOrigins: [],
       frontchannelLogout: false,
       attributes: {"backchannel.logout.url": "\($synapse)/_synapse/client/oidc/backchannel_logout",
                    "backchannel.logout.session.required": "true",
                    "backchannel.logout.revoke.offline.tokens": "true"}},
      {clientId: "praatbrug-bridge", name: "Praatbrug bridge (reads staff status)", enabled: true,
       protocol: "openid-connect", publicClient: false, secret: $bridge_secret, standardFlowEnabled: false,
       directAccessGrantsEnabled: false, serviceAccountsEnabled: true}
    ],
    users: ($users + [{username: "service-account-praatbrug-bridge", enabled: true,
                       serviceAccountClientId: "praatbrug-bridge",
                       clientRoles: {"realm-management": ["view-users"]}}])
  }')
  local url token
  url="http://127.0.0.1:$(cat "$PORT_FILE")"
  token=$(admin_token)
  curl -fsS -m 10 -o /dev/null -X DELETE -H "Authorization: Bearer $token" "$url/admin/realms/$org" 2>/dev/null || true
  curl -fsS -m 60 -o /dev/null -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    --data-binary @- "$url/admin/realms" <<<"$realm" || die "could not create realm $org"
  # Keycloak's own pages (sign-in, one-time code) speak Dutch first.
  log "realm $org at $url/realms/$org (${#users[@]} accounts, one-time code required)"
  echo "issuer=$url/realms/$org"
  echo "bridge_client=praatbrug-bridge"
  echo "bridge_secret=$secret-bridge"
}

cmd_stop() {
  while [[ $# -gt 0 ]]; do
    case $1 in
      --name) NAME=${2:?}; shift 2 ;;
      *) die "stop: unknown option $1" ;;
    esac
  done
  instance
  local pid
  if pid=$(running_pid); then
    kill "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    log "stopped Keycloak $NAME"
  fi
  rm -f "$PID_FILE"
}

cmd_paths() {
  while [[ $# -gt 0 ]]; do
    case $1 in
      --name) NAME=${2:?}; shift 2 ;;
      *) die "paths: unknown option $1" ;;
    esac
  done
  instance
  print_paths
}

case ${1:-} in
  provide) shift; cmd_provide "$@" ;;
  start) shift; cmd_start "$@" ;;
  realm) shift; cmd_realm "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  paths) shift; cmd_paths "$@" ;;
  -h|--help|help|"") usage ;;
  *) usage; exit 2 ;;
esac
