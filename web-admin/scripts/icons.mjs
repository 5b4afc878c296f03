// Draws the scan station's app icons (PWA manifest, issue 14) into public/:
// a green square with three QR finder patterns and a centre block, as SVG
// and as 192/512 px PNGs (encoded here with node:zlib; nothing downloaded).
// The figures keep inside the central 80 % so the same PNG serves as a
// maskable icon. Run: node scripts/icons.mjs (the outputs are committed).
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const out = new URL('../public/', import.meta.url).pathname;
const green = [0x1a, 0x7f, 0x37];
const white = [0xff, 0xff, 0xff];

// The design on a 20×20 grid: finder patterns (7×7) at three corners of
// the 15×15 area starting at 3, and a 5×5 block near the fourth corner.
function cell(x, y) {
  const finder = (ox, oy) => {
    const dx = x - ox;
    const dy = y - oy;
    if (dx < 0 || dy < 0 || dx > 6 || dy > 6) return false;
    const ring = dx === 0 || dy === 0 || dx === 6 || dy === 6;
    const core = dx >= 2 && dx <= 4 && dy >= 2 && dy <= 4;
    return ring || core;
  };
  if (finder(3, 3) || finder(11, 3) || finder(3, 11)) return true;
  return x >= 12 && x <= 16 && y >= 12 && y <= 16 && !(x === 14 && y === 14);
}

function svg() {
  let rects = '';
  for (let y = 0; y < 20; y++) for (let x = 0; x < 20; x++) if (cell(x, y)) rects += `<rect x="${x}" y="${y}" width="1" height="1"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 20" width="512" height="512">` +
    `<rect width="20" height="20" rx="3" fill="#1a7f37"/><g fill="#fff" shape-rendering="crispEdges">${rects}</g></svg>\n`;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

function png(size) {
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3); // filter byte 0, then RGB
    for (let x = 0; x < size; x++) {
      const c = cell(Math.floor((x * 20) / size), Math.floor((y * 20) / size)) ? white : green;
      row.set(c, 1 + x * 3);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

writeFileSync(`${out}station-icon.svg`, svg());
for (const size of [192, 512]) writeFileSync(`${out}station-icon-${size}.png`, png(size));
console.log('icons written to', out);
