// Learning without masks (thesis ch. 4) in the studio: a dropped photo is segmented from points sampled on the
// detector's localization maps, with no click at all; the points, their maps and per-photo clearing are in the
// suggestions panel.
import { expect, test, type Page } from '@playwright/test';
import { decode } from 'fast-png';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Sum of the viewer canvas's RGB, to tell whether something was drawn over the photo. */
function canvasSum(page: Page): Promise<number> {
  return page.getByTestId('viewer-canvas').evaluate((c: HTMLCanvasElement) => {
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) sum += data[i] + data[i + 1] + data[i + 2];
    return sum;
  });
}

/** The number of points listed for a class (0 when it is not listed). */
async function pointCount(page: Page, cls: string): Promise<number> {
  const el = page.getByTestId(`points-${cls}`);
  return (await el.count()) ? Number(await el.textContent()) : 0;
}

test('a dropped photo is segmented with no click; points, maps and per-photo clearing work', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('model-status')).toHaveText('ready');

  // Drop → labels: from handing over the file to the hint that the labels shown are suggested.
  const t0 = Date.now();
  await page.getByTestId('file-input').setInputFiles(resolve('public/samples/astronaut.png'));
  await page.waitForFunction(() => document.querySelector('[data-testid="suggested-hint"]') !== null, undefined, { polling: 'raf', timeout: 120_000 });
  const dropToLabels = Date.now() - t0;
  console.log(`drop → suggested labels: ${dropToLabels} ms (${await page.getByTestId('training-timings').textContent()})`);

  await expect(page.getByTestId('training-status')).toHaveText('up to date');
  await expect(page.getByTestId('segmentation-summary')).toContainText(/0 of \d+ superpixels labelled by you/);
  await expect(page.getByTestId('suggested-hint')).toHaveText('Suggested labels — paint to correct');

  // Points for person (VOC 15) and background, k = 20 each by default at most.
  await expect(page.getByTestId('points-person')).toBeVisible();
  await expect(page.getByTestId('points-background')).toBeVisible();
  const person = await pointCount(page, 'person');
  const background = await pointCount(page, 'background');
  expect(person).toBeGreaterThan(0);
  expect(person).toBeLessThanOrEqual(20);
  expect(background).toBeGreaterThan(0);

  // Export works with no click: person and background in the mask.
  await expect(page.getByTestId('cmd-export-mask')).toBeEnabled();
  const download = page.waitForEvent('download');
  await page.getByTestId('cmd-export-mask').click();
  const png = decode(readFileSync(await (await download).path()));
  expect([png.width, png.height]).toEqual([512, 512]);
  const counts = new Map<number, number>();
  for (const v of png.data) counts.set(v, (counts.get(v) ?? 0) + 1);
  console.log(`exported mask: ${[...counts].map(([c, n]) => `class ${c}: ${((100 * n) / png.data.length).toFixed(1)}%`).join(', ')}`);
  expect(counts.get(15) ?? 0).toBeGreaterThan(0.05 * png.data.length);
  expect(counts.get(0) ?? 0).toBeGreaterThan(0.05 * png.data.length);

  // Clearing the photo's suggestions leaves it with no labels (no strokes); undo brings them back.
  await page.getByTestId('photo-suggestions-toggle').click();
  await expect(page.getByTestId('segmentation-summary')).toHaveCount(0);
  await expect(page.getByTestId('suggestions-cleared')).toBeVisible();
  await expect(page.getByTestId('photo-suggestions-toggle')).toHaveText('Use suggestions for this photo');
  await expect(page.getByTestId('cmd-export-mask')).toBeDisabled();
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('segmentation-summary')).toBeVisible();
  await expect(page.getByTestId('suggested-hint')).toBeVisible();
  await expect(page.getByTestId('photo-suggestions-toggle')).toHaveText('Clear suggestions for this photo');
  await expect.poll(() => pointCount(page, 'person')).toBe(person);

  // k = 1, then 4: one point per class, then up to four.
  await page.getByTestId('sampling-k').focus();
  await page.keyboard.press('Home');
  await expect(page.getByTestId('sampling-k-value')).toHaveText('1');
  await expect.poll(() => pointCount(page, 'person')).toBe(1);
  await expect.poll(() => pointCount(page, 'background')).toBe(1);
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('sampling-k-value')).toHaveText('4');
  await expect.poll(() => pointCount(page, 'background')).toBe(4);
  expect(await pointCount(page, 'person')).toBeGreaterThan(1);
  await expect(page.getByTestId('training-status')).toHaveText('up to date');

  // The points drawn over the photo change the canvas.
  await page.getByTestId('segmentation-view').selectOption('none');
  const plain = await canvasSum(page);
  await page.getByTestId('sampling-show-points').check();
  await expect.poll(() => canvasSum(page)).not.toBe(plain);

  // The person's detector map, then the background affinity map: fetched, and drawn.
  await page.getByTestId('sampling-show-points').uncheck();
  await expect.poll(() => canvasSum(page)).toBe(plain);
  await page.getByTestId('sampling-map').selectOption({ label: 'person (detector)' });
  await expect(page.getByTestId('sampling-map-status')).toHaveAttribute('data-loaded', 'true');
  await expect(page.getByTestId('sampling-map-status')).toContainText(/^person: [1-9]\d* of \d+ superpixels/);
  await expect.poll(() => canvasSum(page)).not.toBe(plain);
  const personMap = await canvasSum(page);
  await page.getByTestId('sampling-map').selectOption('background');
  await expect(page.getByTestId('sampling-map-status')).toHaveAttribute('data-loaded', 'true');
  await expect(page.getByTestId('sampling-map-status')).toContainText(/^background affinity: [1-9]\d* of \d+ superpixels/);
  await expect.poll(() => canvasSum(page)).not.toBe(plain);
  expect(await canvasSum(page)).not.toBe(personMap);
  await page.getByTestId('sampling-map').selectOption('none');
  await expect(page.getByTestId('sampling-map-status')).toHaveCount(0);
  await expect.poll(() => canvasSum(page)).toBe(plain);
});
