// Community seal (社区印章): rules decided in the form as the API decides them,
// and the whole flow to a verified register.
import { expect, test, type Page } from '@playwright/test';
import { shoot } from './shots';
import { loginOk, logout } from './session';

/** Finds the matter as a worker types (`typed`: characters or pinyin initials) and picks `name`. */
async function pickMatter(page: Page, typed: string, name: string) {
  await page.locator('#matter').fill(typed);
  await page.getByRole('option', { name, exact: true }).click();
  await expect(page.locator('#matter')).toHaveValue(name);
  await expect(page.getByRole('listbox')).toHaveCount(0);
}

async function fillRequest(page: Page, matter: string) {
  await page.goto('/seal');
  await expect(page.getByRole('heading', { name: '新建证明申请' })).toBeVisible();
  await page.getByLabel('申请单位名称').fill('市民政局社会救助科');
  await page.locator('#requester_department').selectOption('mzj');
  await page.getByLabel('居民姓名').fill('王秀英');
  await page.getByLabel('居民公民身份号码').fill('11010519491231002X');
  await pickMatter(page, matter, matter);
  await page.getByLabel('证明用途').fill('办理最低生活保障审核');
  await page.getByLabel('证明内容').fill('兹证明王秀英同志家庭情况已由本社区协助入户核实。');
}

async function apiDecision(page: Page, matter: string, extra: Record<string, string>) {
  const r = await page.request.post('/api/seal/evaluate', {
    data: {
      requester_kind: 'department', requester_name: '市民政局社会救助科', requester_department: 'mzj',
      resident_name: '王秀英', resident_id_number: '11010519491231002X', matter,
      purpose: '办理最低生活保障审核', content: '兹证明王秀英同志家庭情况已由本社区协助入户核实。', copies: '1', ...extra,
    },
  });
  expect(r.status()).toBe(200);
  return r.json();
}

test('a request without an article is refused, with the message shown before submit', async ({ page }) => {
  await loginOk(page, 'gridmember');
  await fillRequest(page, '社会救助家庭情况核实证明');
  const decision = page.getByTestId('seal-decision');
  await expect(decision).toContainText('不予出具');
  const api = await apiDecision(page, 'assistance_household_check', {});
  expect(api.allowed).toBe(false);
  await expect(decision.locator('li')).toHaveText(api.reasons.map((r: any) => r.message));
  await expect(decision.locator('li').first()).toHaveAttribute('data-code', 'seal_no_article');
  await shoot(page, 'seal-form-no-article');
  await page.getByRole('button', { name: '登记申请' }).click();
  await expect(page.getByTestId('seal-status')).toHaveText('不予出具');
  await expect(page.getByTestId('refusal-letter')).toContainText('不予出具证明告知书');
  await expect(page.getByTestId('refusal-letter')).toContainText(api.reasons[0].message);
  await shoot(page, 'seal-refusal-letter');
});

test('a guarantee is refused even with an article', async ({ page }) => {
  await loginOk(page, 'gridmember');
  await fillRequest(page, '贷款担保证明');
  await page.getByLabel('法规名称').fill('中华人民共和国民法典');
  await page.getByLabel('条款号').fill('第六百八十一条');
  await page.locator('#basis_text').fill('保证合同是为保障债权的实现,保证人和债权人约定……');
  const api = await apiDecision(page, 'loan_guarantee', {
    basis_law: '中华人民共和国民法典', basis_article: '第六百八十一条', basis_text: '保证合同是为保障债权的实现,保证人和债权人约定……',
  });
  expect(api.reasons.map((r: any) => r.code)).toEqual(['seal_joint_liability']);
  const decision = page.getByTestId('seal-decision');
  await expect(decision.locator('li')).toHaveText([api.reasons[0].message]);
});

test('an allowed request is reviewed, approved, stamped, registered and verifies', async ({ page }) => {
  await loginOk(page, 'gridmember');
  await fillRequest(page, '社会救助家庭情况核实证明');
  await page.getByRole('button', { name: '填入该事项的常用依据' }).click();
  await expect(page.getByTestId('seal-decision')).toContainText('符合出具条件');
  await page.getByRole('button', { name: '登记申请' }).click();
  await expect(page.getByTestId('seal-status')).toHaveText('待审核');
  const url = page.url();
  await page.getByRole('button', { name: '审核通过,报社区负责人批准' }).click();
  await expect(page.getByTestId('seal-status')).toHaveText('待批准');
  await logout(page);

  await loginOk(page, 'leader');
  await page.goto(url);
  await page.getByRole('button', { name: '批准用印' }).click();
  await expect(page.getByTestId('seal-status')).toHaveText('待盖章');
  await logout(page);

  await loginOk(page, 'gridmember');
  await page.goto(url);
  await page.getByRole('button', { name: '盖章并登记' }).click();
  await expect(page.getByTestId('seal-status')).toHaveText('已盖章');
  const registerNo = (await page.getByTestId('register-no').textContent())!.trim();
  expect(registerNo).toMatch(/^DX-CD-XF-\d{4}-\d{4}$/);
  await expect(page.getByTestId('certificate')).toContainText(`登记编号:${registerNo}`);
  await shoot(page, 'seal-certificate');

  await page.goto('/seal/register');
  const register = page.getByTestId('seal-register');
  await expect(register.locator('tbody tr').first()).toContainText(registerNo);
  await expect(register.locator('tbody tr').first()).toContainText('幸福社区主任 赵敏');
  await page.getByRole('button', { name: '校验完整性' }).click();
  await expect(page.getByTestId('register-verify')).toContainText('用印登记簿完整');
  await shoot(page, 'seal-register');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: '导出 Excel' }).click();
  const bytes = require('node:fs').readFileSync(await (await download).path());
  expect(bytes.subarray(0, 2).toString()).toBe('PK');
});

test('a request for 死亡证明, found by its pinyin initials, is refused and the letter says where to get it', async ({ page }) => {
  await loginOk(page, 'gridmember');
  await fillRequest(page, '社会救助家庭情况核实证明');
  // A 30-item select is not usable on a tablet: the worker types.
  await page.locator('#matter').fill('sw');
  await expect(page.getByRole('option', { name: '死亡证明', exact: true })).toBeVisible();
  await shoot(page, 'seal-form-matter-search');
  await page.getByRole('option', { name: '死亡证明', exact: true }).click();
  await page.getByLabel('证明用途').fill('办理丧葬补助');
  // Even with an article cited: the matter is on the national list.
  await page.getByLabel('法规名称').fill('某某市丧葬补助办法');
  await page.getByLabel('条款号').fill('第五条');
  await page.locator('#basis_text').fill('申请丧葬补助应提交死亡证明。');
  const api = await apiDecision(page, 'death', {
    purpose: '办理丧葬补助', basis_law: '某某市丧葬补助办法', basis_article: '第五条', basis_text: '申请丧葬补助应提交死亡证明。',
  });
  expect(api.reasons.map((r: any) => r.code)).toEqual(['seal_national_list']);
  // The form names the same reason, from the catalogue the server serves.
  const decision = page.getByTestId('seal-decision');
  await expect(decision.locator('li')).toHaveCount(1);
  await expect(decision.locator('li')).toHaveAttribute('data-code', 'seal_national_list');
  await expect(decision.locator('li')).toContainText('民发〔2020〕20号');
  expect(api.reasons[0].message.startsWith((await decision.locator('li').textContent())!.trim())).toBe(true);
  await page.getByRole('button', { name: '登记申请' }).click();
  await expect(page.getByTestId('seal-status')).toHaveText('不予出具');
  const letter = page.getByTestId('refusal-letter');
  await expect(letter).toContainText('民发〔2020〕20号');
  await expect(letter).toContainText('申请人可通过以下途径办理:正常死亡的,由医疗机构出具《居民死亡医学证明(推断)书》;非正常死亡的,由公安机关出具。');
  await shoot(page, 'seal-refusal-letter-death');
});

test('dates on seal documents are Beijing dates', async ({ page }) => {
  await loginOk(page, 'gridmember');
  await page.goto('/seal');
  const first = page.getByTestId('seal-requests').locator('tbody tr').first();
  // The browser runs in Asia/Shanghai (playwright.config.ts): today's civil date there.
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date());
  await expect(first.locator('td').first()).toHaveText(today);
});
