// /rules in a real browser (issue 14; seed 003 §五(二) 实时调整规则): the
// INITIATOR edits the rules in the CEL-aware editor (completions of the
// server's CEL environment), a broken rule shows its problem and cannot be
// confirmed; a sound edit shows the dry run and the diff, is confirmed and
// is the version in force. The e2e suite shares one server: the published
// rules are those in force plus an unused parameter, equivalent in effect,
// so no colour elsewhere changes.
import { test, expect, demo, screenshot, apiLogin, gql } from './fixtures';
import { loginTo } from './antd';

interface RuleSet {
  version?: number;
  params: Record<string, number>;
  rules: { colour: string; when: string; cause: string }[];
}

test('the INITIATOR dry-runs, compares and publishes a rule set', async ({ page, request }) => {
  const token = await apiLogin(request, demo.initiator);
  const { ruleSets } = await gql<{ ruleSets: { version: number; inForce: boolean; rules: string }[] }>(
    request,
    '{ ruleSets { version inForce rules } }',
    {},
    token,
  );
  const inForce = ruleSets.find((r) => r.inForce)!;
  const { version: _v, ...current } = JSON.parse(inForce.rules) as RuleSet;
  const marker = `e2e_${Date.now() % 100000}`;
  const good: RuleSet = { ...current, params: { ...current.params, [marker]: 1 } };
  const broken: RuleSet = { ...current, rules: current.rules.map((r, i) => (i === 0 ? { ...r, when: r.when.replace('person.risk', 'person.risky') } : r)) };
  expect(broken.rules[0].when).toContain('person.risky');

  await loginTo(page, demo.initiator, '/rules');
  const versions = page.getByTestId('rule-versions');
  await expect(versions.getByRole('row', { name: new RegExp(`v${inForce.version}\\b.*生效中`) })).toBeVisible();
  await page.getByRole('button', { name: /编辑并发布新版本/ }).click();
  const editor = page.getByTestId('rule-editor').locator('.cm-content');
  const replace = async (text: string) => {
    await editor.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText(text);
  };

  // Completions of the CEL environment inside a "when".
  await replace('{"params": {"fever_c": 37.3}, "rules": [{"colour": "YELLOW", "when": ""}]}');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
  await page.keyboard.type('person.temp');
  const completions = page.locator('.cm-tooltip-autocomplete');
  await expect(completions).toContainText('temperature');
  await expect(completions).toContainText('temperature_at');
  await screenshot(page, 'rules-completion');
  await page.keyboard.press('Escape');

  // A broken rule: its problem named, marked in the editor, no confirming.
  await replace(JSON.stringify(broken, null, 2));
  await page.getByRole('button', { name: /试运行/ }).click();
  const preview = page.getByTestId('rule-preview');
  await expect(preview).toContainText('试运行未通过');
  await expect(preview).toContainText(`第 1 条「${broken.rules[0].cause}」`);
  await expect(preview).toContainText('risky');
  await expect(page.locator('.cm-lintRange-error').first()).toBeVisible();
  await expect(page.getByRole('button', { name: /确认发布/ })).toBeDisabled();
  await preview.scrollIntoViewIfNeeded();
  await screenshot(page, 'rules-broken');

  // The sound edit: dry run, diff against the version in force, confirm.
  await replace(JSON.stringify(good, null, 2));
  await page.getByRole('button', { name: /试运行/ }).click();
  await expect(preview).toContainText(`试运行通过：可以发布为 v${inForce.version + 1}`);
  await expect(page.getByTestId('rule-shifts')).toContainText('抽样');
  await expect(preview.getByRole('row', { name: /确诊/ }).first()).toContainText('红码');
  const diff = page.getByTestId('rule-diff').first();
  await expect(diff.locator('.diff-added', { hasText: marker })).toHaveCount(1);
  await expect(diff.locator('.diff-removed')).toHaveCount(1); // the line before gains a comma
  await page.getByPlaceholder(/本次调整的说明/).fill('端到端：新增未使用的参数，效果不变');
  await preview.scrollIntoViewIfNeeded();
  await screenshot(page, 'rules-preview');
  await page.getByRole('button', { name: /确认发布/ }).click();
  await page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(page.getByText(`已发布 v${inForce.version + 1}`)).toBeVisible();
  const newest = versions.getByRole('row', { name: /端到端：新增未使用的参数/ });
  await expect(newest).toContainText('生效中');
  await expect(newest).toContainText(`v${inForce.version + 1}`);
  await expect(versions.getByRole('row', { name: new RegExp(`^v${inForce.version}\\b`) })).not.toContainText('生效中');
  await expect(page.getByTestId('rule-diff').first().locator('.diff-added', { hasText: marker })).toHaveCount(1);
  await screenshot(page, 'rules');
});
