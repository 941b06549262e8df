#!/usr/bin/env bash
# Creates every secret the compose deployment needs as a file in docker/secrets/ (mode 0600),
# plus each organisation's appservice registration for Synapse. Existing files are kept, so it
# is safe to run again. Usage: docker/make-secrets.sh   (reads CAW_DOMAIN, CLB_DOMAIN from .env)
set -euo pipefail
cd "$(dirname "$0")"
[[ -f .env ]] || { echo "copy .env.example to .env and set the domains first" >&2; exit 2; }
# shellcheck disable=SC1091
source .env
umask 077
mkdir -p secrets
random() { head -c 48 /dev/urandom | base64 | tr -d '/+=\n' | head -c 48; }
keep_or_make() { [[ -s "secrets/$1" ]] || random > "secrets/$1"; }

keep_or_make turn_shared_secret
if [[ ! -s secrets/turnserver.conf ]]; then
  cat > secrets/turnserver.conf <<CONF
listening-port=3478
min-port=49160
max-port=49200
use-auth-secret
static-auth-secret=$(cat secrets/turn_shared_secret)
realm=${CAW_DOMAIN}
fingerprint
no-cli
no-multicast-peers
no-software-attribute
denied-peer-ip=10.0.0.0-10.255.255.255
denied-peer-ip=172.16.0.0-172.31.255.255
denied-peer-ip=192.168.0.0-192.168.255.255
denied-peer-ip=127.0.0.0-127.255.255.255
user-quota=48
total-quota=2000
CONF
fi

for org in caw clb; do
  domain_var="${org^^}_DOMAIN"; domain="${!domain_var}"
  for name in synapse_db_password registration_shared_secret macaroon_secret_key form_secret \
      as_token hs_token bridge_db_password ledger_passphrase secret_passphrase; do
    keep_or_make "${org}_${name}"
  done
  printf '%s-synapse-db:5432:synapse:synapse:%s\n' "$org" "$(cat "secrets/${org}_synapse_db_password")" \
    > "secrets/${org}_synapse_db_pgpass"
  escaped="${domain//./\\.}"
  cat > "secrets/${org}_registration.yaml" <<REG
# Praatbrug appservice registration for ${domain} (made by docker/make-secrets.sh).
id: praatbrug
url: http://${org}-bridge:29331
as_token: "$(cat "secrets/${org}_as_token")"
hs_token: "$(cat "secrets/${org}_hs_token")"
sender_localpart: praatbrug
rate_limited: false
namespaces:
  users:
    - exclusive: true
      regex: '@praatbrug:${escaped}'
    - exclusive: true
      regex: '@praatbrug_guest_.*:${escaped}'
  aliases: []
  rooms: []
REG
done
echo "secrets in $(pwd)/secrets (keep them out of version control and backups you do not trust)"
