// Screenshots at the two sizes people use: a 1024×768 tablet and a desktop.
import type { Page } from '@playwright/test';
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
