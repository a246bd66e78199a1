import { expect, test, type Page } from '@playwright/test';
import { paint } from './studioPage.ts';

test.beforeEach(async ({ page }) => {
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`[console] ${m.text()}`);
  });
  await page.goto('/');
  await expect(page.getByTestId('model-status')).toHaveText('ready');
});

/** Under `preset`, a stroke of class `top` across the top of the photo and of class `bottom` across its bottom. */
async function paintLayout(page: Page, preset: string, [top, topY]: [number, number], [bottom, bottomY]: [number, number]) {
  await page.getByTestId('label-preset').selectOption(preset);
  await page.getByTestId('cmd-tool-brush').click();
  await page.getByTestId(`class-${top}`).click();
  await paint(page, [
    [0.05, topY],
    [0.95, topY],
  ]);
  await page.getByTestId(`class-${bottom}`).click();
  await paint(page, [
    [0.05, bottomY],
    [0.95, bottomY],
  ]);
  await expect(page.getByTestId('training-status')).toHaveText('up to date');
}

/** Mean depth of the rows at fractions `topY` and `bottomY` of the height, from the segmentation's depth. */
function layoutRows(page: Page, topY: number, bottomY: number) {
  return page.evaluate(
    ([topY, bottomY]) => {
      const d = window.__zoomoutStudio!.state().depth;
      if (d?.source !== 'segmentation') return undefined;
      const { width, height, metres } = d.map;
      const meanRow = (y: number) => metres.slice(y * width, (y + 1) * width).reduce((a, b) => a + b, 0) / width;
      return { top: meanRow(Math.floor(height * topY)), bottom: meanRow(Math.floor(height * bottomY)), ms: d.ms, sum: metres.reduce((a, b) => a + b, 0) };
    },
    [topY, bottomY],
  );
}

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
  // Under VOC's classes there is no layout class: the panel says what to do.
  await page.getByTestId('depth-source').selectOption('segmentation');
  await expect(page.getByTestId('depth-empty')).toContainText('floor, wall, ceiling, ground or sky');
  // NYUv2 label values are the indoor preset's indices: 12 wall, 5 floor.
  await paintLayout(page, 'nyu', [12, 0.1], [5, 0.92]);
  const range = page.getByTestId('depth-range');
  await expect(range).toContainText('from the segmentation alone');
  const rows = () => layoutRows(page, 0.1, 0.92);
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

test('depth from the segmentation out of doors: sky painted above, ground below; the sky comes out far, the ground near', async ({ page }) => {
  await page.getByTestId('sample-select').selectOption('rocket.jpg');
  await expect(page.getByTestId('sp-count')).toContainText(/\d{3}/);
  await page.getByTestId('depth-source').selectOption('segmentation');
  // The outdoor preset's indices: 1 ground, 2 sky.
  await paintLayout(page, 'outdoor', [2, 0.08], [1, 0.94]);
  await expect(page.getByTestId('depth-range')).toContainText('from the segmentation alone');
  const rows = await layoutRows(page, 0.08, 0.94);
  console.log(`outdoor depth from segmentation: top row ${rows!.top.toFixed(1)} m, bottom row ${rows!.bottom.toFixed(1)} m`);
  expect(rows!.top).toBeGreaterThan(3 * rows!.bottom);

  // The sky lies beyond what 16-bit millimetres hold: the PNG export says so.
  const download = page.waitForEvent('download');
  await page.getByTestId('depth-panel').getByTestId('cmd-export-depth-photo').click();
  await download;
  await expect(page.getByTestId('message-info').filter({ hasText: 'lie beyond the 65.535 m' })).toHaveCount(1);
});
