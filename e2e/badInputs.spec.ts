import { expect, test } from '@playwright/test';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';

const dir = mkdtempSync(join(tmpdir(), 'zoomout-bad-'));
const file = (name: string) => join(dir, name);

test.beforeAll(async () => {
  writeFileSync(file('notes.txt'), 'these are not pixels');
  writeFileSync(file('empty.png'), new Uint8Array());
  const jpeg = readFileSync(resolve('public/samples/rocket.jpg'));
  // A JPEG header followed by garbage: the decoder must reject it, not show half a photo.
  const corrupt = Buffer.concat([jpeg.subarray(0, 200), Buffer.alloc(5000, 0x5a)]);
  writeFileSync(file('corrupt.jpg'), corrupt);
  await sharp({ create: { width: 12000, height: 9000, channels: 3, background: { r: 40, g: 120, b: 200 } } }).jpeg({ quality: 50 }).toFile(file('huge.jpg'));
  await sharp(resolve('public/samples/coffee.png')).resize(200, 150).ensureAlpha(0.3).png().toFile(file('alpha.png'));
  await sharp(resolve('public/samples/coffee.png')).resize(200, 150).grayscale().png().toFile(file('gray.png'));
  await sharp(resolve('public/samples/coffee.png')).resize(200, 150).toColourspace('rgb16').png().toFile(file('deep16.png'));
  // Stored 300 wide × 200 high with EXIF orientation 6: shown rotated, 200 wide × 300 high.
  await sharp(resolve('public/samples/rocket.jpg')).resize(300, 200, { fit: 'fill' }).withMetadata({ orientation: 6 }).jpeg().toFile(file('exif6.jpg'));
});

test('bad files get a clear message and the studio keeps working', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('model-status')).toHaveText('ready');
  await page.getByTestId('file-input').setInputFiles([file('notes.txt'), file('empty.png'), file('corrupt.jpg')]);
  const errors = page.getByTestId('message-error');
  await expect(errors.filter({ hasText: 'notes.txt: not an image' })).toBeVisible();
  await expect(errors.filter({ hasText: 'empty.png: the file is empty' })).toBeVisible();
  await expect(errors.filter({ hasText: /corrupt\.jpg: not a readable image/ })).toBeVisible();
  await expect(page.getByTestId('photo-item')).toHaveCount(0);

  await page.getByTestId('file-input').setInputFiles(resolve('public/samples/astronaut.png'));
  await expect(page.getByTestId('photo-item')).toHaveCount(1);
  await expect(page.getByTestId('top-classes')).toContainText('person');
});

test('huge, alpha, grayscale, 16-bit and EXIF-rotated photos all load', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('model-status')).toHaveText('ready');
  const cases: [string, string, string][] = [
    ['huge.jpg', '12000×9000', '512×384'],
    ['alpha.png', '200×150', '512×384'],
    ['gray.png', '200×150', '512×384'],
    ['deep16.png', '200×150', '512×384'],
    ['exif6.jpg', '200×300', '352×512'],
  ];
  for (const [name, original, input] of cases) {
    await page.getByTestId('file-input').setInputFiles(file(name));
    const item = page.getByTestId('photo-item').filter({ hasText: name });
    await expect(item).toContainText(`${original} · ready`);
    await expect(page.getByTestId('input-size')).toHaveText(input);
  }
  await expect(page.getByTestId('message-error')).toHaveCount(0);
});
