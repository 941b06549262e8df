# shellcheck shell=bash
# common.sh — what synapse.sh and coturn.sh share: where instances live and which address and
# server name each test organisation has. Sourced, not run; callers define log() and die().

cache_dir() {
  if [[ -n ${PRAATBRUG_CACHE:-} ]]; then
    printf '%s\n' "$PRAATBRUG_CACHE"
  elif mkdir -p /var/cache/praatbrug 2>/dev/null && [[ -w /var/cache/praatbrug ]]; then
    printf '%s\n' /var/cache/praatbrug
  else
    printf '%s\n' "${XDG_CACHE_HOME:-$HOME/.cache}/praatbrug"
  fi
}

# "other" is the outsider the federation tests prove is shut out; the demo never starts it.
org_ip() { case $1 in caw) echo 127.0.0.2 ;; clb) echo 127.0.0.3 ;; other) echo 127.0.0.4 ;; *) die "unknown org '$1' (caw|clb|other)" ;; esac; }
org_server_name() { case $1 in caw) echo caw.test ;; clb) echo clb.test ;; other) echo other.test ;; *) die "unknown org '$1' (caw|clb|other)" ;; esac; }
