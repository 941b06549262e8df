#!/usr/bin/env bash
# demo-smoke.sh var/demo.json — checks the README's promise with nothing but curl and jq: the demo's
# counsellors can log in with the accounts in var/demo.json, open a direct chat with their
# organisation's bot, and get !hulp answered. Prints "smoke: N passed, N failed".
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
      return 0
    fi
    sleep 0.2
  done
  echo "FAIL $org: no answer to !hulp from $bot"
  return 1
}

for org in $(jq -r '.organisations | keys[]' "$DEMO_JSON"); do
  if check_org "$org"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "smoke: $passed passed, $failed failed"
((failed == 0))
