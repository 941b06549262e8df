// A minimal application service on npm matrix-appservice that applies one rule only: a room holds
// two people besides the bot, and a third who joins is kicked. It is the peer the bridge's removal
// latency is measured beside (issue #21; KickPeerHarness): the least an appservice can do between a
// join and its kick, written the way a small JS bridge would be.
//
// node one-to-one-peer.mjs --port P --hs-token T --as-token A --homeserver URL --bot @bot:domain
import { AppService } from 'matrix-appservice';

const options = Object.fromEntries(process.argv.slice(2).reduce((pairs, word, index, words) =>
  (word.startsWith('--') ? [...pairs, [word.slice(2), words[index + 1]]] : pairs), []));
for (const name of ['port', 'hs-token', 'as-token', 'homeserver', 'bot']) {
  if (!options[name]) {
    console.error(`missing --${name}`);
    process.exit(2);
  }
}

/** Room id → the people joined in it (without the bot), in the order they joined. */
const joined = new Map();

async function matrix(method, path, body) {
  const response = await fetch(`${options.homeserver}/_matrix/client/v3${path}`, {
    method,
    headers: { Authorization: `Bearer ${options['as-token']}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  }
  return response.json();
}

/** The room's members, read once from the homeserver and then kept up to date from its events. */
async function membersOf(roomId) {
  if (!joined.has(roomId)) {
    const { joined: members } = await matrix('GET', `/rooms/${encodeURIComponent(roomId)}/joined_members`);
    joined.set(roomId, Object.keys(members).filter((user) => user !== options.bot));
  }
  return joined.get(roomId);
}

const service = new AppService({ homeserverToken: options['hs-token'] });
service.on('type:m.room.member', (event) => {
  void (async () => {
    const user = event.state_key;
    if (user === options.bot) {
      return;
    }
    const members = await membersOf(event.room_id);
    // A first read of the room already lists the person who just joined: count the others.
    const others = members.filter((member) => member !== user);
    if (event.content.membership === 'join' && others.length >= 2) {
      await matrix('POST', `/rooms/${encodeURIComponent(event.room_id)}/kick`,
        { user_id: user, reason: 'one-to-one room' });
    }
    joined.set(event.room_id, event.content.membership === 'join' && others.length < 2 ? [...others, user] : others);
  })().catch((error) => console.error('peer:', error.message));
});
await service.listen(Number(options.port), '127.0.0.1');
console.log(`peer listening on ${options.port}`);
