// The daily tool end to end (issue "The studio as a daily tool", done when): a folder of 20 photos dropped, a
// few of them labelled, the tab closed and the studio opened again; the set exports as VOC, COCO and YOLO, every
// photo in each, COCO's RLE and YOLO's polygons decoding (our reference decoders) to the VOC masks, and those
// masks the same as before the tab was closed.
import { expect, test, type Page } from '@playwright/test';
import { decode } from 'fast-png';
import { strFromU8, unzipSync } from 'fflate';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CocoJson } from '../src/core/cocoExport.ts';
import { decodeRle } from '../src/core/cocoRle.ts';
import { yoloToClassMap } from '../src/core/yoloPolygons.ts';
import { iou, paint, paintPersonAndBackgroundOnAstronaut } from './studioPage.ts';

const COCO_MINI = resolve('../shared/data/coco-mini/images');
let folder: string;
let stems: string[];

test.beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'daily-set-'));
  const names = ['astronaut.png', 'chelsea.png', 'coffee.png', 'rocket.jpg'];
  for (const name of names) copyFileSync(resolve('public/samples', name), join(folder, name));
  for (const name of readdirSync(COCO_MINI).sort().slice(0, 16)) copyFileSync(join(COCO_MINI, name), join(folder, name));
  stems = readdirSync(folder)
    .sort()
    .map((n) => n.replace(/\.[^.]+$/, ''));
});

test.afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function exported(page: Page, commandId: string): Promise<Record<string, Uint8Array>> {
  await page.getByTestId('export-menu').click();
  const download = page.waitForEvent('download', { timeout: 240_000 });
  await page.getByTestId(`cmd-${commandId}`).click();
  return unzipSync(new Uint8Array(readFileSync(await (await download).path())));
}

function vocMasks(files: Record<string, Uint8Array>): Map<string, { width: number; height: number; classes: Uint8Array }> {
  const masks = new Map<string, { width: number; height: number; classes: Uint8Array }>();
  for (const stem of stems) {
    const png = decode(files[`SegmentationClass/${stem}.png`]);
    masks.set(stem, { width: png.width, height: png.height, classes: Uint8Array.from(png.data) });
  }
  return masks;
}

test('a folder of 20 photos, labelled, closed, reopened: COCO and YOLO decode to the same masks as VOC, and as before', async ({ page, context }) => {
  test.setTimeout(900_000);
  await page.goto('/');
  await expect(page.getByTestId('model-status')).toHaveText('ready');
  await page.getByTestId('folder-input').setInputFiles(folder);
  const items = page.getByTestId('photo-item');
  await expect(items).toHaveCount(20);
  await expect(page.getByTestId('task-features')).toHaveCount(0, { timeout: 240_000 });

  await items.filter({ hasText: 'astronaut.png' }).click();
  await paintPersonAndBackgroundOnAstronaut(page);
  await items.filter({ hasText: 'chelsea.png' }).click();
  await expect(page.getByTestId('sp-count')).toContainText(/\d{3}/);
  await page.getByTestId('class-8').click();
  await paint(page, [[0.45, 0.4], [0.6, 0.55]], 451 / 300);
  await expect(page.getByTestId('training-status')).toHaveText('up to date');
  const before = vocMasks(await exported(page, 'export-voc'));

  // The tab closed, the studio opened again in a new one.
  await page.close();
  const again = await context.newPage();
  await again.goto('/');
  await expect(again.getByTestId('photo-item')).toHaveCount(20);
  await expect(again.getByTestId('model-status')).toHaveText('ready');
  await expect(again.getByTestId('task-features')).toHaveCount(0, { timeout: 240_000 });
  await expect(again.getByTestId('training-status')).toHaveText('up to date', { timeout: 120_000 });

  const masks = vocMasks(await exported(again, 'export-voc'));
  for (const stem of stems) {
    const [a, b] = [before.get(stem)!, masks.get(stem)!];
    expect([b.width, b.height]).toEqual([a.width, a.height]);
    const same = a.classes.reduce((n, v, i) => n + (v === b.classes[i] ? 1 : 0), 0) / a.classes.length;
    expect(same, `${stem}: pixels as before the tab was closed`).toBeGreaterThan(0.99);
  }

  const coco = JSON.parse(strFromU8((await exported(again, 'export-coco'))['annotations.json'])) as CocoJson;
  expect(coco.images).toHaveLength(20);
  for (const image of coco.images) {
    const mask = masks.get(image.file_name.replace(/\.[^.]+$/, ''))!;
    const rebuilt = new Uint8Array(image.width * image.height);
    for (const a of coco.annotations.filter((a) => a.image_id === image.id)) decodeRle(a.segmentation).forEach((v, i) => v && (rebuilt[i] = a.category_id));
    expect(Buffer.from(rebuilt).equals(Buffer.from(mask.classes)), image.file_name).toBe(true);
  }

  const yolo = await exported(again, 'export-yolo');
  for (const stem of stems) {
    const mask = masks.get(stem)!;
    const back = yoloToClassMap(strFromU8(yolo[`labels/${stem}.txt`]), mask.width, mask.height);
    for (const c of new Set([...mask.classes, ...back])) if (c !== 0) expect(iou(back, mask.classes, c), `class ${c} of ${stem}`).toBeGreaterThanOrEqual(0.99);
  }
});
