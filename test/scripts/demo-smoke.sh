#!/usr/bin/env bash
# demo-smoke.sh var/demo.json — checks the README's promise with nothing but curl and jq: the demo's
# counsellors can log in with the accounts in var/demo.json, open a direct chat with their
# organisation's bot, and get !hulp answered; a room and the door work; each admin can sign in to
# their bridge's admin API.
# Prints "smoke: N passed, N failed".
set -euo pipefail

DEMO_JSON=${1:?usage: demo-smoke.sh path/to/demo.json}
passed=0 failed=0

# Staff sign in through the organisation's Keycloak with password and one-time code, as in a browser.
staff_token() { # ORG ROLE
  jq -r --arg org "$1" --arg role "$2" '.organisations[$org] as $o | $o.accounts[$role] as $a
    | [$o.client_url, $o.counsellor_page_url, $a.localpart, $a.password, $a.otp_secret] | @tsv' "$DEMO_JSON" |
    { IFS=$'\t' read -r hs page user password otp
      python3 "$(dirname "${BASH_SOURCE[0]}")/sso-login.py" "$hs" "$page" "$user" "$password" "$otp"; } | jq -r .access_token
}

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

  # Password sign-in is off for staff: the homeserver says so.
  if curl -sS -m 10 -X POST "$base/_matrix/client/v3/login" -H 'Content-Type: application/json' \
      -d "$(jq -cn --arg u "$user" --arg p "$password" '{type:"m.login.password",identifier:{type:"m.id.user",user:$u},password:$p}')" |
      jq -e .access_token >/dev/null; then
    echo "FAIL $org: the homeserver took the counsellor's password"; return 1
  fi
  token=$(staff_token "$org" counsellor)
  [[ -n $token && $token != null ]] || { echo "FAIL $org: the counsellor could not sign in through Keycloak"; return 1; }
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
  # The demo's client account has no password sign-in either (the homeserver takes none): a
  # server admin (the bot) makes her a token, as an operator would.
  local as_token
  as_token=$(sed -n 's/^as_token: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$(dirname "$DEMO_JSON")/demo/caw/registration.yaml")
  client_token=$(matrix POST "$base/_synapse/admin/v1/users/$(jq -rn --arg u "$(jq -r .organisations.caw.accounts.client.user_id "$DEMO_JSON")" '$u|@uri')/login" \
    "$as_token" '{}' | jq -r .access_token)
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
  token=$(staff_token "$org" admin)
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

# The bot's latest answer in the counsellor's chat that contains TEXT (waits up to 20 s).
bot_answer() { # TEXT
  local base bot control_path body deadline
  base=$(jq -r '.organisations.caw.client_url' "$DEMO_JSON")
  bot=$(jq -r '.organisations.caw.bot_user_id' "$DEMO_JSON")
  control_path=$(jq -rn --arg r "$CONTROL_ROOM" '$r|@uri')
  deadline=$((SECONDS + 20))
  while ((SECONDS < deadline)); do
    body=$(matrix GET "$base/_matrix/client/v3/rooms/$control_path/messages?dir=b&limit=10" "$COUNSELLOR_TOKEN" \
      | jq -r --arg bot "$bot" --arg t "$1" '[.chunk[] | select(.sender == $bot and (.content.body // "" | contains($t)))][0].content.body // ""')
    [[ -n $body ]] && { printf '%s' "$body"; return 0; }
    sleep 0.2
  done
  return 1
}

say() { # TEXT — the counsellor types TEXT in her chat with the bot
  local base control_path
  base=$(jq -r '.organisations.caw.client_url' "$DEMO_JSON")
  control_path=$(jq -rn --arg r "$CONTROL_ROOM" '$r|@uri')
  matrix PUT "$base/_matrix/client/v3/rooms/$control_path/send/m.room.message/smoke-say-$RANDOM$RANDOM" \
    "$COUNSELLOR_TOKEN" "$(jq -cn --arg b "$1" '{msgtype:"m.text",body:$b}')" >/dev/null
}

# The door: someone without a link takes a place in the line, the counsellor on duty takes them, and
# their browser's device (handed over by the bridge) comes into the room.
check_door() {
  local base bridge status version entered ticket number taken room token room_path deadline
  base=$(jq -r '.organisations.caw.client_url' "$DEMO_JSON")
  bridge=$(jq -r '.organisations.caw.bridge_url' "$DEMO_JSON")
  say '!deur dienst aan'
  bot_answer 'Je hebt deurdienst' >/dev/null || { echo "FAIL caw: no answer to !deur dienst aan"; return 1; }
  status=$(curl -fsS -m 10 "$bridge/_praatbrug/door/v1/status")
  jq -e .open <<<"$status" >/dev/null || { echo "FAIL caw: the door is not open with a counsellor on duty: $status"; return 1; }
  version=$(jq -r .consent.version <<<"$status")
  entered=$(curl -fsS -m 10 -X POST "$bridge/_praatbrug/door/v1/enter" -H 'Content-Type: application/json' \
    -d "$(jq -cn --arg v "$version" '{nickname:"Rookproef",consent_version:$v,language:"nl"}')") \
    || { echo "FAIL caw: no place in the door's line"; return 1; }
  ticket=$(jq -r .ticket <<<"$entered") number=$(jq -r .number <<<"$entered")
  say "!deur opnemen $number"
  taken=$(bot_answer "Opgenomen: nr. $number (") || { echo "FAIL caw: no answer to !deur opnemen $number"; return 1; }
  room=$(grep -o '![A-Za-z0-9]*:caw\.test' <<<"$taken" | head -n1)
  deadline=$((SECONDS + 20))
  until [[ -n ${token:-} && $token != null ]]; do
    ((SECONDS < deadline)) || { echo "FAIL caw: the taken ticket handed over no device"; return 1; }
    token=$(curl -fsS -m 10 -X POST "$bridge/_praatbrug/door/v1/ticket" -H 'Content-Type: application/json' \
      -d "$(jq -cn --arg t "$ticket" '{ticket:$t}')" | jq -r '.access_token // empty')
    [[ -n $token ]] || sleep 0.3
  done
  room_path=$(jq -rn --arg r "$room" '$r|@uri')
  matrix POST "$base/_matrix/client/v3/join/$room_path" "$COUNSELLOR_TOKEN" '{}' >/dev/null
  matrix POST "$base/_matrix/client/v3/join/$room_path" "$token" '{}' >/dev/null \
    || { echo "FAIL caw: the person from the door could not come into $room"; return 1; }
  say "!gesprek einde $room"
  say '!deur dienst uit'
  echo "ok   caw: door: nr. $number waited without a link, was taken with !deur opnemen and came into $room"
}

for org in $(jq -r '.organisations | keys[]' "$DEMO_JSON"); do
  if check_org "$org"; then
    passed=$((passed + 1))
    if [[ $org == caw ]]; then
      if check_room; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
      if check_door; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
    fi
  else
    failed=$((failed + 1))
  fi
  if check_admin "$org"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "smoke: $passed passed, $failed failed"
((failed == 0))
