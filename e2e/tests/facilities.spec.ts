// Community facilities (社区设施布点, 四同步): a new residential project goes
// through its four steps, each sign-off made by the department that owns it;
// the receiving community cannot sign the handover until 民政 has accepted;
// and a room a community rents changes its shortfall on the dashboard.
import { expect, test, type Page } from '@playwright/test';
import * as path from 'node:path';
import { shoot } from './shots';
import { loginOk, logout } from './session';

const PROJECT = '春江悦府';

/** The server's fixed "today" in the e2e run (`GONGZHI_TODAY`, playwright.config.ts). */
const TODAY = '2026-11-24';

/** A day `n` days from the server's today, as a date input takes it. */
function day(n: number): string {
  const d = new Date(Date.parse(TODAY + 'T00:00:00Z') + n * 86400_000);
  return d.toISOString().slice(0, 10);
}

/** The number in “546 ㎡”, “缺 146 ㎡”. */
function m2(text: string): number {
  return Number(text.replace(/[^0-9.]/g, ''));
}

async function phoneShot(page: Page, name: string) {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(__dirname, '..', 'screenshots', `${name}-phone.png`), fullPage: true });
  await page.setViewportSize({ width: 1024, height: 768 });
}

/** As `who`, open the project and sign `kind`, with the extra fields given by label. */
async function sign(page: Page, who: string, project: string, kind: string, evidence: string, extra: Record<string, string> = {}) {
  await loginOk(page, who);
  await page.goto(project);
  const slot = page.getByTestId(`signoff-${kind}`);
  await expect(slot).toBeVisible();
  // The server counts from its fixed today; the form's default is the browser's.
  await slot.getByLabel('签字日期').fill(day(0));
  await slot.getByLabel('依据文件或说明').fill(evidence);
  for (const [label, value] of Object.entries(extra)) await slot.getByLabel(label).fill(value);
  await slot.getByRole('button', { name: '签字' }).click();
  await expect(page.getByTestId('signoff-done')).toContainText('已签字:');
  await expect(slot.getByText('依据:' + evidence)).toBeVisible();
  await expect(slot.getByRole('button', { name: '签字' })).toHaveCount(0);
  await logout(page);
}

test('a new project goes through the four steps, and no handover before 民政 accepts', async ({ page }) => {
  test.setTimeout(180_000);

  // 民政 registers the project in 幸福社区.
  await loginOk(page, 'reviewer');
  await page.goto('/facilities');
  await expect(page.getByRole('heading', { level: 1, name: '社区设施布点' })).toBeVisible();
  await expect(page.getByTestId('facility-map').locator('svg[role=img]')).toHaveAttribute('aria-label', /社区设施布点图/);
  await shoot(page, 'facilities-dashboard');
  await page.getByRole('link', { name: '登记新建住宅项目' }).click();
  await expect(page).toHaveURL(/\/facilities\/new$/);
  const form = page.getByTestId('facility-project-form');
  // The browser checks the form with the domain's rules before sending.
  await form.getByRole('button', { name: '登记项目' }).click();
  await expect(form.locator('#name-error')).toHaveText('请填写项目名称。');
  const community = await form.locator('#community_id option', { hasText: '幸福社区' }).getAttribute('value');
  await form.locator('#community_id').selectOption(community!);
  await form.getByLabel('项目名称').fill(PROJECT);
  await form.getByLabel('建设单位(开发商)').fill('春江置业有限公司');
  await form.getByLabel('规划户数').fill('1000');
  await form.getByLabel('分期数').fill('2');
  await form.getByLabel('配建社区综合服务用房面积(平方米)').fill('300');
  await form.getByLabel('配建养老服务用房面积(平方米)').fill('350');
  await form.getByLabel('用房所在楼层').fill('1');
  await form.getByLabel('规划计划完成日期').fill(day(30));
  await form.getByLabel('建设计划完成日期').fill(day(200));
  await form.getByLabel('验收计划完成日期').fill(day(260));
  await form.getByLabel('移交计划完成日期').fill(day(300));
  await shoot(page, 'facilities-new');
  await form.getByRole('button', { name: '登记项目' }).click();
  await expect(page).toHaveURL(/\/facilities\/projects\/\d+\?registered=1$/);
  await expect(page.getByTestId('project-registered')).toContainText(`已登记 ${PROJECT}`);
  await expect(page.getByTestId('project-step')).toContainText('规划');
  const project = new URL(page.url()).pathname;
  await logout(page);

  // 自然资源: the project waits for it on its dashboard; it signs the land conditions.
  await loginOk(page, 'applicant.zrzyj');
  await page.goto('/facilities');
  const waiting = page.getByTestId('facility-waiting');
  await expect(waiting).toContainText(PROJECT);
  await shoot(page, 'facilities-waiting');
  await waiting.getByRole('link', { name: PROJECT }).click();
  await expect(page).toHaveURL(new RegExp(`${project}$`));
  await logout(page);
  await sign(page, 'applicant.zrzyj', project, 'land_conditions', '春江悦府出让合同附件已列明配套用房');

  // 民政 signs the design consultation: 规划 is done.
  await sign(page, 'reviewer', project, 'design_consulted', '设计方案已征求民政部门和街道意见');

  // 住建: built with the housing, with the built areas.
  await sign(page, 'applicant.zjj', project, 'built', '配套用房与首期住宅同步竣工', {
    '建成社区综合服务用房面积(平方米)': '300',
    '建成养老服务用房面积(平方米)': '350',
    '建成时住宅已交付比例(%)': '30',
  });

  // 自然资源 and 住建 accept; 民政 has not yet.
  await sign(page, 'applicant.zrzyj', project, 'accept_natural_resources', '规划核实合格');
  await sign(page, 'applicant.zjj', project, 'accept_housing', '竣工验收备案');

  // The receiving community cannot sign the handover: it reads why, and has no button.
  await loginOk(page, 'leader');
  await page.goto(project);
  const handover = page.getByTestId('signoff-handover_agreement');
  await expect(handover.getByTestId('signoff-blocked')).toContainText('验收尚缺民政部门的签字');
  await expect(handover.getByRole('button')).toHaveCount(0);
  await expect(page.getByTestId('step-acceptance')).toContainText('进行中');
  await shoot(page, 'facilities-project-blocked');
  await logout(page);

  // 民政 accepts; then the community signs the agreement, 自然资源 registers, the community uses the rooms.
  await sign(page, 'reviewer', project, 'accept_civil_affairs', '社区用房使用功能验收合格');
  await sign(page, 'leader', project, 'handover_agreement', '无偿移交协议已签订');
  await sign(page, 'applicant.zrzyj', project, 'property_registered', '不动产权证书已办理至社区居民委员会名下');
  await sign(page, 'leader', project, 'in_use', '已作为党群服务中心投入使用');

  await loginOk(page, 'reviewer');
  await page.goto(project);
  await expect(page.getByTestId('project-step')).toHaveText('已交付使用');
  for (const step of ['planning', 'construction', 'acceptance', 'handover']) {
    await expect(page.getByTestId(`step-${step}`)).toContainText('已于');
  }
  await shoot(page, 'facilities-project-delivered');
  await page.goto('/facilities');
  const row = page.getByTestId('facility-projects').locator('tr', { hasText: PROJECT });
  await expect(row).toContainText('已交付使用');
});

test('a room the community rents changes its shortfall on the dashboard', async ({ page }) => {
  test.setTimeout(60_000);
  await loginOk(page, 'leader');
  await page.goto('/facilities');
  const row = () => page.getByTestId('facility-communities').locator('tbody tr', { hasText: '幸福社区' });
  await expect(row()).toBeVisible();
  // Columns: 社区, 街道, 户数, 综合服务用房 应有, 已有, 达标情况, 养老服务用房 …
  const provided = m2(await row().locator('td').nth(4).innerText());
  const shortBefore = await row().locator('td').nth(5).innerText();
  expect(shortBefore).toMatch(/^缺 /);
  await row().getByRole('link', { name: '幸福社区' }).click();
  await expect(page).toHaveURL(/\/facilities\/communities\/\d+$/);
  await expect(page.getByTestId('shortfall-service')).toContainText('缺');
  await shoot(page, 'facilities-community');
  await phoneShot(page, 'facilities-community');

  const form = page.getByTestId('room-form');
  await form.locator('#room_use').selectOption('service');
  await form.getByLabel('用房名称或位置').fill('幸福里 5 栋底商');
  await form.getByLabel('建筑面积(平方米)').fill('80');
  await form.locator('#tenure').selectOption('rented');
  await form.getByLabel('所在楼层').fill('1');
  await form.getByLabel('启用日期').fill(day(-1));
  await form.getByRole('button', { name: '登记用房' }).click();
  await expect(page.getByTestId('room-saved')).toContainText('幸福里 5 栋底商');
  await expect(page.getByTestId('community-rooms').locator('tr', { hasText: '幸福里 5 栋底商' })).toContainText('租赁');

  await page.goto('/facilities');
  await expect.poll(async () => m2(await row().locator('td').nth(4).innerText())).toBeCloseTo(provided + 80, 2);
  await expect(row().locator('td').nth(5)).not.toHaveText(shortBefore);
  const shortAfter = await row().locator('td').nth(5).innerText();
  if (shortAfter !== '达标') expect(m2(shortAfter)).toBeCloseTo(Math.max(m2(shortBefore) - 80, 0), 2);
});

test('the administrator keeps the area standard by version', async ({ page }) => {
  await loginOk(page, 'sysadmin');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '设施配置标准' }).click();
  await expect(page).toHaveURL(/\/facilities\/standards$/);
  const table = page.getByTestId('facility-standards');
  await expect(table.locator('tr', { hasText: '完整社区建设指南(2022)' })).toContainText('现行');
  await page.getByRole('button', { name: '录入', exact: true }).click();
  await expect(page.locator('#version-error')).toHaveText('请填写标准名称。');
  await page.getByLabel('标准名称').fill('市社区用房配置标准(2031 修订)');
  await page.getByLabel('生效日期').fill('2031-01-01');
  await page.getByLabel('社区综合服务用房(每百户平方米)').fill('35');
  await page.getByLabel('已建成社区养老服务用房(每百户平方米)').fill('20');
  await page.getByLabel('新建住宅项目养老服务用房(每百户平方米)').fill('30');
  await page.getByLabel('新建项目养老服务用房单处最小面积(平方米)').fill('350');
  await page.getByLabel('最高楼层').fill('3');
  await page.getByLabel('须在住宅交付比例之前建成(%)').fill('50');
  await page.getByRole('button', { name: '录入', exact: true }).click();
  await expect(page.getByTestId('standard-saved')).toContainText('市社区用房配置标准(2031 修订)');
  // Not in force before its day: the 2022 version stays 现行.
  await expect(table.locator('tr', { hasText: '2031 修订' })).not.toContainText('现行');
  await expect(table.locator('tr', { hasText: '完整社区建设指南(2022)' })).toContainText('现行');
  await shoot(page, 'facilities-standards');
});
