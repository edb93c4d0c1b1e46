// Accessibility on every page (issue 14): axe-core (WCAG 2.1 A and AA rules)
// on every route of both bundles, signed in as the demo account whose role
// uses it, at tablet and desktop size — and at phone size for the resident's
// pages and the street pages. No serious or critical violation may remain;
// colour contrast (axe's color-contrast: 4.5:1 for text, 3:1 for large text)
// is one of those rules. On the street pages every button, link and input is
// also a touch target of at least 44 × 44 CSS pixels at phone and tablet size.
// At phone size no page may be wider than the screen (reflow, WCAG 1.4.10).
// Screenshots of every page and size go to e2e/screenshots/a11y/.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import * as path from 'node:path';
import { DEMO_PASSWORD } from './session';

const SIZES = {
  phone: { width: 390, height: 844 },
  tablet: { width: 1024, height: 768 },
  desktop: { width: 1440, height: 900 },
} as const;
type Size = keyof typeof SIZES;

const OFFICE: Size[] = ['tablet', 'desktop'];
const EVERY: Size[] = ['phone', 'tablet', 'desktop'];
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const MIN_TARGET = 44;

type Ids = {
  grid: number; event: number; seal: number; file: number; returned: number; project: number; community: number;
  /** 幸福社区's rounds of 百姓定实事: proposals open, voting, counted and delivered. */
  proposing: number; voting: number; counted: number;
};

interface Screen {
  /** File name of the screenshots, and the test's title. */
  name: string;
  /** Demo account, or none (signed out). */
  who?: string;
  /** The path, from the demo data's ids. */
  path: (ids: Ids) => string;
  sizes: Size[];
  /** A street page (tablet bundle): touch targets are checked too. */
  street?: boolean;
  /** Brings the page into the state to check, after it is loaded. */
  then?: (page: Page) => Promise<void>;
}

const SCREENS: Screen[] = [
  // Signed out.
  { name: 'login', path: () => '/login', sizes: EVERY },
  { name: 'catalog-public', path: () => '/admission/catalog', sizes: EVERY },
  { name: 'purchases-public', path: () => '/purchases', sizes: EVERY },
  { name: 'calendar-public', path: () => '/calendar', sizes: OFFICE },
  { name: 'not-found', path: () => '/no-such-page', sizes: OFFICE },
  {
    name: 'street-login', path: () => '/seal', sizes: EVERY, street: true,
    // The tablet bundle's own sign-in page, reached from its 请先登录 notice.
    then: async (page) => {
      await page.getByRole('link', { name: '去登录' }).click();
      await expect(page.getByLabel('登录名')).toBeVisible();
    },
  },
  // The resident, on a phone.
  { name: 'home-resident', who: 'resident', path: () => '/', sizes: EVERY },
  // The residents' bundle: a resident's pages at every size, staff pages in the office.
  { name: 'participation', who: 'resident', path: () => '/participation', sizes: EVERY },
  { name: 'participation-proposing', who: 'resident', path: (ids) => `/participation/rounds/${ids.proposing}`, sizes: EVERY },
  { name: 'participation-propose', who: 'resident', path: (ids) => `/participation/rounds/${ids.proposing}/propose`, sizes: EVERY },
  { name: 'participation-voting', who: 'resident', path: (ids) => `/participation/rounds/${ids.voting}`, sizes: EVERY },
  { name: 'participation-ballot', who: 'resident', path: (ids) => `/participation/rounds/${ids.voting}/ballot`, sizes: EVERY },
  { name: 'participation-counted', who: 'resident', path: (ids) => `/participation/rounds/${ids.counted}`, sizes: EVERY },
  { name: 'participation-leader', who: 'leader', path: () => '/participation', sizes: OFFICE },
  { name: 'participation-new', who: 'leader', path: () => '/participation/new', sizes: OFFICE },
  { name: 'participation-screening', who: 'leader', path: (ids) => `/participation/rounds/${ids.proposing}/screening`, sizes: OFFICE },
  { name: 'participation-paper', who: 'gridmember', path: (ids) => `/participation/rounds/${ids.voting}/paper`, sizes: EVERY },
  { name: 'participation-delivery', who: 'leader', path: (ids) => `/participation/rounds/${ids.counted}/delivery`, sizes: OFFICE },
  { name: 'self-government', who: 'resident', path: () => '/self-government', sizes: EVERY },
  { name: 'self-government-new', who: 'resident', path: () => '/self-government/new', sizes: EVERY },
  { name: 'self-government-matter', who: 'leader', path: () => '/self-government/matters/1', sizes: EVERY },
  { name: 'self-government-resolved', who: 'resident', path: () => '/self-government/matters/2', sizes: EVERY },
  { name: 'self-government-dispute', who: 'gridmember', path: () => '/self-government/matters/3', sizes: OFFICE },
  {
    name: 'disclosure-public', path: () => '/self-government/disclosure', sizes: EVERY,
    // Signed out: the list of communities, then 幸福社区's board.
    then: async (page) => {
      await page.getByTestId('disclosure-community').filter({ hasText: '幸福社区' }).first().click();
      await expect(page.getByTestId('disclosure-summary')).toBeVisible();
    },
  },
  { name: 'disclosure-leader', who: 'leader', path: () => '/self-government/disclosure', sizes: OFFICE },
  { name: 'reviews', who: 'resident.li', path: () => '/self-government/reviews', sizes: EVERY },
  { name: 'review-open', who: 'resident.li', path: () => '/self-government/reviews/2', sizes: EVERY },
  { name: 'review-published', who: 'resident', path: () => '/self-government/reviews/1', sizes: EVERY },
  { name: 'polls', who: 'resident.li', path: () => '/self-government/polls', sizes: EVERY },
  { name: 'poll-open', who: 'resident.li', path: () => '/self-government/polls/1', sizes: EVERY },
  { name: 'poll-ended', who: 'resident', path: () => '/self-government/polls/2', sizes: EVERY },
  { name: 'poll-new', who: 'leader', path: () => '/self-government/polls/new', sizes: OFFICE },
  { name: 'poll-staff', who: 'leader', path: () => '/self-government/polls/1', sizes: OFFICE },
  { name: 'poll-entry', who: 'gridmember', path: () => '/self-government/polls/1/entry', sizes: EVERY },
  { name: 'review-leader', who: 'leader', path: () => '/self-government/reviews/2', sizes: OFFICE },
  { name: 'review-new', who: 'leader', path: () => '/self-government/reviews/new', sizes: OFFICE },
  { name: 'property', who: 'resident', path: () => '/self-government/property', sizes: EVERY },
  { name: 'property-company', who: 'resident', path: () => '/self-government/property/1', sizes: EVERY },
  { name: 'property-leader', who: 'leader', path: () => '/self-government/property/1', sizes: OFFICE },
  { name: 'property-new', who: 'leader', path: () => '/self-government/property/new', sizes: OFFICE },
  { name: 'password', who: 'resident', path: () => '/password', sizes: EVERY },
  // Office pages.
  { name: 'home-reviewer', who: 'reviewer', path: () => '/', sizes: OFFICE },
  { name: 'admission-queue', who: 'reviewer', path: () => '/admission', sizes: OFFICE },
  { name: 'admission-file', who: 'reviewer', path: (ids) => `/admission/${ids.file}`, sizes: OFFICE },
  { name: 'admission-print', who: 'reviewer', path: (ids) => `/admission/${ids.file}/print`, sizes: OFFICE },
  { name: 'admission-paper', who: 'reviewer', path: () => '/admission/paper', sizes: OFFICE },
  { name: 'admission-catalog', who: 'reviewer', path: () => '/admission/catalog', sizes: OFFICE },
  { name: 'facilities', who: 'reviewer', path: () => '/facilities', sizes: OFFICE },
  { name: 'facilities-new', who: 'reviewer', path: () => '/facilities/new', sizes: OFFICE },
  { name: 'facilities-project', who: 'reviewer', path: (ids) => `/facilities/projects/${ids.project}`, sizes: OFFICE },
  { name: 'facilities-waiting', who: 'applicant.zrzyj', path: () => '/facilities', sizes: OFFICE },
  { name: 'facilities-project-blocked', who: 'leader', path: (ids) => `/facilities/projects/${ids.project}`, sizes: OFFICE },
  { name: 'facilities-community', who: 'leader', path: (ids) => `/facilities/communities/${ids.community}`, sizes: EVERY },
  { name: 'facilities-standards', who: 'sysadmin', path: () => '/facilities/standards', sizes: OFFICE },
  { name: 'cleanup', who: 'reviewer', path: () => '/cleanup', sizes: OFFICE },
  { name: 'calendar', who: 'reviewer', path: () => '/calendar', sizes: OFFICE },
  { name: 'admission-new', who: 'applicant', path: () => '/admission/new', sizes: OFFICE },
  { name: 'admission-returned', who: 'applicant', path: (ids) => `/admission/${ids.returned}`, sizes: OFFICE },
  { name: 'admission-resubmit', who: 'applicant', path: (ids) => `/admission/${ids.returned}/edit`, sizes: OFFICE },
  { name: 'purchases', who: 'applicant', path: () => '/purchases', sizes: OFFICE },
  { name: 'funding', who: 'finance', path: () => '/funding', sizes: OFFICE },
  { name: 'accounts', who: 'sysadmin', path: () => '/accounts', sizes: OFFICE },
  { name: 'org', who: 'sysadmin', path: () => '/org', sizes: OFFICE },
  { name: 'open311-keys', who: 'sysadmin', path: () => '/open311-keys', sizes: OFFICE },
  { name: 'calendar-holidays', who: 'sysadmin', path: () => '/calendar', sizes: OFFICE },
  { name: 'seal-catalog', who: 'sysadmin', path: () => '/seal-catalog', sizes: OFFICE },
  { name: 'security', who: 'secadmin', path: () => '/security', sizes: OFFICE },
  { name: 'audit', who: 'auditadmin', path: () => '/audit', sizes: OFFICE },
  // Street pages (tablet bundle).
  { name: 'grid-list', who: 'gridmember', path: () => '/grid', sizes: EVERY, street: true },
  { name: 'grid-walk', who: 'gridmember', path: (ids) => `/grid/${ids.grid}`, sizes: EVERY, street: true },
  {
    name: 'grid-visit', who: 'gridmember', path: (ids) => `/grid/${ids.grid}`, sizes: EVERY, street: true,
    then: async (page) => {
      await page.getByTestId('due-list').getByRole('button').first().click();
      await expect(page.getByTestId('visit-form')).toBeVisible();
    },
  },
  {
    name: 'grid-report', who: 'gridmember', path: (ids) => `/grid/${ids.grid}`, sizes: EVERY, street: true,
    then: async (page) => {
      await page.getByRole('tab', { name: '上报事件' }).click();
      await expect(page.getByTestId('event-form')).toBeVisible();
    },
  },
  { name: 'events', who: 'gridmember', path: () => '/events', sizes: EVERY, street: true },
  { name: 'event', who: 'gridmember', path: (ids) => `/events/${ids.event}`, sizes: EVERY, street: true },
  { name: 'residents', who: 'gridmember', path: () => '/residents', sizes: EVERY, street: true },
  { name: 'seal', who: 'gridmember', path: () => '/seal', sizes: EVERY, street: true },
  {
    name: 'street-password', who: 'gridmember', path: () => '/grid', sizes: EVERY, street: true,
    // The tablet bundle's own password page, reached from its header.
    then: async (page) => {
      await page.getByRole('link', { name: '修改密码' }).click();
      await expect(page).toHaveURL(/\/password$/);
      await expect(page.getByLabel('当前密码')).toBeVisible();
    },
  },
  { name: 'street-not-found', who: 'gridmember', path: () => '/seal/no-such-page', sizes: EVERY, street: true },
  { name: 'seal-register', who: 'leader', path: () => '/seal/register', sizes: EVERY, street: true },
  { name: 'seal-request', who: 'leader', path: (ids) => `/seal/requests/${ids.seal}`, sizes: EVERY, street: true },
  { name: 'grid-list-leader', who: 'leader', path: () => '/grid', sizes: EVERY, street: true },
  { name: 'grid-import', who: 'sysadmin', path: () => '/grid/import', sizes: OFFICE, street: true },
];

async function signIn(page: Page, who: string) {
  const r = await page.request.post('/api/auth/login', { data: { username: who, password: DEMO_PASSWORD } });
  expect(r.ok(), `${who} signs in`).toBe(true);
}

async function json(page: Page, url: string) {
  const r = await page.request.get(url);
  expect(r.ok(), url).toBe(true);
  return r.json();
}

// The demo data's ids, read once through the API as the accounts that see them.
let ids: Ids | undefined;
async function demoIds(page: Page): Promise<Ids> {
  if (ids) return ids;
  await signIn(page, 'gridmember');
  const grids = await json(page, '/api/grids');
  const grid = grids.find((g: { name: string }) => g.name === '幸福社区第一网格').id;
  const event = (await json(page, '/api/events?state=all'))[0].id;
  await signIn(page, 'leader');
  const seal = (await json(page, '/api/seal/requests'))[0].id;
  await signIn(page, 'applicant');
  const files = await json(page, '/api/admission/applications');
  const returned = files.find((f: { status: string }) => f.status === 'returned').id;
  const file = files.find((f: { status: string }) => f.status === 'submitted').id;
  await signIn(page, 'reviewer');
  const facilities = await json(page, '/api/facilities');
  // 锦绣华庭: accepted by 自然资源 and 住建, waiting for 民政 (a sign-off form and a blocked notice).
  const project = facilities.projects.find((p: { name: string }) => p.name === '锦绣华庭').id;
  const community = facilities.communities.find((c: { community_name: string }) => c.community_name === '幸福社区').community_id;
  await signIn(page, 'resident');
  const rounds = await json(page, '/api/participation/rounds');
  const round = (status: string) => rounds.find((r: { status: string }) => r.status === status).id;
  await page.context().clearCookies();
  ids = {
    grid, event, seal, file, returned, project, community,
    proposing: round('proposing'), voting: round('voting'), counted: round('counted'),
  };
  return ids;
}

/** The page has rendered: a heading in main, nothing still loading. */
async function settled(page: Page) {
  await expect(page.locator('#main').locator('h1, h2').first()).toBeVisible();
  await expect(page.locator('.loading')).toHaveCount(0);
  await page.waitForLoadState('networkidle');
}

/** Serious and critical axe violations, one line per rule and element. */
async function axeProblems(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) =>
      v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ').trim()}`),
    );
}

/** Buttons, links and inputs smaller than 44 × 44 CSS pixels. A checkbox or
 *  radio button counts with the label that wraps it, a hidden file input with
 *  its label (the label is what is tapped). */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate((min) => {
    const selector = 'button, a[href], input:not([type=hidden]), select, textarea, summary, [role=tab], [role=button]';
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>(selector))) {
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none') continue;
      let target: Element = el;
      if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) {
        target = el.closest('label') ?? el;
      }
      // A file input hidden behind its label (styled as a button): the label is tapped.
      if (el instanceof HTMLInputElement && el.type === 'file' && el.labels?.length) {
        const own = el.getBoundingClientRect();
        if (own.width <= 1 && own.height <= 1) target = el.labels[0];
      }
      const r = target.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || r.right <= 0 || r.bottom <= 0) continue; // not shown (skip link)
      if (r.width < min || r.height < min) {
        const label = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 20) || el.id || el.className;
        out.push(`<${el.tagName.toLowerCase()}> “${label}” ${Math.round(r.width)}×${Math.round(r.height)}`);
      }
    }
    return out;
  }, MIN_TARGET);
}

for (const screen of SCREENS) {
  test(`a11y: ${screen.name} (${screen.who ?? 'signed out'}, ${screen.sizes.join('/')})`, async ({ page }) => {
    test.setTimeout(90_000);
    const id = await demoIds(page);
    if (screen.who) await signIn(page, screen.who);
    await page.setViewportSize(SIZES[screen.sizes[0]]);
    await page.goto(screen.path(id));
    await settled(page);
    if (screen.then) {
      await screen.then(page);
      await settled(page);
    }
    const problems: string[] = [];
    for (const size of screen.sizes) {
      await page.setViewportSize(SIZES[size]);
      await page.waitForTimeout(100); // layout after the resize
      for (const p of await axeProblems(page)) problems.push(`[${size}] ${p}`);
      if (screen.street && size !== 'desktop') {
        for (const t of await smallTargets(page)) problems.push(`[${size}] target < ${MIN_TARGET} px: ${t}`);
      }
      if (size === 'phone') {
        // Reflow (WCAG 1.4.10): the page fits the phone's width; only a
        // table scrolls sideways, inside its own frame.
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        if (wide > SIZES.phone.width) problems.push(`[phone] page ${wide} px wide on a ${SIZES.phone.width} px screen`);
      }
      // The whole page, cut at 2,400 px (a 200-row list says no more below).
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      await page.screenshot({
        path: path.join(__dirname, '..', 'screenshots', 'a11y', `${screen.name}-${size}.png`),
        fullPage: true,
        clip: { x: 0, y: 0, width: SIZES[size].width, height: Math.min(height, 2400) },
      });
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });
}
