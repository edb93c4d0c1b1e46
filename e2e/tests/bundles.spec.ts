// Two bundles: the street pages load the small tablet bundle; any other page
// reached from it loads the office bundle from the server.
import { expect, test } from '@playwright/test';
import { loginOk } from './session';

test('the seal page loads the tablet bundle, and other pages the office bundle', async ({ page }) => {
  await loginOk(page, 'gridmember');
  await page.goto('/seal');
  await expect(page.getByRole('heading', { name: '新建证明申请' })).toBeVisible();
  expect(await page.content()).toContain('/field/pkg-');
  // The header's link to a page the tablet bundle does not carry.
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '工作日计算' }).click();
  await expect(page).toHaveURL(/\/calendar$/);
  await expect(page.getByRole('heading', { name: '工作日计算' })).toBeVisible();
  expect(await page.content()).not.toContain('/field/');
  // An unknown street page is "not found", not a loop between bundles.
  await page.goto('/seal/no-such-page');
  await expect(page.getByRole('heading', { name: '页面不存在' })).toBeVisible();
});

test('a tablet sent to sign in comes back to its street page, in the tablet bundle', async ({ page }) => {
  await page.goto('/seal');
  await expect(page.getByRole('heading', { name: '请先登录' })).toBeVisible();
  await page.getByRole('link', { name: '去登录' }).click();
  await expect(page).toHaveURL(/\/login\?next=%2Fseal$/);
  await page.getByLabel('登录名').fill('gridmember');
  await page.getByLabel('登录密码').fill('Gongzhi@2026');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/seal$/);
  await expect(page.getByRole('heading', { name: '新建证明申请' })).toBeVisible();
  expect(await page.content()).toContain('/field/pkg-');
});

// The residents' bundle (issue 17): a resident's pages and sign-in stay in it.
test('a resident sent to sign in stays in the residents\' bundle, and lands on the rounds', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/participation');
  await expect(page.getByRole('heading', { name: '请先登录' })).toBeVisible();
  expect(await page.content()).toContain('/resident/pkg-');
  await page.getByRole('link', { name: '去登录' }).click();
  await expect(page).toHaveURL(/\/login\?next=%2Fparticipation$/);
  await page.getByLabel('登录名').fill('resident');
  await page.getByLabel('登录密码').fill('Gongzhi@2026');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/participation$/);
  expect(await page.content()).toContain('/resident/pkg-');
  // Signing in on the office's page, a resident lands on the rounds too.
  await page.getByRole('button', { name: '退出' }).click();
  await page.goto('/');
  await page.goto('/login');
  expect(await page.content()).not.toContain('/resident/');
  await page.getByLabel('登录名').fill('resident');
  await page.getByLabel('登录密码').fill('Gongzhi@2026');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/participation$/);
  await expect(page.getByTestId('round-card').first()).toBeVisible();
  expect(await page.content()).toContain('/resident/pkg-');
  // An unknown page of the residents' bundle is "not found", not a loop.
  await page.goto('/participation/no-such-page');
  await expect(page.getByRole('heading', { name: '页面不存在' })).toBeVisible();
});
