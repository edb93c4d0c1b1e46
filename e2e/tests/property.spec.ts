// 物业党建联建 (issue 18) in Chromium: a resident on a phone reads the
// companies serving their estates — the party organisation, the owners'
// committee's term, complaints and the satisfaction ratings; the leader
// registers a company on a desktop (the first wrong field takes the focus), adds
// the estate it serves (a grid another company serves is refused, by name of
// the field), and opens its yearly rating; a grid member links a
// residents' complaint to it. Screenshots at each user's size.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { loginOk } from './session';
import { shot as shotAs } from './shots';

const PHONE = { width: 390, height: 844 };
const TABLET = { width: 1024, height: 768 };
const DESKTOP = { width: 1440, height: 900 };
const NEW = '和顺物业服务有限公司';

// Three weeks from today (a Beijing date): the rating's closing day.
const until = new Date(Date.now() + 8 * 3600e3 + 21 * 86400e3).toISOString().slice(0, 10);

const shot = (page: Page, name: string) => shotAs(page, 'property', name);

async function person(browser: Browser, who: string, viewport = PHONE): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  await loginOk(page, who);
  return page;
}

async function csrf(page: Page): Promise<string> {
  return (await (await page.request.get('/api/auth/me')).json()).csrf_token;
}

test.describe.serial('物业联建: read on a phone, registered and rated by the leader, a complaint linked', () => {
  test('a resident reads the companies serving the community on a phone', async ({ browser }) => {
    const page = await person(browser, 'resident');
    await page.goto('/self-government');
    await page.getByTestId('to-property').click();
    await expect(page.getByRole('heading', { level: 1, name: '物业联建' })).toBeVisible();
    const xingfu = page.getByTestId('property-card').filter({ hasText: '幸福物业服务有限公司' });
    await expect(xingfu).toContainText('服务小区:幸福里');
    await expect(xingfu).toContainText('联合党支部');
    await expect(xingfu.getByTestId('property-rating')).toContainText('满意率');
    const anju = page.getByTestId('property-card').filter({ hasText: '安居物业管理有限公司' });
    await expect(anju).toContainText('1 个小区业委会任期已届满,待换届');
    await shot(page, 'list-phone');

    await xingfu.getByRole('link', { name: '幸福物业服务有限公司' }).click();
    await expect(page.getByRole('heading', { level: 1, name: '幸福物业服务有限公司' })).toBeVisible();
    const estate = page.getByTestId('estate-card').filter({ hasText: '幸福里' });
    await expect(estate.getByTestId('committee-state')).toHaveText('任期内');
    await expect(estate).toContainText('业委会主任 刘卫东');
    // Last year's result, and this year's rating open for the estates' residents.
    await expect(page.getByTestId('property-rating-row')).toHaveCount(2);
    await expect(page.getByTestId('property-rating-row').filter({ hasText: '已公布结果' })).toContainText('满意率');
    await expect(page.getByTestId('joint-meeting').first()).toContainText('幸福里电梯停运与物业服务整改');
    // Nothing to manage for a resident.
    await expect(page.getByTestId('property-edit')).toHaveCount(0);
    await expect(page.getByTestId('estate-add')).toHaveCount(0);
    await expect(page.getByTestId('complaint-link')).toHaveCount(0);
    await shot(page, 'company-phone');
    await page.context().close();
  });

  test('the leader registers a company, adds its estate and opens its rating', async ({ browser }) => {
    const leader = await person(browser, 'leader', DESKTOP);
    await leader.goto('/self-government/property');
    await leader.getByTestId('property-new').click();
    // Sent empty: every problem named, the first wrong field focused.
    await leader.getByTestId('property-submit').click();
    await expect(leader.locator('#name-error')).toHaveText('请填写企业名称。');
    await expect(leader.getByLabel('企业名称')).toBeFocused();
    await leader.getByLabel('企业名称').fill(NEW);
    await leader.getByLabel('统一社会信用代码').fill('91361021MA398TC4X4');
    await leader.getByLabel('联系人').fill('赵明');
    await leader.getByLabel('联系电话').fill('0794-8269999');
    await leader.getByLabel('党组织建设情况').selectOption('own_branch');
    await leader.getByLabel('党员人数').fill('3');
    await leader.getByTestId('property-submit').click();
    await expect(leader.locator('#credit_code-error')).toContainText('校验码');
    await expect(leader.getByLabel('统一社会信用代码')).toBeFocused();
    await leader.getByLabel('统一社会信用代码').fill('91361021MA398TC4X3');
    await expect(leader.locator('#credit_code-error')).toHaveText('');
    await shot(leader, 'new-desktop');
    await leader.getByTestId('property-submit').click();
    await expect(leader.getByTestId('property-notice')).toContainText(`已登记物业服务企业“${NEW}”`);
    await expect(leader.getByRole('heading', { level: 1, name: NEW })).toBeVisible();
    await expect(leader.getByTestId('property-party')).toContainText('独立党支部(党员 3 名)');

    // Its estate: 幸福里's grid is served by 幸福物业 and refused.
    await leader.getByTestId('estate-add').locator('summary').click();
    const form = leader.getByTestId('estate-add').getByTestId('estate-form');
    await form.getByLabel('小区名称').fill('和顺园');
    await form.getByLabel('幸福社区第一网格').check();
    await form.getByLabel('户数').fill('320');
    await form.getByLabel('服务起始日期').fill('2024-01-01');
    await form.getByTestId('estate-submit').click();
    await expect(form.locator('#estate-new-grids-error')).toContainText('已由另一家物业服务企业的小区覆盖');
    await form.getByLabel('幸福社区第一网格').uncheck();
    await form.getByLabel('幸福社区第三网格').check();
    await form.getByTestId('estate-submit').click();
    await expect(leader.getByTestId('property-notice')).toContainText('已添加小区“和顺园”');
    const card = leader.getByTestId('estate-card').filter({ hasText: '和顺园' });
    await expect(card).toContainText('覆盖网格:幸福社区第三网格');
    await expect(card.getByTestId('committee-state')).toHaveText('未成立业主委员会');
    await shot(leader, 'company-desktop');

    // This year's rating, by the residents of 和顺园.
    await leader.getByTestId('rating-open').locator('summary').click();
    await leader.getByLabel('测评截止日期').fill(until);
    await leader.getByLabel('企业年度服务报告').fill('本年度完成和顺园外墙修缮、监控改造,报修平均 2 小时响应。');
    await leader.getByTestId('rating-submit').click();
    await expect(leader.getByTestId('review-notice')).toContainText(`服务满意度测评”已发起。所服务小区的居民可在 ${until} 前评议`);
    await expect(leader.getByRole('heading', { level: 1 })).toContainText(NEW);
    await leader.context().close();
  });

  test('a grid member links a residents’ complaint to the company on the tablet', async ({ browser }) => {
    const worker = await person(browser, 'gridmember', TABLET);
    // A resident's 物业服务投诉 reported in the street (through the API, as the tablet sends it).
    const r = await worker.request.post('/api/events', {
      data: {
        idempotency_key: `property-e2e-${Date.now()}`,
        category: 'property',
        description: '和顺园 2 栋楼道灯坏了一个月,物业一直没修',
        lon: 116.601, lat: 28.2405,
        reported_at: new Date().toISOString(),
      },
      headers: { 'X-CSRF-Token': await csrf(worker) },
    });
    expect(r.status(), await r.text()).toBe(201);
    const event = (await r.json()).id;
    await worker.goto('/self-government/property');
    await worker.getByTestId('property-card').filter({ hasText: NEW }).getByRole('link', { name: NEW }).click();
    await expect(worker.getByRole('heading', { level: 1, name: NEW })).toBeVisible();
    await expect(worker.getByTestId('property-edit')).toHaveCount(0);
    const link = worker.getByTestId('complaint-link');
    await link.getByTestId('complaint-link-submit').click();
    await expect(worker.locator('#event_id-error')).toHaveText('请填写投诉事件编号。');
    await expect(worker.getByLabel('投诉事件编号')).toBeFocused();
    await worker.getByLabel('投诉事件编号').fill(String(event));
    await link.getByTestId('complaint-link-submit').click();
    await expect(worker.getByTestId('property-notice')).toContainText(`投诉事件 ${event} 已关联到本企业`);
    await expect(worker.getByTestId('property-complaints').first()).toContainText('办理中 1 件');
    await shot(worker, 'complaint-tablet');
    await worker.context().close();
  });
});
