// Driving antd widgets from the browser tests.
import type { Locator, Page } from '@playwright/test';
import { login } from './fixtures';

/** Picks an option of an antd Select: click it, type, choose the first option with that text. */
export async function pick(page: Page, select: Locator, typed: string, option: string | RegExp) {
  await select.click();
  if (typed) await page.keyboard.type(typed);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
}

/** Logs in through the UI (fixtures.login), waits until the session is open, then opens path. */
export async function loginTo(page: Page, phone: string, path: string) {
  await login(page, phone);
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.goto(path);
}
