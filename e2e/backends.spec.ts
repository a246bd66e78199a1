import { expect, test } from '@playwright/test';
import { resolve } from 'node:path';

test('forced WebGPU (SwiftShader) analyses a photo at a tiny input size', async ({ page }) => {
  await page.goto('/?backend=webgpu&side=64');
  await expect(page.getByTestId('model-status')).toHaveText('ready');
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu');
  await page.getByTestId('file-input').setInputFiles(resolve('public/samples/coffee.png'));
  await expect(page.getByTestId('input-size')).toHaveText('64×32');
  await expect(page.getByTestId('top-classes')).toBeVisible();
});

test('forced WebGL works too', async ({ page }) => {
  await page.goto('/?backend=webgl&side=64');
  await expect(page.getByTestId('model-status')).toHaveText('ready');
  await expect(page.getByTestId('backend-name')).toHaveText('webgl');
  await page.getByTestId('file-input').setInputFiles(resolve('public/samples/coffee.png'));
  await expect(page.getByTestId('input-size')).toHaveText('64×32');
});

test('trains the head on WebGPU (SwiftShader) on a tiny problem', async ({ page }) => {
  await page.goto('/?backend=webgpu&side=64');
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu');
  await page.getByTestId('file-input').setInputFiles(resolve('public/samples/coffee.png'));
  await expect(page.getByTestId('sp-count')).toContainText(/\d+/);
  const canvas = page.getByTestId('viewer-canvas');
  const box = (await canvas.boundingBox())!;
  const click = async (cls: number, u: number, v: number) => {
    await page.getByTestId(`class-${cls}`).click();
    await page.getByTestId('cmd-tool-brush').click();
    await page.mouse.click(box.x + box.width * u, box.y + box.height * v);
  };
  await click(5, 0.5, 0.5);
  await click(0, 0.1, 0.1);
  // Software WebGPU trains slowly enough to stop it mid-run, then retrain.
  await expect(page.getByTestId('training-status')).toHaveText(/computing|training/);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('training-status')).toHaveText('stopped');
  await page.keyboard.press('KeyR');
  await expect(page.getByTestId('training-status')).toHaveText('up to date', { timeout: 110_000 });
  await expect(page.getByTestId('segmentation-summary')).toContainText(/[1-9]\d* of \d+ superpixels labelled/);
});

test('fine-tunes the backbone on WebGPU (SwiftShader) on a tiny input: every gradient kernel runs there', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/?backend=webgpu&side=64');
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu');
  await page.getByTestId('file-input').setInputFiles(resolve('public/samples/coffee.png'));
  await expect(page.getByTestId('sp-count')).toContainText(/\d+/);
  await page.getByTestId('segmentation-mode').selectOption('pixel');
  const canvas = page.getByTestId('viewer-canvas');
  const box = (await canvas.boundingBox())!;
  await page.getByTestId('cmd-tool-brush').click();
  for (const [cls, u, v] of [
    [5, 0.5, 0.5],
    [0, 0.1, 0.1],
  ] as const) {
    await page.getByTestId(`class-${cls}`).click();
    await page.mouse.click(box.x + box.width * u, box.y + box.height * v);
  }
  await expect(page.getByTestId('training-status')).toHaveText('up to date', { timeout: 120_000 });
  await page.getByTestId('finetune-steps').fill('3');
  await page.getByTestId('cmd-finetune-backbone').click();
  await expect(page.getByTestId('finetune-status')).toContainText('fine-tuned: top block (detector head), 3 steps on 1 photo', { timeout: 240_000 });
  const status = (await page.getByTestId('finetune-status').textContent())!;
  console.log(`WebGPU (SwiftShader), 32² crops: ${status}`);
  const [first, last] = /loss ([\d.]+) → ([\d.]+)/.exec(status)!.slice(1).map(Number);
  expect(Number.isFinite(first) && Number.isFinite(last)).toBe(true);
  await expect(page.getByTestId('training-status')).toHaveText('up to date', { timeout: 120_000 });
  await expect(page.getByTestId('panel-error')).toHaveCount(0);
});
