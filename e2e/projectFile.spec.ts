// Project files (src/core/projectArchive.ts, src/state/projectFileSlice.ts): export the whole project as one
// zip, open it in a fresh browser profile, and get the same project back; a hostile zip changes nothing.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { savedProject, savedStrokeCount } from './savedProject.ts';
import { paintPersonOnAstronaut, sample } from './studioPage.ts';

test.beforeEach(async ({ page }) => {
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`[console] ${m.text()}`);
  });
});

/** Exports through the command's button (or its shortcut) and returns the zip's name and bytes. */
async function exportProject(page: Page, via: 'button' | 'shortcut' = 'button'): Promise<{ name: string; bytes: Buffer }> {
  const download = page.waitForEvent('download');
  if (via === 'button') await page.getByTestId('cmd-export-project').click();
  else await page.keyboard.press('Control+Shift+S');
  const d = await download;
  return { name: d.suggestedFilename(), bytes: readFileSync((await d.path())!) };
}

/** What the user sees of the project: photos in order, class names (the active one starred), level toggles. */
async function visibleProject(page: Page) {
  return {
    photos: await page.getByTestId('photo-item').allTextContents(),
    classes: await page.getByTestId('legend-class').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-class')}${e.classList.contains('active') ? '*' : ''}`)),
    levels: await page.getByTestId('levels').getByRole('button').evaluateAll((els) => els.map((e) => `${e.textContent}:${e.getAttribute('aria-pressed')}`)),
  };
}

test('the whole project exported as one zip opens again, exactly, in a fresh browser', async ({ page, browser }) => {
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles([sample('astronaut.png'), sample('rocket.jpg')]);
  await expect(page.getByTestId('photo-item')).toHaveCount(2);
  await expect(page.getByTestId('photo-item').filter({ hasText: 'rocket.jpg' })).toContainText('ready');
  await page.getByTestId('photo-item').filter({ hasText: 'astronaut.png' }).click();
  // A person stroke on the suit, a renamed class, a level switched off.
  await paintPersonOnAstronaut(page);
  await page.getByTestId('class-name-3').dblclick();
  await page.getByTestId('class-rename').fill('my boat');
  await page.getByTestId('class-rename').press('Enter');
  await page.getByTestId('cmd-toggle-L5').click();
  await expect(page.getByTestId('cmd-toggle-L5')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('training-status')).toHaveText('up to date');
  const before = await visibleProject(page);
  // (The double-click that renamed class 3 also picked it.)
  expect(before.classes[3]).toBe('my boat*');

  const first = await exportProject(page);
  expect(first.name).toBe('astronaut.zoomout.zip');
  const firstEntries = unzipSync(new Uint8Array(first.bytes));
  expect(Object.keys(firstEntries).sort()).toEqual([expect.stringMatching(/^photos\/.+\.png$/), expect.stringMatching(/^photos\/.+\.jpg$/), 'project.json'].sort());
  // The photos are the very files that were added.
  const astronautEntry = Object.keys(firstEntries).find((n) => n.endsWith('.png'))!;
  expect(Buffer.from(firstEntries[astronautEntry]).equals(readFileSync(sample('astronaut.png')))).toBe(true);

  // A fresh profile: empty storage, nothing open.
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto('/');
  await expect(other.getByTestId('model-status')).toHaveText('ready');
  await expect(other.getByTestId('photo-item')).toHaveCount(0);
  const chooser = other.waitForEvent('filechooser');
  await other.getByTestId('cmd-import-project').click();
  await (await chooser).setFiles({ name: first.name, mimeType: 'application/zip', buffer: first.bytes });
  await expect(other.getByTestId('message-info').filter({ hasText: 'astronaut.zoomout.zip opened: 2 photos' })).toBeVisible();
  await expect(other.getByTestId('photo-item')).toHaveCount(2);
  await expect(other.getByTestId('photo-item').filter({ hasText: 'rocket.jpg' })).toContainText('ready');
  await expect(other.getByTestId('training-status')).toHaveText('up to date');
  await expect.poll(() => visibleProject(other)).toEqual(before);
  // Written to storage too: the stroke and both photos are there after a reload.
  await expect.poll(() => savedStrokeCount(other)).toBe(1);
  await expect.poll(async () => (await savedProject(other)).photos).toHaveLength(2);
  await other.reload();
  await expect(other.getByTestId('photo-item')).toHaveCount(2);
  await expect.poll(() => visibleProject(other)).toEqual(before);

  // Exported again, the document is byte for byte the same.
  const second = await exportProject(other);
  const secondEntries = unzipSync(new Uint8Array(second.bytes));
  expect(Object.keys(secondEntries).sort()).toEqual(Object.keys(firstEntries).sort());
  expect(new TextDecoder().decode(secondEntries['project.json'])).toBe(new TextDecoder().decode(firstEntries['project.json']));
  for (const name of Object.keys(firstEntries)) expect(Buffer.from(secondEntries[name]).equals(firstEntries[name]), name).toBe(true);
  await fresh.close();
});

test('opening a project replaces the open one as one edit that undo takes back', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(sample('chelsea.png'));
  await expect(page.getByTestId('photo-item')).toHaveCount(1);
  const exported = await exportProject(page, 'shortcut');
  expect(exported.name).toBe('chelsea.zoomout.zip');
  await page.getByTestId('file-input').setInputFiles(sample('rocket.jpg'));
  await expect(page.getByTestId('photo-item')).toHaveCount(2);

  // Dropped onto the window, a .zip opens as the project.
  const dataTransfer = await page.evaluateHandle(
    ({ data, name }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], name, { type: 'application/zip' }));
      return dt;
    },
    { data: [...exported.bytes], name: exported.name },
  );
  await page.getByTestId('app').dispatchEvent('dragover', { dataTransfer });
  await page.getByTestId('app').dispatchEvent('drop', { dataTransfer });
  // (The "opened" message is information and goes away by itself: the photo list is what is checked.)
  await expect(page.getByTestId('photo-item')).toHaveCount(1);
  await expect(page.getByTestId('photo-item')).toContainText('chelsea.png');
  await expect.poll(async () => (await savedProject(page)).photos).toHaveLength(1);

  await page.getByTestId('cmd-undo').click();
  await expect(page.getByTestId('photo-item')).toHaveCount(2);
  await expect.poll(async () => (await savedProject(page)).photos).toHaveLength(2);
  await page.getByTestId('cmd-redo').click();
  await expect(page.getByTestId('photo-item')).toHaveCount(1);
  await expect.poll(async () => (await savedProject(page)).photos).toHaveLength(1);
});

test('a hostile zip is refused with one message and changes nothing', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(sample('rocket.jpg'));
  await expect(page.getByTestId('photo-item')).toContainText('ready');
  await expect.poll(async () => (await savedProject(page)).photos).toHaveLength(1);
  const keysBefore = (await savedProject(page)).keys.sort();

  const project = { schema: 2, parts: {}, photos: [{ id: 'evil', name: 'evil.png', order: 0, originalWidth: 2, originalHeight: 2, contentHash: '', parts: {} }] };
  const hostile = zipSync({ 'project.json': strToU8(JSON.stringify(project)), '../evil.png': readFileSync(sample('chelsea.png')) });
  await page.getByTestId('project-file-input').setInputFiles({ name: 'evil.zoomout.zip', mimeType: 'application/zip', buffer: Buffer.from(hostile) });
  const error = page.getByTestId('message-error');
  await expect(error).toHaveCount(1);
  await expect(error).toContainText('evil.zoomout.zip was not opened: the archive holds an entry with an unsafe path ("../evil.png")');
  await expect(page.getByTestId('photo-item')).toHaveCount(1);
  await expect(page.getByTestId('photo-item')).toContainText('rocket.jpg');
  await expect(page.getByTestId('cmd-undo')).toBeDisabled();

  // A truncated one, likewise.
  await page.getByTestId('project-file-input').setInputFiles({ name: 'cut.zip', mimeType: 'application/zip', buffer: Buffer.from(hostile.subarray(0, 200)) });
  await expect(page.getByTestId('message-error').filter({ hasText: 'cut.zip was not opened: the file is not a zip archive, or it is damaged or incomplete' })).toHaveCount(1);
  await expect(page.getByTestId('photo-item')).toHaveCount(1);
  expect((await savedProject(page)).keys.sort()).toEqual(keysBefore);
});
