// After Vite: draws the app icons as PNG (phones want PNG icons to install a web app; drawn here
// so no binary sits in the repository), then writes files.txt, the list of every file the bridge
// may serve (it cannot list a folder inside a jar).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { OUT_DIR } from './paths.js';
import { writeFileList } from '../../web-common/scripts/file-list.js';

/** The same picture as public/icon.svg: two speech bubbles on a rounded green square. */
function pixel(x, y, size) {
  const s = size / 512;
  const inside = (cx, cy, r) => (x - cx * s) ** 2 + (y - cy * s) ** 2 <= (r * s) ** 2;
  const radius = 96 * s;
  const cornerX = Math.min(x, size - 1 - x);
  const cornerY = Math.min(y, size - 1 - y);
  if (cornerX < radius && cornerY < radius && (radius - cornerX) ** 2 + (radius - cornerY) ** 2 > radius ** 2) {
    return [0, 0, 0, 0];
  }
  if (inside(200, 230, 110)) return [255, 255, 255, 255];
  if (inside(330, 290, 95)) return [214, 240, 226, 255];
  return [11, 110, 79, 255];
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
function png(size) {
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0; // no filter
    for (let x = 0; x < size; x++) {
      Buffer.from(pixel(x, y, size)).copy(rows, y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

for (const size of [192, 512]) {
  writeFileSync(join(OUT_DIR, `icon-${size}.png`), png(size));
}

writeFileList(OUT_DIR);
