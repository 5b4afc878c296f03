// Copies the pinned GraphiQL, React and ReactDOM browser builds (from
// node_modules, installed by `npm ci` from package-lock.json) and the page
// in src/ into dist/, which the Go binary embeds. The files are copied
// byte for byte; dist/manifest.json records each one's package, version and
// SHA-256, so a diff after `make graphiql` shows any drift from the lockfile.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');

// [package, file inside the package, name in dist/]
const vendored = [
  ['react', 'umd/react.production.min.js', 'react.production.min.js'],
  ['react-dom', 'umd/react-dom.production.min.js', 'react-dom.production.min.js'],
  ['graphiql', 'graphiql.min.js', 'graphiql.min.js'],
  ['graphiql', 'graphiql.min.css', 'graphiql.min.css'],
];
const own = ['index.html', 'graphiql-init.js'];

const sha256 = (b) => createHash('sha256').update(b).digest('hex');
// Source maps are not shipped: drop the comment that would make a browser's
// developer tools ask for them.
const stripMap = (b) => Buffer.from(b.toString('utf8').replace(/\n?\/[/*]# sourceMappingURL=\S+?(\s*\*\/)?\s*$/, '\n'));

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist);
const manifest = { files: {} };
for (const [pkg, file, name] of vendored) {
  const dir = join(here, 'node_modules', pkg);
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const body = stripMap(readFileSync(join(dir, file)));
  writeFileSync(join(dist, name), body);
  manifest.files[name] = { package: pkg, version, from: file, sha256: sha256(body) };
}
for (const name of own) {
  const body = readFileSync(join(here, 'src', name));
  writeFileSync(join(dist, name), body);
  manifest.files[name] = { from: `src/${name}`, sha256: sha256(body) };
}
writeFileSync(join(dist, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
