import { test, expect, demo, login, screenshot } from './fixtures';

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
