import { expect, test, type Page } from '@playwright/test';
import { resolve } from 'node:path';

// Shortcuts follow the character a key types, not its position, and keep away from focused controls.
// Playwright's keyboard speaks US QWERTY, so German and French key presses are dispatched as the browser
// would report them: the typed character (key), the physical key (code) and the modifiers.

const sample = (name: string) => resolve('public/samples', name);

type KeyInit = { key: string; code: string; ctrlKey?: boolean; shiftKey?: boolean; altKey?: boolean };

/** A keydown on the focused element (or the page), as a keyboard with another layout sends it. */
async function keydown(page: Page, init: KeyInit): Promise<void> {
  await page.evaluate((i) => {
    (document.activeElement ?? document.body).dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...i }));
  }, init);
}

/** Pixels the viewer has drawn: the photo and its overlays, so it grows when the view zooms in. */
const drawnPixels = (page: Page) =>
  page.getByTestId('viewer-canvas').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
  });

const activePhotoName = (page: Page) => page.locator('[data-testid="photo-item"].active .name');

test.beforeEach(async ({ page }) => {
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`[console] ${m.text()}`);
  });
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles([sample('astronaut.png'), sample('chelsea.png')]);
  await expect(page.getByTestId('photo-item')).toHaveCount(2);
  await expect(page.getByTestId('photo-item').filter({ hasText: 'chelsea.png' })).toContainText('ready');
  await page.getByTestId('photo-item').filter({ hasText: 'astronaut.png' }).click();
  await expect(activePhotoName(page)).toHaveText('astronaut.png');
  // Nothing keeps the focus: keys go to the page.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
});

test("German '+' (its own key, code BracketRight) zooms in and stays on the photo", async ({ page }) => {
  await expect.poll(() => drawnPixels(page)).toBeGreaterThan(1000);
  const before = await drawnPixels(page);
  await keydown(page, { key: '+', code: 'BracketRight' });
  await expect.poll(() => drawnPixels(page)).toBeGreaterThan(before * 1.2);
  await expect(activePhotoName(page)).toHaveText('astronaut.png');
  // German ']' is AltGr+9, which Windows reports as Ctrl+Alt: that one is the next photo.
  await keydown(page, { key: ']', code: 'Digit9', ctrlKey: true, altKey: true });
  await expect(activePhotoName(page)).toHaveText('chelsea.png');
});

test('a focused slider keeps its keys: Delete does not close the photo; Escape lets go of it', async ({ page }) => {
  await page.getByTestId('brush-radius').focus();
  await page.keyboard.press('Delete');
  await page.keyboard.press('b');
  await page.keyboard.press('Shift+Digit1');
  await expect(page.getByTestId('photo-item')).toHaveCount(2);
  await expect(activePhotoName(page)).toHaveText('astronaut.png');
  await expect(page.getByTestId('cmd-tool-brush')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('cmd-toggle-L1')).toHaveAttribute('aria-pressed', 'true');

  await page.keyboard.press('Escape');
  await expect(page.getByTestId('brush-radius')).not.toBeFocused();
  await page.keyboard.press('b');
  await expect(page.getByTestId('cmd-tool-brush')).toHaveAttribute('aria-pressed', 'true');
});

test('legend: a click on a name picks the class, a double-click renames it; German and French Ctrl+Z undo', async ({ page }) => {
  const name = page.getByTestId('class-name-3');
  const original = (await name.textContent())!;
  await name.click();
  await expect(page.getByTestId('class-3')).toHaveAttribute('aria-pressed', 'true');

  // Escape cancels a rename.
  await name.dblclick();
  await page.getByTestId('class-rename').fill('never mind');
  await page.getByTestId('class-rename').press('Escape');
  await expect(page.getByTestId('class-rename')).toHaveCount(0);
  await expect(name).toHaveText(original);

  // Enter commits it; the typing went to the field, not to the shortcuts (b, e, v, digits).
  await name.dblclick();
  await page.getByTestId('class-rename').fill('');
  await expect(page.getByTestId('class-rename')).toBeFocused();
  await page.keyboard.type('boat 2');
  await page.getByTestId('class-rename').press('Enter');
  await expect(name).toHaveText('boat 2');
  await expect(page.getByTestId('legend-class').nth(3)).toHaveAttribute('data-class', 'boat 2');
  await expect(page.getByTestId('cmd-tool-brush')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('class-3')).toHaveAttribute('aria-pressed', 'true');

  // German Ctrl+Z: the Z key is where US has Y (code KeyY).
  await keydown(page, { key: 'z', code: 'KeyY', ctrlKey: true });
  await expect(name).toHaveText(original);
  await keydown(page, { key: 'Z', code: 'KeyY', ctrlKey: true, shiftKey: true });
  await expect(name).toHaveText('boat 2');
  // French Ctrl+Z: the Z key is where US has W (code KeyW).
  await keydown(page, { key: 'z', code: 'KeyW', ctrlKey: true });
  await expect(name).toHaveText(original);

  // French digits come with Shift: Shift+& types '1' and picks class 1.
  await keydown(page, { key: '1', code: 'Digit1', shiftKey: true });
  await expect(page.getByTestId('class-1')).toHaveAttribute('aria-pressed', 'true');
});
