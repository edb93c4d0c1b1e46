// Playwright drives Debian's Chromium (never a downloaded browser) against the
// real server binary, started on a free port with a fresh data directory.
import { defineConfig } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');
const port = Number(process.env.E2E_PORT ?? 18080);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-e2e-'));
const server = process.env.GONGZHI_SERVER_BIN ?? path.join(root, 'target', 'debug', 'gongzhi-server');

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: './test-results',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1024, height: 768 },
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--lang=zh-CN',
      ],
    },
  },
  webServer: {
    command: server,
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      GONGZHI_ADDR: `127.0.0.1:${port}`,
      GONGZHI_DATA_DIR: dataDir,
      GONGZHI_DIST_DIR: path.join(root, 'dist'),
      RUST_LOG: 'warn',
      GONGZHI_DEMO: '1',
      // Deadlines are counted from a fixed "today", so the demo's traffic
      // lights and the screenshots are the same on every run.
      GONGZHI_TODAY: '2026-11-24',
    },
  },
});
