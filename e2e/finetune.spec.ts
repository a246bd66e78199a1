// Fine-tuning the backbone in the studio (thesis §3.5; docs/finetune.md), on wasm in the worker: in pixel mode,
// from two strokes on the astronaut, a few steps run with progress and a loss per step; the photo is labelled
// again through the fine-tuned backbone; strokes painted during a run are answered between its steps; a cancelled
// run leaves no tensor behind; Reset returns to the pretrained
// weights, and repeating a run leaves the worker's tensor count where the first run left it. The exported head
// carries the fine-tuned weights, and the CLI labels the photo with them as the studio does; the weights are saved
// with the project and survive a reload.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { decodeIndexPng } from '../src/core/pngCodec.ts';
import { exportedMask, iou, paint, paintPersonAndBackgroundOnAstronaut, sample, workerTensorsBeyondPhotosAndModels as workerTensors } from './studioPage.ts';

test('fine-tunes the top block from strokes, cancels cleanly and resets to the pretrained backbone', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(sample('astronaut.png'));
  await paintPersonAndBackgroundOnAstronaut(page);
  await expect(page.getByTestId('finetune')).toHaveCount(0);
  await page.getByTestId('segmentation-mode').selectOption('pixel');
  await expect(page.getByTestId('training-status')).toHaveText('up to date');
  await expect(page.getByTestId('finetune-status')).toHaveText('pretrained backbone');
  const pretrained = await exportedMask(page);

  await page.getByTestId('finetune-steps').fill('3');
  await page.getByTestId('cmd-finetune-backbone').click();
  await expect(page.getByTestId('finetune-status')).toContainText('fine-tuned: top block (detector head), 3 steps on 1 photo', { timeout: 180_000 });
  await expect(page.getByTestId('model-trainable-backbone')).toContainText('ready');
  await expect(page.getByTestId('finetune-loss-curve')).toBeVisible();
  await expect(page.getByTestId('training-status')).toHaveText('up to date');
  console.log(`studio: ${await page.getByTestId('finetune-status').textContent()}`);
  const tuned = await exportedMask(page);
  // Three small steps move the features a little: the person stays the person.
  expect(iou(tuned, pretrained, 15)).toBeGreaterThan(0.8);

  await page.getByTestId('export-menu').click();
  const download = page.waitForEvent('download');
  await page.getByTestId('cmd-export-head').click();
  const zip = await download;
  expect(zip.suggestedFilename()).toBe('zoomout-head-voc.zip');
  const files = unzipSync(new Uint8Array(readFileSync(await zip.path())));
  expect(Object.keys(files).sort()).toEqual(['zoomout-head-voc.backbone.bin', 'zoomout-head-voc.json']);
  expect(JSON.parse(new TextDecoder().decode(files['zoomout-head-voc.json']))).toMatchObject({ mode: 'pixel', backbone: { finetune: 'top', weights: 'zoomout-head-voc.backbone.bin' } });
  const tmp = mkdtempSync(join(tmpdir(), 'finetune-e2e-'));
  try {
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(tmp, name), bytes);
    execFileSync('npx', ['tsx', 'src/cli/main.ts', 'export', 'public/samples/astronaut.png', '--head', join(tmp, 'zoomout-head-voc.json'), '--format', 'voc', '--out', tmp], { stdio: 'inherit', timeout: 120_000 });
    const cli = decodeIndexPng(readFileSync(join(tmp, 'SegmentationClass', 'astronaut.png'))).values;
    const agree = Array.from(cli).filter((c, i) => c === tuned[i]).length / tuned.length;
    console.log(`cli export with the studio's fine-tuned head and backbone agrees with the studio on ${(agree * 100).toFixed(1)}% of the astronaut's pixels`);
    expect(agree).toBeGreaterThan(0.8);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  // Saved with the project: after a reload the worker gets the fine-tuned weights back, and the labels are the same.
  await page.reload();
  await expect(page.getByTestId('finetune-status')).toContainText('fine-tuned: top block (detector head), 3 steps on 1 photo');
  await expect(page.getByTestId('model-trainable-backbone')).toContainText('ready');
  await expect(page.getByTestId('training-status')).toHaveText('up to date');
  expect(iou(await exportedMask(page), tuned, 15)).toBeGreaterThan(0.99);
  const afterRun = await workerTensors(page);

  // A second run, cancelled after its first step: the weights are put back, and nothing is left allocated.
  await page.getByTestId('finetune-steps').fill('50');
  await page.getByTestId('cmd-finetune-backbone').click();
  await expect(page.getByTestId('finetune-status')).toContainText('step 1/50', { timeout: 120_000 });
  // Painting while it runs gets labels between its steps, not after the run.
  await paint(page, [
    [0.9, 0.1],
    [0.95, 0.3],
  ]);
  await expect(page.getByTestId('training-status')).toHaveText('up to date');
  await expect(page.getByTestId('task-finetune')).toBeVisible();
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('training-status')).toHaveText('up to date');
  await expect(page.getByTestId('task-finetune')).toBeVisible();
  await expect(page.getByTestId('task-finetune')).toContainText('fine-tuning: step');
  await page.getByTestId('task-finetune').getByTestId('cmd-cancel-finetune').click();
  await expect(page.getByTestId('finetune-status')).toContainText('cancelled: the backbone is as it was before the run');
  await expect.poll(() => workerTensors(page), { timeout: 60_000 }).toBe(afterRun);
  expect(iou(await exportedMask(page), tuned, 15)).toBeGreaterThan(0.99);

  await page.getByTestId('cmd-reset-backbone').click();
  await expect(page.getByTestId('finetune-status')).toHaveText('pretrained backbone');
  await expect(page.getByTestId('model-trainable-backbone')).toContainText('idle');
  await expect(page.getByTestId('training-status')).toHaveText('up to date');
  expect(iou(await exportedMask(page), pretrained, 15)).toBeGreaterThan(0.99);
  await expect(page.getByTestId('panel-error')).toHaveCount(0);
});
