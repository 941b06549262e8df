#!/usr/bin/env bash
# demo-appointment.sh var/demo.json — the appointment walk of #19 against the running demo
# (`./praatbrug demo --background` first): caw's counsellor plans a session for tomorrow 10:00
# with the bot, the client's link opens in Chromium and shows it with a calendar file whose start is
# checked, and a second session planned 11 to 12 minutes ahead reminds her in her chat when it is
# 10 minutes away (the shipped policy). Both are cancelled at the end. Takes about two minutes.
# Prints each step with its timing and "appointment walk: ok" at the end.
set -euo pipefail

DEMO_JSON=${1:?usage: demo-appointment.sh path/to/demo.json}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)

fail() { echo "FAIL $*"; exit 1; }
matrix() { # METHOD URL TOKEN [BODY]
  if [[ -n ${4:-} ]]; then
    curl -fsS -m 10 -X "$1" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' -d "$4" "$2"
  else
    curl -fsS -m 10 -X "$1" -H "Authorization: Bearer $3" "$2"
  fi
}

base=$(jq -r .organisations.caw.client_url "$DEMO_JSON")
bot=$(jq -r .organisations.caw.bot_user_id "$DEMO_JSON")
bridge=$(jq -r .organisations.caw.bridge_url "$DEMO_JSON")
token=$(jq -r '.organisations.caw as $o | $o.accounts.counsellor as $a
    | [$o.client_url, $o.counsellor_page_url, $a.localpart, $a.password, $a.otp_secret] | @tsv' "$DEMO_JSON" |
  { IFS=$'\t' read -r hs page user password otp; python3 "$HERE/sso-login.py" "$hs" "$page" "$user" "$password" "$otp"; } |
  jq -r .access_token)
[[ -n $token && $token != null ]] || fail "the counsellor could not sign in"

room=$(matrix POST "$base/_matrix/client/v3/createRoom" "$token" \
  "$(jq -cn --arg bot "$bot" '{is_direct:true,preset:"trusted_private_chat",invite:[$bot]}')" | jq -r .room_id)
room_path=$(jq -rn --arg r "$room" '$r|@uri')
deadline=$((SECONDS + 20))
until matrix GET "$base/_matrix/client/v3/rooms/$room_path/joined_members" "$token" | jq -e --arg bot "$bot" '.joined | has($bot)' >/dev/null; do
  ((SECONDS < deadline)) || fail "the bot did not join her chat"
  sleep 0.2
done

# Sends a command and prints the bot's first notice after it that contains TEXT.
ask() { # COMMAND TEXT
  local asked body
  asked=$(matrix PUT "$base/_matrix/client/v3/rooms/$room_path/send/m.room.message/walk-$RANDOM$RANDOM" "$token" \
    "$(jq -cn --arg b "$1" '{msgtype:"m.text",body:$b}')" | jq -r .event_id)
  deadline=$((SECONDS + 20))
  while ((SECONDS < deadline)); do
    body=$(matrix GET "$base/_matrix/client/v3/rooms/$room_path/messages?dir=b&limit=30" "$token" | jq -r \
      --arg bot "$bot" --arg q "$asked" --arg t "$2" '[.chunk[] | select(.event_id == $q or (.sender == $bot
        and (.content.body // "" | contains($t))))] | if .[0].event_id == $q then "" else .[0].content.body end')
    [[ -n $body ]] && { printf '%s\n' "$body"; return 0; }
    sleep 0.3
  done
  fail "no answer with '$2' to '$1'"
}

# 1. A session tomorrow at 10:00: the link shows it, with a calendar file.
tomorrow=$(ask '!afspraak morgen 10:00 45m' 'Afspraak gepland')
link=$(grep -o 'http[^ ]*/binnen/#[A-Z0-9]*' <<<"$tomorrow" | head -n1)
tomorrow_room=$(sed -n "s/.*Afspraak gepland: .* in '\([a-z-]*\)'.*/\1/p" <<<"$tomorrow" | head -n1)
[[ -n $link && -n $tomorrow_room ]] || fail "no link or room in: $tomorrow"
echo "ok   planned for tomorrow 10:00 in '$tomorrow_room'"
secret=${link##*#}
answer=$(curl -sS -m 10 -X POST "$bridge/_praatbrug/entry/v1/code" -H 'Content-Type: application/json' \
  -d "$(jq -cn --arg c "$secret" '{code:$c}')")
[[ $(jq -r .errcode <<<"$answer") == BE.PRAATBRUG.APPOINTMENT_NOT_YET ]] || fail "the link answers $answer"
echo "ok   the link is closed until 15 minutes before: $(jq -c .appointment <<<"$answer")"
# The script is JavaScript, single-quoted on purpose: LINK comes in through the environment.
# shellcheck disable=SC2016
(cd "$REPO/client-web" && LINK=$link node --input-type=module -e '
  import { chromium } from "playwright-core";
  import ICAL from "ical.js";
  import { readFileSync } from "node:fs";
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox",
    "--disable-background-networking", "--disable-component-update"] });
  const context = await browser.newContext({ viewport: { width: 390, height: 760 }, acceptDownloads: true, locale: "nl-BE" });
  const page = await context.newPage();
  await page.goto(process.env.LINK);
  await page.locator("#screen-appointment:not([hidden])").waitFor({ timeout: 30_000 });
  const when = await page.locator("#appointment-when").textContent();
  const left = await page.locator("#appointment-countdown").textContent();
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#appointment-ics")]);
  const event = new ICAL.Event(new ICAL.Component(ICAL.parse(readFileSync(await download.path(), "utf8"))).getFirstSubcomponent("vevent"));
  const start = new Intl.DateTimeFormat("nl-BE", { timeZone: "Europe/Brussels", dateStyle: "full", timeStyle: "short" })
    .format(event.startDate.toJSDate());
  await browser.close();
  if (!/ om 10:00\.$/.test(when) || !start.endsWith("10:00")) { console.log(`FAIL page "${when}", .ics ${start}`); process.exit(1); }
  console.log(`ok   the client page says "${when}" (${left}); ${download.suggestedFilename()} starts ${start} in Brussels`);
') || exit 1

# 2. A session 11 to 12 minutes from now: the reminder comes when it is 10 minutes away.
start=$(TZ=Europe/Brussels date -d '+11 min +59 sec' '+%d/%m %H:%M')
soon=$(ask "!afspraak $start 15m" 'Afspraak gepland')
soon_room=$(sed -n "s/.*Afspraak gepland: .* in '\([a-z-]*\)'.*/\1/p" <<<"$soon" | head -n1)
due=$(( $(TZ=Europe/Brussels date -d "$(date +%Y)-${start:3:2}-${start:0:2} ${start:6}" +%s) - 600 ))
echo "ok   planned for $start in '$soon_room'; the reminder is due at $(TZ=Europe/Brussels date -d "@$due" +%T) (Brussels)"
deadline=$((due + 60))
while :; do
  reminder=$(matrix GET "$base/_matrix/client/v3/rooms/$room_path/messages?dir=b&limit=30" "$token" | jq -r \
    --arg bot "$bot" --arg r "$soon_room" '[.chunk[] | select(.sender == $bot and (.content.body // "" | startswith("⏰"))
      and (.content.body | contains($r)))][0] | if . == null then "" else "\(.origin_server_ts) \(.content.body)" end')
  [[ -n $reminder ]] && break
  (($(date +%s) < deadline)) || fail "no reminder by $(TZ=Europe/Brussels date -d "@$deadline" +%T) (Brussels)"
  sleep 1
done
echo "ok   reminded $(( ${reminder%% *} - due * 1000 )) ms after it fell due: ${reminder#* }"

ask "!afspraak annuleer $tomorrow_room" 'geannuleerd' >/dev/null
ask "!afspraak annuleer $soon_room" 'geannuleerd' >/dev/null
echo "ok   both cancelled"
echo "appointment walk: ok"
