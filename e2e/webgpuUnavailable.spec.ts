import { expect, test } from '@playwright/test';
import { chromiumArgs } from '../playwright.config.ts';

// Without --enable-unsafe-webgpu this Chromium has no WebGPU: asking for it must fall back, not fail.
test.use({ launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs.filter((a) => a !== '--enable-unsafe-webgpu') } });

test('falls back to wasm when WebGPU is unavailable', async ({ page }) => {
  await page.goto('/?backend=webgpu&side=64');
  await expect(page.getByTestId('model-status')).toHaveText('ready');
  await expect(page.getByTestId('backend-name')).toHaveText('wasm');
  await page.getByText('Why not a faster backend?').click();
  await expect(page.getByText(/webgpu: (not available|failed to initialise)/)).toBeVisible();
});
