#!/usr/bin/env node
// Draws the app icon (the favicon's design: a blue-to-cyan rounded square with a white cloud
// outline) at every size the installers need and writes resources/:
//   icon.png (1024), icons/<n>x<n>.png (Linux: 16…512), icon.ico (Windows: 16…256), icon.icns
//   (macOS: 16…1024, drawn with the platform's margin), icon.svg (the same shapes, for reference).
// No image library: shapes are signed distance functions sampled per pixel (so every size is
// drawn sharp, not scaled), encoded with a small PNG writer over node:zlib; ICO and ICNS are
// containers of PNG images. Run: node scripts/icons/make-icons.mjs  (output is deterministic)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'resources');

// ---- the drawing, in a 64 × 64 design space ------------------------------------------------
const TILE_RADIUS = 14;
const FROM = [0x2d, 0x7a, 0xe7]; // top left
const TO = [0x22, 0xb8, 0xcf]; // bottom right
const STROKE = 4;
// the cloud: two small circles on the base line, one large circle on top, a box filling the base
const CIRCLES = [
  { x: 21, y: 36, r: 8 },
  { x: 43, y: 35, r: 9 },
  { x: 33.24, y: 29.96, r: 12 },
];
const BASE = { x0: 21, y0: 30, x1: 43, y1: 44 };

function roundedSquare(x, y, size, radius) {
  const h = size / 2;
  const qx = Math.abs(x - h) - (h - radius);
  const qy = Math.abs(y - h) - (h - radius);
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  return outside + Math.min(Math.max(qx, qy), 0) - radius;
}

function box(x, y, b) {
  const cx = (b.x0 + b.x1) / 2;
  const cy = (b.y0 + b.y1) / 2;
  const qx = Math.abs(x - cx) - (b.x1 - b.x0) / 2;
  const qy = Math.abs(y - cy) - (b.y1 - b.y0) / 2;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0);
}

function cloud(x, y) {
  let d = box(x, y, BASE);
  for (const c of CIRCLES) d = Math.min(d, Math.hypot(x - c.x, y - c.y) - c.r);
  return d;
}

const coverage = (distancePx) => Math.min(1, Math.max(0, 0.5 - distancePx));

/** RGBA pixels of the icon at `size` px; `margin` is the share of the canvas left empty per side. */
function draw(size, margin = 0) {
  const px = new Uint8Array(size * size * 4);
  const inner = size * (1 - 2 * margin);
  const scale = inner / 64; // pixels per design unit
  const offset = size * margin;
  // small sizes: a slightly heavier stroke so the cloud does not fade to grey
  const stroke = Math.max(STROKE, 1.4 / scale);
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const x = (i + 0.5 - offset) / scale;
      const y = (j + 0.5 - offset) / scale;
      const tile = coverage(roundedSquare(x, y, 64, TILE_RADIUS) * scale);
      if (tile <= 0) continue;
      const t = Math.min(1, Math.max(0, (x + y) / 128));
      const ring = coverage((Math.abs(cloud(x, y)) - stroke / 2) * scale);
      const k = (i + j * size) * 4;
      for (let c = 0; c < 3; c++) {
        const base = FROM[c] + (TO[c] - FROM[c]) * t;
        px[k + c] = Math.round(base + (255 - base) * ring);
      }
      px[k + 3] = Math.round(255 * tile);
    }
  }
  return px;
}

// ---- PNG ------------------------------------------------------------------------------------
const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- ICO (PNG entries, Windows Vista and later) ---------------------------------------------
function ico(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, data }, n) => {
    const e = 6 + 16 * n;
    header[e] = size >= 256 ? 0 : size;
    header[e + 1] = size >= 256 ? 0 : size;
    header.writeUInt16LE(1, e + 4); // planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(data.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.data)]);
}

// ---- ICNS (PNG entries) ---------------------------------------------------------------------
const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
];

function icns(pngOf) {
  const entries = ICNS_TYPES.map(([type, size]) => {
    const data = pngOf(size);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const body = Buffer.concat(entries);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}

// ---- SVG of the same shapes (reference; the raster files are drawn from the functions above) ---
function svg() {
  const hex = (c) => '#' + c.map((v) => v.toString(16).padStart(2, '0')).join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">` +
    `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">` +
    `<stop offset="0" stop-color="${hex(FROM)}"/><stop offset="1" stop-color="${hex(TO)}"/></linearGradient></defs>` +
    `<rect width="64" height="64" rx="${TILE_RADIUS}" fill="url(#g)"/>` +
    `<path d="M21 44h22a9 9 0 0 0 1.6-17.9A12 12 0 0 0 21.4 28 8 8 0 0 0 21 44z" fill="none" stroke="#fff" stroke-width="${STROKE}" stroke-linejoin="round"/>` +
    `</svg>\n`
  );
}

// ---- write ------------------------------------------------------------------------------------
const cache = new Map();
const pngAt = (size, margin = 0) => {
  const key = `${size}/${margin}`;
  if (!cache.has(key)) cache.set(key, png(size, draw(size, margin)));
  return cache.get(key);
};

mkdirSync(join(out, 'icons'), { recursive: true });
const written = [];
const write = (rel, data) => {
  writeFileSync(join(out, rel), data);
  written.push(`${rel} (${data.length} bytes)`);
};

write('icon.svg', svg());
write('icon.png', pngAt(1024));
for (const size of [16, 24, 32, 48, 64, 128, 256, 512]) write(`icons/${size}x${size}.png`, pngAt(size));
write('icon.ico', ico([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, data: pngAt(size) }))));
// macOS draws icons on a grid with a margin around the tile (about 10% each side)
write(
  'icon.icns',
  icns((size) => pngAt(size, 0.1)),
);
console.log(`[icons] wrote resources/: ${written.join(', ')}`);
