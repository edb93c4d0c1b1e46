// 百姓定实事 (issue 17), the whole cycle in Chromium: a resident proposes on a
// phone; the community's leader screens and costs the proposals and opens the
// vote; two residents vote on their phones and one on paper (entered by two
// clerks); the leader publishes the result, which a recount of the exported
// anonymous ballots reproduces; a resident rates a completed project.
// Screenshots at phone size for the residents' pages, desktop for the staff's.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { loginOk } from './session';
import { shot as shotAs } from './shots';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const ROUND = '2027 年幸福社区民生实事';
const DELIVERED = '2026 年幸福社区民生实事';

const shot = (page: Page, name: string) => shotAs(page, 'participation', name);

/** A browser of its own for one person, signed in through the login page. */
async function person(browser: Browser, who: string, viewport = PHONE): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  await loginOk(page, who);
  return page;
}

async function roundId(page: Page, title: string): Promise<number> {
  const rounds = await (await page.request.get('/api/participation/rounds')).json();
  return rounds.find((r: { title: string }) => r.title === title).id;
}

test.describe.serial('百姓定实事: one round from proposals to ratings', () => {
  let id = 0;

  test('a resident proposes on a phone', async ({ browser }) => {
    const page = await person(browser, 'resident');
    // A resident lands on the rounds (the residents' bundle).
    await expect(page).toHaveURL(/\/participation$/);
    expect(await page.content()).toContain('/resident/pkg-');
    const card = page.getByTestId('round-card').filter({ hasText: ROUND });
    await expect(card).toBeVisible();
    await shot(page, 'rounds-phone');
    await card.getByTestId('round-action').click();
    await expect(page.getByTestId('proposal-form')).toBeVisible();
    id = Number(page.url().match(/rounds\/(\d+)\/propose/)![1]);
    // The browser checks the form as the server does: a missing title is named.
    await page.getByTestId('proposal-submit').click();
    await expect(page.getByTestId('proposal-form')).toContainText('建议做什么(项目名称)');
    await page.getByLabel('建议做什么(项目名称)').fill('小区增设无障碍坡道');
    await page.getByLabel('要解决什么问题').fill('轮椅和童车进出单元门要抬,老人摔过跤');
    await page.getByLabel('在哪里(地点)').fill('幸福里 2 栋、4 栋单元门口');
    await page.getByLabel('谁受益(受益人群)').fill('行动不便的老人和带孩子的家庭');
    await shot(page, 'propose-phone');
    await page.getByTestId('proposal-submit').click();
    await expect(page.getByTestId('proposal-done')).toContainText('已提交,您的建议编号为');
    await page.getByTestId('back-to-round').click();
    const mine = page.getByTestId('proposal').filter({ hasText: '小区增设无障碍坡道' });
    await expect(mine.getByTestId('proposal-status')).toHaveText('待筛选');
    await shot(page, 'round-proposing-phone');
    await page.context().close();
  });

  test('the leader screens and costs every proposal and opens the vote', async ({ browser }) => {
    const page = await person(browser, 'leader', DESKTOP);
    await page.goto(`/participation/rounds/${id}`);
    await page.getByTestId('staff-screening').click();
    await expect(page).toHaveURL(new RegExp(`/participation/rounds/${id}/screening$`));
    // Proposals close: 征集中 → 筛选论证.
    await page.getByTestId('advance').click();
    await page.getByTestId('advance-confirm').click();
    await expect(page.getByTestId('round-status')).toHaveText('筛选论证');
    // Opening the vote with too few candidates is refused (差额: 3 places need 4).
    await expect(page.getByTestId('candidate-count')).toContainText('至少需要 4 个');
    const costs = ['380000', '220000', '90000', '60000'];
    for (let i = 0; i < costs.length; i++) {
      const form = page.getByTestId('screen-form').first();
      await form.getByText('列入候选', { exact: true }).click();
      await form.getByLabel('可行性论证').fill('经现场踏勘,技术可行,居民意愿强');
      await form.getByLabel('责任部门').selectOption({ label: '市住房和城乡建设局' });
      await form.getByLabel('估算费用(元)').fill(costs[i]);
      await form.getByRole('button', { name: /^保存筛选结果/ }).click();
      await expect(page.getByTestId('screen-form')).toHaveCount(costs.length - i - 1);
    }
    await expect(page.getByTestId('candidate-count')).toContainText('候选项目 4 个');
    await shot(page, 'screening-desktop');
    await page.getByTestId('advance').click();
    await page.getByTestId('advance-confirm').click();
    await expect(page.getByTestId('round-status')).toHaveText('投票中');
    await page.context().close();
  });

  test('two residents vote on their phones, one on paper; a second vote is refused', async ({ browser }) => {
    // 杨桂兰 picks two within the budget, through the confirmation step.
    const yang = await person(browser, 'resident');
    await yang.goto(`/participation/rounds/${id}`);
    await yang.getByTestId('go-vote').click();
    await expect(yang.getByTestId('ballot-form')).toBeVisible();
    await yang.getByTestId('candidate').filter({ hasText: '小区增设无障碍坡道' }).click();
    await yang.getByTestId('candidate').nth(0).click();
    await expect(yang.getByTestId('ballot-count')).toContainText('已选 2');
    await shot(yang, 'ballot-phone');
    await yang.getByTestId('ballot-next').click();
    await expect(yang.getByRole('heading', { name: '请确认您的选择' })).toBeVisible();
    await shot(yang, 'ballot-confirm-phone');
    await yang.getByTestId('ballot-submit').click();
    await expect(yang.getByRole('heading', { name: '您已投票' })).toBeVisible();
    await shot(yang, 'voted-phone');
    // The round now says so, and the ballot page offers no second vote.
    await yang.goto(`/participation/rounds/${id}`);
    await expect(yang.getByTestId('voted')).toBeVisible();
    await yang.goto(`/participation/rounds/${id}/ballot`);
    await expect(yang.getByTestId('voted')).toBeVisible();
    await expect(yang.getByTestId('ballot-form')).toHaveCount(0);
    // The API refuses a second ballot with a clear message.
    const again = await yang.request.post(`/api/participation/rounds/${id}/ballots`, {
      data: { picks: [], blank: true },
      headers: { 'X-CSRF-Token': await csrf(yang) },
    });
    expect(again.status()).toBe(409);
    expect((await again.json()).message).toContain('已投票');
    await yang.context().close();

    // 李建国 votes for the ramp only.
    const li = await person(browser, 'resident.li');
    await li.goto(`/participation/rounds/${id}/ballot`);
    await li.getByTestId('candidate').filter({ hasText: '小区增设无障碍坡道' }).click();
    await li.getByTestId('ballot-next').click();
    await li.getByTestId('ballot-submit').click();
    await expect(li.getByRole('heading', { name: '您已投票' })).toBeVisible();
    await li.context().close();

    // Paper: the grid member looks up 杨桂兰 (已投票) and then another
    // resident, enters the ballot; the leader enters it again and it counts.
    const clerk = await person(browser, 'gridmember', DESKTOP);
    const register = await (await clerk.request.get('/api/residents')).json();
    const yangId = register.find((r: { name: string }) => r.name === '杨桂兰').id;
    const voter = register.find((r: { name: string }) => r.name !== '杨桂兰' && r.name !== '李建国');
    await clerk.goto(`/participation/rounds/${id}/paper`);
    await clerk.getByRole('textbox', { name: '居民编号' }).fill(String(yangId));
    await clerk.getByRole('textbox', { name: '居民编号' }).press('Enter');
    await expect(clerk.getByTestId('paper-voted')).toHaveText('已投票');
    await shot(clerk, 'paper-voted-desktop');
    const enter = async (page: Page) => {
      await page.getByRole('textbox', { name: '居民编号' }).fill(String(voter.id));
      await page.getByRole('textbox', { name: '居民编号' }).press('Enter');
      await expect(page.getByTestId('paper-eligible')).toBeVisible();
      await page.getByTestId('paper-ballot').getByText('小区增设无障碍坡道', { exact: false }).click();
      await page.getByTestId('paper-submit').click();
    };
    await enter(clerk);
    await expect(clerk.getByTestId('paper-outcome')).toHaveAttribute('data-outcome', 'first');
    await expect(clerk.getByTestId('paper-pending')).toContainText(String(voter.id));
    await shot(clerk, 'paper-first-desktop');
    await clerk.context().close();
    const second = await person(browser, 'leader', DESKTOP);
    await second.goto(`/participation/rounds/${id}/paper`);
    await enter(second);
    await expect(second.getByTestId('paper-outcome')).toHaveAttribute('data-outcome', 'cast');
    await second.context().close();
  });

  test('the result is published, and a recount of the anonymous ballots agrees', async ({ browser }) => {
    const leader = await person(browser, 'leader', DESKTOP);
    await leader.goto(`/participation/rounds/${id}/screening`);
    await leader.getByTestId('advance').click();
    await leader.getByTestId('advance-confirm').click();
    await expect(leader.getByTestId('round-status')).toHaveText('已公布结果');
    await leader.context().close();

    const page = await person(browser, 'resident.li');
    await page.goto(`/participation/rounds/${id}`);
    const lines = page.getByTestId('result-line');
    await expect(lines.first()).toBeVisible();
    await expect(page.getByTestId('turnout')).toBeVisible();
    await shot(page, 'result-phone');
    // Anyone may recount: the export has no identity, and the count agrees.
    const pack = await (await page.request.get(`/api/participation/rounds/${id}/recount`)).json();
    expect(JSON.stringify(pack)).not.toContain('resident_id');
    expect(pack.ballots).toHaveLength(3);
    const votes = new Map<number, number>();
    for (const b of pack.ballots) {
      if (b.verdict.verdict === 'valid') for (const c of b.verdict.picks) votes.set(c, (votes.get(c) ?? 0) + 1);
    }
    const shown = await page.request.get(`/api/participation/rounds/${id}`);
    const detail = await shown.json();
    for (const line of detail.result.lines) {
      expect(line.votes).toBe(votes.get(line.id) ?? 0);
      await expect(lines.filter({ hasText: line.title })).toContainText(` ${line.votes} 票`);
    }
    // The ramp: two online and one on paper.
    const ramp = lines.filter({ hasText: '小区增设无障碍坡道' });
    await expect(ramp).toContainText(' 3 票');
    await expect(ramp.getByTestId('result-chosen')).toHaveText('当选');
    await page.context().close();
  });

  test('a resident rates a completed project, once', async ({ browser }) => {
    const page = await person(browser, 'resident.li');
    const delivered = await roundId(page, DELIVERED);
    await page.goto(`/participation/rounds/${delivered}`);
    const lift = page.getByTestId('delivery').filter({ hasText: '幸福里 3 栋加装电梯' });
    await expect(lift.getByTestId('delivery-progress')).toContainText('100%');
    await lift.getByTestId('rate-satisfied').click();
    await lift.getByTestId('rate-confirm').click();
    await expect(lift.getByTestId('my-rating')).toHaveText('您的评价:满意');
    await expect(lift.getByTestId('rate-satisfied')).toHaveCount(0);
    // The park is still being built: no rating yet, its late milestone flagged.
    const park = page.getByTestId('delivery').filter({ hasText: '建设口袋公园' });
    await expect(park.getByTestId('late').first()).toBeVisible();
    await expect(park.getByTestId('rate-satisfied')).toHaveCount(0);
    await shot(page, 'delivery-phone');
    await page.context().close();
  });
});

async function csrf(page: Page): Promise<string> {
  const me = await (await page.request.get('/api/auth/me')).json();
  return me.csrf_token;
}
