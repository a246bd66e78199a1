import { expect, test } from '@playwright/test';

test.beforeEach(async ({ page }) => {
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`[console] ${m.text()}`);
  });
  await page.goto('/');
  await expect(page.getByTestId('model-status')).toHaveText('ready');
});

test('the Depth panel shows the active photo’s depth and follows its superpixels', async ({ page }) => {
  await page.getByTestId('sample-select').selectOption('astronaut.png');
  const range = page.getByTestId('depth-range');
  await expect(range).toContainText(/\d+\.\d–\d+\.\d m/);
  const first = await range.textContent();
  const size = await page.getByTestId('depth-canvas').evaluate((c: HTMLCanvasElement) => [c.width, c.height]);
  expect(size[0]).toBeGreaterThan(0);
  expect(size[1]).toBeGreaterThan(0);

  await page.getByTestId('sp-k').fill('150');
  await expect.poll(() => range.textContent()).not.toBe(first);
});
