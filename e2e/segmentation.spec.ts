import { expect, test, type Page } from '@playwright/test';
import { resolve } from 'node:path';
import { decode } from 'fast-png';
import { readFileSync } from 'node:fs';
import { savedProject, savedStrokeCount } from './savedProject.ts';
import { paint } from './studioPage.ts';

async function strokeCount(page: Page, cls: number, brush: 'brush' | 'eraser' = 'brush'): Promise<void> {
  await page.getByTestId(`class-${cls}`).click();
  await page.getByTestId(`cmd-tool-${brush}`).click();
}

/** The astronaut sample open with its superpixels, and a first person stroke (VOC 15) on the suit. */
async function astronautWithPersonStroke(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(resolve('public/samples/astronaut.png'));
  await expect(page.getByTestId('sp-count')).toContainText(/\d{3}/);
  await strokeCount(page, 15);
  await paint(page, [
    [0.45, 0.55],
    [0.5, 0.75],
    [0.4, 0.9],
  ]);
}

test('paint strokes, the head learns and labels the photo; undo, level toggles and export work', async ({ page }) => {
  // person (VOC 15) on the suit, background (0) on the dark wall.
  await astronautWithPersonStroke(page);
  await expect(page.getByTestId('training-timings')).toBeVisible();
  console.log(`after the first stroke (features pooled for this photo): ${await page.getByTestId('training-timings').textContent()}`);
  // Digit keys pick classes 0–9, like the legend.
  await page.keyboard.press('Digit0');
  await expect(page.getByTestId('class-0')).toHaveAttribute('aria-pressed', 'true');
  await paint(page, [
    [0.05, 0.1],
    [0.1, 0.5],
    [0.05, 0.9],
  ]);
  await expect(page.getByTestId('training-status')).toHaveText('up to date');
  await expect(page.getByTestId('segmentation-summary')).toContainText(/\d+ of \d+ superpixels labelled/);
  await expect(page.getByTestId('loss-curve')).toBeVisible();
  console.log(`after the second stroke: ${await page.getByTestId('training-timings').textContent()}`);

  await page.getByTestId('cmd-undo').click();
  await expect(page.getByTestId('training-status')).toHaveText('up to date');
  await page.getByTestId('cmd-redo').click();

  await page.getByTestId('cmd-toggle-L5').click();
  await expect(page.getByTestId('cmd-toggle-L5')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('training-status')).toHaveText('up to date');

  const download = page.waitForEvent('download');
  await page.getByTestId('cmd-export-mask').click();
  const file = await (await download).path();
  const png = decode(readFileSync(file));
  expect([png.width, png.height]).toEqual([512, 512]);
  expect(png.palette?.[15]).toEqual([192, 128, 128]);
  const values = new Set(png.data);
  expect(values.has(15)).toBe(true);
  expect(values.has(0)).toBe(true);
  // Centre of the suit is person, the top-left wall is background.
  expect(png.data[Math.round(0.6 * 512) * 512 + Math.round(0.48 * 512)]).toBe(15);
  expect(png.data[20 * 512 + 20]).toBe(0);
});

test('strokes, classes and level choices survive a reload, and the photo is relabelled', async ({ page }) => {
  await astronautWithPersonStroke(page);
  await strokeCount(page, 0);
  await paint(page, [
    [0.05, 0.1],
    [0.08, 0.6],
  ]);
  await page.getByTestId('cmd-toggle-L1').click();
  await expect(page.getByTestId('training-status')).toHaveText('up to date');
  const before = await page.getByTestId('segmentation-summary').textContent();
  // The autosave has written both strokes and the level choice before the reload.
  await expect.poll(() => savedStrokeCount(page)).toBe(2);
  await expect.poll(async () => ((await savedProject(page)).project?.segmentation as { levels: Record<string, boolean> } | undefined)?.levels.L1).toBe(false);

  await page.reload();
  await expect(page.getByTestId('cmd-toggle-L1')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('training-status')).toHaveText('up to date');
  await expect(page.getByTestId('segmentation-summary')).toHaveText(before!);
});
