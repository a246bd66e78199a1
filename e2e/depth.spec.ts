import { expect, test } from '@playwright/test';
import { paint } from './studioPage.ts';

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

test('depth from the segmentation: indoor classes painted, the floor comes out near and the wall far; a stroke refreshes it', async ({ page }) => {
  await page.getByTestId('sample-select').selectOption('astronaut.png');
  await expect(page.getByTestId('sp-count')).toContainText(/\d{3}/);
  // Under VOC's classes there is no floor, wall or ceiling: the panel says what to do.
  await page.getByTestId('depth-source').selectOption('segmentation');
  await expect(page.getByTestId('depth-empty')).toContainText('floor, wall or ceiling');
  await page.getByTestId('label-preset').selectOption('nyu');
  await expect(page.getByTestId('legend-class').filter({ hasText: 'floor' })).toHaveCount(1);
  await page.getByTestId('cmd-tool-brush').click();
  // NYUv2 label values are the indoor preset's indices: 12 wall, 5 floor.
  await page.getByTestId('class-12').click();
  await paint(page, [
    [0.05, 0.1],
    [0.95, 0.1],
  ]);
  await page.getByTestId('class-5').click();
  await paint(page, [
    [0.05, 0.92],
    [0.95, 0.92],
  ]);
  await expect(page.getByTestId('training-status')).toHaveText('up to date');
  const range = page.getByTestId('depth-range');
  await expect(range).toContainText('from the segmentation alone');
  const rows = () =>
    page.evaluate(() => {
      const d = window.__zoomoutStudio!.state().depth;
      if (d?.source !== 'segmentation') return undefined;
      const { width, height, metres } = d.map;
      const meanRow = (y: number) => metres.slice(y * width, (y + 1) * width).reduce((a, b) => a + b, 0) / width;
      return { top: meanRow(Math.floor(height * 0.1)), bottom: meanRow(Math.floor(height * 0.92)), ms: d.ms, sum: metres.reduce((a, b) => a + b, 0) };
    });
  const first = (await rows())!;
  console.log(`depth from segmentation: top row ${first.top.toFixed(2)} m, bottom row ${first.bottom.toFixed(2)} m, ${first.ms.toFixed(0)} ms in the worker`);
  expect(first.bottom).toBeLessThan(first.top);

  // A stroke of another class in the middle: a new segmentation, so a new depth, without asking.
  await page.getByTestId('class-6').click();
  await paint(page, [
    [0.4, 0.6],
    [0.6, 0.6],
  ]);
  await expect(page.getByTestId('training-status')).toHaveText('up to date');
  await expect.poll(async () => (await rows())?.sum ?? first.sum).not.toBe(first.sum);

  await page.getByTestId('depth-source').selectOption('image');
  await expect(range).toContainText('from the image');
});
