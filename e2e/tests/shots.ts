// Screenshots: at the two office sizes (a 1024×768 tablet and a desktop), and
// one at a time with the phone's reflow check.
import { expect, type Page } from '@playwright/test';
import * as path from 'node:path';

export const SIZES = [
  { name: 'tablet', width: 1024, height: 768 },
  { name: 'desktop', width: 1440, height: 900 },
] as const;

export async function shoot(page: Page, name: string) {
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.screenshot({
      path: path.join(__dirname, '..', 'screenshots', `${name}-${size.name}.png`),
      fullPage: true,
    });
  }
  await page.setViewportSize({ width: SIZES[0].width, height: SIZES[0].height });
}

/** At phone size nothing may be wider than the screen (WCAG 1.4.10). */
export async function noSideways(page: Page) {
  const width = page.viewportSize()!.width;
  const wide = await page.evaluate((w) => {
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('#main *'))) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > w + 1) out.push(`${el.tagName}.${el.className} “${(el.textContent ?? '').slice(0, 40)}” ${Math.round(r.right)}`);
    }
    return out.slice(0, 5);
  }, width);
  expect(wide, 'wider than the phone').toEqual([]);
}

/** A full-page screenshot `<prefix>-<name>.png`; at phone size (a name
 * ending in -phone) the page is first checked for sideways scrolling. */
export async function shot(page: Page, prefix: string, name: string) {
  if (name.endsWith('-phone')) await noSideways(page);
  await page.screenshot({ path: path.join(__dirname, '..', 'screenshots', `${prefix}-${name}.png`), fullPage: true });
}
