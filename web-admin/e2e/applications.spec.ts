// /applications in a real browser (issue 13): a senior application
// submitted with a USCC checked in the browser, approved by the INITIATOR,
// and the new holder's initial password shown once.
import { test, expect, demo, screenshot, apiLogin } from './fixtures';
import { loginTo, pick } from './antd';

test('the INITIATOR submits and approves a senior application; the password is shown once', async ({ page, request }) => {
  await loginTo(page, demo.initiator, '/applications');
  await page.getByRole('tab', { name: '提交申请' }).click();
  await page.getByLabel('单位名称').fill('端到端测试医院');
  const uscc = page.getByLabel('统一社会信用代码');
  // A typing error in the check character is caught in the browser, in Chinese.
  await uscc.fill('91220104MA0Y12345J');
  await uscc.blur();
  await expect(page.getByText('校验位应为“K”而不是“J”，请检查是否输错')).toBeVisible();
  await uscc.fill('91220104ma0y12345k');
  await uscc.blur();
  await expect(page.getByText(/校验位应为/)).toHaveCount(0);
  await page.getByText('辖区', { exact: true }).click();
  await pick(page, page.locator('.ant-form-item', { hasText: /^辖区/ }).locator('.ant-select'), '朝阳区', /朝阳区（区县 220104）/);
  await page.getByLabel('姓名').fill('端到端高级');
  await page.getByLabel('手机号').fill('13700000031');
  await screenshot(page, 'applications-submit');
  await page.getByRole('button', { name: /提交申请/ }).last().click();
  await expect(page.getByText('申请已提交，等待省级发起扫码员审核')).toBeVisible();

  // The queue: approve.
  await expect(page.getByRole('tab', { name: '待审核', selected: true })).toBeVisible();
  const row = page.getByRole('row', { name: /端到端测试医院/ });
  await expect(row).toContainText('91220104MA0Y12345K');
  await expect(row).toContainText('待审核');
  await row.getByRole('button', { name: /通\s*过/ }).click();
  await page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定|OK/ }).click();
  const shown = page.getByTestId('initial-password');
  await expect(shown).toBeVisible();
  const password = (await shown.innerText()).trim();
  expect(password.length).toBeGreaterThanOrEqual(10);
  await screenshot(page, 'applications-password');
  await page.getByRole('button', { name: '我已记下，关闭' }).click();
  await expect(page.getByTestId('initial-password')).toHaveCount(0);
  await expect(page.getByRole('row', { name: /端到端测试医院/ })).toHaveCount(0);

  // The password works, and it is not shown anywhere again.
  await apiLogin(request, '13700000031', password);
  await page.getByRole('tab', { name: '全部申请' }).click();
  const done = page.getByRole('row', { name: /端到端测试医院/ });
  await expect(done).toContainText('已通过');
  await expect(page.getByText(password)).toHaveCount(0);
});
