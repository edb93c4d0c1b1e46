// A shared tablet (共用平板): one grid member signs out while offline; when
// the network is back the server session is ended, and the next person to
// sign in sees neither the previous session nor the previous person's queue
// or kept copies. The queue still reaches the server under its owner.
import { expect, test } from '@playwright/test';
import { shoot } from './shots';
import { loginOk, logout } from './session';

const HERE = { longitude: 116.601, latitude: 28.2405 };

test.use({ geolocation: HERE, permissions: ['geolocation'] });

test('sign out offline, back online: the session ends and the next person sees nothing of the last', async ({ page, context }) => {
  await loginOk(page, 'gridmember');
  await page.goto('/grid');
  await page.getByRole('link', { name: '开始走访' }).first().click();
  await expect(page.getByTestId('grid-map')).toBeVisible();
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
  const keptCopies = () =>
    page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('gongzhi.cache.')).length);
  expect(await keptCopies()).toBeGreaterThan(0);

  // Offline: one visit waits in the outbox, then the person signs out.
  await context.setOffline(true);
  const marker = `共用平板-${Date.now()}`;
  await page.getByTestId('due-list').getByRole('button').first().click();
  const form = page.getByTestId('visit-form');
  await form.getByText('见到本人').click();
  await form.getByLabel('发现的需求').fill(marker);
  await form.getByRole('button', { name: '保存走访' }).click();
  await expect(page.getByTestId('outbox-bar')).toContainText('1 条待同步');
  const state = await page.evaluate(() => ({ ...localStorage }));
  await page.getByRole('button', { name: '退出' }).click();
  // Offline the page stays (no dead page), asking for a sign-in.
  await expect(page.getByRole('heading', { name: '请先登录' })).toBeVisible();
  await shoot(page, 'shared-tablet-signed-out-offline');
  // The person is forgotten on the device at once, network or not.
  await expect
    .poll(async () => {
      try {
        return await page.evaluate(() => ({
          pending: localStorage.getItem('gongzhi.signout_pending'),
          session: localStorage.getItem('gongzhi.session'),
          copies: Object.keys(localStorage).filter((k) => k.startsWith('gongzhi.cache.')).length,
        }));
      } catch {
        return null; // the page is navigating
      }
    })
    .toEqual({ pending: 'true', session: null, copies: 0 });
  expect(Object.keys(state).some((k) => k === 'gongzhi.outbox')).toBe(true);

  // Back online: the next start ends the server session the cookie names.
  await context.setOffline(false);
  await page.goto('/grid');
  await expect.poll(() => page.evaluate(() => localStorage.getItem('gongzhi.signout_pending'))).toBeNull();
  expect((await page.request.get('/api/auth/me')).status()).toBe(401);
  await expect(page.getByTestId('user-box')).toHaveCount(0);

  // The next person: no outbox of the last one's, no kept copies of theirs.
  await loginOk(page, 'leader');
  await page.goto('/grid');
  await expect(page.getByTestId('grid-cards')).toBeVisible();
  await expect(page.getByTestId('outbox-bar')).toHaveCount(0);
  await shoot(page, 'shared-tablet-next-person');
  const theirs = await page.evaluate(() =>
    Object.keys(localStorage).filter((k) => k.startsWith('gongzhi.cache.') && !k.startsWith('gongzhi.cache.leader/')),
  );
  expect(theirs).toEqual([]);
  await logout(page);

  // The owner signs in again: the visit is sent under their session, once.
  await loginOk(page, 'gridmember');
  await page.goto('/grid');
  await expect(page.getByTestId('grid-cards')).toBeVisible();
  await expect
    .poll(async () => {
      const grids = await (await page.request.get('/api/grids')).json();
      const id = grids.find((g: { code: string }) => g.code === 'DX-CD-XF-01').id;
      const visits = await (await page.request.get(`/api/grids/${id}/visits`)).json();
      return visits.filter((v: { needs: string | null }) => v.needs === marker).length;
    }, { timeout: 20_000 })
    .toBe(1);
});
