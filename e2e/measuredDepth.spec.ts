import { expect, test, type Page } from '@playwright/test';
import { encode } from 'fast-png';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { workerTensorsBeyondPhotosAndModels } from './studioPage.ts';

const NYU = resolve('../shared/data/nyuv2');
const rgb = (id: string) => ({ name: `${id}.png`, mimeType: 'image/png', buffer: readFileSync(resolve(NYU, 'rgb', `${id}.png`)) });
const depth = (id: string, name: string) => ({ name, mimeType: 'image/png', buffer: readFileSync(resolve(NYU, 'depth_mm', `${id}.png`)) });

test.beforeEach(async ({ page }) => {
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`[console] ${m.text()}`);
  });
  await page.goto('/');
  await expect(page.getByTestId('model-status')).toHaveText('ready');
});

/** δ<1.25 and abs rel of the depth model on the active photo's measurement, as the panel shows them. */
async function score(page: Page): Promise<{ delta: number; absRel: number }> {
  const status = page.getByTestId('measured-depth-status');
  await expect(status).toContainText('δ<1.25');
  const text = (await status.textContent())!;
  return { delta: Number(/δ<1\.25 ([\d.]+)/.exec(text)![1]), absRel: Number(/abs rel ([\d.]+)/.exec(text)![1]) };
}

test('measured depth: dropped beside its photo, scored, fine-tuned on, kept over a reload, undoable, reset', async ({ page }) => {
  // 0004's depth named after it; 0003's with the same name in another folder, as NYUv2 ships them.
  await page.getByTestId('file-input').setInputFiles([rgb('0004'), depth('0004', '0004_depth.png'), rgb('0003'), depth('0003', '0003.png')]);
  await expect(page.getByTestId('photo-item')).toHaveCount(2);
  await expect(page.getByTestId('message-info').filter({ hasText: '0004_depth.png: measured depth for 0004.png' })).toHaveCount(1);
  await expect(page.getByTestId('message-info').filter({ hasText: '0003.png: measured depth for 0003.png' })).toHaveCount(1);

  await page.getByTestId('photo-item').first().click();
  const before = await score(page);
  await expect(page.getByTestId('depth-model-status')).toContainText('the shipped one');
  await expect(page.getByTestId('depth-model-status')).toContainText('2 photos measured');
  // The measurement itself, in the same colours, beside (instead of) the prediction.
  await page.getByTestId('depth-show-measured').check();
  await expect(page.getByTestId('depth-range')).toContainText('your measurement (0004_depth.png; black: not measured)');
  await page.getByTestId('depth-show-measured').uncheck();
  await expect(page.getByTestId('depth-range')).toContainText('from the image');

  await page.getByTestId('cmd-finetune-depth').click();
  await expect(page.getByTestId('depth-model-status')).toContainText('fine-tuned on 2 photos');
  await expect(page.getByTestId('measured-depth-status')).toContainText('it learnt from this photo');
  const after = await score(page);
  // The ridge lives in plain arrays: fine-tuning again (and scoring again) leaves the worker's tensors as they were.
  const workerTensors = () => workerTensorsBeyondPhotosAndModels(page);
  await expect(page.getByTestId('training-status')).toHaveText('up to date');
  const tensorsBefore = await workerTensors();
  const tunedAt = () => page.evaluate(() => window.__zoomoutStudio!.state().tunedDepth?.at);
  const firstAt = await tunedAt();
  await page.getByTestId('cmd-finetune-depth').click();
  await expect.poll(tunedAt).not.toBe(firstAt);
  expect(await score(page)).toEqual(after);
  expect(await workerTensors()).toBe(tensorsBefore);
  console.log(`0004 against its measurement: shipped δ<1.25 ${before.delta}, abs rel ${before.absRel}; fine-tuned on 0004 + 0003: ${after.delta}, ${after.absRel}`);
  expect(after.absRel).toBeLessThan(before.absRel);

  // Exported for batches (`cli depth --model`): the regressor file, and what it was fine-tuned on.
  await page.getByTestId('export-menu').click();
  const download = page.waitForEvent('download');
  await page.getByTestId('cmd-export-depth-model').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('zoomout-depth-model.json');
  const model = JSON.parse(readFileSync(await file.path(), 'utf8'));
  expect(model.weights.length).toBe(model.mean.length);
  expect(model.finetuned.photos).toEqual(['0004.png', '0003.png']);
  await page.keyboard.press('Escape');

  // Saved with the project: the measurement and the fine-tuned model.
  await page.reload();
  await expect(page.getByTestId('model-status')).toHaveText('ready');
  await expect(page.getByTestId('depth-model-status')).toContainText('fine-tuned on 2 photos');
  await page.getByTestId('photo-item').first().click();
  expect(await score(page)).toEqual(after);
  // Fine-tuning again after the reload hands both measurements to the fresh worker first: the same model.
  const reloadedAt = await tunedAt();
  await page.getByTestId('cmd-finetune-depth').click();
  await expect.poll(tunedAt, { timeout: 60_000 }).not.toBe(reloadedAt);
  expect(await score(page)).toEqual(after);

  // Removing a measurement is undoable.
  await page.getByTestId('cmd-remove-measured-depth').click();
  await expect(page.getByTestId('measured-depth-status')).toContainText('none for this photo');
  await page.getByTestId('cmd-undo').click();
  expect(await score(page)).toEqual(after);

  await page.getByTestId('cmd-reset-depth-model').click();
  await expect(page.getByTestId('depth-model-status')).toContainText('the shipped one');
  expect(await score(page)).toEqual(before);
});

test('a depth map of the wrong size is refused with a message and changes nothing', async ({ page }) => {
  await page.getByTestId('file-input').setInputFiles([rgb('0004')]);
  await expect(page.getByTestId('photo-item')).toHaveCount(1);
  const small = Buffer.from(encode({ width: 64, height: 48, data: new Uint16Array(64 * 48).fill(2000), depth: 16, channels: 1 }));
  await page.getByTestId('file-input').setInputFiles([{ name: '0004_depth.png', mimeType: 'image/png', buffer: small }]);
  await expect(page.getByTestId('message-error').filter({ hasText: 'a depth map (16-bit) that matches no open photo by name and size (64×48' })).toHaveCount(1);
  await expect(page.getByTestId('photo-item')).toHaveCount(1);
  await expect(page.getByTestId('measured-depth-status')).toContainText('none for this photo');
  await page.getByTestId('measured-depth-input').setInputFiles([{ name: 'any.png', mimeType: 'image/png', buffer: small }]);
  await expect(page.getByTestId('message-error').filter({ hasText: 'the depth map is 64×48 but 0004.png is 640×480' })).toHaveCount(1);
  await expect(page.getByTestId('measured-depth-status')).toContainText('none for this photo');
});
