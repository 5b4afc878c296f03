// Gzip sizes of the built SPA (npm run size; npm run build runs it): the
// first load (index.html, the entry script, the scripts and styles it
// preloads or imports statically) and each lazily loaded page chunk. Fails
// when the first load of any page passes the budget (issue 13: < 500 KB
// gzipped, for a tablet on 4G).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const budget = 500 * 1024;
const dist = new URL('../dist/', import.meta.url).pathname;
const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

const html = readFileSync(join(dist, 'index.html'), 'utf8');
const linked = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]);

// Static imports of a chunk ("./x.js" or "/assets/x.js" at the top level).
function staticImports(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  if (!file.endsWith('.js')) return seen;
  const src = readFileSync(join(dist, file), 'utf8');
  for (const m of src.matchAll(/(?:^|[;\n}])\s*import\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([^"']+\.js)["']/g)) {
    staticImports(`assets/${m[1]}`, seen);
  }
  return seen;
}

const first = new Set();
for (const f of linked) staticImports(f, first);
const firstBytes = gz('index.html') + [...first].reduce((n, f) => n + gz(f), 0);
console.log(`first load (index.html + ${[...first].join(' + ')}): ${kb(firstBytes)} gzipped`);

// Chunks a page imports dynamically (import("./x.js") inside a lazy chunk,
// not from the first load) are fetched after the page has drawn, e.g. the
// ECharts charts of /dashboard once its figures and tables are shown:
// listed as deferred, with the page's whole load, outside the budget.
const dynamicImports = (file) =>
  [...readFileSync(join(dist, file), 'utf8').matchAll(/import\(\s*["']\.\/([^"']+\.js)["']\s*\)/g)].map((m) => `assets/${m[1]}`);
const fromFirst = new Set([...first].filter((f) => f.endsWith('.js')).flatMap(dynamicImports));
const all = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js') && !first.has(`assets/${f}`)).sort();
const deferredBy = new Map();
for (const f of all) for (const d of dynamicImports(`assets/${f}`)) if (!fromFirst.has(d)) deferredBy.set(d, `assets/${f}`);

let worst = firstBytes;
for (const f of all) {
  const chunk = staticImports(`assets/${f}`, new Set());
  const extra = [...chunk].filter((c) => !first.has(c));
  const bytes = extra.reduce((n, c) => n + gz(c), 0);
  const parent = deferredBy.get(`assets/${f}`);
  if (parent) {
    const page = staticImports(parent, new Set());
    const more = extra.filter((c) => !page.has(c));
    const pageBytes = [...page].filter((c) => !first.has(c)).reduce((n, c) => n + gz(c), 0);
    const moreBytes = more.reduce((n, c) => n + gz(c), 0);
    console.log(`  deferred ${f.padEnd(24)} +${kb(moreBytes)} after ${parent.slice(7)} → ${kb(firstBytes + pageBytes + moreBytes)} in all`);
    continue;
  }
  worst = Math.max(worst, firstBytes + bytes);
  console.log(`  lazy ${f.padEnd(28)} +${kb(bytes)}${extra.length > 1 ? ` (${extra.length} chunks)` : ''} → ${kb(firstBytes + bytes)} with the first load`);
}
if (worst > budget) {
  console.error(`a page's first load is ${kb(worst)} gzipped: over the ${kb(budget)} budget`);
  process.exit(1);
}
