// 民意调查 (issue 18) in Chromium: the leader asks on a desktop (the first
// wrong field takes the focus); a resident answers the parking poll once on
// a phone; a grid member fills one in door to door on the tablet; the
// an entry made without network waits on the tablet and is sent once
// when the network returns; the leader ends the poll (asked first) and
// residents read the count.
// Screenshots at each user's size.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { loginOk } from './session';
import { shot as shotAs } from './shots';

const PHONE = { width: 390, height: 844 };
const TABLET = { width: 1024, height: 768 };
const DESKTOP = { width: 1440, height: 900 };
const PARKING = '幸福社区停车管理民意调查';

const shot = (page: Page, name: string) => shotAs(page, 'poll', name);

async function person(browser: Browser, who: string, viewport = PHONE): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  await loginOk(page, who);
  return page;
}

async function open(page: Page, title: string) {
  await page.goto('/self-government/polls');
  await page.getByTestId('poll-card').filter({ hasText: title }).getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
}

test.describe.serial('民意调查: asked, answered on a phone and at the door, ended', () => {
  test('the leader asks the community on a desktop', async ({ browser }) => {
    const leader = await person(browser, 'leader', DESKTOP);
    await leader.goto('/self-government');
    await leader.getByTestId('to-polls').click();
    await leader.getByTestId('poll-new').click();
    // Sent empty: every problem named, the first wrong field focused.
    await leader.getByTestId('poll-create').click();
    await expect(leader.locator('#title-error')).toHaveText('请填写调查名称。');
    await expect(leader.getByLabel('调查名称')).toBeFocused();
    await leader.getByLabel('调查名称').fill('社区食堂满意度调查');
    await leader.getByLabel('调查说明').fill('请花一分钟告诉我们您对社区食堂的看法。');
    await leader.getByLabel('截止日期').fill('2027-01-15');
    const first = leader.getByTestId('poll-question-editor').first();
    await first.getByLabel('问题').fill('您多久去一次社区食堂?');
    await first.getByLabel('选项(每行一个,2 到 10 个)').fill('每天');
    await leader.getByTestId('poll-create').click();
    await expect(first).toContainText('第 1 题格式不正确:选择题要有 2 到 10 个选项');
    await expect(first.getByLabel('问题')).toBeFocused();
    await first.getByLabel('选项(每行一个,2 到 10 个)').fill('每天\n每周一两次\n很少去');
    await leader.getByTestId('poll-add-question').click();
    const second = leader.getByTestId('poll-question-editor').nth(1);
    await second.getByLabel('题型').selectOption('rating');
    await second.getByLabel('问题').fill('您对饭菜的口味打几分?');
    await expect(second.getByLabel('选项(每行一个,2 到 10 个)')).toHaveCount(0);
    await shot(leader, 'new-desktop');
    await leader.getByTestId('poll-create').click();
    await expect(leader.getByTestId('poll-notice')).toContainText('民意调查“社区食堂满意度调查”已发起,2027-01-15 截止');
    await expect(leader.getByTestId('poll-status')).toHaveText('调查中');
    await leader.context().close();
  });

  test('a resident answers the parking poll once on a phone', async ({ browser }) => {
    const page = await person(browser, 'resident.li');
    await page.goto('/self-government/polls');
    const card = page.getByTestId('poll-card').filter({ hasText: PARKING });
    await card.getByTestId('poll-action').click();
    const form = page.getByTestId('poll-form');
    // Nothing chosen: the message sits under the first question, which takes the focus.
    await page.getByTestId('poll-submit').click();
    const questions = form.getByTestId('poll-question');
    await expect(questions.first()).toContainText('请填写第 1 题。');
    await expect(questions.first().locator('input').first()).toBeFocused();
    await questions.nth(0).getByTestId('poll-choice').filter({ hasText: '1 辆' }).click();
    await questions.nth(1).getByTestId('poll-choice').filter({ hasText: '错时共享' }).click();
    await questions.nth(1).getByTestId('poll-choice').filter({ hasText: '重新划线' }).click();
    await questions.nth(2).getByTestId('poll-choice').filter({ hasText: '3 分' }).click();
    await questions.nth(3).getByRole('textbox').fill('希望夜间加强巡查');
    // The messages clear as the questions are answered.
    await expect(questions.first()).not.toContainText('请填写');
    await shot(page, 'answer-phone');
    await page.getByTestId('poll-submit').click();
    await expect(page.getByTestId('poll-notice')).toHaveText('您的问卷已提交,谢谢参与!');
    await expect(page.getByTestId('poll-done')).toBeVisible();
    await expect(page.getByTestId('poll-form')).toHaveCount(0);
    // While it runs a resident sees no count.
    await expect(page.getByTestId('poll-result')).toHaveCount(0);
    await page.goto('/self-government/polls');
    await expect(page.getByTestId('poll-card').filter({ hasText: PARKING }).getByTestId('poll-action')).toHaveText('您已填写');
    await shot(page, 'list-phone');
    await page.context().close();
  });

  test('a grid member fills one in at the door on the tablet', async ({ browser }) => {
    const worker = await person(browser, 'gridmember', TABLET);
    await open(worker, PARKING);
    await expect(worker.getByTestId('poll-result-later')).toContainText('已收问卷 25 份');
    await expect(worker.getByTestId('poll-result')).toHaveCount(0);
    await worker.getByTestId('poll-to-entry').click();
    await expect(worker.getByLabel('网格员入户填写')).toBeChecked();
    const people = worker.getByTestId('poll-asked');
    await expect(people.first()).toBeVisible();
    // Search as one types: the first one not yet asked.
    const free = people.filter({ hasText: '选择' }).first();
    const label = (await free.locator('span').first().textContent()) ?? '';
    const address = label.split(' · ')[1];
    await worker.getByLabel(/查找居民/).fill(address);
    await expect(people.first()).toContainText(address);
    await people.filter({ hasText: '选择' }).first().getByRole('button').click();
    await expect(worker.getByTestId('poll-chosen')).toContainText(address);
    const questions = worker.getByTestId('poll-question');
    await questions.nth(0).getByTestId('poll-choice').filter({ hasText: '没有' }).click();
    await questions.nth(1).getByTestId('poll-choice').filter({ hasText: '立体停车库' }).click();
    await questions.nth(2).getByTestId('poll-choice').filter({ hasText: '4 分' }).click();
    await shot(worker, 'entry-tablet');
    await worker.getByTestId('poll-entry-submit').click();
    await expect(worker.getByTestId('poll-entered')).toContainText(`的问卷(入户填写)。本次调查共收到 26 份`);
    await expect(worker.getByLabel(/查找居民/)).toBeFocused();
    await expect(worker.getByTestId('poll-entry-count')).toHaveText('已收 26 份');
    // The same resident is now marked 已填写 and cannot be chosen again.
    await worker.getByLabel(/查找居民/).fill(address);
    await expect(people.filter({ hasText: address }).first()).toContainText('已填写');
    await expect(people.filter({ hasText: address }).first().getByRole('button')).toBeDisabled();

    // The network drops at the next door: the entry waits on the tablet and goes, once, when it returns.
    await worker.getByLabel(/查找居民/).fill('');
    await expect(people.filter({ hasText: '选择' }).first()).toBeVisible();
    await worker.context().setOffline(true);
    const next = people.filter({ hasText: '选择' }).first();
    const nextAddress = ((await next.locator('span').first().textContent()) ?? '').split(' · ')[1];
    await next.getByRole('button').click();
    await questions.nth(0).getByTestId('poll-choice').filter({ hasText: '1 辆' }).click();
    await questions.nth(1).getByTestId('poll-choice').filter({ hasText: '重新划线' }).click();
    await questions.nth(2).getByTestId('poll-choice').filter({ hasText: '2 分' }).click();
    await worker.getByTestId('poll-entry-submit').click();
    await expect(worker.getByTestId('poll-entered')).toContainText('已存入待同步');
    await expect(worker.getByTestId('poll-waiting')).toContainText('待同步 1 份问卷');
    await expect(people.filter({ hasText: nextAddress }).first()).toContainText('待同步');
    await shot(worker, 'entry-offline-tablet');
    await worker.context().setOffline(false);
    await expect(worker.getByTestId('poll-synced')).toHaveText('已发送待同步的问卷 1 份。');
    await expect(worker.getByTestId('poll-waiting')).toHaveCount(0);
    await expect(worker.getByTestId('poll-entry-count')).toHaveText('已收 27 份');
    await worker.context().close();
  });

  test('the count waits for the end; the leader ends the poll after a question; residents read it', async ({ browser }) => {
    const leader = await person(browser, 'leader', DESKTOP);
    await open(leader, PARKING);
    // While it runs, no count and no export: only how many have come in.
    await expect(leader.getByTestId('poll-result-later')).toContainText('已收问卷 27 份');
    await expect(leader.getByTestId('poll-export')).toHaveCount(0);
    await leader.getByRole('button', { name: '结束调查' }).click();
    await expect(leader.getByRole('group', { name: '结束调查' })).toContainText('已收到的 27 份问卷的统计结果将向本社区居民公开');
    await leader.getByRole('button', { name: '确认结束调查' }).click();
    await expect(leader.getByTestId('poll-notice')).toContainText('调查已结束');
    await expect(leader.getByTestId('poll-status')).toHaveText('已结束');
    const result = leader.getByTestId('poll-result');
    await expect(result).toContainText('共收到问卷 27 份');
    await expect(result.getByTestId('poll-texts').first()).toContainText('希望夜间加强巡查');
    await shot(leader, 'result-desktop');
    // The export is an Excel workbook.
    const download = leader.waitForEvent('download');
    await leader.getByTestId('poll-export').click();
    expect((await download).suggestedFilename()).toBe('民意调查结果.xlsx');
    await leader.context().close();

    const page = await person(browser, 'resident');
    await open(page, PARKING);
    const seen = page.getByTestId('poll-result');
    await expect(seen).toContainText('共收到问卷 27 份');
    await expect(seen).toContainText('平均');
    await expect(seen).toContainText('简答内容仅工作人员可见');
    await expect(seen.getByTestId('poll-texts')).toHaveCount(0);
    await shot(page, 'result-phone');
    await page.context().close();
  });
});
