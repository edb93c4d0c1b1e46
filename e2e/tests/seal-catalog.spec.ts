// The seal catalogue kept by the city, and matters outside it: a worker
// records a matter the catalogue lacks by its name; the worker and the leader
// each judge it with a reason; the city's administrator sees it listed, adds
// it to the city's catalogue, and loads a province's or city's file (checked
// first, every problem listed).
import { expect, test, type Page } from '@playwright/test';
import { shoot } from './shots';
import { loginOk, logout } from './session';

// A name no other test uses, so the catalogue change stays out of their way.
const NAME = '独生子女家庭情况证明';

test.describe.configure({ mode: 'serial' });

async function fillOutside(page: Page) {
  await page.goto('/seal');
  await expect(page.getByRole('heading', { name: '新建证明申请' })).toBeVisible();
  await page.getByLabel('申请单位名称').fill('市卫生健康委员会人口家庭科');
  await page.locator('#requester_department').selectOption('wjw');
  await page.getByLabel('居民姓名').fill('王秀英');
  await page.getByLabel('居民公民身份号码').fill('11010519491231002X');
  await page.locator('#matter').fill(NAME);
  await expect(page.getByRole('option', { name: /目录中没有/ })).toBeVisible();
  await shoot(page, 'seal-form-outside-catalogue-offer');
  await page.getByTestId('matter-outside').click();
  await expect(page.getByTestId('matter-outside-note')).toContainText(NAME);
  await page.getByLabel('证明用途').fill('办理独生子女父母奖励');
  await page.getByLabel('证明内容').fill('兹证明王秀英同志家庭情况已由本社区核实。');
}

test('a matter outside the catalogue: general rules, then the worker and the leader judge with reasons', async ({ browser }) => {
  const page = await browser.newPage();
  await loginOk(page, 'gridmember');
  await fillOutside(page);
  const decision = page.getByTestId('seal-decision');
  // No article: refused on the general rules, before submit.
  await expect(decision.locator('li')).toHaveAttribute('data-code', 'seal_no_article');
  await page.getByLabel('法规名称').fill('示范市人口与计划生育实施办法');
  await page.getByLabel('条款号').fill('第二十条');
  await page.locator('#basis_text').fill('……由所在社区居民委员会出具家庭情况证明。');
  await expect(decision).toContainText('目录外事项');
  await expect(decision).toContainText('分别写明判断理由');
  await shoot(page, 'seal-form-outside-catalogue');
  await page.getByRole('button', { name: '登记申请' }).click();
  await expect(page.getByTestId('seal-status')).toHaveText('待审核');
  await expect(page.getByTestId('uncatalogued')).toBeVisible();
  const url = page.url();
  // The review needs its reason: the same message as the API's.
  await page.getByRole('button', { name: '审核通过,报社区负责人批准' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '判断理由' }).first()).toBeVisible();
  await page.getByLabel('判断理由(目录外事项必填)').fill('所引条款明确由社区出具,已入户核实家庭成员。');
  await page.getByRole('button', { name: '审核通过,报社区负责人批准' }).click();
  await expect(page.getByTestId('seal-status')).toHaveText('待批准');
  await expect(page.getByTestId('review-note')).toHaveText('所引条款明确由社区出具,已入户核实家庭成员。');
  await logout(page);

  await loginOk(page, 'leader');
  await page.goto(url);
  await page.getByLabel('判断理由(目录外事项必填)').fill('同意:条款有据,核实属实。');
  await shoot(page, 'seal-request-outside-catalogue-approve');
  await page.getByRole('button', { name: '批准用印' }).click();
  await expect(page.getByTestId('seal-status')).toHaveText('待盖章');
  await expect(page.getByTestId('approve-note')).toHaveText('同意:条款有据,核实属实。');
  await page.close();
});

test('the city administrator sees it listed, adds it to the city catalogue, and loads a checked file', async ({ page }) => {
  await loginOk(page, 'sysadmin');
  await page.getByRole('link', { name: '证明事项目录' }).first().click();
  await expect(page).toHaveURL(/\/seal-catalog$/);
  await expect(page.getByRole('heading', { name: '证明事项目录', level: 1 })).toBeVisible();
  await expect(page.getByTestId('catalog-version')).toContainText('CN-2026.1+HB-DEMO-1');
  const editions = page.getByTestId('catalog-editions');
  await expect(editions).toContainText('HB-DEMO-1');
  await expect(editions.locator('tbody tr').last()).toContainText('随系统发布');
  const outside = page.getByTestId('uncatalogued');
  await expect(outside).toContainText(NAME);
  await shoot(page, 'seal-catalog');

  // A file with mistakes: every problem listed, nothing loaded.
  const bad = {
    level: 'city', region: '示范市', version: 'SF 2027', effective_from: '2027-01-01',
    matters: [{ code: 'death', name: '死亡证明', community_duty: true, suggested_basis: { law: '某条例', article: '第一条', text: '……' } }],
  };
  await page.locator('#catalog-file').setInputFiles({ name: '错误.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
  const problems = page.getByTestId('catalog-upload-problems');
  await expect(problems).toContainText('发现 2 处问题');
  await expect(problems).toContainText('版本号(version)');
  await expect(problems).toContainText('“死亡证明”在国家不应由村(居)民委员会出具的证明事项清单');
  await expect(page.getByRole('button', { name: '加载' })).toBeDisabled();
  await shoot(page, 'seal-catalog-file-problems');
  // A good one, taking effect later: checked, then loaded, listed as pending.
  const good = { ...bad, version: 'SF-2099.1', effective_from: '2099-01-01', source: '示范市民政局〔2026〕9号',
    matters: [{ code: 'city_demo_later', name: '某项将来证明', national_list: true }] };
  await page.locator('#catalog-file').setInputFiles({ name: '示范市.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(good)) });
  await expect(page.getByTestId('catalog-upload-result')).toContainText('检查通过');
  await page.getByRole('button', { name: '加载' }).click();
  await expect(page.getByTestId('catalog-upload-result')).toContainText('已加载 市级 SF-2099.1');
  await expect(editions.locator('tr', { hasText: 'SF-2099.1' })).toContainText('待生效');

  // From the list into the form: the name is filled, the worker's rules follow.
  await outside.locator('tr', { hasText: NAME }).getByRole('button', { name: '加入市级目录' }).click();
  await expect(page.locator('#city_name')).toHaveValue(NAME);
  await expect(page.locator('#city_name')).toBeFocused();
  await page.getByRole('button', { name: '保存市级事项' }).click();
  // Checked as typed, by the same rules as the API.
  await expect(page.locator('#city_kind-error')).toContainText('事项性质');
  await page.locator('#city_kind').selectOption('community_duty');
  await page.getByRole('button', { name: '保存市级事项' }).click();
  await expect(page.locator('#city_basis_law-error')).toContainText('法规名称');
  await page.locator('#city_kind').selectOption('department_duty');
  await page.locator('#city_department').selectOption('wjw');
  await page.getByLabel('拼音首字母').fill('dsznjtqkzm');
  await page.getByLabel('依据文件及文号').fill('示范市卫生健康委员会〔2026〕3号');
  await page.getByLabel('居民办理途径').fill('由市卫生健康委员会依职责核实办理');
  await shoot(page, 'seal-catalog-city-form');
  await page.getByRole('button', { name: '保存市级事项' }).click();
  await expect(page.getByTestId('city-matter-saved')).toContainText('已保存为市级目录');
  await expect(outside).not.toContainText(NAME);
  await expect(page.getByTestId('catalog-version')).toContainText('+city-');

  // The worker finds it now by its initials; it is the department's own duty.
  await logout(page);
  await loginOk(page, 'gridmember');
  await page.goto('/seal');
  await page.locator('#matter').fill('dszn');
  await expect(page.getByRole('option', { name: NAME, exact: true })).toBeVisible();
});
