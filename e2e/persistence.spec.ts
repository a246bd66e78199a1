// Autosave: nothing lost however many photos arrive and however fast, nothing left of a closed photo, and
// a tab killed right after a stroke keeps it.
import { expect, test } from '@playwright/test';
import { resolve } from 'node:path';
import { savedProject, savedStrokeCount } from './savedProject.ts';
import { paint, paintPersonOnAstronaut, testPhoto } from './studioPage.ts';

test.beforeEach(async ({ page }) => {
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`[console] ${m.text()}`);
  });
});

test('two batches of photos added at once (10, then 30 before the first is saved) all come back', async ({ page }) => {
  await page.goto('/');
  const input = page.getByTestId('file-input');
  await input.setInputFiles(Array.from({ length: 10 }, (_, i) => testPhoto(i)));
  await input.setInputFiles(Array.from({ length: 30 }, (_, i) => testPhoto(100 + i)));
  await expect(page.getByTestId('photo-item')).toHaveCount(40);
  await expect.poll(async () => (await savedProject(page)).photos.length).toBe(40);
  await page.reload();
  await expect(page.getByTestId('photo-item')).toHaveCount(40);
  const names = await page.getByTestId('photo-item').locator('.name').allTextContents();
  expect(names).toEqual([...Array.from({ length: 10 }, (_, i) => testPhoto(i).name), ...Array.from({ length: 30 }, (_, i) => testPhoto(100 + i).name)]);
});

test('200 photos added at once: 200 back after a reload', async ({ page }) => {
  test.setTimeout(600_000);
  // Every photo is analysed, at a tiny model input so the test stays short.
  await page.goto('/?side=64');
  await page.getByTestId('file-input').setInputFiles(Array.from({ length: 200 }, (_, i) => testPhoto(1000 + i, 16, 12)));
  await expect(page.getByTestId('photo-item')).toHaveCount(200, { timeout: 120_000 });
  await expect.poll(async () => (await savedProject(page)).photos.length, { timeout: 120_000 }).toBe(200);
  await page.reload();
  await expect(page.getByTestId('photo-item')).toHaveCount(200, { timeout: 120_000 });
});

test('a closed photo leaves nothing in storage; undo brings it back with its strokes', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles([resolve('public/samples/astronaut.png'), resolve('public/samples/rocket.jpg')]);
  await expect(page.getByTestId('photo-item')).toHaveCount(2);
  await page.getByTestId('photo-item').filter({ hasText: 'astronaut.png' }).click();
  await paintPersonOnAstronaut(page);
  await expect.poll(() => savedStrokeCount(page)).toBe(1);
  const before = await savedProject(page);
  expect(before.photos).toHaveLength(2);
  const kept = before.photos.find((id) => id !== closedId(before))!;

  await page.getByTestId('cmd-remove-photo').click();
  await expect(page.getByTestId('photo-item')).toHaveCount(1);
  await expect(page.getByTestId('message-info')).toContainText('astronaut.png closed');
  await expect.poll(async () => (await savedProject(page)).keys.filter((k) => !k.startsWith('project')).sort()).toEqual([`parts/${kept}`, `photo/${kept}`]);

  await page.getByTestId('message-action').click();
  await expect(page.getByTestId('photo-item')).toHaveCount(2);
  await expect.poll(() => savedStrokeCount(page)).toBe(1);
  await page.reload();
  await expect(page.getByTestId('photo-item')).toHaveCount(2);
  await expect.poll(() => savedStrokeCount(page)).toBe(1);
});

/** The photo of `saved` that has strokes. */
function closedId(saved: Awaited<ReturnType<typeof savedProject>>): string {
  return Object.entries(saved.parts).find(([, p]) => ((p.strokes as unknown[] | undefined)?.length ?? 0) > 0)![0];
}

test('a stroke survives the tab being closed right after it', async ({ page, context }) => {
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(resolve('public/samples/astronaut.png'));
  await paintPersonOnAstronaut(page);
  await page.close();
  const again = await context.newPage();
  await again.goto('/');
  await expect(again.getByTestId('photo-item')).toHaveCount(1);
  await expect.poll(() => savedStrokeCount(again)).toBe(1);
  await expect(again.getByTestId('training-status')).toHaveText('up to date');
});

test('undo survives a reload: strokes and level toggles come back undoable, and redo too', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(resolve('public/samples/astronaut.png'));
  await paintPersonOnAstronaut(page);
  await page.getByTestId('class-0').click();
  await paint(page, [
    [0.05, 0.1],
    [0.08, 0.6],
  ]);
  await page.getByTestId('cmd-toggle-L1').click();
  await expect.poll(() => savedStrokeCount(page)).toBe(2);
  await expect.poll(async () => ((await savedProject(page)).project?.history as { past: unknown[] } | undefined)?.past.length).toBe(3);

  await page.reload();
  await expect(page.getByTestId('cmd-toggle-L1')).toHaveAttribute('aria-pressed', 'false');
  await page.getByTestId('cmd-undo').click();
  await expect(page.getByTestId('cmd-toggle-L1')).toHaveAttribute('aria-pressed', 'true');
  await page.getByTestId('cmd-undo').click();
  await expect.poll(() => savedStrokeCount(page)).toBe(1);
  await page.getByTestId('cmd-redo').click();
  await expect.poll(() => savedStrokeCount(page)).toBe(2);
});

test('a project saved with its settings in one record (before one record per part) opens with them, split into records', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('cmd-refine-edges')).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(async () => (await savedProject(page)).keys).toContain('project/crf');
  // The layout an earlier version wrote: every project-wide part inside the `project` record.
  const legacy = await page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('zoomout-studio');
        open.onsuccess = () => {
          const tx = open.result.transaction('project', 'readwrite');
          const store = tx.objectStore('project');
          const keys = store.getAllKeys();
          keys.onsuccess = () => {
            const projectKeys = keys.result.map(String).filter((k) => k.startsWith('project/'));
            for (const k of projectKeys) store.delete(k);
            store.put({ schema: 2, parts: { crf: true } }, 'project');
            tx.oncomplete = () => {
              open.result.close();
              resolve(projectKeys);
            };
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  expect(legacy.length).toBeGreaterThan(1);
  await page.reload();
  await expect(page.getByTestId('cmd-refine-edges')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(async () => (await savedProject(page)).project?.crf).toBe(true);
  const projectRecord = await page.evaluate(
    () =>
      new Promise<unknown>((resolve) => {
        const open = indexedDB.open('zoomout-studio');
        open.onsuccess = () => {
          const get = open.result.transaction('project').objectStore('project').get('project');
          get.onsuccess = () => {
            open.result.close();
            resolve(get.result);
          };
        };
      }),
  );
  expect(projectRecord).toEqual({ schema: 3 });
});
