// Thesis Table 3.4 in the studio: with a ground truth loaded and one stroke per class, the ablation trains a
// head per cumulative level set and lists its mIoU with the superpixel oracle as the ceiling.
import { expect, test, type Page } from '@playwright/test';
import { encode } from 'fast-png';
import { resolve } from 'node:path';

/** A rough person (VOC 15) mask of astronaut.png on background (0): head ellipse, neck ring, suit. */
function astronautMask(size = 512): Buffer {
  const data = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const u = x / size;
      const v = y / size;
      const head = ((u - 0.445) / 0.15) ** 2 + ((v - 0.185) / 0.18) ** 2 <= 1;
      const ring = v >= 0.29 && v < 0.52 && u >= 0.22 && u <= 0.6;
      const helmet = ((u - 0.77) / 0.23) ** 2 + ((v - 0.86) / 0.2) ** 2 <= 1;
      const suit = v >= 0.5 && u >= 0.04 && u <= 0.7 && !helmet;
      if (head || ring || suit) data[y * size + x] = 15;
    }
  }
  return Buffer.from(encode({ width: size, height: size, data, depth: 8, channels: 1 }));
}

/** Drags along photo-relative points (0..1 of the displayed photo, which is square) on the viewer canvas. */
async function paint(page: Page, cls: number, points: [number, number][]): Promise<void> {
  await page.getByTestId(`class-${cls}`).click();
  await page.getByTestId('cmd-tool-brush').click();
  const box = (await page.getByTestId('viewer-canvas').boundingBox())!;
  const side = Math.min(box.width, box.height) * 0.95;
  const at = ([u, v]: [number, number]) => [box.x + (box.width - side) / 2 + u * side, box.y + (box.height - side) / 2 + v * side] as const;
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 4 });
  await page.mouse.up();
}

/** The panel's Run button; the toolbar shows the same registry command. */
const panel = (page: Page) => page.getByTestId('ablation-panel');

async function runAblation(page: Page): Promise<{ rows: [string, number][]; oracle: number; tensors: number }> {
  await panel(page).getByTestId('cmd-ablation').click();
  const table = page.getByTestId('ablation-table');
  await expect(table).toBeVisible();
  const rows = await page.getByTestId('ablation-row').evaluateAll((trs) => trs.map((tr) => [tr.children[0].textContent ?? '', Number(tr.children[1].textContent)] as [string, number]));
  const oracle = Number(await page.getByTestId('ablation-oracle-miou').textContent());
  return { rows, oracle, tensors: Number(await table.getAttribute('data-tensors')) };
}

test('ablation table: one mIoU per cumulative level set, the oracle ceiling, no tensor growth, cancel, invalidation', async ({ page }) => {
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`[console] ${m.text()}`);
  });
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(resolve('public/samples/astronaut.png'));
  await expect(page.getByTestId('sp-count')).toContainText(/\d{3}/);
  await expect(panel(page)).toHaveCount(0);
  await page.getByTestId('gt-file-input').setInputFiles({ name: 'astronaut-gt.png', mimeType: 'image/png', buffer: astronautMask() });
  await expect(page.getByTestId('gt-classes')).toContainText('person');
  await expect(panel(page)).toBeVisible();
  await expect(panel(page).getByTestId('cmd-ablation')).toBeDisabled();

  await paint(page, 15, [
    [0.45, 0.55],
    [0.5, 0.75],
    [0.3, 0.7],
    [0.4, 0.9],
  ]);
  await paint(page, 0, [
    [0.05, 0.9],
    [0.05, 0.1],
    [0.3, 0.03],
    [0.7, 0.1],
    [0.95, 0.55],
  ]);
  await expect(page.getByTestId('training-status')).toHaveText('up to date');

  const t0 = Date.now();
  const first = await runAblation(page);
  const ms = Date.now() - t0;
  console.log(`ablation (${ms} ms): ${first.rows.map(([l, v]) => `${l} ${v}`).join(' | ')} | oracle ${first.oracle} | tensors ${first.tensors}`);
  expect(first.rows.map(([l]) => l)).toEqual(['L1', 'L1–2', 'L1–3', 'L1–4', 'L1–5', 'L1–5+H', 'L1–5+H+S1', 'all (L1–5+H+S1+S2)']);
  for (const [, v] of first.rows) {
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThanOrEqual(first.oracle + 1e-9);
  }
  expect(first.oracle).toBeGreaterThan(85);
  // Two strokes on a clear figure: the full zoom-out set must do far better than chance.
  expect(first.rows[7][1]).toBeGreaterThan(50);

  const second = await runAblation(page);
  expect(second.tensors).toBe(first.tensors);
  expect(second.rows).toEqual(first.rows);

  await panel(page).getByTestId('cmd-ablation').click();
  await expect(page.getByTestId('ablation-status')).toBeVisible();
  await page.getByTestId('ablation-cancel').click();
  await expect(page.getByTestId('ablation-status')).toHaveCount(0);
  await expect(page.getByTestId('ablation-table')).toHaveCount(0);
  await expect(panel(page).getByTestId('cmd-ablation')).toBeEnabled();

  await runAblation(page);
  await page.getByTestId('cmd-undo').click();
  await expect(page.getByTestId('ablation-table')).toHaveCount(0);
});
