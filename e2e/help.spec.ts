// The help overlay lists the command registry ('?' or the toolbar's Help), and the brush shows its radius.
import { expect, test } from '@playwright/test';
import { resolve } from 'node:path';

test('? opens help with every command; Escape and a click outside close it', async ({ page }) => {
  await page.goto('/');
  await page.keyboard.press('?');
  const help = page.getByTestId('help-overlay');
  await expect(help).toBeVisible();
  for (const id of ['open', 'undo', 'zoom-in', 'tool-brush', 'class-0', 'help', 'export-voc'])
    await expect(help.getByTestId(`help-${id}`)).toBeVisible();
  await expect(help.getByTestId('help-undo')).toContainText('Ctrl+Z');
  await expect(help.getByTestId('help-redo')).toContainText('Ctrl+Y');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  await page.getByTestId('cmd-help').click();
  await expect(help).toBeVisible();
  await help.click({ position: { x: 5, y: 5 } }); // inside: stays
  await expect(help).toBeVisible();
  await page.getByTestId('help-backdrop').click({ position: { x: 3, y: 3 } });
  await expect(help).toBeHidden();
});

test('the brush cursor follows the pointer at the brush radius × zoom', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(resolve('public/samples/coffee.png'));
  const canvas = page.getByTestId('viewer-canvas');
  const box = (await canvas.boundingBox())!;
  await expect(page.getByTestId('brush-cursor')).toHaveCount(0); // pan tool: none
  await page.keyboard.press('b');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const cursor = page.getByTestId('brush-cursor');
  await expect(cursor).toBeVisible();
  const scale = Math.min(box.width / 600, box.height / 400) * 0.95; // Viewer's fitScale, coffee.png is 600×400
  const radius = Number(await page.getByTestId('brush-radius').inputValue());
  const c1 = (await cursor.boundingBox())!;
  expect(c1.width).toBeCloseTo(2 * Math.max(1, radius * scale), 0);
  expect(c1.x + c1.width / 2).toBeCloseTo(box.x + box.width / 2, 0);
  await page.keyboard.press('+');
  await expect.poll(async () => (await cursor.boundingBox())!.width).toBeCloseTo(c1.width * 1.25, 0);
  await page.mouse.move(box.x + 10, box.y + 10);
  await expect.poll(async () => (await cursor.boundingBox())!.x).toBeLessThan(box.x + 10);
  await page.keyboard.press('v');
  await expect(cursor).toHaveCount(0);
});
