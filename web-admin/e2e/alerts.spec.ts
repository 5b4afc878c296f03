// /alerts and /tasks in a real browser (issue 14): the 朝阳区 official's board
// is open while the hospital's scanner records a 37.8 °C scan of a resident of
// the grid worker's community; the alert appears in red within 2 s through
// the alertRaised subscription (seed 004 annex note 3: 异常提醒…标红单独展示).
// The official assigns it to the community's grid worker, who opens /tasks on
// a phone (390×844), reads the phone through the call button and records the
// visit (上门核实); the official closes it and sees the three steps.
import { randomUUID } from 'node:crypto';
import { test, expect, demo, gql, apiLogin, signIn, screenshot } from './fixtures';
import { pick } from './antd';

/** A made-up resident ID of 朝阳区 (220104) with a valid GB 11643 check character. */
function residentID(): string {
  const day = String(1 + Math.floor(Math.random() * 28)).padStart(2, '0');
  const month = String(1 + Math.floor(Math.random() * 12)).padStart(2, '0');
  const first17 = `2201041975${month}${day}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * w[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

test('a fever alert appears live in red, is assigned, visited on a phone and closed', async ({ page, browser, request, baseURL }) => {
  // Generous for a loaded machine; about 30 s on an idle one.
  test.setTimeout(180_000);
  const gridToken = await apiLogin(request, demo.gridWorker);
  const scannerToken = await apiLogin(request, demo.scanner);
  const me = `query { viewer { acting { scopeRegion { id name } scopeSite { id latitude longitude } } } }`;
  type Me = { viewer: { acting: { scopeRegion: { id: string; name: string } | null; scopeSite: { id: string; latitude: number; longitude: number } | null } } };
  const community = (await gql<Me>(request, me, {}, gridToken)).viewer.acting.scopeRegion!;
  const site = (await gql<Me>(request, me, {}, scannerToken)).viewer.acting.scopeSite!;

  // A resident of the grid worker's community, with a phone and an address
  // for the visit, and their code (registerPerson and issueCode are public).
  const phone = `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const register = async (name: string, idNumber: string, extra: Record<string, string> = {}) => {
    const reg = await gql<{ registerPerson: { personToken: string } }>(
      request,
      `mutation($i: RegisterPersonInput!) { registerPerson(input: $i) { personToken } }`,
      { i: { name, idNumber, residenceRegion: community.id, ...extra } },
    );
    return gql<{ issueCode: { token: string } }>(
      request,
      `mutation($i: IssueCodeInput!) { issueCode(input: $i) { token } }`,
      { i: { personToken: reg.registerPerson.personToken } },
    );
  };
  const idNumber = residentID();
  const code = await register('端到端测温', idNumber, { phone, address: '幸福小区3栋2单元501' });
  // A second resident whose fever scans probe the subscription (below); the
  // masked ID numbers differ, so the two alerts are never confused.
  let probeID = residentID();
  while (probeID.slice(-4) === idNumber.slice(-4)) probeID = residentID();
  const probeCode = await register('端到端探针', probeID);
  const feverScan = (token: string) =>
    gql<{ recordScan: { idNumberMasked: string; decision: string; fever: boolean } }>(
      request,
      `mutation($i: ScanInput!) { recordScan(input: $i) { idNumberMasked decision fever } }`,
      {
        i: {
          clientId: randomUUID(),
          site: site.id,
          method: 'SCAN_CODE',
          token,
          temperature: 37.8,
          latitude: site.latitude,
          longitude: site.longitude,
        },
      },
      scannerToken,
    );

  // The official's board, with its subscription open. The sound was
  // switched off earlier (kept in localStorage): headless Chromium without
  // an audio device takes seconds to make an AudioContext.
  await page.addInitScript(() => localStorage.setItem('mashang.alerts.sound', '0'));
  await signIn(page, request, demo.official);
  const socket = page.waitForEvent('websocket');
  await page.goto('/alerts');
  const ws = await socket;
  const frames: string[] = [];
  ws.on('framereceived', (f) => frames.push(String(f.payload).slice(0, 300)));
  await ws.waitForEvent('framesent', { predicate: (f) => String(f.payload).includes('"subscribe"') });
  await expect(page.getByRole('heading', { name: '异常预警' })).toBeVisible();
  await expect(page.getByTestId('alerts-sound')).toHaveAttribute('aria-checked', 'false');
  // The server registers the subscription on its own goroutine after the
  // subscribe frame: it is live once an alert reaches this page. A probe
  // scan recorded before that is never pushed, so probe until one is.
  await expect(async () => {
    const pushed = ws.waitForEvent('framereceived', { predicate: (f) => String(f.payload).includes('alertRaised'), timeout: 3_000 });
    pushed.catch(() => undefined);
    await feverScan(probeCode.issueCode.token);
    await pushed;
  }).toPass({ timeout: 60_000, intervals: [0] });

  // When the push frame reaches the browser (for the log: server latency vs rendering).
  const frameAt = ws
    .waitForEvent('framereceived', { predicate: (f) => String(f.payload).includes('alertRaised'), timeout: 60_000 })
    .then(() => Date.now(), () => NaN);
  const scan = await feverScan(code.issueCode.token);
  const recordedAt = Date.now();
  expect(scan.recordScan).toMatchObject({ decision: 'DENY', fever: true });
  const idMasked = scan.recordScan.idNumberMasked;

  // In red, apart, within 2 s, with no reload.
  const fresh = page.getByTestId('alerts-fresh').locator('.alerts-fresh-item', { hasText: idMasked });
  // 2 s (the issue's bound); ALERTS_WAIT raises it on an overloaded machine.
  await expect(fresh, `frames received: ${frames.join('\n')}`).toBeVisible({ timeout: Number(process.env.ALERTS_WAIT ?? 2_000) });
  const shownAt = Date.now();
  console.log(`alert shown ${shownAt - recordedAt} ms after recordScan answered (push frame at ${(await frameAt) - recordedAt} ms)`);
  await expect(fresh).toHaveCSS('color', 'rgb(207, 19, 34)');
  await expect(fresh).toContainText('37.8');
  await expect(fresh).toContainText('体温异常');
  const row = page.locator('tr.alerts-row-open', { hasText: idMasked });
  await expect(row).toBeVisible();
  await expect(row.locator('td').first()).toHaveCSS('background-color', 'rgb(255, 241, 240)');
  await screenshot(page, 'alerts');

  // Assign to the community's grid worker.
  await fresh.click();
  const drawer = page.getByTestId('alert-drawer');
  await expect(drawer.getByTestId('alert-status')).toContainText('待处理');
  await pick(page, drawer.getByTestId('alert-assignee'), '', /社区网格员/);
  await drawer.getByPlaceholder('处理说明（可选）').fill('请尽快上门核实');
  await drawer.getByRole('button', { name: /指\s*派/ }).click();
  await expect(drawer.getByTestId('alert-status')).toContainText('已指派');
  await page.locator('.ant-drawer-close').click();
  await expect(fresh).toHaveCount(0);

  // The grid worker, on a phone.
  const phoneContext = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const mobile = await phoneContext.newPage();
  const errors: string[] = [];
  mobile.on('pageerror', (e) => errors.push(e.message));
  await mobile.addInitScript(() => localStorage.setItem('mashang.alerts.sound', '0'));
  await signIn(mobile, request, demo.gridWorker);
  await mobile.goto('/tasks');
  const task = mobile.getByTestId(/^task-/).filter({ hasText: idMasked });
  await expect(task).toBeVisible();
  await expect(task).toContainText('体温异常');
  await expect(task.getByTestId('task-address')).not.toContainText('幸福小区3栋2单元501');
  await screenshot(mobile, 'tasks-phone');
  // The call button reads the phone in clear (audited), only when pressed.
  await task.getByTestId('task-call').click();
  await expect(task.getByTestId('task-call')).toContainText(phone);
  await expect(task.getByTestId('task-address')).toContainText('幸福小区3栋2单元501');
  await task.getByTestId('task-note').fill('已上门核实：体温复测36.8度，已告知居家观察');
  await task.getByRole('button', { name: '提交核实结果' }).click();
  await expect(mobile.getByTestId(/^task-/).filter({ hasText: idMasked })).toHaveCount(0);
  expect(errors, 'uncaught errors on the phone').toEqual([]);
  await phoneContext.close();

  // The official closes it and sees the history.
  await page.locator('tr', { hasText: idMasked }).click();
  await expect(drawer.getByTestId('alert-status')).toContainText('已上门核实');
  await drawer.getByPlaceholder('处理说明（可选）').fill('核实无异常，办结');
  await drawer.getByRole('button', { name: /办\s*结/ }).click();
  await page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(drawer.getByTestId('alert-status')).toContainText('已办结');
  const history = drawer.getByTestId('alert-history');
  await expect(history.locator('.ant-timeline-item')).toHaveCount(3);
  await expect(history).toContainText('指派给 社区网格员');
  await expect(history).toContainText('已上门核实：体温复测36.8度');
  await expect(history).toContainText('核实无异常，办结');
  await screenshot(page, 'alerts-history');
});

test('an official pauses the alert pushes of a community after confirming, and resumes them', async ({ page, request }) => {
  const gridToken = await apiLogin(request, demo.gridWorker);
  const community = (
    await gql<{ viewer: { acting: { scopeRegion: { id: string; name: string } } } }>(request, `query { viewer { acting { scopeRegion { id name } } } }`, {}, gridToken)
  ).viewer.acting.scopeRegion;
  await signIn(page, request, demo.official);
  await page.goto('/alerts');
  const pauses = page.getByTestId('alert-pauses');
  await pick(page, pauses.locator('.ant-select'), community.name, community.name);
  await pauses.getByPlaceholder('暂停原因').fill('端到端：导入错误的名单');
  await pauses.getByRole('button', { name: /暂停推送/ }).click();
  const confirm = page.locator('.ant-modal-confirm');
  await expect(confirm).toContainText(`确认暂停 ${community.name} 的预警推送？`);
  await confirm.getByRole('button', { name: /确\s*定|OK/ }).click();
  const item = pauses.locator('.ant-list-item', { hasText: community.name });
  await expect(item).toContainText('端到端：导入错误的名单');
  await item.getByRole('button', { name: /恢\s*复/ }).click();
  await page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(item).toHaveCount(0);
  await expect(pauses).toContainText('当前没有暂停推送的区划');
});
