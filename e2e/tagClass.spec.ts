import { expect, test, type Page } from '@playwright/test';
import { resolve } from 'node:path';
import { workerTensorsBeyondPhotosAndModels } from './studioPage.ts';

const COCO_MINI = resolve('../shared/data/coco-mini');
// From their VOC masks: people fill 21, 63 and 16 % of the first three; none are in the other three.
const SHOWS = ['000000109313', '000000151938', '000000160012'];
const LACKS = ['000000000802', '000000022192', '000000073326'];

test.beforeEach(async ({ page }) => {
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`[console] ${m.text()}`);
  });
  await page.goto('/');
  await expect(page.getByTestId('model-status')).toHaveText('ready');
});

const open = (page: Page, stem: string) => page.getByTestId('photo-item').filter({ hasText: stem }).click();

test('a new class from tags: named, tagged both ways, learnt alone, suggested where tagged, kept over a reload, forgotten', async ({ page }) => {
  await page.getByTestId('file-input').setInputFiles([...SHOWS, ...LACKS].map((stem) => resolve(COCO_MINI, 'images', `${stem}.jpg`)));
  await expect(page.getByTestId('photo-item')).toHaveCount(6);
  // A class the detector has no name for: its suggestions can only come from tags.
  await page.getByTestId('add-class').click();
  await page.getByTestId('class-name-21').dblclick();
  await page.getByTestId('class-rename').fill('pedestrian');
  await page.getByTestId('class-rename').press('Enter');
  await page.getByTestId('class-21').click();
  await expect(page.getByTestId('tag-class-status')).toContainText("not learnt: pedestrian's suggestions come from the detector");
  await expect(page.getByTestId('cmd-train-tag-class')).toBeDisabled();

  for (const [stems, tag] of [
    [SHOWS, 'shows'],
    [LACKS, 'lacks'],
  ] as const) {
    for (const stem of stems) {
      await open(page, stem);
      await page.getByTestId(`cmd-tag-${tag}`).click();
      await expect(page.getByTestId(`cmd-tag-${tag}`)).toHaveAttribute('aria-pressed', 'true');
    }
  }
  await expect(page.getByTestId('tag-class-counts')).toHaveText('Tagged: 3 showing pedestrian, 3 without.');
  // A mistaken tag (the last photo lacks people) is one undo away, like every edit.
  await page.getByTestId('cmd-tag-shows').click();
  await expect(page.getByTestId('tag-class-counts')).toHaveText('Tagged: 4 showing pedestrian, 2 without.');
  await page.getByTestId('cmd-undo').click();
  await expect(page.getByTestId('tag-class-counts')).toHaveText('Tagged: 3 showing pedestrian, 3 without.');

  const workerTensors = () => workerTensorsBeyondPhotosAndModels(page);
  await page.getByTestId('cmd-train-tag-class').click();
  await expect(page.getByTestId('tag-class-status')).toContainText('learnt from 3 + 3 photos', { timeout: 120_000 });
  await expect(page.getByTestId('training-status')).toHaveText('up to date');
  const tensorsAfter = await workerTensors();
  // Learning it again replaces the net: the worker holds as many tensors as after the first time.
  await page.getByTestId('cmd-train-tag-class').click();
  await expect(page.getByTestId('tag-class-status')).toContainText('learning pedestrian');
  await expect(page.getByTestId('tag-class-status')).toContainText('learnt from 3 + 3 photos', { timeout: 120_000 });
  await expect(page.getByTestId('training-status')).toHaveText('up to date');
  expect(await workerTensors()).toBe(tensorsAfter);
  // Forgetting frees the net (its two layers' kernels and biases); learning it once more brings it back.
  await page.getByTestId('cmd-forget-tag-class').click();
  await expect(page.getByTestId('tag-class-status')).toContainText('not learnt');
  await expect(page.getByTestId('training-status')).toHaveText('up to date');
  expect(await workerTensors()).toBe(tensorsAfter - 4);
  await page.getByTestId('cmd-train-tag-class').click();
  await expect(page.getByTestId('tag-class-status')).toContainText('learnt from 3 + 3 photos', { timeout: 120_000 });
  const message = await page.getByTestId('message-info').filter({ hasText: 'pedestrian: learnt from 3 photos showing it and 3 without it' }).last().textContent();
  console.log(message);

  // Photos tagged as showing it get pedestrian points from its map; those tagged as lacking it get none.
  await open(page, SHOWS[1]);
  await expect(page.getByTestId('points-pedestrian')).toHaveText(/^[1-9]\d*$/, { timeout: 60_000 });
  await open(page, LACKS[0]);
  await expect(page.getByTestId('suggested-points')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('points-pedestrian')).toHaveCount(0);
  await page.getByTestId('sampling-map').selectOption({ label: 'pedestrian (from tags)' });
  await expect(page.getByTestId('sampling-map-status')).toHaveAttribute('data-loaded', 'true');

  // Saved: tags and the learnt class come back after a reload, and still suggest.
  await page.reload();
  await expect(page.getByTestId('model-status')).toHaveText('ready');
  await open(page, SHOWS[1]);
  await page.getByTestId('class-21').click();
  await expect(page.getByTestId('tag-class-status')).toContainText('learnt from 3 + 3 photos');
  await expect(page.getByTestId('tag-class-counts')).toHaveText('Tagged: 3 showing pedestrian, 3 without.');
  await expect(page.getByTestId('points-pedestrian')).toHaveText(/^[1-9]\d*$/, { timeout: 60_000 });

  await page.getByTestId('cmd-forget-tag-class').click();
  await expect(page.getByTestId('tag-class-status')).toContainText('not learnt');
  await expect(page.getByTestId('points-pedestrian')).toHaveCount(0, { timeout: 60_000 });
});

test('a tags JSON (stem → class names, as the CLI reads) tags the open photos it names at once, undoably', async ({ page }) => {
  await page.getByTestId('file-input').setInputFiles([...SHOWS, ...LACKS].map((stem) => resolve(COCO_MINI, 'images', `${stem}.jpg`)));
  await expect(page.getByTestId('photo-item')).toHaveCount(6);
  const tags = Object.fromEntries([...SHOWS.map((stem) => [stem, ['person']]), ...LACKS.map((stem) => [stem, []]), ['not-open', ['dog']]]);
  await page.getByTestId('file-input').setInputFiles([{ name: 'tags.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(tags)) }]);
  await expect(page.getByTestId('message-info').filter({ hasText: 'tags.json: tags for 6 of 6 open photos' })).toHaveCount(1);
  await expect(page.getByTestId('photo-item')).toHaveCount(6);
  await page.getByTestId('class-15').click();
  await expect(page.getByTestId('tag-class-counts')).toHaveText('Tagged: 3 showing person, 3 without.');
  await page.getByTestId('class-12').click();
  await expect(page.getByTestId('tag-class-counts')).toHaveText('Tagged: 0 showing dog, 6 without.');
  await page.getByTestId('cmd-undo').click();
  await expect(page.getByTestId('tag-class-counts')).toHaveText('Tagged: 0 showing dog, 0 without.');
  // A name the label set lacks is refused with a message, and tags nothing.
  await page.getByTestId('file-input').setInputFiles([{ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ [SHOWS[0]]: ['unicorn'] })) }]);
  await expect(page.getByTestId('message-error').filter({ hasText: "bad.json: tags of '000000109313': 'unicorn' is not a voc class" })).toHaveCount(1);
  await expect(page.getByTestId('tag-class-counts')).toHaveText('Tagged: 0 showing dog, 0 without.');
});
