// Draws media/icon.png (128x128, the Marketplace icon): a rust-coloured rounded
// square with a white gear and a check mark. Shapes are signed distance functions,
// sampled 4x4 per pixel for anti-aliasing; the PNG is written with node's zlib, so
// the icon can be regenerated anywhere: `node scripts/make-icon.mjs`.
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { dirname, join } from 'node:path';

const SIZE = 128;
const SAMPLES = 4;
const root = dirname(dirname(new URL(import.meta.url).pathname));

const roundedSquare = (x, y, half, r) => {
  const qx = Math.abs(x) - half + r;
  const qy = Math.abs(y) - half + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};

// A gear ring: 8 rounded teeth on a ring between radii 26 and 38.
const gear = (x, y) => {
  const r = Math.hypot(x, y);
  const angle = Math.atan2(y, x);
  const tooth = Math.max(0, Math.cos(8 * angle)) ** 0.35;
  const outer = 38 + 8 * tooth;
  return Math.max(r - outer, 26 - r);
};

const segment = (x, y, ax, ay, bx, by) => {
  const px = x - ax, py = y - ay, dx = bx - ax, dy = by - ay;
  const t = Math.min(1, Math.max(0, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - t * dx, py - t * dy);
};

const check = (x, y) => Math.min(segment(x, y, -13, 1, -4, 11), segment(x, y, -4, 11, 14, -10)) - 5;

function colorAt(x, y) {
  // Coordinates centred on the icon.
  const cx = x - SIZE / 2, cy = y - SIZE / 2;
  if (roundedSquare(cx, cy, 62, 22) > 0) return [0, 0, 0, 0];
  if (gear(cx, cy) <= 0 || check(cx, cy) <= 0) return [255, 255, 255, 255];
  const t = y / SIZE; // top-to-bottom gradient, orange to rust
  return [Math.round(226 - 70 * t), Math.round(110 - 55 * t), Math.round(40 - 25 * t), 255];
}

function render() {
  const rows = [];
  for (let y = 0; y < SIZE; y++) {
    const row = Buffer.alloc(1 + SIZE * 4); // filter byte 0 (none), then RGBA
    for (let x = 0; x < SIZE; x++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const c = colorAt(x + (sx + 0.5) / SAMPLES, y + (sy + 0.5) / SAMPLES);
          // Premultiply so transparent samples do not darken the edge.
          for (let i = 0; i < 3; i++) sum[i] += c[i] * c[3];
          sum[3] += c[3];
        }
      }
      const alpha = sum[3] / (SAMPLES * SAMPLES);
      for (let i = 0; i < 3; i++) row[1 + x * 4 + i] = sum[3] ? Math.round(sum[i] / sum[3]) : 0;
      row[1 + x * 4 + 3] = Math.round(alpha);
    }
    rows.push(row);
  }
  return Buffer.concat(rows);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
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

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(render(), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = join(root, 'media/icon.png');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, png);
console.log(`${out}: ${png.length} bytes`);
