// Shared helpers of the browser tests: the demo logins (README, app/app.go,
// app/demopeople.go), a login through the UI, and a guard that fails a
// test when the page sends any request off the server's origin or throws.
import { test as base, expect, type Page } from '@playwright/test';

export const demoPassword = 'mashang-demo-2026';
export const demo = {
  initiator: '13900000001',
  official: '13900000002',
  gridWorker: '13900000003',
  scanner: '13900000004',
} as const;

export async function login(page: Page, phone: string, password = demoPassword) {
  await page.goto('/login');
  await page.getByLabel('手机号').fill(phone);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  // Logged in: the app left /login, or asks which account to act as.
  if (password === demoPassword) {
    await page.waitForFunction(() => !location.pathname.startsWith('/login') || document.body.innerText.includes('选择登录身份'));
  }
}

/**
 * A screenshot for README: docs/screenshots/<name>.png (<name>-tablet.png
 * in the tablet project), the same names every run.
 */
export async function screenshot(page: Page, name: string) {
  const tablet = base.info().project.name === 'tablet' ? '-tablet' : '';
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: `../docs/screenshots/${name}${tablet}.png`, fullPage: false, animations: 'disabled', caret: 'hide' });
}

// Every test fails if the page requests anything off the server's origin
// (no CDN, no map tiles, no fonts from elsewhere) or throws.
export const test = base.extend<{ offOrigin: string[] }>({
  offOrigin: [
    async ({ page, baseURL }, use) => {
      const origin = new URL(baseURL!).origin;
      const off: string[] = [];
      const errors: string[] = [];
      page.on('request', (r) => {
        const u = new URL(r.url());
        if (u.protocol === 'data:' || u.protocol === 'blob:') return;
        const o = u.protocol === 'ws:' || u.protocol === 'wss:' ? `http${u.protocol === 'wss:' ? 's' : ''}://${u.host}` : u.origin;
        if (o !== origin) off.push(r.url());
      });
      page.on('pageerror', (e) => errors.push(`${e.message}\n${e.stack ?? ''}`));
      await use(off);
      expect(off, 'requests off the server origin').toEqual([]);
      expect(errors, 'uncaught page errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** A GraphQL request straight to the server (to prepare data a test needs). */
export async function gql<T = Record<string, unknown>>(
  request: import('@playwright/test').APIRequestContext,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const r = await request.post('/graphql', {
    data: { query, variables },
    headers: { 'Accept-Language': 'zh-CN', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
  const body = await r.json();
  if (body.errors) throw new Error(`${query}: ${JSON.stringify(body.errors)}`);
  return body.data as T;
}

/** The access token of a demo login. */
export async function apiLogin(request: import('@playwright/test').APIRequestContext, phone: string, password = demoPassword) {
  const d = await gql<{ login: { accessToken: string } }>(
    request,
    'mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { accessToken } }',
    { p: phone, w: password },
  );
  return d.login.accessToken;
}

/**
 * Log in through the API and start the page with the session stored, as
 * the app keeps it (src/session.ts): faster than the login form for tests
 * about other pages.
 */
export async function signIn(page: Page, request: import('@playwright/test').APIRequestContext, phone: string, password = demoPassword) {
  const d = await gql<{ login: Record<string, string> }>(
    request,
    'mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { accessToken refreshToken expiresAt refreshExpiresAt } }',
    { p: phone, w: password },
  );
  await page.addInitScript((session) => {
    if (!localStorage.getItem('mashang.session')) localStorage.setItem('mashang.session', session);
  }, JSON.stringify(d.login));
}
