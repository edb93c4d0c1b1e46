// Open311 (issue 20): the system administrator issues a key for an external
// tool on the 外部系统接口 page (the token is shown once), the tool reports a
// street event with it through /open311/v2/ — driven by the real GeoReport
// client from PyPI (e2e/open311/georeport_client.py) — and once the key is
// revoked the tool is refused.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { shoot } from './shots';
import { loginOk } from './session';

const root = path.resolve(__dirname, '..', '..');

test('the system admin issues a key, a GeoReport client reports with it, and a revoked key is refused', async ({
  page,
  baseURL,
}) => {
  await loginOk(page, 'sysadmin');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '外部系统接口' }).click();
  await expect(page.getByRole('heading', { name: '外部系统接口' })).toBeVisible();
  // Nothing filled in: the fields say what is missing.
  await page.getByRole('button', { name: '签发密钥' }).click();
  await expect(page.locator('#name-error')).toContainText('外部系统名称');
  await page.getByLabel('外部系统名称').fill('12345 市民热线');
  const district = await page.locator('#org_node_id option', { hasText: '东乡区' }).first().getAttribute('value');
  await page.getByLabel('授权范围').selectOption(district!);
  await page.getByLabel('每分钟请求上限').fill('20');
  await page.getByRole('button', { name: '签发密钥' }).click();
  const issued = page.getByTestId('issued-token');
  await expect(issued).toContainText('密钥只显示这一次');
  const token = (await issued.locator('code').textContent())!.trim();
  expect(token).toMatch(/^[0-9a-f]{64}$/);
  const table = page.getByTestId('open311-keys-table');
  await expect(table).toContainText('12345 市民热线');
  await expect(table).toContainText('20 次/分钟');
  await shoot(page, 'open311-keys-issued');

  // The external tool: the PyPI client against the running server.
  const python = execFileSync(path.join(root, 'scripts', 'open311-client.sh'), { encoding: 'utf8' }).trim();
  const out = execFileSync(python, [path.join(root, 'e2e', 'open311', 'georeport_client.py'), `${baseURL}/open311/v2`, token], {
    encoding: 'utf8',
  });
  const seen = JSON.parse(out.trim().split('\n').pop()!);
  expect(seen.json.status).toBe('open');
  expect(seen.xml.requested).toMatch(/\+08:00$/);

  // The use shows on the page; then the key is revoked and refused.
  await page.reload();
  await expect(table.getByRole('row', { name: /12345 市民热线/ })).not.toContainText('从未使用');
  await table.getByRole('button', { name: '吊销“12345 市民热线”的密钥' }).click();
  await expect(table.getByRole('row', { name: /12345 市民热线/ })).toContainText('已吊销');
  await shoot(page, 'open311-keys-revoked');
  const refused = await page.request.post('/open311/v2/requests.json', {
    form: { api_key: token, service_code: 'environment', lat: '28.2412', long: '116.6020', description: '井盖缺失请处理' },
  });
  expect(refused.status()).toBe(403);
  expect((await refused.json())[0].description).toBe('api_key 无效或已被吊销。');
});
