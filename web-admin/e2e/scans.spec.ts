// /scans in a real browser (issue 14): the demo scanner records twelve
// fevers of its own (39.4 °C, people without a code, MANUAL); the 朝阳区
// official filters fever only within the district, sees them first and in
// red, pages forward and back, asks for the count, and exports the filter to
// an XLSX whose progress reaches 100 % before the download.
import { readFileSync } from 'node:fs';
import { test, expect, demo, gql, apiLogin, signIn, screenshot } from './fixtures';
import { pick } from './antd';

/** A resident ID number with its check character (GB 11643). */
function residentID(first17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * w[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

test('an official filters, pages, counts and exports scan records', async ({ page, request }) => {
  const scanner = await apiLogin(request, demo.scanner);
  const v = await gql<{ viewer: { acting: { scopeSite: { id: string; latitude: number; longitude: number } } } }>(
    request,
    '{ viewer { acting { scopeSite { id latitude longitude } } } }',
    {},
    scanner,
  );
  const site = v.viewer.acting.scopeSite;
  const run = Date.now().toString().slice(-6);
  const input = Array.from({ length: 12 }, (_, i) => ({
    clientId: `e2e-scans-${run}-${i}`,
    site: site.id,
    method: 'MANUAL',
    manual: { name: `测试${String.fromCharCode(0x4e00 + i)}`, idType: 'RESIDENT_ID', idNumber: residentID(`2201041951${String(1 + i).padStart(2, '0')}${String((Number(run) % 28) + 1).padStart(2, '0')}${run.slice(-1)}${String(i).padStart(2, '0')}`) },
    temperature: 39.4,
    latitude: site.latitude,
    longitude: site.longitude,
  }));
  const stored = await gql<{ recordScans: { stored: number; failed: number } }>(
    request,
    'mutation($in: [ScanInput!]!) { recordScans(input: $in) { stored failed } }',
    { in: input },
    scanner,
  );
  expect(stored.recordScans).toEqual({ stored: 12, failed: 0 });

  await signIn(page, request, demo.official);
  await page.goto('/scans');
  await expect(page.getByRole('heading', { name: '扫码记录' })).toBeVisible();
  // Filter in the UI: the district, fevers only, ten a page.
  await pick(page, page.getByTestId('filter-subtree'), '朝阳', /朝阳区（/);
  await page.getByTestId('filter-fever').click();
  await expect(page).toHaveURL(/fever=1/);
  await expect(page).toHaveURL(/within=/);
  await page.locator('.ant-select', { hasText: '每页 20 条' }).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '每页 10 条' }).click();
  await expect(page).toHaveURL(/size=10/);
  // The filter survives a reload (it is the URL).
  await page.reload();
  await expect(page.getByTestId('filter-fever')).toBeChecked();
  await expect(page.getByTestId('filter-subtree')).toContainText('朝阳区');

  const rows = page.locator('.ant-table-tbody tr.ant-table-row');
  await expect(rows).toHaveCount(10);
  // Newest first: the page is our twelve fevers' first ten, all red.
  for (const r of await rows.all()) {
    await expect(r).toContainText('39.4 °C');
    await expect(r).toHaveClass(/scan-abnormal/);
  }
  await expect(rows.first()).toContainText('手工登记');
  await screenshot(page, 'scans');

  // Keyset paging forward and back.
  await page.getByRole('button', { name: /下一页/ }).click();
  await expect(page.getByTestId('page-no')).toHaveText('第 2 页');
  await expect(rows.nth(0)).toContainText('39.4 °C');
  await expect(rows.nth(1)).toContainText('39.4 °C');
  await page.getByRole('button', { name: /上一页/ }).click();
  await expect(page.getByTestId('page-no')).toHaveText('第 1 页');
  await expect(rows).toHaveCount(10);

  // The count only on request.
  await page.getByTestId('count').click();
  const count = await page.getByTestId('scan-count').textContent();
  expect(Number(/共 (\d+) 条/.exec(count ?? '')?.[1])).toBeGreaterThanOrEqual(12);

  // Export the filter: progress to 100 %, then the file.
  const downloaded = page.waitForEvent('download');
  await page.getByTestId('export').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByTestId('export-done')).toBeVisible();
  await expect(dialog.getByTestId('export-progress')).toHaveAttribute('aria-valuenow', '100');
  await screenshot(page, 'scans-export');
  const file = await downloaded;
  expect(file.suggestedFilename()).toMatch(/^扫码记录-\d{8}-\d{6}\.xlsx$/);
  const body = readFileSync(await file.path());
  // An XLSX is a zip holding the sheet.
  expect(body.subarray(0, 4).toString('hex')).toBe('504b0304');
  expect(body.includes(Buffer.from('xl/worksheets/sheet1.xml'))).toBe(true);
});
