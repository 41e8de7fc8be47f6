import { defineConfig, devices } from '@playwright/test';
import { existsSync } from 'node:fs';

/**
 * E2E against the built renderer on the loopback bridge (e2e/support/bridge.ts), plus one
 * Electron spec that runs where an Electron binary exists. Screenshots for review are opt-in:
 * `YUNKE_SCREENSHOTS=1 npx playwright test e2e/screenshots.spec.ts` writes screenshots/*.png.
 */
const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const screenshots = process.env.YUNKE_SCREENSHOTS === '1';

export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/global-setup.ts',
  testIgnore: screenshots ? [] : ['screenshots.spec.ts'],
  fullyParallel: false,
  // one spec at a time: each starts its own bridge, engine workers and Chromium, and two of them
  // on a 2-core machine fight for it (YUNKE_E2E_WORKERS to try more on a bigger one)
  workers: Number(process.env.YUNKE_E2E_WORKERS ?? 1),
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    ...devices['Desktop Chrome'],
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    // Not Asia/Shanghai on purpose: the app must show Beijing time whatever the machine's zone.
    timezoneId: 'America/New_York',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
