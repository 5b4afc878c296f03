// /accounts in a real browser against serve --demo (issue 13): creating an
// ORDINARY scanner at a site in 朝阳区 as the demo INITIATOR, disabling with
// cascade (the confirmation says how many) and activating, and the page on
// a 768×1024 tablet.
import type { APIRequestContext } from '@playwright/test';
import { loginTo, pick } from './antd';
import { test, expect, demo, screenshot, gql, apiLogin } from './fixtures';

const strongPassword = 'Qz7-e2e-Mashang-2026';

async function chaoyangHospital(request: APIRequestContext, token: string) {
  const d = await gql<{ regionByCode: { id: string } }>(request, '{ regionByCode(code: "220104") { id } }', {}, token);
  const s = await gql<{ sites: { edges: { node: { id: string; name: string } }[] } }>(
    request,
    'query($r: ID!) { sites(first: 1, where: { within: $r, nameContains: "医院", enabled: true }) { edges { node { id name } } } }',
    { r: d.regionByCode.id },
    token,
  );
  return s.sites.edges[0].node;
}

test('the demo INITIATOR creates an ORDINARY scanner at a site in 朝阳区', async ({ page }) => {
  await loginTo(page, demo.initiator, '/accounts');
  await expect(page.getByRole('heading', { name: '账号管理' })).toBeVisible();
  await page.getByRole('button', { name: /新建账号/ }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByLabel('角色')).toBeVisible();
  await expect(dialog.locator('.ant-select-selection-item', { hasText: '普通扫码员' })).toBeVisible();
  await pick(page, dialog.locator('.ant-select', { hasText: '限定区划（可选）' }), '朝阳区', /朝阳区（区县 220104）/);
  await pick(page, dialog.getByTestId('site-picker'), '医院', /医院/);
  await dialog.getByLabel('姓名').fill('端到端扫码员');
  await dialog.getByLabel('手机号').fill('13700000011');
  await dialog.getByLabel(/初始密码/).fill(strongPassword);
  await screenshot(page, 'accounts-create');
  await dialog.getByRole('button', { name: /新\s*建/ }).click();
  await expect(page.getByText('账号已创建')).toBeVisible();
  const row = page.getByRole('row', { name: /端到端扫码员/ });
  await expect(row).toContainText('普通扫码员');
  await expect(row).toContainText('启用');
  await expect(row).toContainText('137****0011');
  await screenshot(page, 'accounts');
});

test('disabling an INTERMEDIATE with its derived accounts, then activating both', async ({ page, request }) => {
  // An INTERMEDIATE at a 朝阳区 hospital with one ORDINARY scanner of its own,
  // which its holder accepted (issue 10 point 2).
  const initiator = await apiLogin(request, demo.initiator);
  const site = await chaoyangHospital(request, initiator);
  const create = 'mutation($i: CreateAccountInput!) { createAccount(input: $i) { id status disabledReason } }';
  const holder = (name: string, phone: string) => ({ name, phone, password: strongPassword });
  const inter = await gql<{ createAccount: { id: string; status: string } }>(
    request, create, { i: { role: 'INTERMEDIATE', scopeId: site.id, holder: holder('级联测试中级', '13700000021') } }, initiator);
  expect(inter.createAccount.status).toBe('ACTIVE');
  const interToken = await apiLogin(request, '13700000021', strongPassword);
  const ord = await gql<{ createAccount: { id: string; disabledReason: string } }>(
    request, create, { i: { role: 'ORDINARY', scopeId: site.id, holder: holder('级联测试普通', '13700000022') } }, interToken);
  expect(ord.createAccount.disabledReason).toBe('PENDING_CONSENT');
  const ordToken = await apiLogin(request, '13700000022', strongPassword);
  await gql(request, 'mutation($id: ID!) { acceptAccountBinding(id: $id) { id status } }', { id: ord.createAccount.id }, ordToken);

  await loginTo(page, demo.initiator, '/accounts');
  const row = page.locator('tr.ant-table-row', { hasText: '级联测试中级' });
  await row.getByRole('button', { name: /停\s*用/ }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('连同其衍生的全部账号一起停用').click();
  await expect(dialog.getByTestId('disable-count')).toContainText('将停用 2 个账号');
  await screenshot(page, 'accounts-disable-cascade');
  await dialog.getByRole('button', { name: /停\s*用/ }).click();
  await expect(page.getByText('已停用 2 个账号')).toBeVisible();
  await expect(row).toContainText('手动停用');

  // The derived scanner is down too, by cascade.
  await row.getByRole('button', { name: /展开行|Expand row/ }).click();
  const child = page.locator('tr.ant-table-row', { hasText: '级联测试普通' });
  await expect(child).toContainText('随上级停用');
  // Only the direct superior activates: the INITIATOR may activate the
  // INTERMEDIATE, not the ORDINARY below it.
  await expect(child.getByRole('button', { name: /启\s*用/ })).toHaveCount(0);

  await row.getByRole('button', { name: /启\s*用/ }).click();
  await expect(page.getByRole('dialog').getByText('同时启用因其停用而被连带停用的账号')).toBeVisible();
  await page.getByRole('dialog').getByRole('button', { name: /启\s*用/ }).click();
  await expect(page.getByText('已启用 2 个账号')).toBeVisible();
  await expect(child).not.toContainText('随上级停用');
  await expect(row).not.toContainText('手动停用');
});

test('the accounts page on a tablet @tablet', async ({ page }, testInfo) => {
  await loginTo(page, demo.initiator, '/accounts');
  await expect(page.getByRole('row', { name: /政府工作人员/ }).first()).toBeVisible();
  await page.getByTestId('filter-status').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '启用' }).click();
  await expect(page.getByText(/筛选结果/)).toBeVisible();
  // Nothing overflows the viewport sideways.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await screenshot(page, testInfo.project.name === 'tablet' ? 'accounts-tablet' : 'accounts-filtered');
  await page.getByRole('tab', { name: /重新启用申请/ }).click();
  // The inbox is empty, or holds the request another test's disabled
  // account filed (the demo database is shared by the tests).
  await expect(
    page.getByText('暂无待处理的重新启用申请').or(page.getByRole('button', { name: /同意并启用/ }).first()),
  ).toBeVisible();
});
