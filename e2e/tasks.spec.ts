// Long tasks show in the task bar with their progress and stop on request, losing nothing: the features of a
// set (the photo opened goes first; a stopped sweep leaves photos that are analysed when opened), a model load,
// and an export of the set.
import { expect, test, type Page } from '@playwright/test';
import { paintPersonAndBackgroundOnAstronaut, sample, testPhoto } from './studioPage.ts';

const statuses = (page: Page) => page.evaluate(() => window.__zoomoutStudio!.state().photos.map((p) => p.status));

test.beforeEach(async ({ page }) => {
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`[console] ${m.text()}`);
  });
  await page.goto('/');
  await expect(page.getByTestId('model-status')).toHaveText('ready');
});

test('features of a set: the photo opened is analysed next, Stop leaves the rest for when they are opened', async ({ page }) => {
  const count = 24;
  await page.getByTestId('file-input').setInputFiles(Array.from({ length: count }, (_, i) => testPhoto(i, 500, 375)));
  const task = page.getByTestId('task-features');
  await expect(task).toContainText(new RegExp(`features: \\d+ of ${count} photos`));
  const items = page.getByTestId('photo-item');
  await expect(items.nth(count - 2)).toContainText('waiting');

  // The last photo, opened while the others wait, is analysed before the one queued ahead of it.
  await items.nth(count - 1).click();
  await expect
    .poll(async () => {
      const s = await statuses(page);
      return s[count - 1] === 'ready' ? s[count - 2] : 'not yet';
    })
    .toMatch(/^(pending|analysing)$/);

  await task.getByTestId('cmd-stop-analysis').click();
  await expect(task).toHaveCount(0);
  await expect(page.getByTestId('message-info')).toContainText(/stopped computing features: \d+ photos? will be analysed when opened/);
  // The photo running when Stop came finishes; nothing after it starts.
  await expect.poll(async () => (await statuses(page)).filter((s) => s === 'analysing').length).toBe(0);
  const stopped = await statuses(page);
  const waiting = stopped.flatMap((s, i) => (s === 'pending' ? [i] : []));
  expect(waiting.length).toBeGreaterThan(0);
  expect(stopped.every((s) => s === 'pending' || s === 'ready')).toBe(true);
  await page.waitForTimeout(1500);
  expect(await statuses(page)).toEqual(stopped);
  await expect(items.nth(waiting[0])).toContainText('waiting');

  // Opening a waiting photo analyses it, and only it.
  await items.nth(waiting.at(-1)!).click();
  await expect(items.nth(waiting.at(-1)!)).toContainText('ready');
  await expect(page.getByTestId('sp-count')).toContainText(/\d{2,}/);
  expect((await statuses(page)).filter((s) => s === 'pending')).toHaveLength(waiting.length - 1);
});

test('a model load can be cancelled, and loaded again', async ({ page }) => {
  // The CPU backend's warm-up pass takes seconds: long enough to reach Cancel.
  await page.getByTestId('backend-select').selectOption('cpu');
  const task = page.getByTestId('task-model');
  await expect(task).toContainText('model:');
  await task.getByTestId('cmd-cancel-model-load').click();
  await expect(page.getByTestId('model-status')).toHaveText('idle');
  await expect(task).toHaveCount(0);
  await expect(page.getByTestId('message-info')).toContainText('model load cancelled');

  // A photo dropped now waits for the model, and is analysed once it is loaded.
  await page.getByTestId('file-input').setInputFiles(testPhoto(7, 64, 48));
  await expect(page.getByTestId('photo-item')).toContainText('waiting');
  await page.getByTestId('cmd-load-model').click();
  await expect(page.getByTestId('model-status')).toHaveText('ready', { timeout: 120_000 });
  await expect(page.getByTestId('backend-name')).toHaveText('cpu');
  await expect(page.getByTestId('photo-item')).toContainText('ready', { timeout: 120_000 });
});

test('an export of the set can be cancelled: nothing is downloaded, and the next export runs', async ({ page }) => {
  await page.getByTestId('file-input').setInputFiles(['astronaut.png', 'chelsea.png', 'coffee.png', 'rocket.jpg'].map(sample));
  await expect(page.getByTestId('photo-item')).toHaveCount(4);
  await page.getByTestId('photo-item').filter({ hasText: 'astronaut.png' }).click();
  await paintPersonAndBackgroundOnAstronaut(page);
  await expect(page.getByTestId('badge-segmented')).toHaveCount(4);
  // Refined edges are computed per photo at export: seconds for four photos.
  await page.keyboard.press('g');
  await expect(page.getByTestId('cmd-refine-edges')).toHaveAttribute('aria-pressed', 'true');

  let downloads = 0;
  page.on('download', () => downloads++);
  await page.getByTestId('export-menu').click();
  await page.getByTestId('cmd-export-voc').click();
  const task = page.getByTestId('task-export');
  await expect(task).toContainText(/export: .*photo \d of 4/);
  await task.getByTestId('cmd-cancel-export').click();
  await expect(page.getByTestId('message-info')).toContainText('cancelled: nothing was downloaded');
  await expect(task).toHaveCount(0);
  await page.waitForTimeout(1000);
  expect(downloads).toBe(0);

  const download = page.waitForEvent('download');
  await page.getByTestId('export-menu').click();
  await page.getByTestId('cmd-export-voc').click();
  expect((await download).suggestedFilename()).toMatch(/\.zip$/);
});
