import { test, expect, demo, login, screenshot, gql, apiLogin } from './fixtures';

test('the demo INITIATOR logs in, sees the tree in Chinese and logs out', async ({ page }) => {
  await page.goto('/tree/220104');
  await expect(page).toHaveURL(/\/login\?next=%2Ftree%2F220104/);
  await screenshot(page, 'login');
  await page.getByLabel('手机号').fill(demo.initiator);
  await page.getByLabel('密码').fill('mashang-demo-2026');
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await expect(page).toHaveURL(/\/tree\/220104$/);
  await expect(page.getByTestId('account-switcher')).toContainText('发起扫码员');
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/login/);
});

test('a wrong password is refused with the server message in Chinese', async ({ page }) => {
  await login(page, demo.initiator, 'not-the-password');
  const alert = page.getByRole('alert');
  await expect(alert).toBeVisible();
  await expect(alert).toContainText(/[\u4e00-\u9fff]/);
});

async function siteIdByName(request: import('@playwright/test').APIRequestContext, token: string, name: string) {
  const d = await gql<{ sites: { edges: { node: { id: string } }[] } }>(
    request,
    'query($n: String!) { sites(first: 1, where: { name: $n }) { edges { node { id } } } }',
    { n: name },
    token,
  );
  return d.sites.edges[0].node.id;
}

test('a user holding two accounts chooses one at login and switches in the header', async ({ page, request }) => {
  // The INITIATOR opens an ORDINARY account for the demo grid worker, who
  // accepts it (多重身份, seed 001 §12).
  const initiator = await apiLogin(request, demo.initiator);
  const gate = await siteIdByName(request, initiator, '南湖公园北门');
  const created = await gql<{ createAccount: { id: string } }>(
    request,
    'mutation($s: ID!) { createAccount(input: { role: ORDINARY, scopeId: $s, holder: { name: "社区网格员", phone: "13900000003" } }) { id } }',
    { s: gate },
    initiator,
  );
  const grid = await apiLogin(request, demo.gridWorker);
  const pending = await gql<{ viewer: { pendingBindings: { id: string }[] } }>(request, '{ viewer { pendingBindings { id } } }', {}, grid);
  if (pending.viewer.pendingBindings.some((a) => a.id === created.createAccount.id)) {
    await gql(request, 'mutation($id: ID!) { acceptAccountBinding(id: $id) { id } }', { id: created.createAccount.id }, grid);
  }

  await login(page, demo.gridWorker);
  await expect(page.getByText('选择登录身份')).toBeVisible();
  await screenshot(page, 'login-choose-account');
  await page.getByTestId(`account-choice-${created.createAccount.id}`).click();
  await page.getByRole('button', { name: /进\s*入/ }).click();
  await expect(page).toHaveURL(/\/tree/);
  const switcher = page.getByTestId('account-switcher');
  await expect(switcher).toContainText('普通扫码员 · 南湖公园北门');

  await switcher.click();
  await page.locator('.ant-select-item-option', { hasText: '网格员' }).click();
  await expect(switcher).toContainText('网格员 · 东田社区');
  await expect(page.getByText(/已切换为 网格员/)).toBeVisible();
});

test('a disabled account sees only the restricted view and asks for reactivation', async ({ page, request }) => {
  const initiator = await apiLogin(request, demo.initiator);
  const gate = await siteIdByName(request, initiator, '南湖公园北门');
  const phone = '13700000001';
  const password = 'Nanhu-gate-2026!';
  const created = await gql<{ createAccount: { id: string } }>(
    request,
    'mutation($s: ID!, $p: String!, $w: String!) { createAccount(input: { role: ORDINARY, scopeId: $s, holder: { name: "测试扫码员", phone: $p, password: $w } }) { id } }',
    { s: gate, p: phone, w: password },
    initiator,
  );
  await gql(request, 'mutation($id: ID!) { disableAccount(id: $id) { account { status } } }', { id: created.createAccount.id }, initiator);

  await login(page, phone, password);
  await expect(page.getByText('账号已停用', { exact: true })).toBeVisible();
  await expect(page.getByText('手动停用', { exact: true })).toBeVisible();
  await page.getByLabel('说明（可选）').fill('已返岗，请重新启用');
  await page.getByRole('button', { name: /申请重新启用/ }).click();
  await expect(page.getByTestId('reactivation-state')).toHaveText('待处理');
  await screenshot(page, 'restricted');
  // Nothing else is offered: no menu of pages.
  await expect(page.getByRole('menuitem')).toHaveCount(0);
});
