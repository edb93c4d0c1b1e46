// Funding follows the work (费随事转): a department pays part of an item's
// funding, the dashboard shows the shortfall, finance exports the ledger and
// the workbook is opened and checked here.
import { expect, test } from '@playwright/test';
import * as fs from 'node:fs';
import * as XLSX from 'xlsx';
import { shoot } from './shots';
import { loginOk, logout } from './session';

function yuan(text: string): number {
  return Number(text.replace(/[^0-9.\-]/g, ''));
}

test('a partial payment shows as a shortfall, and the exported ledger says the same', async ({ page }) => {
  // What the city is short before.
  await loginOk(page, 'finance');
  await page.goto('/funding');
  const before = yuan(await page.getByTestId('city-shortfall').innerText());
  expect(before).toBeGreaterThan(0);
  await logout(page);

  // 人社局 pays 600 of the 1,000 yuan it owes 和平社区 for its first period.
  await loginOk(page, 'applicant');
  await page.goto('/funding');
  const form = page.getByTestId('payment-form');
  await form.locator('#pay-item').selectOption({ label: 'ZR-2026-0013 就业援助月活动组织' });
  await form.locator('#pay-community').selectOption('DX-CD-HP');
  await form.locator('#pay-period').selectOption('1');
  await form.getByLabel('拨付金额(元)').fill('600');
  await form.getByRole('button', { name: '登记拨付' }).click();
  await expect(form.locator('#voucher_no-error')).toHaveText('请填写凭证号。');
  await form.getByLabel('凭证号').fill('CZ202611-0901');
  await form.getByRole('button', { name: '登记拨付' }).click();
  await expect(page.getByTestId('payment-done')).toHaveText('已登记 1 笔拨付,共 600.00 元。');
  const line = page.getByTestId('funding-ledger').locator('tr', { hasText: '和平社区' }).filter({ hasText: '就业援助月' });
  await expect(line).toContainText('未足额');
  await expect(line).toContainText('400.00 元');
  await shoot(page, 'funding-department');
  await logout(page);

  // The dashboard: 400 yuan less short than before, and the line listed.
  await loginOk(page, 'finance');
  await page.goto('/funding');
  await expect.poll(async () => yuan(await page.getByTestId('city-shortfall').innerText())).toBeCloseTo(before - 600, 2);
  const problem = page.getByTestId('funding-problems').locator('tr', { hasText: '和平社区' }).filter({ hasText: '就业援助月' });
  await expect(problem).toContainText('400.00 元');
  await expect(page.getByTestId('chart-department')).toContainText('市人力资源和社会保障局');
  await shoot(page, 'funding-dashboard');

  // The export opens as a workbook with Chinese headers and numeric amounts.
  const download = page.waitForEvent('download');
  await page.getByTestId('export-ledger').click();
  const file = await (await download).path();
  const book = XLSX.read(fs.readFileSync(file));
  expect(book.SheetNames).toEqual(['经费拨付台账']);
  const rows: any[][] = XLSX.utils.sheet_to_json(book.Sheets['经费拨付台账'], { header: 1 });
  expect(rows[0]).toEqual(['事项编号', '事项名称', '职能部门', '区县', '街道', '社区', '期次', '应拨付日期', '应拨付(元)', '已拨付(元)', '缺口(元)', '逾期(工作日)', '状态']);
  const hp = rows.find((r) => r[1] === '就业援助月活动组织' && r[5] === '和平社区' && String(r[6]).startsWith('第 1 期'));
  expect(hp).toBeDefined();
  expect([hp![8], hp![9], hp![10], hp![12]]).toEqual([1000, 600, 400, '未足额']);
  const shortfall = rows.slice(1).reduce((sum, r) => sum + (r[10] as number), 0);
  expect(shortfall).toBeCloseTo(before - 600, 2);
});
