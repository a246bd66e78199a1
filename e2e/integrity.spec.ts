// "Never lose or damage the user's work": a preset switch keeps what strokes mean, ground truth goes to its
// photo (never becomes one), exports never take the photo's name, and a one-class labelling is pointed out.
import { expect, test } from '@playwright/test';
import { decode } from 'fast-png';
import { readFileSync } from 'node:fs';
import { paint, png, sample, splitMask } from './studioPage.ts';

test.beforeEach(async ({ page }) => {
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`[console] ${m.text()}`);
  });
  await page.goto('/');
  await expect(page.getByTestId('model-status')).toHaveText('ready');
});

test('a person stroke stays person across a switch to COCO, in the legend and in the exported mask', async ({ page }) => {
  await page.getByTestId('file-input').setInputFiles(sample('astronaut.png'));
  await expect(page.getByTestId('sp-count')).toContainText(/\d{3}/);
  await expect(page.getByTestId('one-class-hint')).toHaveCount(0);

  // person (VOC 15) on the suit: one class only, so the hint asks for a second one.
  await page.getByTestId('class-15').click();
  await page.getByTestId('cmd-tool-brush').click();
  await paint(page, [
    [0.45, 0.55],
    [0.5, 0.75],
    [0.4, 0.9],
  ]);
  await expect(page.getByTestId('one-class-hint')).toHaveText('Paint a second class (e.g. background) so the model can tell them apart');
  // background (0) on the dark wall: the hint goes.
  await page.getByTestId('class-0').click();
  await paint(page, [
    [0.05, 0.1],
    [0.1, 0.5],
    [0.05, 0.9],
  ]);
  await expect(page.getByTestId('one-class-hint')).toHaveCount(0);
  await page.getByTestId('class-15').click();
  await expect(page.getByTestId('training-status')).toHaveText('up to date');

  await page.getByTestId('label-preset').selectOption('coco');
  await expect(page.getByTestId('label-preset')).not.toBeFocused();
  await expect(page.getByTestId('legend-class')).toHaveCount(81);
  const cocoPerson = await page.getByTestId('legend-class').evaluateAll((items) => items.findIndex((li) => li.getAttribute('data-class') === 'person'));
  expect(cocoPerson).toBe(1);
  await expect(page.locator('[data-testid="legend-class"].active')).toHaveAttribute('data-class', 'person');
  await expect(page.getByTestId('training-status')).toHaveText('up to date');

  const download = page.waitForEvent('download');
  await page.getByTestId('cmd-export-mask').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('astronaut-mask.png');
  const mask = decode(readFileSync(await file.path()));
  expect([mask.width, mask.height]).toEqual([512, 512]);
  // The painted suit is COCO person, the painted wall background; no VOC index 15 ("bird" in COCO) anywhere.
  expect(mask.data[Math.round(0.75 * 512) * 512 + Math.round(0.5 * 512)]).toBe(cocoPerson);
  expect(mask.data[Math.round(0.5 * 512) * 512 + Math.round(0.1 * 512)]).toBe(0);
  expect(new Set(mask.data).has(15)).toBe(false);

  // The switch is one edit: undo brings VOC back with the stroke still person.
  await page.getByTestId('cmd-undo').click();
  await expect(page.getByTestId('legend-class')).toHaveCount(21);
  await expect(page.locator('[data-testid="legend-class"].active')).toHaveAttribute('data-class', 'person');
});

test('a mask dropped while another photo is selected goes to the photo it is named after, and adds no photo', async ({ page }) => {
  await page.getByTestId('file-input').setInputFiles(sample('chelsea.png'));
  await expect(page.getByTestId('photo-item')).toHaveCount(1);
  await page.getByTestId('file-input').setInputFiles(sample('astronaut.png'));
  await expect(page.getByTestId('photo-item')).toHaveCount(2);
  await expect(page.getByTestId('photo-item').nth(1)).toHaveClass(/active/);

  await page.getByTestId('file-input').setInputFiles(png('chelsea_mask.png', splitMask(451, 300)));
  await expect(page.getByTestId('message-info').filter({ hasText: 'chelsea_mask.png: ground truth for chelsea.png' })).toBeVisible();
  await expect(page.getByTestId('photo-item')).toHaveCount(2);
  await expect(page.getByTestId('gt-classes')).toHaveCount(0);
  await page.getByTestId('photo-item').nth(0).click();
  await expect(page.getByTestId('gt-classes')).toHaveText('background, person');
});

test('a mask that matches no open photo by name or size gives a message and adds no photo', async ({ page }) => {
  await page.getByTestId('file-input').setInputFiles(sample('chelsea.png'));
  await expect(page.getByTestId('photo-item')).toHaveCount(1);
  await page.getByTestId('file-input').setInputFiles(png('labels.png', splitMask(100, 80)));
  await expect(page.getByTestId('message-error').last()).toContainText('labels.png: looks like a mask but matches no open photo by name or size');
  await expect(page.getByTestId('photo-item')).toHaveCount(1);
  // Named after the photo but of another size: both sizes in the message, still no photo.
  await page.getByTestId('file-input').setInputFiles(png('chelsea-gt.png', splitMask(100, 80)));
  await expect(page.getByTestId('message-error').last()).toContainText('the mask is 100×80 but chelsea.png is 451×300');
  await expect(page.getByTestId('photo-item')).toHaveCount(1);
});

test('after choosing a head with the mouse, keys are shortcuts again, not the dropdown type-ahead', async ({ page }) => {
  await page.getByTestId('file-input').setInputFiles(sample('astronaut.png'));
  await expect(page.getByTestId('sp-count')).toContainText(/\d{3}/);
  const head = page.getByTestId('head-kind');
  // Chromium changes a closed, focused dropdown with the arrow keys, as after picking with the mouse.
  await head.focus();
  await page.keyboard.press('ArrowDown');
  await expect(head).toHaveValue('mlp');
  await expect(head).not.toBeFocused();
  // 'l' would pick "linear softmax" by type-ahead if the dropdown kept the focus.
  await page.keyboard.press('l');
  await expect(head).toHaveValue('mlp');
});
