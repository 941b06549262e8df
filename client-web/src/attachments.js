import { decryptAttachment, encryptAttachment } from 'matrix-encrypt-attachment';

/**
 * Files in the conversation, end to end encrypted the Matrix way (AES-CTR key, IV and SHA-256 in
 * the encrypted event, only ciphertext on the homeserver), as Element does, so files go both ways
 * between these pages and Element. Limits (size, types) come from the room's policy through the
 * bridge; every upload is registered with the bridge, which deletes it with the room's messages.
 * Decrypted files live in this tab's memory only (object URLs), never in browser storage.
 */

/** Images shown inline; anything else (PDF) is opened on request. SVG never: it can hold script. */
export const INLINE_IMAGES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'];

/** Why a file may not be sent (a text key and its values), or null when it may. */
export function refusal(file, limits) {
  if (!limits || limits.max_bytes <= 0) {
    return { key: 'attachOff' };
  }
  if (!limits.types.includes(file.type)) {
    const photos = limits.types.filter((type) => type.startsWith('image/'))
      .map((type) => type.slice('image/'.length).toUpperCase()).join(', ');
    return { key: 'attachWrongType', values: { types: photos || '—' } };
  }
  if (file.size > limits.max_bytes) {
    return { key: 'attachTooLarge', values: { max: Math.floor(limits.max_bytes / 1_000_000) } };
  }
  if (file.size === 0) {
    return { key: 'attachEmpty' };
  }
  return null;
}

/** The room's limits from the bridge; on failure, files are off (never unlimited). */
export async function fetchLimits(baseUri, roomId) {
  try {
    const response = await fetch(new URL(`../_praatbrug/media/v1/limits?room_id=${encodeURIComponent(roomId)}`, baseUri));
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

/** Encrypts, uploads, registers with the bridge and sends one file as an encrypted event. */
export async function sendFile({ client, account, baseUri, file }) {
  const { data, info } = await encryptAttachment(await file.arrayBuffer());
  const upload = await client.uploadContent(new Blob([data]), {
    type: 'application/octet-stream', includeFilename: false,
  });
  const registered = await fetch(new URL('../_praatbrug/media/v1/files', baseUri), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${account.accessToken}` },
    body: JSON.stringify({ room_id: account.roomId, content_uri: upload.content_uri }),
  });
  if (!registered.ok) {
    throw new Error(`registering the file failed: HTTP ${registered.status}`);
  }
  const name = file.name || 'bestand';
  const image = INLINE_IMAGES.includes(file.type);
  await client.sendMessage(account.roomId, {
    msgtype: image ? 'm.image' : 'm.file',
    body: name,
    filename: name,
    info: { mimetype: file.type, size: file.size },
    file: { ...info, url: upload.content_uri, mimetype: file.type },
  });
}

/** Whether a message content is a file (ours or Element's). */
export function isFile(content) {
  return ['m.image', 'm.file'].includes(content?.msgtype) && Boolean(content.file?.url || content.url);
}

/** Downloads and decrypts a file; a Blob of its declared type. Throws when it is gone. */
export async function loadFile({ homeserver, accessToken, content }) {
  const url = content.file?.url ?? content.url;
  const match = /^mxc:\/\/([^/]+)\/([A-Za-z0-9_-]+)$/.exec(url ?? '');
  if (!match) {
    throw new Error('not an mxc URL');
  }
  const response = await fetch(`${homeserver}/_matrix/client/v1/media/download/${encodeURIComponent(match[1])}/${match[2]}`,
    { headers: { Authorization: `Bearer ${accessToken}` } });
  if (!response.ok) {
    throw new Error(`download failed: HTTP ${response.status}`);
  }
  const bytes = await response.arrayBuffer();
  const plain = content.file ? await decryptAttachment(bytes, content.file) : bytes;
  const type = content.info?.mimetype ?? content.file?.mimetype ?? 'application/octet-stream';
  return new Blob([plain], { type });
}
