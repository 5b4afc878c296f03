// /grants in a real browser (issue 13): the INITIATOR gives a time-limited
// TRACER grant for a case to the 朝阳区 official, then revokes it.
import { test, expect, demo, screenshot } from './fixtures';
import { loginTo, pick } from './antd';

test('the INITIATOR gives and revokes a grant', async ({ page }) => {
  await loginTo(page, demo.initiator, '/grants');
  await page.getByRole('button', { name: /新增授权/ }).click();
  const dialog = page.getByRole('dialog');
  await pick(page, dialog.getByTestId('grant-account'), '朝阳区', /政府工作人员 · 朝阳区/);
  await expect(dialog.locator('.ant-select-selection-item', { hasText: '流调溯源' })).toBeVisible();
  await dialog.getByRole('textbox', { name: /案件编号/ }).fill('端到端流调〔2026〕9号');
  await dialog.getByLabel('授权理由').fill('端到端测试：密接排查');
  await screenshot(page, 'grants-give');
  await dialog.getByRole('button', { name: /新增授权/ }).click();
  await expect(page.getByText('授权已生效')).toBeVisible();
  const row = page.getByRole('row', { name: /端到端流调〔2026〕9号/ });
  await expect(row).toContainText('流调溯源');
  await expect(row).toContainText('有效');
  await screenshot(page, 'grants');
  await row.getByRole('button', { name: /撤\s*销/ }).click();
  await page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(page.getByText('授权已撤销')).toBeVisible();
  await expect(row).toContainText('已撤销');
  await expect(row.getByRole('button', { name: /撤\s*销/ })).toHaveCount(0);
});
