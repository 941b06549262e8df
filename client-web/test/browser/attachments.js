// Files in the conversation, in the browser: a picture from the client page opens on the
// counsellor page and a PDF the other way, end-to-end encrypted (only ciphertext on Synapse); files
// from another Matrix client (matrix-js-sdk in Node, sending the way Element does) show on the page
// and the page's files open there; a too-large or wrong file is refused with a Dutch message.
// Registered into run.js's list.
import { decryptAttachment, encryptAttachment } from 'matrix-encrypt-attachment';
import { assert, until } from './checks.js';
import { openDeskRoom, signInToDesk } from './desk-helpers.js';
import { matrix } from './environment.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

async function download(env, token, mxc) {
  const [, server, id] = /^mxc:\/\/([^/]+)\/(.+)$/.exec(mxc);
  const response = await fetch(`${env.hs}/_matrix/client/v1/media/download/${encodeURIComponent(server)}/${id}`,
    { headers: { Authorization: `Bearer ${token}` } });
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
}

export function registerAttachmentTests(test, h) {
  const { state, PHONE, SHOTS } = h;

  test('a picture from the client page opens on the counsellor page and a PDF the other way, end-to-end encrypted; a too-large file is refused', async ({ browser, env, counsellor }) => {
    state.dm ??= await counsellor.directChatWithBot();
    const session = await h.newSession(counsellor, state.dm);
    const phone = await browser.newContext(PHONE);
    const desk = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'nl-BE' });
    try {
      const page = await phone.newPage();
      await page.route('**/_praatbrug/entry/**', (route) => route.continue({
        headers: { ...route.request().headers(), 'x-forwarded-for': '198.51.100.201' },
      }));
      h.keepConsole(page, 'attachments-client');
      await page.goto(session.link);
      await h.consent(page, { name: 'Lotte' });
      await page.locator('#screen-chat:not([hidden])').waitFor({ timeout: 60_000 });
      const guest = await h.stored(page);

      const counsellorPage = await desk.newPage();
      h.keepConsole(counsellorPage, 'attachments-counsellor');
      await counsellorPage.goto(`${env.bridgeUrl}/binnen/counsellor.html`);
      await signInToDesk(counsellorPage, env.users.counsellor);
      await openDeskRoom(counsellorPage, session.roomId);

      // The client sends a photo of a letter; the counsellor page shows it, decrypted.
      await page.setInputFiles('#attach', { name: 'brief-van-school.png', mimeType: 'image/png', buffer: PNG });
      const picture = counsellorPage.locator('.message.theirs img.attachment');
      await picture.waitFor({ timeout: 30_000 });
      await until('the picture decoded', async () => picture.evaluate((img) => img.complete && img.naturalWidth === 1), 15_000);
      assert((await picture.getAttribute('alt')).includes('brief-van-school.png'), 'the picture has no name');

      // The other Matrix client (as Element does) reads the page's picture: same bytes after decryption.
      const sent = await counsellor.waitForEvent(session.roomId, (e) => e.getSender() === guest.userId
        && e.getContent().msgtype === 'm.image', 'the client picture');
      assert(sent.isEncrypted(), 'the picture event was not encrypted');
      const content = sent.getContent();
      assert(!content.url && content.file?.url, 'the picture is not an encrypted attachment');
      const stored = await download(env, env.users.counsellor.token, content.file.url);
      assert(stored.status === 200 && !stored.bytes.equals(PNG), 'Synapse holds the plain picture');
      const opened = Buffer.from(await decryptAttachment(stored.bytes.buffer.slice(stored.bytes.byteOffset,
        stored.bytes.byteOffset + stored.bytes.length), content.file));
      assert(opened.equals(PNG), 'the picture decrypts to other bytes');

      // The counsellor page sends a PDF (a bill); the client page opens it, decrypted.
      await counsellorPage.setInputFiles('#attach', { name: 'rekening.pdf', mimeType: 'application/pdf', buffer: PDF });
      const open = page.locator('.message.theirs .attachment-open', { hasText: 'rekening.pdf' });
      await open.waitFor({ timeout: 30_000 });
      const [file] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), open.click()]);
      const path = await file.path();
      const { readFileSync } = await import('node:fs');
      assert(readFileSync(path).equals(PDF), 'the PDF opened on the client page differs');

      // A file from another Matrix client, encrypted the way Element does it, shows on the page.
      const { data, info } = await encryptAttachment(new Uint8Array(PNG).buffer);
      const upload = await counsellor.client.uploadContent(Buffer.from(data), { type: 'application/octet-stream', includeFilename: false });
      await counsellor.client.sendMessage(session.roomId, {
        msgtype: 'm.image', body: 'foto-uit-element.png', info: { mimetype: 'image/png', size: PNG.length, w: 1, h: 1 },
        file: { ...info, url: upload.content_uri, mimetype: 'image/png' },
      });
      const fromElement = page.locator('.message.theirs img.attachment[alt*="foto-uit-element.png"]');
      await fromElement.waitFor({ timeout: 30_000 });
      await until('the other client\'s picture decoded', async () => fromElement.evaluate((img) => img.naturalWidth === 1), 15_000);

      // Too large, or not a picture or PDF: refused on the page with a Dutch message, nothing sent.
      const before = await counsellorPage.locator('.message').count();
      await page.setInputFiles('#attach', { name: 'scan.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(10_000_001, 1) });
      await page.locator('#attach-status:not([hidden])', { hasText: 'te groot' }).waitFor({ timeout: 10_000 });
      assert((await page.locator('#attach-status').textContent()).includes('10 MB'), 'the limit is not named');
      await page.screenshot({ path: `${SHOTS}attachment-too-large.png` });
      await page.setInputFiles('#attach', { name: 'notities.txt', mimeType: 'text/plain', buffer: Buffer.from('x') });
      await page.locator('#attach-status', { hasText: 'Dit soort bestand' }).waitFor({ timeout: 10_000 });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert(await counsellorPage.locator('.message').count() === before, 'a refused file reached the counsellor');

      // On the server: only encrypted messages, no file name in the clear.
      const { chunk } = await matrix(env.hs, 'GET',
        `/_synapse/admin/v1/rooms/${encodeURIComponent(session.roomId)}/messages?dir=b&limit=200`, env.asToken);
      assert(!chunk.some((e) => e.type === 'm.room.message'), 'a plaintext message is on the server');
      assert(!JSON.stringify(chunk).includes('rekening.pdf'), 'a file name is readable on the server');
      await counsellorPage.screenshot({ path: `${SHOTS}attachment-counsellor-page.png` });
      await page.screenshot({ path: `${SHOTS}attachment-client-page.png` });
      return 'picture, PDF, Element-style picture, two refusals';
    } finally {
      await desk.close();
      await phone.close();
    }
  });
}
