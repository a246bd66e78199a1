import { expect, test } from '@playwright/test';
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { savedProject } from './savedProject.ts';

const sample = (name: string) => resolve('public/samples', name);

test.beforeEach(async ({ page }) => {
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`[console] ${m.text()}`);
  });
});

test('auto-selects wasm here, analyses a dropped photo and shows its heatmap', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('model-status')).toHaveText('ready');
  await expect(page.getByTestId('backend-name')).toHaveText('wasm');

  await page.getByTestId('file-input').setInputFiles(sample('astronaut.png'));
  await expect(page.getByTestId('input-size')).toHaveText('512×512');
  await expect(page.getByTestId('top-classes')).toContainText('person');

  await page.getByTestId('top-classes').getByRole('button', { name: 'person' }).click();
  await expect(page.getByTestId('heatmap-select')).toHaveValue('class:0');
  const painted = await page.getByTestId('viewer-canvas').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
  });
  expect(painted).toBeGreaterThan(1000);
});

test('photos are saved automatically and come back after a reload', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles([sample('chelsea.png'), sample('rocket.jpg')]);
  await expect(page.getByTestId('photo-item')).toHaveCount(2);
  await expect(page.getByTestId('photo-item').filter({ hasText: 'rocket.jpg' })).toContainText('ready');
  // Both photos are in IndexedDB before the reload.
  await expect.poll(async () => (await savedProject(page)).photos).toHaveLength(2);
  await page.reload();
  await expect(page.getByTestId('photo-item')).toHaveCount(2);
  await expect(page.getByTestId('photo-item').filter({ hasText: 'chelsea.png' })).toContainText('451×300 · ready');
  await page.getByTestId('photo-item').filter({ hasText: 'chelsea.png' }).click();
  await page.getByTestId('cmd-remove-photo').click();
  await expect(page.getByTestId('photo-item')).toHaveCount(1);
  // Nothing of the closed photo is left in storage.
  await expect.poll(async () => (await savedProject(page)).keys.filter((k) => !k.startsWith('project'))).toHaveLength(2);
  await page.reload();
  await expect(page.getByTestId('photo-item')).toHaveCount(1);
  await expect(page.getByTestId('photo-item')).toContainText('rocket.jpg');
});

test('a photo dropped onto the window opens', async ({ page }) => {
  await page.goto('/');
  const bytes = [...readFileSync(sample('rocket.jpg'))];
  const dataTransfer = await page.evaluateHandle((data) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(data)], 'dropped-rocket.jpg', { type: 'image/jpeg' }));
    return dt;
  }, bytes);
  await page.getByTestId('app').dispatchEvent('dragover', { dataTransfer });
  await page.getByTestId('app').dispatchEvent('drop', { dataTransfer });
  await expect(page.getByTestId('photo-item').filter({ hasText: 'dropped-rocket.jpg' })).toContainText('640×427 · ready');
});
