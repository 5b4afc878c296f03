// Browser tests (make e2e): Debian's chromium (no browser download) against
// a real `mashang serve --demo` on a temporary SQLite database, started by
// e2e/global-setup.ts on a free port. MASHANG_BIN names the binary
// (make e2e builds bin/mashang); MASHANG_CHROMIUM the browser.
import { defineConfig, devices } from '@playwright/test';

const chromium = process.env.MASHANG_CHROMIUM ?? '/usr/bin/chromium';
const launchOptions = {
  executablePath: chromium,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
};

export default defineConfig({
  testDir: './e2e',
  globalSetup: './e2e/global-setup.ts',
  // One server, one database: tests that change data run one after another.
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  // Generous: the machine running CI may be shared and loaded.
  expect: { timeout: 30_000 },
  reporter: [['list']],
  outputDir: '../.cache/e2e-results',
  use: {
    baseURL: process.env.MASHANG_E2E_URL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    trace: 'off',
    screenshot: 'only-on-failure',
    launchOptions,
  },
  projects: [
    { name: 'desktop', use: { ...devices['Desktop Chrome'], viewport: { width: 1366, height: 768 }, launchOptions } },
    {
      name: 'tablet',
      // 768×1024 portrait (a community worker's tablet); only the tests
      // tagged @tablet run here.
      grep: /@tablet/,
      use: { viewport: { width: 768, height: 1024 }, isMobile: false, hasTouch: true, launchOptions },
    },
  ],
});
