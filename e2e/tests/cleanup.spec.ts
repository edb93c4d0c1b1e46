// Cleanup (清理): a campaign removes a plaque with a reason; the counts before
// and after show it, and the plaque stays in the register as history. The
// purchase-of-services list is public.
import { expect, test } from '@playwright/test';
import { shoot } from './shots';
import { loginOk } from './session';

test('a cleanup campaign removes a plaque, with a reason, and keeps it as history', async ({ page }) => {
  await loginOk(page, 'reviewer');
  await page.goto('/cleanup');
  await page.getByLabel('发起清理行动').fill('2026 年下半年社区挂牌清理');
  await page.getByRole('button', { name: '发起', exact: true }).click();
  const campaign = page.getByTestId('campaign').filter({ hasText: '2026 年下半年社区挂牌清理' });
  await expect(campaign).toContainText('进行中');
  const xf = () => campaign.getByTestId('campaign-counts').locator('tr', { hasText: '幸福社区' });
  await expect(xf()).toContainText('3');

  await page.getByLabel('社区', { exact: true }).first().selectOption({ label: '幸福社区' });
  const row = page.getByTestId('cleanup-entries').locator('tr', { hasText: '禁毒工作站' });
  await row.getByRole('button', { name: '清理意见' }).click();
  const form = page.getByTestId('review-form');
  await form.getByLabel('清理', { exact: true }).check();
  await form.getByRole('button', { name: '提交清理意见' }).click();
  await expect(form.locator('#review-reason-error')).toHaveText('请填写理由。');
  await form.getByLabel('理由').fill('属公安部门自身职责,撤销社区挂牌');
  await form.getByRole('button', { name: '提交清理意见' }).click();
  await expect(row).toContainText('已清理');
  await expect(row).toContainText('属公安部门自身职责');
  // 挂牌 in 幸福社区: 3 in force before, 2 after.
  await expect(xf()).toContainText('3 → 2');
  await shoot(page, 'cleanup-campaign');
  // Closing asks first, saying what it fixes.
  await campaign.getByRole('button', { name: '结束本次清理行动' }).click();
  await expect(campaign.getByRole('group', { name: '结束本次清理行动' })).toContainText('不能再对本次行动');
  await expect(campaign).toContainText('进行中');
  await campaign.getByRole('button', { name: '确认结束' }).click();
  await expect(campaign).toContainText('已结束');
});

test('the purchase-of-services list is public', async ({ page }) => {
  await page.goto('/purchases');
  const table = page.getByTestId('purchases');
  await expect(table).toContainText('城区违法用地动态巡查');
  await expect(table.locator('tr', { hasText: '城区违法用地动态巡查' })).toContainText('转自 ZR-2026-0008');
  await expect(table.locator('tr', { hasText: '社区居民心理健康服务' })).toContainText('验收合格');
  await shoot(page, 'purchases');
});

test('a department contracts a service instead of pushing the work into communities', async ({ page }) => {
  await loginOk(page, 'applicant');
  await page.goto('/purchases');
  await page.getByLabel('服务事项').fill('城乡居民养老保险政策宣传');
  await page.getByLabel('承接的社会组织').fill('示范市惠民社会工作服务中心');
  await page.getByLabel('合同金额(元)').fill('36000');
  await page.getByLabel('服务开始日期').fill('2027-01-01');
  await page.getByLabel('服务结束日期').fill('2026-12-01');
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await expect(page.locator('#ends_on-error')).toHaveText('服务结束日期不能早于 2027-01-01。');
  await expect(page.locator('#deliverables-error')).toHaveText('请填写服务成果。');
  await page.getByLabel('服务结束日期').fill('2027-12-31');
  await page.getByLabel('服务成果(每行一项)').fill('宣传活动记录\n参保动员台账');
  await page.locator('#source_application').selectOption({ label: 'ZR-2026-0002 城乡居民养老保险参保动员(退回补正)' });
  await page.getByRole('button', { name: '登记', exact: true }).click();
  const row = page.getByTestId('purchases').locator('tr', { hasText: '城乡居民养老保险政策宣传' });
  await expect(row).toContainText('转自 ZR-2026-0002');
  await expect(row).toContainText('服务中');
});
