#!/usr/bin/env bash
# demo-smoke.sh var/demo.json — checks the README's promise with nothing but curl and jq: the demo's
# counsellors can log in with the accounts in var/demo.json, open a direct chat with their
# organisation's bot, and get !hulp answered; each admin can sign in to their bridge's admin API.
# Prints "smoke: N passed, N failed".
set -euo pipefail

DEMO_JSON=${1:?usage: demo-smoke.sh path/to/demo.json}
passed=0 failed=0

matrix() { # METHOD URL TOKEN [BODY]
  local method=$1 url=$2 token=$3 body=${4:-}
  if [[ -n $body ]]; then
    curl -fsS -m 10 -X "$method" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$body" "$url"
  else
    curl -fsS -m 10 -X "$method" -H "Authorization: Bearer $token" "$url"
  fi
}

check_org() {
  local org=$1 base bot user password token room question deadline
  base=$(jq -r ".organisations.$org.client_url" "$DEMO_JSON")
  bot=$(jq -r ".organisations.$org.bot_user_id" "$DEMO_JSON")
  user=$(jq -r ".organisations.$org.accounts.counsellor.localpart" "$DEMO_JSON")
  password=$(jq -r ".organisations.$org.accounts.counsellor.password" "$DEMO_JSON")

  token=$(curl -fsS -m 10 -X POST "$base/_matrix/client/v3/login" -H 'Content-Type: application/json' \
    -d "$(jq -cn --arg u "$user" --arg p "$password" \
      '{type:"m.login.password",identifier:{type:"m.id.user",user:$u},password:$p}')" | jq -r .access_token)
  room=$(matrix POST "$base/_matrix/client/v3/createRoom" "$token" \
    "$(jq -cn --arg bot "$bot" '{is_direct:true,preset:"trusted_private_chat",invite:[$bot]}')" | jq -r .room_id)
  local room_path
  room_path=$(jq -rn --arg r "$room" '$r|@uri')

  deadline=$((SECONDS + 20))
  until matrix GET "$base/_matrix/client/v3/rooms/$room_path/joined_members" "$token" \
      | jq -e --arg bot "$bot" '.joined | has($bot)' >/dev/null; do
    ((SECONDS < deadline)) || { echo "FAIL $org: the bot did not join the direct chat"; return 1; }
    sleep 0.2
  done

  question=$(matrix PUT "$base/_matrix/client/v3/rooms/$room_path/send/m.room.message/smoke-$RANDOM$RANDOM" "$token" \
    '{"msgtype":"m.text","body":"!hulp"}' | jq -r .event_id)
  deadline=$((SECONDS + 20))
  while ((SECONDS < deadline)); do
    local reply
    reply=$(matrix GET "$base/_matrix/client/v3/rooms/$room_path/messages?dir=b&limit=20" "$token" \
      | jq -r --arg bot "$bot" --arg q "$question" '
          [.chunk[] | select(.event_id == $q or (.sender == $bot and .type == "m.room.message"))]
          | if .[0].event_id == $q then "" else (.[0].content.msgtype + " " + .[0].content.body) end')
    if [[ $reply == "m.notice "*"!hulp"* ]]; then
      echo "ok   $org: $user logged in from demo.json and the bot answered !hulp"
      CONTROL_ROOM=$room COUNSELLOR_TOKEN=$token
      return 0
    fi
    sleep 0.2
  done
  echo "FAIL $org: no answer to !hulp from $bot"
  return 1
}

# The counsellor asks for a counselling room; the demo client knocks with the code and is let in.
check_room() {
  local base bot body room code client_token room_path deadline
  base=$(jq -r '.organisations.caw.client_url' "$DEMO_JSON")
  bot=$(jq -r '.organisations.caw.bot_user_id' "$DEMO_JSON")
  local control_path
  control_path=$(jq -rn --arg r "$CONTROL_ROOM" '$r|@uri')
  matrix PUT "$base/_matrix/client/v3/rooms/$control_path/send/m.room.message/smoke-new-$RANDOM$RANDOM" \
    "$COUNSELLOR_TOKEN" '{"msgtype":"m.text","body":"!gesprek nieuw"}' >/dev/null
  deadline=$((SECONDS + 20))
  until [[ -n ${body:-} ]]; do
    ((SECONDS < deadline)) || { echo "FAIL caw: no room from !gesprek nieuw"; return 1; }
    body=$(matrix GET "$base/_matrix/client/v3/rooms/$control_path/messages?dir=b&limit=20" "$COUNSELLOR_TOKEN" \
      | jq -r --arg bot "$bot" '[.chunk[] | select(.sender == $bot and (.content.body // "" | contains("Klopcode")))][0].content.body // ""')
    [[ -n $body ]] || sleep 0.2
  done
  room=$(grep -o '![A-Za-z0-9]*:caw\.test' <<<"$body" | head -n1)
  code=$(sed -n 's/.*Klopcode voor de cliënt: \([A-Z0-9-]*\).*/\1/p' <<<"$body" | head -n1)
  room_path=$(jq -rn --arg r "$room" '$r|@uri')
  matrix POST "$base/_matrix/client/v3/join/$room_path" "$COUNSELLOR_TOKEN" '{}' >/dev/null
  client_token=$(curl -fsS -m 10 -X POST "$base/_matrix/client/v3/login" -H 'Content-Type: application/json' \
    -d "$(jq -c '{type:"m.login.password",identifier:{type:"m.id.user",user:.organisations.caw.accounts.client.localpart},password:.organisations.caw.accounts.client.password}' "$DEMO_JSON")" \
    | jq -r .access_token)
  # Informed consent first (the policy requires it): the client tells the bot in a direct chat.
  # Consent is recorded once per client record: on a second run (after the restart test) the bot
  # answers that it is on record already.
  local consent_room consent_path
  consent_room=$(matrix POST "$base/_matrix/client/v3/createRoom" "$client_token" \
    "$(jq -cn --arg bot "$bot" '{is_direct:true,preset:"trusted_private_chat",invite:[$bot]}')" | jq -r .room_id)
  consent_path=$(jq -rn --arg r "$consent_room" '$r|@uri')
  deadline=$((SECONDS + 20))
  until matrix GET "$base/_matrix/client/v3/rooms/$consent_path/joined_members" "$client_token" \
      | jq -e --arg bot "$bot" '.joined | has($bot)' >/dev/null; do
    ((SECONDS < deadline)) || { echo "FAIL caw: the bot did not join the client's chat"; return 1; }
    sleep 0.2
  done
  matrix PUT "$base/_matrix/client/v3/rooms/$consent_path/send/m.room.message/smoke-consent-$RANDOM" \
    "$client_token" '{"msgtype":"m.text","body":"!toestemming geef"}' >/dev/null
  deadline=$((SECONDS + 20))
  until matrix GET "$base/_matrix/client/v3/rooms/$consent_path/messages?dir=b&limit=10" "$client_token" \
      | jq -e '[.chunk[].content.body // "" | (contains("genoteerd") or contains("Je gaf al toestemming"))] | any' >/dev/null; do
    ((SECONDS < deadline)) || { echo "FAIL caw: the client's consent was not recorded"; return 1; }
    sleep 0.2
  done
  matrix POST "$base/_matrix/client/v3/knock/$room_path" "$client_token" "$(jq -cn --arg c "$code" '{reason:$c}')" >/dev/null
  deadline=$((SECONDS + 20))
  until matrix POST "$base/_matrix/client/v3/join/$room_path" "$client_token" '{}' >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { echo "FAIL caw: the client was not let in with code $code"; return 1; }
    sleep 0.3
  done
  echo "ok   caw: !gesprek nieuw made room $room; the client consented, knocked with the code and got in"
  check_client_page "$code"
}

# The link for clients without an app: its page is served, and the code just used is known as used.
check_client_page() {
  local code=$1 bridge page answer
  bridge=$(jq -r '.organisations.caw.bridge_url' "$DEMO_JSON")
  page=$(curl -fsS -m 10 "$bridge/binnen/") || { echo "FAIL caw: the client page $bridge/binnen/ is not served"; return 1; }
  grep -q 'id="screen-consent"' <<<"$page" || { echo "FAIL caw: $bridge/binnen/ is not the client page"; return 1; }
  answer=$(curl -sS -m 10 -X POST "$bridge/_praatbrug/entry/v1/code" -H 'Content-Type: application/json' \
    -d "$(jq -cn --arg c "$code" '{code:$c}')" | jq -r .errcode)
  [[ $answer == BE.PRAATBRUG.CODE_USED ]] || { echo "FAIL caw: the used code's link answers $answer"; return 1; }
  echo "ok   caw: the client page is served and tells that the used link was used"
}

# The organisation's admin signs in to the bridge's admin API the way the admin page does: an OpenID
# token from the homeserver, exchanged at the bridge; then reads the policies and verifies the ledger.
check_admin() {
  local org=$1 base bridge token openid session
  base=$(jq -r ".organisations.$org.client_url" "$DEMO_JSON")
  bridge=$(jq -r ".organisations.$org.bridge_url" "$DEMO_JSON")
  token=$(curl -fsS -m 10 -X POST "$base/_matrix/client/v3/login" -H 'Content-Type: application/json' \
    -d "$(jq -c --arg org "$org" '.organisations[$org].accounts.admin as $a
      | {type:"m.login.password",identifier:{type:"m.id.user",user:$a.localpart},password:$a.password}' "$DEMO_JSON")" \
    | jq -r .access_token)
  openid=$(matrix POST "$base/_matrix/client/v3/user/@admin:$org.test/openid/request_token" "$token" '{}')
  session=$(curl -fsS -m 10 -X POST "$bridge/_praatbrug/admin/v1/login" -H 'Content-Type: application/json' \
    -d "$openid" | jq -r .token) || { echo "FAIL $org: the admin could not sign in to the admin API"; return 1; }
  matrix GET "$bridge/_praatbrug/admin/v1/policies" "$session" | jq -e --arg org "$org" \
    '[.policies[].name] | index($org)' >/dev/null || { echo "FAIL $org: no $org policy in the admin API"; return 1; }
  matrix GET "$bridge/_praatbrug/admin/v1/ledger/verify" "$session" | jq -e .ok >/dev/null \
    || { echo "FAIL $org: the ledger does not verify"; return 1; }
  matrix POST "$base/_matrix/client/v3/logout" "$token" '{}' >/dev/null
  echo "ok   $org: admin signed in to $bridge/admin/ (OpenID), read the policies, ledger verifies"
}

for org in $(jq -r '.organisations | keys[]' "$DEMO_JSON"); do
  if check_org "$org"; then
    passed=$((passed + 1))
    if [[ $org == caw ]]; then
      if check_room; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
    fi
  else
    failed=$((failed + 1))
  fi
  if check_admin "$org"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "smoke: $passed passed, $failed failed"
((failed == 0))
