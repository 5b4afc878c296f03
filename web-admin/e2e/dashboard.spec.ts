// /dashboard in a real browser (issue 14): the province INITIATOR opens
// 宣城市, drills down to 宁国市 by clicking its row, and reads its towns
// against their registration targets: the demo carries seed 003 annex 1
// (各乡镇街道安康码申领任务表: 辖区总人数, 目标任务量 = 辖区总人数 × 90%),
// demo/data/ningguo_annex1.csv. Then the XLSX export runs to 100 % and
// downloads, and the breadcrumb goes back up.
import { test, expect, demo, signIn, screenshot } from './fixtures';
import type { Locator, Page } from '@playwright/test';

/** The cells of a town's row of the registrations table: rank, name, population, target, registered, rate. */
async function town(panel: Locator, name: string) {
  const row = panel.getByRole('row').filter({ has: panel.page().getByRole('cell', { name, exact: true }) });
  await expect(row).toHaveCount(1);
  return row.getByRole('cell');
}

async function chartDrawn(page: Page, testId: string) {
  const chart = page.getByTestId(testId);
  await expect(chart).toHaveAttribute('data-rendered', 'true');
  // Something was painted on the canvas (not a blank box).
  const painted = await chart.locator('canvas').first().evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
  });
  expect(painted).toBeGreaterThan(500);
}

test('the dashboard drills down to 宁国市 and shows its towns against their targets', async ({ page, request }) => {
  await signIn(page, request, demo.initiator);
  await page.goto('/dashboard?under=3418');
  const reg = page.getByTestId('panel-registrations');
  await expect(reg.getByRole('cell', { name: '宁国市', exact: true })).toBeVisible();
  await chartDrawn(page, 'chart-registrations');

  // Drill down by clicking the region's row.
  await reg.getByRole('cell', { name: '宁国市', exact: true }).click();
  await expect(page).toHaveURL(/[?&]under=341881(&|$)/);
  await expect(page.getByTestId('breadcrumbs')).toContainText('宣城市');
  await expect(page.getByRole('heading', { name: /宁国市/ })).toBeVisible();

  // Annex 1: 港口镇 32683 → 29415, 中溪镇 24606 → 22146, 南极乡 11289 → 10162
  // (the document's figure, one above the rule), 河沥溪街道 30918 → 27827.
  for (const [name, population, target] of [
    ['港口镇', '32,683', '29,415'],
    ['中溪镇', '24,606', '22,146'],
    ['南极乡', '11,289', '10,162'],
    ['河沥溪街道', '30,918', '27,827'],
  ]) {
    const cells = await town(reg, name);
    await expect(cells.nth(2)).toHaveText(population);
    await expect(cells.nth(3)).toHaveText(target);
  }
  await chartDrawn(page, 'chart-registrations');
  await expect(page.getByTestId('updated-at')).toHaveText(/更新于 \d\d:\d\d:\d\d/);

  // The other panels answered (none is still loading, none shows an error)
  // and drew.
  const panels = page.locator('[data-testid^="panel-"]');
  await expect(panels.first()).toBeVisible();
  await expect(panels.locator('.ant-skeleton')).toHaveCount(0);
  await expect(panels.locator('.ant-alert-error')).toHaveCount(0);
  await expect(page.getByTestId('panel-coverage')).not.toContainText('无权');
  await chartDrawn(page, 'chart-daily');

  // Export: the daily report form of 宁国市, progress to 100 %, then the file.
  await page.getByTestId('export').click();
  const download = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: /每日注册人数和扫码人数统计表/ }).click();
  await expect(page.getByTestId('export-progress')).toHaveAttribute('aria-valuenow', '100');
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.xlsx$/);
  const path = await file.path();
  const bytes = (await import('node:fs')).readFileSync(path);
  expect(bytes.subarray(0, 2).toString()).toBe('PK'); // an XLSX is a zip
  await page.keyboard.press('Escape');

  // Back up with the breadcrumb.
  await page.getByTestId('breadcrumbs').getByRole('link', { name: '宣城市' }).click();
  await expect(page).toHaveURL(/[?&]under=3418(&|$)/);
  await expect(reg.getByRole('cell', { name: '宁国市', exact: true })).toBeVisible();
});

test('the dashboard of 宁国市 on a tablet @tablet', async ({ page, request }) => {
  await signIn(page, request, demo.initiator);
  await page.goto('/dashboard?under=341881');
  const reg = page.getByTestId('panel-registrations');
  const cells = await town(reg, '港口镇');
  await expect(cells.nth(3)).toHaveText('29,415');
  await expect(page.getByTestId('chart-registrations')).toHaveAttribute('data-rendered', 'true');
  await expect(page.getByTestId('chart-daily')).toHaveAttribute('data-rendered', 'true');
  await screenshot(page, 'dashboard');
});
