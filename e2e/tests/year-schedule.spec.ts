// Loading a year's holiday schedule (节假日安排) while the system runs: the
// system administrator uploads 2027, and a reviewer's calculator and queue —
// open in another browser all along — turn from provisional (暂定) to final
// without a reload of the server or of the page.
//
// This file uploads 2027 for the whole run's server, so it runs last (files
// run in name order) and nothing after it expects 2027 to be unpublished.
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { DEMO_PASSWORD, loginOk } from './session';
import { shoot } from './shots';

const ITEM = '社区暂定期限核对事项';

/** A 2027 schedule as the State Council might publish it (test data): the
 * statutory days, 元旦 taken 1–4 January, Sunday 10 January worked. */
function schedule2027(): object {
  const off = (name: string, ...dates: string[]) => dates.map((date) => ({ name, date, isOffDay: true }));
  return {
    year: 2027,
    papers: ['测试用安排(非真实通知)'],
    days: [
      ...off('元旦', '2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04'),
      { name: '元旦', date: '2027-01-10', isOffDay: false },
      ...off('春节', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08'),
      ...off('清明节', '2027-04-05'),
      ...off('劳动节', '2027-05-01', '2027-05-02'),
      ...off('端午节', '2027-06-09'),
      ...off('中秋节', '2027-09-15'),
      ...off('国庆节', '2027-10-01', '2027-10-02', '2027-10-03'),
    ],
  };
}

async function signIn(request: APIRequestContext, username: string): Promise<string> {
  const r = await request.post('/api/auth/login', { data: { username, password: DEMO_PASSWORD } });
  expect(r.status()).toBe(200);
  return (await (await request.get('/api/auth/me')).json()).csrf_token;
}

/** A file accepted today (2026-11-24) and extended by 15 working days: due
 * after New Year 2027, so provisional until 2027 is loaded. */
async function provisionalFile(request: APIRequestContext): Promise<number> {
  let csrf = await signIn(request, 'applicant');
  const form = {
    path: 'approval', applicant_unit: '市人力资源和社会保障局就业促进科', contact_name: '张敏', contact_phone: '0794-8221234',
    item_name: ITEM, item_content: '社区每季度核对就业援助对象情况。', basis: '《中华人民共和国就业促进法》第五十二条',
    community_scope: 'list', communities: ['DX-CD-XF'], start_date: '2027-03-01', duration_months: '12',
    workload_hours: '4', funding_per_community: '600.00', funding_period: 'quarter', trainer_name: '刘强',
    trainer_phone: '13907941234', idempotency_key: 'e2e-provisional-deadline-1',
  };
  const created = await request.post('/api/admission/applications', { data: form, headers: { 'X-CSRF-Token': csrf } });
  expect(created.status()).toBeLessThan(300);
  const id = (await created.json()).summary.id;
  csrf = await signIn(request, 'reviewer');
  const accepted = await request.post(`/api/admission/applications/${id}/accept`, { headers: { 'X-CSRF-Token': csrf } });
  expect(accepted.status()).toBe(200);
  const extended = await request.post(`/api/admission/applications/${id}/extend`, {
    data: { days: '15', reason: '涉及多个部门会签,需延长办理时限', approver: '领导小组副组长 王刚' },
    headers: { 'X-CSRF-Token': csrf },
  });
  expect(extended.status()).toBe(200);
  return id;
}

async function queueRow(page: Page) {
  return page.getByTestId('admission-queue').locator('tr', { hasText: ITEM });
}

test('the administrator loads 2027; the calculator and the queue turn final without a reload', async ({ page, browser }) => {
  const id = await provisionalFile(page.request);

  // The reviewer's browser: the queue shows the provisional date and the reminder.
  await loginOk(page, 'reviewer');
  await page.goto('/admission');
  await expect(page.getByTestId('schedule-reminder')).toContainText('2027 年节假日安排尚未导入');
  let row = await queueRow(page);
  await expect(row).toContainText('2027-01-06');
  await expect(row.getByTestId('provisional')).toHaveText('暂定');
  await expect(row).toContainText('(暂定)');
  await shoot(page, 'queue-provisional');
  // …and the calculator, provisionally: 5 working days from 28 December.
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '工作日计算' }).click();
  await page.getByLabel('起算日期').fill('2026-12-28');
  await page.getByLabel('工作日天数').fill('5');
  await expect(page.locator('.due-date')).toHaveAttribute('data-due', '2027-01-05');
  await expect(page.locator('.due-card')).toHaveAttribute('data-provisional', 'true');

  // The administrator, in another browser.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await loginOk(admin, 'sysadmin');
  await expect(admin.getByTestId('schedule-reminder')).toContainText('2027 年节假日安排尚未导入');
  await admin.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '节假日安排' }).click();
  await expect(admin.getByRole('heading', { name: '节假日安排', exact: true })).toBeVisible();
  await expect(admin.getByTestId('holiday-years')).toContainText('按法定节假日暂定计算:2027 年');
  // A wrong file: checked by the server as soon as it is picked; every
  // problem in Chinese, naming the field and the date; no import.
  const bad = schedule2027() as { days: object[] };
  bad.days = bad.days.filter((d: any) => d.name !== '春节');
  bad.days.push({ name: '', date: '2028-01-01', isOffDay: true });
  await admin.locator('#holiday-file').setInputFiles({ name: '2027-错误.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
  const problems = admin.getByTestId('holiday-problems');
  await expect(problems).toContainText('发现 6 处问题,不能导入');
  await expect(problems).toContainText('日期(date)2028-01-01 不在 2027 年内');
  await expect(problems).toContainText('法定节假日春节(2027-02-05)未列为放假日');
  await expect(admin.getByRole('button', { name: '导入' })).toBeDisabled();
  await shoot(admin, 'holidays-problems');
  // The right file: the check says what would move; then the import.
  await admin.locator('#holiday-file').setInputFiles({ name: '2027.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(schedule2027())) });
  const check = admin.getByTestId('holiday-check');
  await expect(check).toContainText('检查通过:2027 年,共 17 天');
  await expect(check).toContainText('2027-01-06 → 2027-01-07');
  // Nothing changed yet.
  expect((await admin.request.get('/api/calendar/due?from=2026-12-28&working_days=5')).status()).toBe(422);
  await admin.getByRole('button', { name: '导入' }).click();
  const result = admin.getByTestId('holiday-result');
  await expect(result).toContainText('已导入 2027 年节假日安排(17 天)并立即生效');
  await expect(result).toContainText('2027-01-06 → 2027-01-07');
  await expect(admin.getByTestId('holiday-years')).toContainText('2026 年、2027 年。');
  await shoot(admin, 'holidays-imported');
  await adminContext.close();

  // Back in the reviewer's browser, never reloaded: the next answer names the
  // new calendar; the queue and the calculator are final.
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '事项准入' }).click();
  row = await queueRow(page);
  await expect(row).toContainText('2027-01-07');
  await expect(row.getByTestId('provisional')).toHaveCount(0);
  await expect(page.getByTestId('schedule-reminder')).toHaveCount(0);
  await shoot(page, 'queue-final');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '工作日计算' }).click();
  await page.getByLabel('起算日期').fill('2026-12-28');
  await page.getByLabel('工作日天数').fill('5');
  await expect(page.locator('.due-date')).toHaveAttribute('data-due', '2027-01-06');
  await expect(page.locator('.due-card')).toHaveAttribute('data-provisional', 'false');
  await expect(page.getByTestId('loaded-years')).toContainText('2026 年、2027 年');
  // The file shows the old and the new date.
  await page.goto(`/admission/${id}`);
  await expect(page.getByTestId('deadline-changes')).toContainText('2027 年节假日安排导入后,由 2027-01-06 更正为 2027-01-07');
  await shoot(page, 'file-deadline-corrected');
});
