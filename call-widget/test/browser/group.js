// Browser tests of the group call of a family session (people=3 or 4 in the widget URL, as the
// bridge publishes it for a gezin room): a connection between every pair, names under every video,
// someone leaving and coming back, and an uninvited extra page refused.
import { assert, join, openParticipant } from './participants.js';

/** The widget URL of a family session's call, as the bridge publishes it: its size and its counsellor. */
export function group(env, people = 3) {
  return `&people=${people}&counsellor=${encodeURIComponent(env.users.counsellor.userId)}`;
}

/** The tiles of the other people in one widget: name, connection state, frames decoded. */
export async function tiles(participant) {
  return participant.widgetFrame().evaluate(() => [...document.querySelectorAll('.tile.peer')].map((tile) => ({
    name: tile.querySelector('.peer-name').textContent,
    state: tile.dataset.state,
    frames: Number(tile.dataset.framesDecoded),
  })));
}

/** Waits until `participant` sees exactly `names` connected, each with video decoded. */
export async function seesEveryone(participant, names, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  let last = [];
  while (Date.now() < deadline) {
    last = await tiles(participant);
    const connected = last.filter((tile) => tile.state === 'connected' && tile.frames > 0).map((tile) => tile.name).sort();
    if (last.length === names.length && JSON.stringify(connected) === JSON.stringify([...names].sort())) {
      return last;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${participant.who} sees ${JSON.stringify(last)}, not ${names.join(', ')} with video`);
}

export async function openGroup(browser, env, who, extra = group(env), options = {}) {
  const people = [];
  try {
    for (const name of who) {
      people.push(await openParticipant(browser, env, name, { widgetExtra: extra, ...options }));
    }
    return people;
  } catch (error) {
    await Promise.all(people.map((person) => person.close()));
    throw error;
  }
}

/** Everyone in `people` sees everyone else connected with video: every pair decodes frames. */
export async function everyPairConnected(env, people) {
  for (const person of people) {
    await seesEveryone(person, people.filter((other) => other !== person).map((other) => env.users[other.who].name));
  }
}

export function groupTests(test, { shot }) {
  test('three people in a family call: every pair has its own connection with video, names under each', async (browser, env) => {
    const people = await openGroup(browser, env, ['counsellor', 'client', 'parent']);
    try {
      for (const person of people) {
        await join(person);
      }
      await everyPairConnected(env, people);
      // Frames keep coming on every pair.
      const before = await tiles(people[0]);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const after = await tiles(people[0]);
      for (const tile of after) {
        const earlier = before.find((t) => t.name === tile.name);
        assert(tile.frames > earlier.frames + 10, `${tile.name}: frames ${earlier.frames} -> ${tile.frames}`);
      }
      const layout = await people[0].widgetFrame().evaluate(() => {
        const stage = document.querySelector('.stage');
        return { mesh: stage.classList.contains('mesh'), people: stage.dataset.people };
      });
      assert(layout.mesh && layout.people === '3', `layout ${JSON.stringify(layout)}`);
      await shot(people[0], 'group-counsellor');
    } finally {
      await Promise.all(people.map((person) => person.close()));
    }
  });

  test('in a family call one leaves and comes back; the others stay connected meanwhile', async (browser, env) => {
    const people = await openGroup(browser, env, ['counsellor', 'client', 'parent']);
    const [counsellor, client, parent] = people;
    try {
      for (const person of people) {
        await join(person);
      }
      await everyPairConnected(env, people);
      await parent.frame.locator('#hang-up').click();
      await parent.frame.locator('#screen-ended:not([hidden])').waitFor({ timeout: 10_000 });
      await seesEveryone(counsellor, [env.users.client.name]);
      await seesEveryone(client, [env.users.counsellor.name]);
      await counsellor.frame.locator('[data-notice=peerLeft]').waitFor({ timeout: 10_000 });
      await parent.frame.locator('#rejoin').click();
      await everyPairConnected(env, people);
    } finally {
      await Promise.all(people.map((person) => person.close()));
    }
  });

  test('a fourth, uninvited page is refused from a family call of three and the three are told', async (browser, env) => {
    const people = await openGroup(browser, env, ['counsellor', 'client', 'parent']);
    const stranger = await openParticipant(browser, env, 'stranger', { widgetExtra: group(env) });
    try {
      for (const person of people) {
        await join(person);
      }
      await everyPairConnected(env, people);
      await join(stranger);
      await stranger.frame.locator('#screen-refused:not([hidden])').waitFor({ timeout: 10_000 });
      for (const person of people) {
        await person.frame.locator('[data-notice=groupFull]').waitFor({ timeout: 10_000 });
      }
      const notice = await people[0].frame.locator('[data-notice=groupFull]').textContent();
      assert(notice.includes(env.users.stranger.name), `notice: ${notice}`);
      // Nobody's call was disturbed, and nobody has a tile of the stranger.
      await everyPairConnected(env, people);
      await shot(stranger, 'group-refused-fourth');
    } finally {
      await Promise.all([...people, stranger].map((person) => person.close()));
    }
  });

  test('four people fit when the policy says four, on a phone-sized page too', async (browser, env) => {
    const people = await openGroup(browser, env, ['counsellor', 'client', 'parent'], group(env, 4));
    const phone = await openParticipant(browser, env, 'stranger', { widgetExtra: group(env, 4), viewport: { width: 390, height: 800 } });
    const all = [...people, phone];
    try {
      for (const person of all) {
        await join(person);
      }
      await everyPairConnected(env, all);
      const columns = await phone.widgetFrame().evaluate(() => getComputedStyle(document.querySelector('.stage')).gridTemplateColumns.split(' ').length);
      assert(columns === 1, `a phone shows ${columns} columns`);
      await shot(phone, 'group-four-phone');
      await shot(people[0], 'group-four-desktop');
    } finally {
      await Promise.all(all.map((person) => person.close()));
    }
  });

  test('the counsellor takes someone out of a family call: they leave it, the others go on', async (browser, env) => {
    const counsellor = await openParticipant(browser, env, 'counsellor', { widgetExtra: `${group(env)}&moderator=true` });
    const others = await openGroup(browser, env, ['client', 'parent']);
    const [client, parent] = others;
    const people = [counsellor, ...others];
    try {
      for (const person of people) {
        await join(person);
      }
      await everyPairConnected(env, people);
      // Only the counsellor's widget has the button.
      assert(await client.frame.locator('.remove-peer').count() === 0, 'a client can take people out');
      await counsellor.frame.locator(`.tile.peer:has-text("${env.users.parent.name}") .remove-peer`).click();
      await parent.frame.locator('#screen-ended:not([hidden])').waitFor({ timeout: 10_000 });
      const text = await parent.frame.locator('#ended-text').textContent();
      assert(text.includes('hulpverlener'), `the parent reads: ${text}`);
      await seesEveryone(counsellor, [env.users.client.name]);
      await seesEveryone(client, [env.users.counsellor.name]);
      await shot(parent, 'group-removed');
    } finally {
      await Promise.all(people.map((person) => person.close()));
    }
  });
}
