// /station in a real browser (issue 14), at tablet size with the device's
// location at the scanner's site: the demo scanner scans a registered
// person's code (the token text typed into the focused input, as a USB
// scanner does) → the green PASS screen, painted within 300 ms of the
// answer; a fever → the red DENY screen; then the network goes away:
// 5 scans are queued in IndexedDB, the page says 5 are waiting, a reload
// still starts the station (service worker, saved site) with the 5 kept;
// back online, the queue drains and exactly those 5 scans (their client
// ids) are stored. Last, a MANUAL registration of a person without a code
// (seed 001 §5) with a resident ID number checked in the page.
import type { Page } from '@playwright/test';
import { test, expect, demo, apiLogin, gql, signIn, screenshot } from './fixtures';

test.use({ viewport: { width: 1024, height: 768 }, hasTouch: true });

// Issue 14: the answer is painted within 300 ms. STATION_PAINT_BUDGET_MS
// raises it only to check the rest of the flow on an overloaded machine.
const paintBudget = Number(process.env.STATION_PAINT_BUDGET_MS ?? 300);

const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** A made-up resident ID number of 朝阳区 with a valid check character. */
function residentId(seed: number): string {
  const year = 1960 + (seed % 40);
  const month = String(1 + (seed % 12)).padStart(2, '0');
  const day = String(1 + (seed % 28)).padStart(2, '0');
  const first17 = `220104${year}${month}${day}${String(seed % 1000).padStart(3, '0')}`;
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

async function registerWithCode(request: import('@playwright/test').APIRequestContext, name: string, id: string) {
  const r = await gql<{ registerPerson: { personToken: string } }>(
    request,
    'mutation($in: RegisterPersonInput!) { registerPerson(input: $in) { personToken } }',
    { in: { name, idNumber: id, phone: '13812345678' } },
  );
  const c = await gql<{ issueCode: { token: string } }>(
    request,
    'mutation($t: String!) { issueCode(input: { personToken: $t, ttlMinutes: 10 }) { token } }',
    { t: r.registerPerson.personToken },
  );
  return c.issueCode.token;
}

async function typeTemperature(page: Page, keys: string[]) {
  const pad = page.getByTestId('station-pad');
  await pad.getByRole('button', { name: /清\s*除/ }).click();
  for (const k of keys) await pad.getByRole('button', { name: k, exact: true }).click();
}

async function scan(page: Page, token: string, temperature: string) {
  await page.getByTestId('station-pad').getByRole('button', { name: temperature, exact: true }).click();
  const input = page.getByTestId('station-code');
  await input.fill(token);
  await input.press('Enter');
}

async function dismiss(page: Page) {
  await page.getByTestId('station-result').click();
  await expect(page.getByTestId('station-result')).toHaveCount(0);
}

test('the scan station passes, denies, queues offline and uploads exactly once', async ({ page, context, request }) => {
  const scannerToken = await apiLogin(request, demo.scanner);
  const v = await gql<{ viewer: { acting: { scopeSite: { id: string; latitude: number; longitude: number } } } }>(
    request,
    '{ viewer { acting { scopeSite { id latitude longitude } } } }',
    {},
    scannerToken,
  );
  const site = v.viewer.acting.scopeSite;
  await context.grantPermissions(['geolocation']);
  await context.setGeolocation({ latitude: site.latitude, longitude: site.longitude, accuracy: 12 });

  const seed = Date.now() % 100_000;
  const passToken = await registerWithCode(request, '站点通行', residentId(seed));
  const feverToken = await registerWithCode(request, '站点发热', residentId(seed + 1));

  await signIn(page, request, demo.scanner);
  await page.goto('/station');
  const station = page.getByTestId('station');
  await expect(station).toBeVisible();
  await expect(page.getByText('定位 ±12 米')).toBeVisible();
  // The service worker (scope /station) is active: the station loads offline.
  await expect(station).toHaveAttribute('data-sw', 'ready');

  // A green code at 36.5 °C: PASS, painted within 300 ms of the answer.
  await scan(page, passToken, '36.5');
  const result = page.getByTestId('station-result');
  await expect(result).toHaveAttribute('data-decision', 'PASS');
  await expect(result).toContainText('通行');
  await expect(result).toContainText('绿码，体温正常');
  await expect(result).toHaveAttribute('data-paint-ms', /\d/);
  const paint = Number(await result.getAttribute('data-paint-ms'));
  expect(paint).toBeLessThan(paintBudget);
  // Straight away: a PASS clears itself after 4 s for the next person.
  await page.screenshot({ path: '../docs/screenshots/station-pass.png', animations: 'disabled', caret: 'hide' });
  await expect(result).toHaveCount(0, { timeout: 15_000 });

  // A fever (37.8 °C typed on the pad): DENY, with the reason in Chinese.
  await typeTemperature(page, ['3', '7', '8']);
  await expect(page.getByTestId('station-temperature')).toContainText('37.8');
  const input = page.getByTestId('station-code');
  await input.fill(feverToken);
  await input.press('Enter');
  await expect(result).toHaveAttribute('data-decision', 'DENY');
  await expect(result).toContainText('禁止通行');
  await expect(result).toContainText('体温异常');
  expect(Number(await result.getAttribute('data-paint-ms'))).toBeLessThan(paintBudget);
  await screenshot(page, 'station-deny');
  await dismiss(page);

  // Offline: five scans are queued, none is decided as a PASS. Counted
  // from just after the scanner's latest stored scan (the DENY above).
  const latest = await gql<{ scans: { edges: { node: { serverTime: string } }[] } }>(
    request,
    '{ scans(first: 1, orderBy: [{ field: SERVER_TIME, direction: DESC }]) { edges { node { serverTime } } } }',
    {},
    scannerToken,
  );
  const since = new Date(Date.parse(latest.scans.edges[0].node.serverTime) + 1).toISOString();
  await context.setOffline(true);
  await expect(page.getByTestId('station-offline')).toBeVisible();
  for (let i = 0; i < 5; i++) {
    await scan(page, passToken, '36.6');
    await expect(result).toHaveAttribute('data-decision', 'OFFLINE');
    await expect(result).toContainText('已离线记录');
    await dismiss(page);
  }
  const waiting = page.getByTestId('station-waiting');
  await expect(waiting).toHaveText('待上传 5 条');
  const queued = await page.evaluate(
    () =>
      new Promise<string[]>((ok, fail) => {
        const open = indexedDB.open('mashang-station');
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('pending').objectStore('pending').getAllKeys();
          all.onsuccess = () => ok(all.result.map(String));
          all.onerror = () => fail(all.error);
        };
      }),
  );
  expect(new Set(queued).size).toBe(5);
  await expect(page.getByTestId('station-waiting-tag')).toHaveText('待上传 5 条');
  await page.screenshot({ path: '../docs/screenshots/station-offline-queue.png', fullPage: true, animations: 'disabled', caret: 'hide' });

  // A reload without network: the service worker serves the app, the
  // station starts from its saved site, and the queue is still there.
  await page.reload();
  await expect(station).toBeVisible();
  await expect(waiting).toHaveText('待上传 5 条');

  // Back online: the queue drains, and exactly those 5 are stored.
  await context.setOffline(false);
  await expect(waiting).toHaveAttribute('data-count', '0', { timeout: 30_000 });
  const stored = await gql<{ scans: { totalCount: number; edges: { node: { clientId: string; decision: string } }[] } }>(
    request,
    'query($s: Time!) { scans(first: 50, where: { serverTimeGTE: $s }) { totalCount edges { node { clientId decision } } } }',
    { s: since },
    scannerToken,
  );
  expect(stored.scans.totalCount).toBe(5);
  expect(stored.scans.edges.map((e) => e.node.clientId).sort()).toEqual([...queued].sort());
  expect(stored.scans.edges.every((e) => e.node.decision === 'PASS')).toBe(true);

  // A person without a code (seed 001 §5): registered by hand; the ID
  // number's check character is checked in the page first.
  await page.reload();
  await page.getByText('无码登记', { exact: true }).click();
  const good = residentId(seed + 2);
  const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
  await page.getByLabel('姓名').fill('王大妈');
  await page.getByLabel('证件号码').fill(bad);
  await expect(page.getByTestId('station-idNumber-error')).toHaveText('身份证号码校验位不符，请核对');
  await typeTemperature(page, ['3', '6', '4']);
  await expect(page.getByTestId('station-submit')).toBeDisabled();
  await page.getByLabel('证件号码').fill(good);
  await page.getByLabel('手机号（选填）').fill('13912345678');
  await expect(page.getByTestId('station-idNumber-error')).toHaveCount(0);
  await page.getByTestId('station-submit').click();
  await expect(result).toHaveAttribute('data-decision', 'PASS');
  await expect(result).toContainText('无码人员测温正常，已登记');
  await expect(result).toHaveCount(0, { timeout: 15_000 });
  const manual = await gql<{ scans: { edges: { node: { method: string; decision: string; idNumberMasked: string } }[] } }>(
    request,
    'query($s: Time!) { scans(first: 50, where: { serverTimeGTE: $s, method: MANUAL }) { edges { node { method decision idNumberMasked } } } }',
    { s: since },
    scannerToken,
  );
  expect(manual.scans.edges).toHaveLength(1);
  expect(manual.scans.edges[0].node.idNumberMasked).not.toContain(good.slice(6, 14));
});
