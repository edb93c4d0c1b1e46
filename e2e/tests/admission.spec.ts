// Work-item admission (事项准入): an applicant submits (after fixing a field
// whose message matches the API's), a reviewer takes the file through intake,
// consultation and solicitation, the leading group decides, the applicant
// sees the result; the printed approval form; the queue and the catalogue.
import { expect, test, type Page } from '@playwright/test';
import { shoot } from './shots';
import { loginOk, logout } from './session';

const ITEM = '零就业家庭动态清零台账';

async function csrf(page: Page): Promise<string> {
  const me = await page.request.get('/api/auth/me');
  return (await me.json()).csrf_token;
}

async function fillForm(page: Page, phone: string) {
  await page.getByLabel('申请单位', { exact: true }).fill('市人力资源和社会保障局就业促进科');
  await page.getByLabel('联系人', { exact: true }).fill('张敏');
  await page.getByLabel('联系电话', { exact: true }).fill(phone);
  await page.getByLabel('事项名称').fill(ITEM);
  await page.getByLabel('事项内容').fill('社区每月核对零就业家庭情况,协助推荐就业岗位。');
  await page.getByLabel('法律或政策依据').fill('《中华人民共和国就业促进法》第五十二条');
  await page.getByLabel('指定社区').check();
  await page.getByLabel('城东街道 · 幸福社区').check();
  await page.getByLabel('城东街道 · 和平社区').check();
  await page.getByLabel('开始日期').fill('2027-01-04');
  await page.getByLabel('实施期限(月)').fill('12');
  await page.getByLabel('每个社区每月预计工作量(小时)').fill('8');
  await page.getByLabel('每个社区配套经费(元)').fill('1200.50');
  await page.locator('#funding_period').selectOption('quarter');
  await page.getByLabel('指导培训专人').fill('刘强');
  await page.getByLabel('培训专人联系电话').fill('13907941234');
}

async function openFile(page: Page, name: string) {
  await page.goto('/admission');
  await page.getByTestId('admission-queue').locator('tr', { hasText: name }).getByRole('link').click();
  await expect(page.getByTestId('admission-status')).toBeVisible();
}

test('an application goes from the applicant through review and decision back to the applicant', async ({ page }) => {
  await loginOk(page, 'applicant');
  await page.goto('/admission');
  await page.getByRole('link', { name: '新建准入申请' }).click();
  await fillForm(page, '12345');
  await page.getByRole('button', { name: '提交申请' }).click();
  const phoneError = page.locator('#contact_phone-error');
  await expect(phoneError).not.toBeEmpty();

  // The API says the same, word for word, and saves nothing.
  const form = {
    path: 'approval', applicant_unit: '市人力资源和社会保障局就业促进科', contact_name: '张敏', contact_phone: '12345',
    item_name: ITEM, item_content: '社区每月核对零就业家庭情况,协助推荐就业岗位。', basis: '《中华人民共和国就业促进法》第五十二条',
    community_scope: 'list', communities: ['DX-CD-XF', 'DX-CD-HP'], start_date: '2027-01-04', duration_months: '12',
    workload_hours: '8', funding_per_community: '1200.50', funding_period: 'quarter', trainer_name: '刘强',
    trainer_phone: '13907941234', idempotency_key: 'e2e-bad-phone-1',
  };
  const api = await page.request.post('/api/admission/applications', { data: form, headers: { 'X-CSRF-Token': await csrf(page) } });
  expect(api.status()).toBe(400);
  const body = await api.json();
  expect(body.field).toBe('contact_phone');
  await expect(phoneError).toHaveText(body.message);
  await shoot(page, 'admission-form-invalid');

  // The draft survives a reload.
  await page.reload();
  await expect(page.getByTestId('draft-note')).toContainText('已恢复');
  await expect(page.getByLabel('事项名称')).toHaveValue(ITEM);
  // 清空草稿 asks first; 取消 keeps what was typed.
  await page.getByRole('button', { name: '清空草稿' }).click();
  const ask = page.getByRole('group', { name: '清空草稿' });
  await expect(ask).toContainText('不能恢复');
  await ask.getByRole('button', { name: '取消' }).click();
  await expect(page.getByLabel('事项名称')).toHaveValue(ITEM);
  await page.getByLabel('联系电话', { exact: true }).fill('0794-8221234');
  await page.getByRole('button', { name: '提交申请' }).click();
  await expect(page.getByTestId('admission-status')).toHaveText('待受理');
  await expect(page.getByTestId('funding')).toContainText('每季度 1,200.50 元');
  await logout(page);

  // The reviewer: intake, consultation, an opinion received by letter, solicitation.
  await loginOk(page, 'reviewer');
  await openFile(page, ITEM);
  await page.getByRole('button', { name: '受理(开始计时)' }).click();
  await expect(page.getByTestId('admission-status')).toHaveText('商请部门意见');
  await expect(page.getByTestId('admission-clock')).toContainText('剩余 15 个工作日');
  await page.getByLabel('市卫生健康委员会').check();
  await page.getByRole('button', { name: '商请所选部门' }).click();
  await expect(page.getByTestId('consultations')).toContainText('待反馈');
  const opinion = page.getByTestId('opinion-form');
  await opinion.getByRole('button', { name: '提交意见' }).click();
  await expect(page.locator('#opinion-text-error')).toHaveText('请填写意见内容。');
  await opinion.locator('#opinion-dept').selectOption('wjw');
  await opinion.getByLabel('同意', { exact: true }).check();
  await opinion.getByLabel('意见内容').fill('同意。建议与老年人体检入户合并进行。');
  await opinion.getByRole('button', { name: '提交意见' }).click();
  await expect(page.getByTestId('consultations')).toContainText('据来函代录');
  await page.getByRole('button', { name: '开始征求意见' }).click();
  await expect(page.getByTestId('admission-status')).toHaveText('征求意见');
  await page.getByLabel('意见来源').fill('幸福社区居委会');
  await page.locator('#solicited-text').fill('无意见。');
  await page.getByRole('button', { name: '录入', exact: true }).click();
  await expect(page.getByTestId('solicited')).toContainText('幸福社区居委会');
  await page.getByRole('button', { name: '报领导小组审定' }).click();
  await expect(page.getByTestId('admission-status')).toHaveText('待领导小组审定');
  await shoot(page, 'admission-file-reviewer');
  await logout(page);

  // The leading group decides.
  await loginOk(page, 'secretary');
  await openFile(page, ITEM);
  const decision = page.getByTestId('decision-form');
  await decision.getByRole('button', { name: '不予准入' }).click();
  await expect(page.locator('#decision-note-error')).toHaveText('请填写审定意见。');
  await decision.getByLabel('审定会议').fill('2026 年第 7 次社区治理工作领导小组会议');
  await decision.getByLabel('审定意见').fill('同意准入,经费按季度拨付。');
  await decision.getByRole('button', { name: '准予准入' }).click();
  await expect(page.getByTestId('admission-status')).toHaveText('准予准入');
  await expect(page.getByTestId('admission-clock')).toHaveText('按期办结');
  await logout(page);

  await loginOk(page, 'reviewer');
  await openFile(page, ITEM);
  await page.getByRole('button', { name: '审批结果反馈申请单位' }).click();
  await expect(page.getByTestId('timeline')).toContainText('反馈申请单位');
  await logout(page);

  // The applicant sees the result, names a guide, records training.
  await loginOk(page, 'applicant');
  await openFile(page, ITEM);
  await expect(page.getByTestId('admission-status')).toHaveText('准予准入');
  await expect(page.getByTestId('decision')).toContainText('同意准入');
  await page.getByLabel('指导培训人员姓名').fill('周敏');
  await page.getByLabel('指导培训人员联系电话').fill('13907940001');
  await page.getByRole('button', { name: '指定', exact: true }).click();
  await expect(page.getByText('指导培训人员:周敏')).toBeVisible();
  const training = page.getByTestId('training-form');
  await expect(training.getByLabel('授课人')).toHaveValue('周敏');
  await training.locator('#training-community').selectOption('DX-CD-XF');
  await training.getByLabel('培训日期').fill('2026-11-24');
  await training.getByLabel('参训社区工作者人数').fill('12');
  await training.getByLabel('培训内容').fill('零就业家庭台账填报');
  await training.getByRole('button', { name: '登记培训' }).click();
  await expect(page.getByTestId('trainings')).toContainText('幸福社区');
  await shoot(page, 'admission-file-applicant');

  // The printed approval form.
  await page.getByRole('link', { name: '打印审批表' }).click();
  const paper = page.getByTestId('approval-form');
  await expect(paper).toContainText('职能部门工作进入城市社区准入审批表');
  await expect(paper).toContainText('市卫生健康委员会:同意');
  await expect(paper).toContainText('2026 年第 7 次社区治理工作领导小组会议');
  await page.emulateMedia({ media: 'print' });
  await shoot(page, 'admission-print');
  await page.emulateMedia({ media: 'screen' });
});

test('the queue puts overdue files first, with traffic lights and negative-list flags', async ({ page }) => {
  await loginOk(page, 'reviewer');
  await page.goto('/admission');
  const rows = page.getByTestId('admission-queue').locator('tbody tr');
  await expect(rows.first()).toContainText('已超期');
  await expect(rows.first()).toContainText('负面清单');
  await expect(rows.nth(1)).toContainText('即将到期');
  await shoot(page, 'admission-queue');
  // Keyboard: J/K move through the rows, Enter opens, / goes to the search.
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await expect(rows.nth(1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('k');
  await expect(rows.first()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('negative-flags')).toContainText('食品安全检查');
  await page.goBack();
  await page.keyboard.press('/');
  await expect(page.getByLabel('事项名称或编号')).toBeFocused();
  await page.getByLabel('申请部门').selectOption('mzj');
  await expect(rows).toHaveCount(2);
  for (const row of await rows.all()) await expect(row).toContainText('市民政局');
  await page.getByLabel('申请部门').selectOption('');
  await page.getByLabel('时限').selectOption('overdue');
  await expect(rows).toHaveCount(1);
  await rows.first().getByRole('link').click();
  await expect(page.getByTestId('negative-flags')).toContainText('食品安全检查');
  await expect(page.getByTestId('admission-clock')).toContainText('已超期 2 个工作日');
  // The extension needs a reason and an approver, and is shown as such.
  await page.getByLabel('延长工作日数').fill('5');
  await page.getByRole('button', { name: '延长期限' }).click();
  await expect(page.locator('#ext-reason-error')).toHaveText('请填写延期理由。');
  await page.getByLabel('延期批准人').fill('领导小组副组长 王刚');
  await page.getByLabel('延期理由').fill('涉及部门较多,需补充征求意见。');
  await page.getByRole('button', { name: '延长期限' }).click();
  await expect(page.getByTestId('extension')).toContainText('批准人:领导小组副组长 王刚');
  await expect(page.getByTestId('admission-clock')).toContainText('剩余 3 个工作日');
});

test('the public catalogue shows what each community carries and whether it was trained', async ({ page }) => {
  await page.goto('/admission/catalog');
  await page.getByLabel('社区').selectOption('DX-CD-HP');
  const table = page.getByTestId('admission-catalog');
  await expect(table.locator('tr', { hasText: '流动人口居住登记信息采集' })).toContainText('已培训');
  await expect(table.locator('tr', { hasText: '社区养老服务需求调查' })).toContainText('未培训');
  await shoot(page, 'admission-catalog');
});
