// The jurisdiction tree and the site pages, as the demo INITIATOR.
import type { Page } from '@playwright/test';
import { test, expect, demo, signIn, screenshot, gql, apiLogin } from './fixtures';

/** Expand the tree node of a region by its division code. */
async function expandRegion(page: Page, code: string) {
  const node = page.locator('.ant-tree-treenode', { has: page.getByTestId(`tree-region-${code}`) });
  await node.locator('.ant-tree-switcher').click();
  await expect(node).toHaveClass(/ant-tree-treenode-switcher-open/);
}

async function siteId(request: import('@playwright/test').APIRequestContext, name: string) {
  const token = await apiLogin(request, demo.initiator);
  const d = await gql<{ sites: { edges: { node: { id: string; name: string } }[] } }>(
    request,
    'query($n: String!) { sites(first: 5, where: { name: $n }) { edges { node { id name } } } }',
    { n: name },
    token,
  );
  return d.sites.edges[0].node.id;
}

test('expanding the tree down to a community and opening a site @tablet', async ({ page, request }) => {
  await signIn(page, request, demo.initiator);
  await page.goto('/');
  await expect(page).toHaveURL(/\/tree$/);
  for (const code of ['22', '2201', '220104', '220104002', '220104002002']) await expandRegion(page, code);
  await page.locator('[data-testid^=tree-site-]', { hasText: '长春市朝阳区人民医院' }).click();
  await expect(page).toHaveURL(/\?site=\d+$/);
  const details = page.getByTestId('site-details');
  await expect(details).toContainText('医疗机构');
  await expect(details).toContainText('强制核验');
  await expect(details).not.toContainText('MEDICAL_INSTITUTION');
  await expect(page.getByTestId('site-scanners')).toContainText('普通扫码员');
  await expect(page.getByTestId('breadcrumbs')).toContainText('长春市朝阳区人民医院');
  await screenshot(page, 'tree');
  await page.getByRole('button', { name: /打开站点/ }).click();
  await expect(page).toHaveURL(/\/sites\/\d+$/);
  await expect(page.getByTestId('site-title')).toHaveText('长春市朝阳区人民医院');
  await expect(page.getByTestId('sub-sites')).toContainText('门诊楼');
  await screenshot(page, 'site');
});

test('a deep link opens the tree at its region, with breadcrumbs', async ({ page, request }) => {
  await signIn(page, request, demo.initiator);
  await page.goto('/tree/220104');
  await expect(page.getByTestId('breadcrumbs')).toContainText('吉林省');
  await expect(page.getByTestId('breadcrumbs')).toContainText('长春市');
  await expect(page.getByTestId('region-details')).toContainText('区县');
  await expect(page.locator('.ant-tree-treenode-selected')).toContainText('朝阳区');
  await expect(page.getByTestId('tree-region-220104002')).toBeVisible();
});

test('searching by name and by division code', async ({ page, request }) => {
  await signIn(page, request, demo.initiator);
  await page.goto('/tree');
  const search = page.getByRole('combobox', { name: '按名称或区划代码搜索' });
  await search.fill('桂林');
  await page.locator('.ant-select-item-option', { hasText: '桂林街道' }).click();
  await expect(page).toHaveURL(/\/tree\/220104002$/);
  await search.fill('220104003');
  await page.locator('.ant-select-item-option', { hasText: '南湖街道' }).click();
  await expect(page).toHaveURL(/\/tree\/220104003$/);
  await expect(page.getByTestId('region-details')).toContainText('220104003');
});

test('creating a sub-site, editing, moving and switching it off', async ({ page, request }) => {
  const park = await siteId(request, '南湖公园');
  await signIn(page, request, demo.initiator);
  await page.goto(`/sites/${park}`);
  await page.getByRole('button', { name: /新建下级站点/ }).click();
  await expect(page).toHaveURL(new RegExp(`/sites/new\\?parent=${park}$`));
  await page.getByLabel('名称').fill('南湖公园东门');
  await page.getByRole('combobox', { name: '场景类别' }).click();
  await page.locator('.ant-select-item-option', { hasText: /^公园（/ }).click();
  await page.getByLabel('地址').fill('长春市朝阳区工农大路');
  await page.getByLabel('纬度').fill('43.853');
  await page.getByLabel('经度').fill('125.296');
  await page.getByRole('button', { name: /新\s*建/ }).click();
  await expect(page.getByTestId('site-title')).toHaveText('南湖公园东门');
  await expect(page.getByTestId('breadcrumbs')).toContainText('南湖公园');
  await expect(page.getByTestId('site-details')).toContainText('43.853000, 125.296000');

  await page.getByRole('button', { name: /编\s*辑/ }).click();
  await page.getByRole('dialog').getByLabel('电子围栏半径（米）').fill('150');
  await page.getByRole('dialog').getByRole('button', { name: /保\s*存/ }).click();
  await expect(page.getByTestId('site-details')).toContainText('150');

  await page.getByTestId('toggle-enabled').click();
  await expect(page.getByTestId('site-details')).toContainText('未启用');

  // Move it under the park's north gate, chosen in the tree.
  await page.getByRole('button', { name: /移\s*动/ }).click();
  const dialog = page.getByRole('dialog');
  for (const code of ['22', '2201', '220104', '220104003']) {
    const node = dialog.locator('.ant-tree-treenode', { has: page.getByTestId(`tree-region-${code}`) });
    await node.locator('.ant-tree-switcher').click();
  }
  const parkNode = dialog.locator('.ant-tree-treenode', { has: page.getByTestId(`tree-site-${park}`) });
  await parkNode.locator('.ant-tree-switcher').click();
  await dialog.locator('[data-testid^=tree-site-]', { hasText: '南湖公园北门' }).click();
  await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(page.getByTestId('breadcrumbs')).toContainText('南湖公园北门');

  await page.goto(`/sites/${park}`);
  await expect(page.getByTestId('sub-sites')).toContainText('南湖公园北门');
});

test('the site code poster is drawn in the page and printable', async ({ page, request }) => {
  const hospital = await siteId(request, '长春市朝阳区人民医院');
  await signIn(page, request, demo.initiator);
  await page.goto(`/sites/${hospital}`);
  await page.getByRole('button', { name: /打印场所码/ }).click();
  const poster = page.getByTestId('site-poster');
  await expect(poster).toContainText('长春市朝阳区人民医院');
  await expect(poster.locator('img')).toHaveAttribute('src', /^data:image\/png;base64,/);
  await screenshot(page, 'site-poster');
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('button', { name: /打\s*印/ })).toBeHidden();
});
