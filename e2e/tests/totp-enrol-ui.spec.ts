// Two-factor sign-in: an administrator enrols with the QR code page, then
// signs in with a code computed here exactly as an authenticator app does
// (RFC 6238: HMAC-SHA1 over the 30-second step, dynamic truncation).
import { expect, test } from '@playwright/test';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { shoot } from './shots';
import { DEMO_PASSWORD, loginOk, logout } from './session';

function base32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The code for `secret` at `offset` 30-second steps from now. */
function totp(secret: string, offset = 0): string {
  const step = Math.floor(Date.now() / 1000 / 30) + offset;
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = crypto.createHmac('sha1', base32(secret)).update(counter).digest();
  const at = mac[mac.length - 1] & 0x0f;
  const n = (mac.readUInt32BE(at) & 0x7fffffff) % 1_000_000;
  return n.toString().padStart(6, '0');
}

// sysadmin.dx: an administrator no other test signs in as (enrolling changes its sign-in).
const ADMIN = 'sysadmin.dx'; // (run this spec instead of totp.spec.ts: both enrol it)

async function passwordStep(page: import('@playwright/test').Page) {
  await page.goto('/login');
  await page.getByLabel('登录名').fill(ADMIN);
  await page.getByLabel('登录密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByLabel('动态验证码(6 位数字或恢复码)')).toBeVisible();
}

test('an administrator enrols, then signs in with a code and with a recovery code', async ({ page }) => {
  await loginOk(page, ADMIN);
  await page.goto('/password');
  // An administrator's password rule, as the server applies it.
  await expect(page.getByText(/^至少 12 位/)).toBeVisible();
  await page.getByRole('button', { name: '开始绑定' }).click();
  const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await expect(page.locator('.qr svg')).toBeVisible();
  await shoot(page, 'totp-enrol');

  await page.locator('#totp').getByLabel('动态验证码').fill('000000');
  await page.getByRole('button', { name: '确认绑定' }).click();
  await expect(page.locator('#totp').getByRole('alert')).toHaveText('动态验证码或恢复码不正确,或已使用过。');
  await page.locator('#totp').getByLabel('动态验证码').fill(totp(secret));
  await page.getByRole('button', { name: '确认绑定' }).click();
  await expect(page.getByTestId('recovery-codes')).toBeVisible();
  const codes = (await page.getByTestId('recovery-codes').textContent())!.trim().split('\n');
  expect(codes).toHaveLength(10);
  const recovery = codes[0];
  expect(recovery).toMatch(/^[a-z0-9]{5}-[a-z0-9]{5}$/);
  await shoot(page, 'totp-recovery-codes');
  await page.getByRole('button', { name: '已保存恢复码,继续' }).click();
  await expect(page.getByTestId('user-box')).toBeVisible();
  await logout(page);

  // The password alone is not enough any more.
  await passwordStep(page);
  await expect(page.getByTestId('user-box')).toHaveCount(0);
  const r = await page.request.get('/api/accounts');
  expect((await r.json()).code).toBe('second_factor_required');
  await page.getByLabel('动态验证码(6 位数字或恢复码)').fill('123456');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('login-error')).toHaveText('动态验证码或恢复码不正确,或已使用过。');
  await shoot(page, 'totp-login');
  // The next step's code (the current one was used to enrol).
  await page.getByLabel('动态验证码(6 位数字或恢复码)').fill(totp(secret, 1));
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('user-box')).toBeVisible();
  await expect(page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '账号管理' })).toBeVisible();
  await logout(page);

  // A recovery code works once.
  await passwordStep(page);
  await page.getByLabel('动态验证码(6 位数字或恢复码)').fill(recovery);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('user-box')).toBeVisible();
  await logout(page);
  await passwordStep(page);
  await page.getByLabel('动态验证码(6 位数字或恢复码)').fill(recovery);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('login-error')).toHaveText('动态验证码或恢复码不正确,或已使用过。');
});

test('the audit administrator downloads a signed checkpoint', async ({ page }) => {
  await loginOk(page, 'auditadmin');
  await page.goto('/audit');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: '导出检查点' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^gongzhi-checkpoint-\d{8}T\d{6}Z\.json$/);
  const cp = JSON.parse(fs.readFileSync(await file.path(), 'utf8'));
  expect(cp.format).toBe('gongzhi-checkpoint/1');
  expect(cp.chains[0].chain).toBe('audit');
  expect(cp.signature).toMatch(/^[0-9a-f]{64}$/);
  await shoot(page, 'audit-checkpoint');
});
