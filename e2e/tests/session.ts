// Signing in and out through the real login page.
import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'Gongzhi@2026';

export async function login(page: Page, username: string, password = DEMO_PASSWORD) {
  await page.goto('/login');
  await page.getByLabel('登录名').fill(username);
  await page.getByLabel('登录密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

/** Signs in and waits for the role's first page. A resident's (the rounds)
 * is in the residents' bundle, reached by a full load: a navigation the test
 * starts before that load ends would be cut short by it. */
export async function loginOk(page: Page, username: string) {
  await login(page, username);
  await expect(page.getByTestId('user-box')).toBeVisible();
  if (username.startsWith('resident')) await expect(page.getByTestId('round-card').first()).toBeVisible();
}

export async function logout(page: Page) {
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page).toHaveURL(/\/login$/);
}
