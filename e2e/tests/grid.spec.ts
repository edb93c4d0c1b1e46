// The grid walk on a tablet: offline recording with the outbox, the event
// loop round every role, and the admin's imports.
import { expect, test, type Page } from '@playwright/test';
import { shoot } from './shots';
import { loginOk, logout } from './session';

// Inside 幸福社区第一网格 (116.6000–116.6026 E, 28.2400–28.2418 N).
const HERE = { longitude: 116.601, latitude: 28.2405 };

async function gridId(page: Page, code: string): Promise<number> {
  const grids = await (await page.request.get('/api/grids')).json();
  return grids.find((g: { code: string }) => g.code === code).id;
}

test('a reviewer, who does not walk the grids, is offered to look at them, not to walk them', async ({ page }) => {
  await loginOk(page, 'reviewer');
  await page.goto('/grid');
  const cards = page.getByTestId('grid-cards');
  await expect(cards.getByRole('link', { name: '查看网格' }).first()).toBeVisible();
  await expect(cards.getByRole('link', { name: '开始走访' })).toHaveCount(0);
});

test.describe('a grid member in the street', () => {
  test.use({ geolocation: HERE, permissions: ['geolocation'] });

  test('records 3 visits and 1 event offline; after a reload offline they sync once when back online', async ({ page, context }) => {
    await loginOk(page, 'gridmember');
    await page.goto('/grid');
    await expect(page.getByTestId('grid-cards').getByRole('heading', { name: '幸福社区第一网格' })).toBeVisible();
    await shoot(page, 'grid-list');
    await page.getByRole('link', { name: '开始走访' }).first().click();
    await expect(page.getByTestId('grid-map')).toBeVisible();
    const dueRows = page.getByTestId('due-list').getByRole('button');
    await expect(dueRows.first()).toContainText('逾期');
    await expect(page.getByTestId('you-are-here')).toBeVisible();
    // Online once: the service worker takes the app shell, the page keeps
    // the event categories.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
    await page.getByRole('tab', { name: '上报事件' }).click();
    await expect(page.getByLabel('事件分类').locator('option')).not.toHaveCount(1);
    await page.getByRole('tab', { name: '应访名单' }).click();
    await shoot(page, 'grid-walk');

    await context.setOffline(true);
    const marker = `离线走访-${Date.now()}`;
    for (let i = 0; i < 3; i++) {
      await dueRows.nth(i).click();
      const form = page.getByTestId('visit-form');
      await form.getByText('见到本人').click();
      await form.getByLabel('发现的需求').fill(`${marker} 第 ${i + 1} 户`);
      if (i === 0) await shoot(page, 'grid-visit-form');
      await form.getByRole('button', { name: '保存走访' }).click();
      await expect(page.getByTestId('outbox-bar')).toContainText(`${i + 1} 条待同步`);
    }
    await page.getByRole('tab', { name: '上报事件' }).click();
    const ev = page.getByTestId('event-form');
    await ev.getByLabel('事件分类').selectOption('facility');
    await ev.getByLabel('事件描述').fill(`${marker} 路灯损坏`);
    await ev.getByRole('button', { name: '使用当前位置' }).click();
    await expect(ev.getByTestId('event-position')).toContainText('已选位置');
    await ev.getByRole('button', { name: '保存并上报' }).click();
    await expect(page.getByTestId('outbox-bar')).toContainText('4 条待同步');
    await expect(page.getByTestId('outbox-bar')).toContainText('网络未连接');
    await page.getByTestId('outbox-bar').getByRole('button', { name: '查看' }).click();
    await shoot(page, 'grid-offline-outbox');

    // Reload with no network: the shell comes from the service worker, the
    // map from the tablet's copy, the outbox from storage.
    await page.reload();
    await expect(page.getByTestId('grid-map')).toBeVisible();
    await expect(page.getByTestId('offline-copy')).toBeVisible();
    await expect(page.getByTestId('outbox-bar')).toContainText('4 条待同步');
    await shoot(page, 'grid-offline-reloaded');

    await context.setOffline(false);
    await expect(page.getByTestId('outbox-bar')).toHaveCount(0, { timeout: 20_000 });

    const id = await gridId(page, 'DX-CD-XF-01');
    const visits = await (await page.request.get(`/api/grids/${id}/visits`)).json();
    expect(visits.filter((v: { needs: string | null }) => v.needs?.startsWith(marker))).toHaveLength(3);
    const events = await (await page.request.get('/api/events?state=all')).json();
    expect(events.filter((e: { description: string }) => e.description.startsWith(marker))).toHaveLength(1);
    // Synced visits now count: the map, fetched again, no longer shows them overdue.
    await expect(page.getByTestId('offline-copy')).toHaveCount(0);
  });

  test('offline before their first opening: the visit form, the event list and an event open from the tablet', async ({ page, context }) => {
    await loginOk(page, 'gridmember');
    const id = await gridId(page, 'DX-CD-XF-01');
    const open = await (await page.request.get('/api/events?state=open')).json();
    expect(open.length).toBeGreaterThan(0);
    await page.goto(`/grid/${id}`);
    await expect(page.getByTestId('grid-map')).toBeVisible();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
    // The service worker keeps every part of the tablet bundle, each page's chunk included.
    const kept = await page.evaluate(async () => {
      const name = (await caches.keys()).find((k) => k.startsWith('gongzhi-shell-'));
      const cache = await caches.open(name!);
      return (await cache.keys()).map((r) => new URL(r.url).pathname);
    });
    const chunks = kept.filter((p) => /\/field\/pkg-[0-9a-f]{16}\/(split|chunk)_.*\.wasm$/.test(p));
    expect(chunks.length).toBeGreaterThanOrEqual(11);
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(new URL(r.url()).pathname));

    await context.setOffline(true);
    await page.getByTestId('due-list').getByRole('button').first().click();
    await expect(page.getByTestId('visit-form')).toBeVisible();
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '事件处置' }).click();
    await expect(page.getByRole('heading', { name: '事件处置' })).toBeVisible();
    // A full load of an event page with no network: the shell and its chunk
    // come from the service worker.
    await page.goto(`/events/${open[0].id}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await shoot(page, 'grid-offline-event-first-open');
    await expect(page.getByText('页面文件未能下载')).toHaveCount(0);
    expect(failed.filter((p) => p.endsWith('.wasm') || p.endsWith('.js'))).toEqual([]);
    await context.setOffline(false);
  });

  test('a report near an open one of the same category is offered as a duplicate', async ({ page, context }) => {
    // The demo's open 环境卫生 event at 0.3/0.4 of grid 01's width/height.
    await context.setGeolocation({ longitude: 116.6 + 0.3 * 0.0026, latitude: 28.24 + 0.4 * 0.0018 + 0.0001 });
    await loginOk(page, 'gridmember');
    await page.goto(`/grid/${await gridId(page, 'DX-CD-XF-01')}`);
    await page.getByRole('tab', { name: '上报事件' }).click();
    const ev = page.getByTestId('event-form');
    await ev.getByLabel('事件分类').selectOption('environment');
    await ev.getByLabel('事件描述').fill('绿化带旁又发现建筑垃圾');
    await ev.getByRole('button', { name: '使用当前位置' }).click();
    await ev.getByRole('button', { name: '保存并上报' }).click();
    const dup = page.getByTestId('possible-duplicates');
    await expect(dup).toContainText('附近 50 米内已有同类未结事件');
    await expect(dup).toContainText('建筑垃圾');
    await shoot(page, 'grid-duplicate');
    await dup.getByRole('button', { name: '不上报' }).click();
    await expect(dup).toHaveCount(0);
    await expect(page.getByTestId('outbox-bar')).toHaveCount(0);
  });
});

async function act(page: Page, button: string, note?: string) {
  if (note) await page.getByLabel('处理意见').fill(note);
  await page.getByTestId('event-actions').getByRole('button', { name: button, exact: true }).click();
}

test('an event goes round the whole loop: report, register, dispatch, take, report back, check, close', async ({ page }) => {
  await loginOk(page, 'gridmember');
  const id = await gridId(page, 'DX-CD-XF-01');
  await page.goto(`/grid/${id}`);
  await page.getByRole('tab', { name: '上报事件' }).click();
  const ev = page.getByTestId('event-form');
  await ev.getByLabel('事件分类').selectOption('employment');
  const text = `就业咨询-${Date.now()}`;
  await ev.getByLabel('事件描述').fill(`${text}:失业居民咨询灵活就业参保`);
  // The position by a tap on the map.
  await ev.getByRole('button', { name: '在地图上点选' }).click();
  const map = page.getByTestId('grid-map');
  const box = (await map.boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await expect(ev.getByTestId('event-position')).toContainText('已选位置');
  await ev.getByRole('button', { name: '保存并上报' }).click();
  await expect(ev.getByText('事件已保存')).toBeVisible();
  await expect(page.getByTestId('outbox-bar')).toHaveCount(0);

  await page.goto('/events');
  await page.getByRole('link', { name: new RegExp(text) }).click();
  await expect(page.getByTestId('event-status')).toHaveText('已上报');
  await act(page, '受理登记');
  await expect(page.getByTestId('event-status')).toHaveText('已登记');
  const url = page.url();
  await logout(page);

  await loginOk(page, 'leader');
  await page.goto(url);
  await act(page, '派遣', '请人社局答复居民');
  await expect(page.getByTestId('event-status')).toHaveText('已派遣');
  await expect(page.getByTestId('event-card')).toContainText('市人力资源和社会保障局');
  await logout(page);

  // The department sees it in its list with the time left.
  await loginOk(page, 'applicant');
  await page.goto('/events');
  const row = page.getByTestId('events-table').getByRole('row', { name: new RegExp(text) });
  await expect(row).toContainText('剩余');
  await shoot(page, 'events-department');
  await row.getByRole('link').first().click();
  await act(page, '签收');
  await expect(page.getByTestId('event-status')).toHaveText('处置中');
  // Reporting back without a note is refused with the field named.
  await page.getByTestId('event-actions').getByRole('button', { name: '处置反馈' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '处理意见' })).toBeVisible();
  await act(page, '处置反馈', '已上门讲解灵活就业参保流程');
  await expect(page.getByTestId('event-status')).toHaveText('已反馈');
  await logout(page);

  await loginOk(page, 'leader');
  await page.goto(url);
  await act(page, '核查通过', '回访居民,已办理参保');
  await act(page, '结案');
  await expect(page.getByTestId('event-status')).toHaveText('已结案');
  await expect(page.getByTestId('event-steps').getByRole('listitem')).toHaveCount(7);
  await shoot(page, 'event-closed');
});

/** A valid 18-digit ID number (check digit per GB 11643), distinct per `n`. */
function idNumber(n: number): string {
  const birth = new Date(Date.UTC(1946, 0, 1) + Math.floor(n / 1000) * 86_400_000);
  const ymd = birth.toISOString().slice(0, 10).replaceAll('-', '');
  const body = `361199${ymd}${String(n % 1000).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * weights[i], 0);
  return body + '10X98765432'[sum % 11];
}

test('the system admin checks a household file and imports it only when clean', async ({ page }) => {
  test.setTimeout(120_000);
  await loginOk(page, 'sysadmin');
  await page.goto('/grid/import');
  const box = page.getByTestId('import-households');
  const header = '网格编码,户编号,地址,楼栋,经度,纬度,姓名,公民身份号码,联系电话,特殊群体,纳入日期\n';
  const bad = `${header}DX-CD-XF-02,E2E-1,幸福社区 30 栋 101 室,30 栋,116.6030,28.2405,周大爷,110105194912310021,,孤寡,\n`;
  await box.getByLabel('选择文件').setInputFiles({ name: 'households.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await box.getByRole('button', { name: '检查文件' }).click();
  await expect(box.getByTestId('import-result')).toContainText('发现 2 处问题,未导入任何数据');
  await expect(box.getByTestId('import-problems')).toContainText('公民身份号码');
  await expect(box.getByTestId('import-problems')).toContainText('“孤寡”');
  await shoot(page, 'grid-import-problems');
  const good = bad.replace('110105194912310021,,孤寡', '11010519491231002X,,独居老人');
  await box.getByLabel('选择文件').setInputFiles({ name: 'households.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await box.getByRole('button', { name: '导入' }).click();
  await expect(box.getByTestId('import-result')).toContainText('导入完成:共 1 行,新增 1');
  // A larger file (6,000 residents, 2,000 households): the import runs on
  // the server as a job, its phase and rows done show as a progress bar,
  // then the report.
  const rows: string[] = [];
  for (let n = 0; n < 6000; n++) {
    const h = Math.floor(n / 3);
    const grid = h % 2 === 0 ? 'DX-CD-XF-01' : 'DX-CD-XF-02';
    rows.push(`${grid},E2E-BIG-${h},幸福社区幸福路 ${h % 40 + 1} 号 ${h} 室,${h % 40 + 1} 栋,116.6005,28.2405,居民${n},${idNumber(n)},,,`);
  }
  const big = header + rows.join('\n') + '\n';
  await box.getByLabel('选择文件').setInputFiles({ name: 'district.csv', mimeType: 'text/csv', buffer: Buffer.from(big) });
  await box.getByRole('button', { name: '导入' }).click();
  const bar = box.getByRole('progressbar', { name: '导入进度' });
  await expect(bar).toBeVisible();
  await expect(box.getByTestId('import-progress')).toContainText('正在导入');
  await expect(bar).toHaveAttribute('aria-valuetext', /读取|校验|写入/);
  // Rows done of the total, once the file is read.
  await expect(bar).toHaveAttribute('aria-valuetext', /(校验|写入):\d+ \/ 6000 行/);
  await expect(bar).toHaveAttribute('max', '6000');
  await shoot(page, 'grid-import-progress');
  await expect(box.getByTestId('import-result')).toContainText('导入完成:共 6000 行,新增 2000', { timeout: 60_000 });
  await expect(bar).toHaveCount(0);
  await shoot(page, 'grid-import-done');
  // A file with a bad row, imported: the job fails and lists the problems as before.
  await box.getByLabel('选择文件').setInputFiles({ name: 'households.csv', mimeType: 'text/csv', buffer: Buffer.from(bad.replace('E2E-1', 'E2E-2')) });
  await box.getByRole('button', { name: '导入' }).click();
  await expect(box.getByTestId('import-result')).toContainText('发现 2 处问题,未导入任何数据');
  await expect(box.getByTestId('import-problems')).toContainText('“孤寡”');
});

test('the community leader sees every grid with its size flag, and whether the grids tile the community', async ({ page }) => {
  await loginOk(page, 'leader');
  await page.goto('/grid');
  const cards = page.getByTestId('grid-cards').getByRole('article');
  await expect(cards).toHaveCount(6);
  await expect(cards.nth(4)).toContainText('户数偏多(超过 500 户)');
  await expect(cards.nth(5)).toContainText('户数偏少(低于 300 户)');
  await expect(page.getByTestId('coverage')).toContainText('网格覆盖 100.0% 的社区面积');
  await shoot(page, 'grid-list-leader');
});
