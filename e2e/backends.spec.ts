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
