// Accounts, roles and the audit trail, as people use them.
import { expect, test } from '@playwright/test';
import { shoot } from './shots';
import { login, loginOk, logout } from './session';

const MENUS: Record<string, string[]> = {
  applicant: ['事项准入', '经费保障', '购买服务', '社区设施', '百姓定实事', '事件处置', '工作日计算'],
  reviewer: ['事项准入', '经费保障', '清理减负', '社区设施', '全要素网格', '工作日计算'],
  secretary: ['事项准入', '工作日计算'],
  gridmember: ['全要素网格', '事件处置', '居民信息', '社区印章', '百姓定实事', '居民自治', '工作日计算'],
  finance: ['经费保障', '工作日计算'],
  resident: ['百姓定实事', '居民自治'],
  leader: ['全要素网格', '事件处置', '社区印章', '清理减负', '社区设施', '百姓定实事', '居民自治', '工作日计算'],
  sysadmin: ['账号管理', '组织架构', '网格数据导入', '节假日安排', '证明事项目录', '设施配置标准', '外部系统接口'],
  secadmin: ['安全策略'],
  auditadmin: ['审计日志'],
};

test('each demo role signs in and sees only its own menus', async ({ page }) => {
  for (const [username, menus] of Object.entries(MENUS)) {
    await loginOk(page, username);
    // A resident lands on the rounds of 百姓定实事 (the residents' bundle).
    if (username === 'resident') {
      await expect(page).toHaveURL(/\/participation$/);
      await page.goto('/');
    }
    const nav = page.getByRole('navigation', { name: '主导航' });
    await expect(nav.getByRole('link'), username).toHaveText(menus);
    await expect(page.getByTestId('my-work').getByRole('link')).toHaveText(menus);
    if (username === 'gridmember') await shoot(page, 'home-gridmember');
    await logout(page);
  }
});

test('a role outside a section is told so, and the server refuses it too', async ({ page }) => {
  await loginOk(page, 'finance');
  await page.goto('/audit');
  await expect(page.getByRole('heading', { name: '无权访问' })).toBeVisible();
  const r = await page.request.get('/api/audit');
  expect(r.status()).toBe(403);
  expect((await r.json()).message).toBe('您的角色无权进行此操作。');
});

test('the system admin creates an account with the same messages as the API', async ({ page }) => {
  await loginOk(page, 'sysadmin');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '账号管理' }).click();
  await expect(page.getByTestId('accounts-table')).toContainText('gridmember');
  // A weak password: the browser's message is the API's message.
  await page.getByLabel('登录名').fill('zhou.min');
  await page.getByLabel('姓名').fill('周敏');
  await page.getByLabel('角色').selectOption('grid_member');
  const grid = await page.locator('#org_node_id option', { hasText: '幸福社区第二网格' }).getAttribute('value');
  await page.getByLabel('所属单位').selectOption(grid!);
  await page.getByLabel('初始密码').fill('weak');
  await page.getByRole('button', { name: '创建账号' }).click();
  const me = await (await page.request.get('/api/auth/me')).json();
  const apiAnswer = await page.request.post('/api/accounts', {
    data: { username: 'zhou.min', display_name: '周敏', role: 'grid_member', org_node_id: Number(grid), password: 'weak' },
    headers: { 'X-CSRF-Token': me.csrf_token },
  });
  expect(apiAnswer.status()).toBe(400);
  const body = await apiAnswer.json();
  expect(body.field).toBe('password');
  await expect(page.locator('#password-error')).toHaveText(body.message);
  await page.getByLabel('初始密码').fill('Chushi@2026');
  await page.getByRole('button', { name: '创建账号' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已创建账号 zhou.min' })).toBeVisible();
  await expect(page.getByTestId('accounts-table')).toContainText('待修改初始密码');
  await shoot(page, 'accounts');

  // The new account must change its password first.
  await logout(page);
  await login(page, 'zhou.min', 'Chushi@2026');
  await expect(page).toHaveURL(/\/password$/);
  await expect(page.getByRole('status')).toContainText('须先修改密码');
  await page.getByLabel('当前密码').fill('Chushi@2026');
  await page.getByLabel('新密码', { exact: true }).fill('Xinmima#2026');
  await page.getByLabel('确认新密码').fill('Xinmima#2026');
  await page.getByRole('button', { name: '保存新密码' }).click();
  await expect(page.getByText('密码已修改。')).toBeVisible();
});

test('the audit viewer shows the actions just taken, and the chain verifies', async ({ page }) => {
  await loginOk(page, 'sysadmin');
  await page.goto('/accounts');
  const row = page.getByTestId('accounts-table').getByRole('row').filter({ hasText: 'finance' });
  // Disabling asks first, saying what happens; 取消 leaves the account as it was.
  await row.getByRole('button', { name: '停用' }).click();
  const ask = row.getByRole('group', { name: '停用' });
  await expect(ask).toContainText('其所有登录立即结束');
  await expect(ask.getByRole('button', { name: '确认停用' })).toBeFocused();
  await shoot(page, 'accounts-confirm-disable');
  await ask.getByRole('button', { name: '取消' }).click();
  await expect(row).toContainText('正常');
  await row.getByRole('button', { name: '停用' }).click();
  await row.getByRole('button', { name: '确认停用' }).click();
  await expect(row).toContainText('已停用');
  // The signed-in account's own row offers nothing to press.
  const own = page.getByTestId('accounts-table').getByRole('row').filter({ has: page.getByRole('cell', { name: 'sysadmin', exact: true }) });
  await expect(own).toContainText('本人账号');
  await expect(own.getByRole('button')).toHaveCount(0);
  await row.getByRole('button', { name: '启用' }).click();
  await expect(row).toContainText('正常');
  await logout(page);

  await loginOk(page, 'auditadmin');
  await page.goto('/audit');
  const table = page.getByTestId('audit-table');
  await expect(table).toContainText('停用账号');
  await expect(table).toContainText('启用账号');
  await page.getByLabel('账号').fill('sysadmin');
  await page.getByLabel('操作类别').selectOption('account');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(table.locator('tbody tr').first()).toContainText('sysadmin');
  await expect(table.locator('tbody tr').first()).toContainText('系统管理员');
  // Within the area, one action: the list offers the area's actions by name.
  const actionSelect = page.getByLabel('操作', { exact: true });
  await expect(actionSelect.locator('option', { hasText: '停用账号' })).toHaveCount(1);
  await expect(actionSelect.locator('option', { hasText: '用印' })).toHaveCount(0);
  await actionSelect.selectOption('account.disable');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(table.locator('tbody tr').first()).toContainText('停用账号');
  for (const text of await table.locator('tbody tr').allInnerTexts()) expect(text).toContain('停用账号');
  await actionSelect.selectOption('');
  // Filter by object: the finance account's own trail.
  const financeId = (await (await page.request.get('/api/audit?action=account.disable')).json()).entries[0].object;
  await page.getByLabel('对象').fill(financeId);
  await page.getByRole('button', { name: '查询' }).click();
  await expect(table.locator('tbody tr')).toHaveCount(2);
  // Pager buttons say just what they do (a macro slip once printed code here).
  await expect(page.getByRole('button', { name: '下一页', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: '上一页', exact: true })).toBeVisible();
  await page.getByRole('button', { name: '校验完整性' }).click();
  await expect(page.getByTestId('verify-result')).toContainText('审计日志完整');
  await shoot(page, 'audit');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: '导出 CSV' }).click();
  const file = await (await download).path();
  const text = require('node:fs').readFileSync(file, 'utf8');
  expect(text.startsWith('\ufeff序号,时间(北京时间),账号')).toBe(true);
  expect(text).toContain('停用账号');
});

test('a grid member sees residents masked and may reveal one', async ({ page }) => {
  await loginOk(page, 'gridmember');
  await page.goto('/residents');
  const table = page.getByTestId('residents-table');
  const first = table.locator('tbody tr').first();
  await expect(first.locator('td').nth(1)).toHaveText(/^\d{3}\*{11}[\dX]{4}$/);
  await expect(first.locator('td').nth(2)).toHaveText(/^\d{3}\*{4}\d{4}$/);
  await shoot(page, 'residents');
  await first.getByRole('button', { name: '查看完整信息' }).click();
  await expect(first.locator('td').nth(1)).toHaveText(/^\d{17}[\dX]$/);
});

test('the register says how many there are, pages through them and finds a room as one types', async ({ page }) => {
  await loginOk(page, 'gridmember');
  await page.goto('/residents');
  const pager = page.getByTestId('residents-pager');
  const rows = page.getByTestId('residents-table').locator('tbody tr');
  await expect(pager).toContainText(/^共 \d+ 人,本页第 1–50 人/);
  const all = Number((await pager.textContent())!.match(/共 (\d+) 人/)![1]);
  expect(all).toBeGreaterThan(50);
  await expect(rows).toHaveCount(50);
  await pager.getByRole('button', { name: '下一页' }).click();
  await expect(pager).toContainText('本页第 51–100 人');
  await expect(pager.getByRole('button', { name: '上一页' })).toBeEnabled();

  // No Enter: the list follows the typing, from the first page.
  await page.getByTestId('residents-search').fill('2 栋 101');
  await expect(pager).toContainText(/^共 \d+ 人。$/);
  const found = Number((await pager.textContent())!.match(/共 (\d+) 人/)![1]);
  expect(found).toBeGreaterThan(0);
  expect(found).toBeLessThan(all);
  await expect(rows).toHaveCount(found);
  for (const address of await rows.locator('td:nth-child(4)').allTextContents()) expect(address).toContain('2 栋 101');
  await shoot(page, 'residents-search');
  await page.getByTestId('residents-search').fill('没有这个门牌');
  await expect(pager).toHaveText('没有符合条件的居民。');
});

test('five wrong passwords lock the account, with the time it lifts', async ({ page }) => {
  for (let i = 0; i < 4; i++) {
    await login(page, 'gridmember.hp', 'Wrong@2026');
    await expect(page.getByTestId('login-error')).toHaveText('登录名或密码错误。');
  }
  await login(page, 'gridmember.hp', 'Wrong@2026');
  await expect(page.getByTestId('login-error')).toHaveText(/^连续登录失败次数过多,账号已锁定,请于 \d{2}:\d{2} 后再试。$/);
  await login(page, 'gridmember.hp', 'Gongzhi@2026');
  await expect(page.getByTestId('login-error')).toContainText('账号已锁定');
  await shoot(page, 'login-locked');
});
