// /control-lists in a real browser (issue 14): the INITIATOR drops a CSV
// control list with one bad row (a wrong check digit on line 3); the job's
// progress reaches 100 % with the row error and its line number, and the
// history lists the file.
import { test, expect, demo, screenshot } from './fixtures';
import { loginTo } from './antd';

/** A GB 11643 resident ID from 17 digits (the check character appended). */
function residentID(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

test('a control list with a bad row is imported with its row error @tablet', async ({ page }) => {
  const serial = String(Math.floor(Math.random() * 900) + 100);
  const good = residentID(`22010419850101${serial}`);
  const right = residentID(`22010419860202${serial}`);
  const bad = right.slice(0, 17) + (right[17] === '1' ? '2' : '1');
  const end = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
  const filename = `管控名单-端到端-${Date.now()}.csv`;
  const csv = `\uFEFF身份证号,风险,隔离结束,姓名\r\n${good},隔离,${end},端到端甲\r\n${bad},确诊,,端到端乙\r\n`;

  await loginTo(page, demo.initiator, '/control-lists');
  await expect(page.getByRole('heading', { name: '管控名单导入' })).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: /下载模板/ }).click();
  expect((await download).suggestedFilename()).toBe('管控名单模板.csv');

  await page.locator('input[type=file]').setInputFiles({ name: filename, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf-8') });
  const job = page.getByTestId('import-job');
  await expect(job).toContainText(filename);
  await expect(job.getByRole('progressbar').first()).toHaveAttribute('aria-valuenow', '100');
  await expect(job).toContainText('已完成');
  await expect(job).toContainText('共 2 行，已处理 2 行');
  const errorRow = job.getByRole('row').filter({ has: page.getByRole('cell', { name: '3', exact: true }) });
  await expect(errorRow).toHaveCount(1);
  await expect(errorRow).toContainText(/check|校验/i);
  await expect(job.getByRole('row').filter({ has: page.getByRole('cell', { name: '2', exact: true }) })).toHaveCount(0);
  const history = page.getByTestId('import-history');
  const listed = history.getByRole('row', { name: new RegExp(filename) });
  await expect(listed).toContainText('已完成');
  await screenshot(page, 'control-lists');
});
