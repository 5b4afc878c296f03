// /persons/:id and /tracing in a real browser (issue 14): two residents of
// 朝阳区 scanned one after the other at the demo hospital, one with a fever;
// the province gives the district official a PII_VIEWER and a TRACER grant;
// the official reads the colour history and scans, unmasks with a reason
// (the banner says it was recorded), then traces the person and downloads
// the trajectory as CSV. A grid worker without a grant is told how to get one.
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { APIRequestContext } from '@playwright/test';
import { test, expect, demo, gql, apiLogin, signIn, screenshot } from './fixtures';

/** A resident ID number with a valid GB 11643 check digit. */
function residentID(seq: number): string {
  const body = `22010419850101${String(seq).padStart(3, '0')}`.slice(0, 17);
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, c, i) => s + Number(c) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}

interface World {
  person: string;
  name: string;
  site: string;
}

async function prepare(request: APIRequestContext): Promise<World> {
  const [initiator, official, scanner] = [
    await apiLogin(request, demo.initiator),
    await apiLogin(request, demo.official),
    await apiLogin(request, demo.scanner),
  ];
  const who = `{ viewer { acting { id scopeRegion { id } scopeSite { id name latitude longitude } } } }`;
  type V = { viewer: { acting: { id: string; scopeRegion: { id: string } | null; scopeSite: { id: string; name: string; latitude: number; longitude: number } | null } } };
  const off = (await gql<V>(request, who, {}, official)).viewer.acting;
  const door = (await gql<V>(request, who, {}, scanner)).viewer.acting.scopeSite!;

  const seq = 100 + Math.floor(Math.random() * 800);
  const register = async (name: string, id: string) =>
    (
      await gql<{ registerPerson: { person: { id: string }; personToken: string } }>(
        request,
        `mutation($in: RegisterPersonInput!) { registerPerson(input: $in) { person { id } personToken } }`,
        { in: { name, idNumber: id, phone: '13712345678', residenceRegion: off.scopeRegion!.id } },
        official,
      )
    ).registerPerson;
  const a = await register('端到端甲', residentID(seq));
  const b = await register('端到端乙', residentID(seq + 1));
  const scan = async (personToken: string, temperature: number) => {
    const code = await gql<{ issueCode: { token: string } }>(
      request,
      `mutation($t: String!) { issueCode(input: {personToken: $t}) { token } }`,
      { t: personToken },
    );
    await gql(
      request,
      `mutation($in: ScanInput!) { recordScan(input: $in) { id } }`,
      {
        in: {
          clientId: randomUUID(),
          site: door.id,
          method: 'SCAN_CODE',
          token: code.issueCode.token,
          temperature,
          latitude: door.latitude,
          longitude: door.longitude,
          accuracy: 10,
        },
      },
      scanner,
    );
  };
  await scan(a.personToken, 36.5);
  await scan(b.personToken, 36.6);
  await scan(a.personToken, 38.1); // a fever: GREEN → YELLOW

  const expires = new Date(Date.now() + 3600_000).toISOString();
  for (const kind of ['PII_VIEWER', 'TRACER']) {
    await gql(
      request,
      `mutation($a: ID!, $k: GrantKind!, $e: Time!) { giveGrant(accountId: $a, kind: $k, expiresAt: $e, reason: "端到端：密接排查", caseNumber: "端到端流调〔2026〕14号") { id } }`,
      { a: off.id, k: kind, e: expires },
      initiator,
    );
  }
  return { person: a.person.id, name: '端到端甲', site: door.name };
}

test('an official reads a person, unmasks with a reason and traces the contacts', async ({ page, request }) => {
  const w = await prepare(request);
  await signIn(page, request, demo.official);
  await page.goto(`/persons/${w.person}`);

  // The colour and its history with the cause, and the scans.
  const history = page.getByTestId('colour-history');
  await expect(history).toContainText('黄码');
  await expect(history).toContainText('原因');
  // The cause's class in Chinese (ColourChange.causeClass), not the server's English detail.
  await expect(history.getByTestId('cause-class').first()).toHaveText('现场测温异常');
  await expect(page.getByTestId('person-scans')).toContainText(w.site);
  await expect(page.getByTestId('person-scans').locator('tbody tr.ant-table-row')).toHaveCount(2);
  await expect(page.getByTestId('person-name')).not.toHaveText(w.name);

  // Unmask with a reason: the banner says the viewing was recorded.
  await page.getByRole('button', { name: /查看明文信息/ }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('记入审计日志');
  await dialog.getByRole('button', { name: /查\s*看/ }).click();
  await expect(dialog).toContainText('必填'); // no reason, no request
  await dialog.getByLabel('查看理由').fill('核实密接人员身份');
  await dialog.getByRole('button', { name: /查\s*看/ }).click();
  const banner = page.getByTestId('unmask-banner');
  await expect(banner).toContainText('已记录本次查看');
  await expect(banner).toContainText('核实密接人员身份');
  await expect(page.getByTestId('person-name')).toHaveText(w.name);
  await screenshot(page, 'person');

  // Trace: the trajectory and the co-located resident, then the CSV.
  await page.getByTestId('trace-link').click();
  await expect(page).toHaveURL(/\/tracing\?person=/);
  await expect(page.getByTestId('trajectory-table')).toContainText(w.site);
  await expect(page.getByTestId('trajectory-table').locator('tbody tr.ant-table-row')).toHaveCount(2);
  await expect(page.getByTestId('trajectory-timeline')).toContainText(w.site);
  await expect(page.getByTestId('contacts-table')).toContainText(w.site);
  await expect(page.getByTestId('contacts-table').locator('tbody tr.ant-table-row').first()).toBeVisible(); // 乙, scanned next to 甲
  await screenshot(page, 'tracing');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('trajectory-csv').click()]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const csv = readFileSync(await download.path());
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM for Excel
  const text = csv.toString('utf8');
  expect(text).toContain('扫码时间,场所');
  expect(text).toContain(w.site);
  expect(text).toContain('38.1');
  expect(text.trim().split('\r\n')).toHaveLength(3);
});

test('without a TRACER grant the page says how to obtain one', async ({ page, request }) => {
  await signIn(page, request, demo.gridWorker);
  await page.goto('/tracing?person=1');
  await expect(page.getByText('需要“流调溯源”授权')).toBeVisible();
  await expect(page.getByTestId('tracing-howto')).toContainText('案件编号');
  await expect(page.getByTestId('tracing-howto')).toContainText('省级发起扫码员');
  await expect(page.getByTestId('trajectory-table')).toHaveCount(0);
});
