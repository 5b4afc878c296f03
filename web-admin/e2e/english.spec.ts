// The English UI (issue 13's leftover: no English browser test): the
// language chosen in the header is kept, the pages and antd read English,
// and the server's errors come back in English (Accept-Language follows
// the UI's language, src/client.ts).
import { test, expect, demo, demoPassword } from './fixtures';

const cjk = /[\u4e00-\u9fff]/;

test('a user who switches to English sees English pages and English server errors', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('手机号').fill(demo.initiator);
  await page.getByLabel('密码').fill(demoPassword);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await expect(page).toHaveURL(/\/tree/);

  await page.getByRole('button', { name: '语言' }).click();
  const menu = page.getByRole('menu').first();
  await expect(menu).toContainText('Regions and sites');
  await expect(menu).toContainText('Accounts');
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  // Kept across a reload and a logout.
  await page.reload();
  await expect(page.getByRole('menu').first()).toContainText('Regions and sites');
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login/);

  // The server answers a wrong password in English.
  await page.getByLabel('Phone').fill(demo.initiator);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: /Log\s*in/ }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toBeVisible();
  await expect(alert).toContainText(/[A-Za-z]{3,}/);
  await expect(alert).not.toContainText(cjk);

  // And back to Chinese for whoever comes next in this browser.
  await page.evaluate(() => localStorage.removeItem('mashang.language'));
});
