// The working-day calculator (工作日计算) in the browser, checked against the API.
import { expect, test, type Page } from '@playwright/test';
import { shoot } from './shots';

async function openCalculator(page: Page) {
  await page.goto('/calendar');
  await expect(page.getByRole('heading', { name: '工作日计算' })).toBeVisible();
  // Wait until the server's schedules replaced the bundled ones.
  await expect(page.getByTestId('loaded-years')).toContainText('服务器当前使用的节假日安排');
}

async function enter(page: Page, from: string, days: string) {
  await page.getByLabel('起算日期').fill(from);
  await page.getByLabel('工作日天数').fill(days);
}

test('home page shows every capability in Chinese', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: '城市社区治理平台' })).toBeVisible();
  const main = page.locator('main');
  for (const title of ['事项准入', '经费保障', '社区设施', '全要素网格', '社区印章', '百姓定实事', '居民自治', '工作日计算']) {
    await expect(main.getByRole('link', { name: new RegExp(`^${title}`) })).toBeVisible();
  }
  // Signed out, the header offers only the public pages and the login.
  const nav = page.getByRole('navigation', { name: '主导航' });
  await expect(nav.getByRole('link')).toHaveText(['准入事项清单', '购买服务清单', '工作日计算']);
  await expect(page.getByRole('link', { name: '登录' })).toBeVisible();
  await shoot(page, 'home');
  // A built section asks a visitor to sign in; one still being built says so.
  await main.getByRole('link', { name: /^社区印章/ }).click();
  await expect(page).toHaveURL(/\/seal$/);
  await expect(page.getByRole('heading', { name: '请先登录' })).toBeVisible();
  // The grid walk is a street page: the tablet bundle is loaded for it.
  await page.goto('/');
  await main.getByRole('link', { name: /^全要素网格/ }).click();
  await expect(page).toHaveURL(/\/grid$/);
  await expect(page.getByRole('heading', { name: '请先登录' })).toBeVisible();
  // Community facilities are built (issue 19): a visitor is asked to sign in.
  await page.goto('/');
  await main.getByRole('link', { name: /^社区设施/ }).click();
  await expect(page).toHaveURL(/\/facilities$/);
  await expect(page.getByRole('heading', { name: '请先登录' })).toBeVisible();
  await page.goto('/');
  // 百姓定实事 is built (issue 17), in the residents' bundle: sign in there.
  await main.getByRole('link', { name: /^百姓定实事/ }).click();
  await expect(page).toHaveURL(/\/participation$/);
  await expect(page.getByRole('heading', { name: '请先登录' })).toBeVisible();
  expect(await page.content()).toContain('/resident/pkg-');
  // 居民自治 (协商议事) is built, in the residents' bundle too.
  await page.goto('/');
  await main.getByRole('link', { name: /^居民自治/ }).click();
  await expect(page).toHaveURL(/\/self-government$/);
  await expect(page.getByRole('heading', { name: '请先登录' })).toBeVisible();
});

test('a normal date: 15 working days, same answer as the API', async ({ page, request }) => {
  await openCalculator(page);
  await enter(page, '2026-06-01', '15');
  const api = await (await request.get('/api/calendar/due?from=2026-06-01&working_days=15')).json();
  // 2026-06-19 (端午节) is a Friday holiday: Mon 06-01 + 15 → Tue 06-23.
  expect(api.due).toBe('2026-06-23');
  await expect(page.locator('.due-date')).toHaveAttribute('data-due', api.due);
  await expect(page.locator('.due-date')).toHaveText('2026 年 6 月 23 日 星期二');
  await expect(page.locator('.due-facts')).toContainText('端午节 6 月 19 日');
});

test('across the National Day holiday, with the make-up Saturday', async ({ page, request }) => {
  await openCalculator(page);
  await enter(page, '2026-09-28', '15');
  await expect(page.locator('.due-date')).toHaveAttribute('data-due', '2026-10-23');
  const facts = page.locator('.due-facts');
  await expect(facts).toContainText('国庆节 10 月 1 日至 10 月 7 日');
  await expect(facts).toContainText('10 月 10 日(国庆节)');
  const api = await (await request.get('/api/calendar/due?from=2026-09-28&working_days=15')).json();
  expect(api.due).toBe('2026-10-23');
  await expect(page.getByTestId('loaded-years')).toContainText('2024 年、2025 年、2026 年');
  await expect(page.getByTestId('loaded-years')).toContainText('2027 年安排尚未发布');
  await shoot(page, 'calendar-national-day');
});

test('a year not yet published: provisional in the browser, as the API with provisional=allow', async ({ page, request }) => {
  await openCalculator(page);
  await enter(page, '2027-03-01', '15');
  // The strict endpoint keeps its contract: 422 naming the year.
  const strict = await request.get('/api/calendar/due?from=2027-03-01&working_days=15');
  expect(strict.status()).toBe(422);
  expect((await strict.json()).code).toBe('calendar_year_unknown');
  const api = await (await request.get('/api/calendar/due?from=2027-03-01&working_days=15&provisional=allow')).json();
  expect(api.provisional).toBe(true);
  expect(api.provisional_years).toEqual([2027]);
  await expect(page.locator('.due-date')).toHaveAttribute('data-due', api.due);
  await expect(page.locator('.due-card')).toHaveAttribute('data-provisional', 'true');
  await expect(page.getByTestId('provisional-note')).toHaveText(api.note);
  await expect(page.getByTestId('loaded-years')).toContainText('按法定节假日暂定计算');
  await shoot(page, 'calendar-provisional');
});

test('a year without any rule shows exactly the API message', async ({ page, request }) => {
  await openCalculator(page);
  await enter(page, '2023-03-01', '15');
  const response = await request.get('/api/calendar/due?from=2023-03-01&working_days=15&provisional=allow');
  expect(response.status()).toBe(422);
  const body = await response.json();
  expect(body.code).toBe('calendar_year_unknown');
  expect(body.year).toBe(2023);
  const alert = page.locator('.alert-error');
  await expect(alert).toHaveAttribute('data-code', 'calendar_year_unknown');
  await expect(alert.locator('.alert-message')).toHaveText(body.message);
  await shoot(page, 'calendar-unknown-year');
});

test('bad input names the field, as the API does', async ({ page, request }) => {
  await openCalculator(page);
  await enter(page, '2026-09-28', '-3');
  const response = await request.get('/api/calendar/due?from=2026-09-28&working_days=-3');
  expect(response.status()).toBe(400);
  const body = await response.json();
  expect(body.field).toBe('working_days');
  await expect(page.locator('#days-error')).toHaveText(body.message);
  await expect(page.getByLabel('工作日天数')).toHaveAttribute('aria-invalid', 'true');

  await enter(page, '', '15');
  const missing = await (await request.get('/api/calendar/due?working_days=15')).json();
  await expect(page.locator('#from-error')).toHaveText(missing.message);
  await shoot(page, 'calendar-bad-input');
});

test('the API answers health and documents itself', async ({ request }) => {
  const health = await (await request.get('/api/health')).json();
  expect(health).toMatchObject({ status: 'ok', database: 'ok', app_bundle: true });
  const doc = await (await request.get('/api/openapi.json')).json();
  expect(Object.keys(doc.paths)).toContain('/calendar/due');
});

test('deep links load the app (index fallback)', async ({ page }) => {
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: '页面不存在' })).toBeVisible();
});
