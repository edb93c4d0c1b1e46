// Pages load on demand (lazy routes split into wasm chunks). A chunk that
// cannot be fetched must not kill the app: the page says so in Chinese, offers
// 重试, and opens once the chunk arrives.
import { expect, test } from '@playwright/test';
import { shoot } from './shots';
import { loginOk } from './session';

test('a page chunk that fails to load shows 重试, and the page opens after it', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await loginOk(page, 'finance');
  await expect(page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '工作日计算' })).toBeVisible();

  // Every chunk request fails until 重试 is pressed (the network gone
  // mid-navigation).
  let failing = true;
  let failed = 0;
  await page.route(/\/pkg-[0-9a-f]{16}\/(split|chunk)_.*\.wasm$/, (route) => {
    if (failing) {
      failed += 1;
      return route.abort('internetdisconnected');
    }
    return route.continue();
  });
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '工作日计算' }).click();
  const notice = page.getByRole('alert').filter({ hasText: '页面文件未能下载' });
  await expect(notice).toBeVisible();
  expect(failed).toBeGreaterThan(0);
  await shoot(page, 'chunk-retry');
  // The app is alive meanwhile: the header still answers.
  await expect(page.getByTestId('user-box')).toBeVisible();

  failing = false;
  await notice.getByRole('button', { name: '重试' }).click();
  await expect(page.getByRole('heading', { name: '工作日计算' })).toBeVisible();
  await expect(notice).toHaveCount(0);
  // And the app still navigates.
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '经费保障' }).click();
  await expect(page.getByRole('heading', { name: '经费保障看板' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('a page loads only its own chunks: the first load of the calendar does not fetch the admission pages', async ({ page }) => {
  const wasm: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('.wasm')) wasm.push(new URL(r.url()).pathname);
  });
  await page.goto('/calendar');
  await expect(page.getByRole('heading', { name: '工作日计算' })).toBeVisible();
  // The main module and the calendar's own chunk, not the other pages'.
  expect(wasm.some((p) => p.endsWith('/gongzhi-app_bg.wasm'))).toBe(true);
  expect(wasm.some((p) => /\/split___calendar_view_\d+\.wasm$/.test(p))).toBe(true);
  const catalog = (p: string) => /\/split___admission_catalog_view_\d+\.wasm$/.test(p);
  expect(wasm.filter(catalog)).toEqual([]);
  expect(wasm.filter((p) => /\/split_/.test(p))).toHaveLength(1);
  await page.getByRole('link', { name: '准入事项清单' }).first().click();
  await expect(page).toHaveURL(/\/admission\/catalog$/);
  await expect.poll(() => wasm.filter(catalog).length).toBe(1);
});
