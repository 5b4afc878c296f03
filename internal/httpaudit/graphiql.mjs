// Opens GraphiQL of the server at argv[2] in headless Chromium (argv[3],
// Debian's /usr/bin/chromium) with every request off localhost refused, as
// on a network without internet, and checks that the editor renders and
// that { __typename } runs. Exits 1 with the reason otherwise.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [base, executablePath] = process.argv.slice(2);
const local = new Set(['127.0.0.1', 'localhost', '[::1]']);
const profile = mkdtempSync(join(tmpdir(), 'mashang-chromium-'));
const refused = [];
const problems = [];
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || local.has(url.hostname)) {
      return route.continue();
    }
    refused.push(url.href);
    return route.abort('internetdisconnected');
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));

  await page.goto(`${base}/graphiql`);
  await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 30_000 });
  await page.evaluate(() => {
    document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue('{ __typename }');
  });
  await page.click('.graphiql-execute-button');
  const answer = await page.waitForFunction(() => {
    const result = document.querySelector('.graphiql-response .CodeMirror')?.CodeMirror?.getValue() ?? '';
    return result.includes('__typename') && result;
  }, null, { timeout: 30_000 });
  const text = await answer.jsonValue();
  if (!/"__typename":\s*"Query"/.test(text)) problems.push(`unexpected answer: ${text}`);
} catch (e) {
  problems.push(String(e));
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
if (refused.length > 0) problems.push(`requests off localhost: ${refused.join(', ')}`);
if (problems.length > 0) {
  console.log(problems.join('\n'));
  process.exit(1);
}
console.log('GraphiQL rendered its editor and ran { __typename } with the network off');
