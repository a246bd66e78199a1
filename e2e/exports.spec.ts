// The export menu end to end: two photos (one a JPEG whose EXIF turns it on its side), strokes of two classes on
// each, every format exported for the whole set and checked in Node — sizes as displayed, and every format decoding
// to the same classes as the VOC PNGs; the trained head, downloaded, labels a photo through `cli export --head`.
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { decode } from 'fast-png';
import { strFromU8, unzipSync } from 'fflate';
import sharp from 'sharp';
import type { CocoJson } from '../src/core/cocoExport.ts';
import { decodeRle } from '../src/core/cocoRle.ts';
import { vocPalette, VOC_CLASSES } from '../src/core/labelSets.ts';
import { yoloToClassMap } from '../src/core/yoloPolygons.ts';
import { iou, paint } from './studioPage.ts';

const ASTRONAUT = { stem: 'astronaut', width: 512, height: 512 };
// chelsea.png (451×300) stored as is, with EXIF orientation 6 (rotate 90° clockwise to display): shown 300×451.
const CAT = { stem: 'chelsea-rotated', width: 300, height: 451 };

async function rotatedCat(): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  const buffer = await sharp(resolve('public/samples/chelsea.png')).jpeg({ quality: 92 }).withMetadata({ orientation: 6 }).toBuffer();
  return { name: `${CAT.stem}.jpg`, mimeType: 'image/jpeg', buffer };
}

async function pickClass(page: Page, cls: number): Promise<void> {
  await page.getByTestId(`class-${cls}`).click();
  await page.getByTestId('cmd-tool-brush').click();
}

async function downloadOf(page: Page, commandId: string): Promise<{ name: string; bytes: Uint8Array }> {
  await page.getByTestId('export-menu').click();
  const download = page.waitForEvent('download');
  await page.getByTestId(`cmd-${commandId}`).click();
  const d = await download;
  return { name: d.suggestedFilename(), bytes: new Uint8Array(readFileSync(await d.path())) };
}

/** Class indices of a palette PNG, and its size. */
function classPng(bytes: Uint8Array): { width: number; height: number; classes: Uint8Array; palette?: number[][] } {
  const png = decode(bytes);
  expect(png.channels).toBe(1);
  return { width: png.width, height: png.height, classes: Uint8Array.from(png.data), palette: png.palette as number[][] | undefined };
}

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

test.beforeEach(async ({ page }) => {
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`[console] ${m.text()}`);
  });
});

test('exports every format for the whole set: original sizes, EXIF as displayed, formats agreeing with the VOC PNGs', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles([
    { name: 'astronaut.png', mimeType: 'image/png', buffer: readFileSync(resolve('public/samples/astronaut.png')) },
    await rotatedCat(),
  ]);
  await expect(page.getByTestId('photo-item')).toHaveCount(2);
  await expect(page.getByTestId('photo-item').filter({ hasText: 'chelsea-rotated.jpg' })).toContainText('300×451');

  // Astronaut: person (15) on the suit, background (0) on the wall.
  await page.getByTestId('photo-item').filter({ hasText: 'astronaut.png' }).click();
  await expect(page.getByTestId('sp-count')).toContainText(/\d{3}/);
  await pickClass(page, 15);
  await paint(page, [[0.45, 0.55], [0.5, 0.75], [0.4, 0.9]]);
  await pickClass(page, 0);
  await paint(page, [[0.05, 0.1], [0.1, 0.5], [0.05, 0.9]]);
  // The cat (8), shown upright: its face is in the upper middle, background at the bottom corners.
  await page.getByTestId('photo-item').filter({ hasText: 'chelsea-rotated.jpg' }).click();
  await expect(page.getByTestId('sp-count')).toContainText(/\d{3}/);
  const aspect = CAT.width / CAT.height;
  await pickClass(page, 8);
  await paint(page, [[0.5, 0.35], [0.45, 0.5], [0.55, 0.6]], aspect);
  await pickClass(page, 0);
  await paint(page, [[0.05, 0.95], [0.3, 0.97], [0.95, 0.95]], aspect);
  await expect(page.getByTestId('training-status')).toHaveText('up to date');

  const photos = [ASTRONAUT, CAT];
  // VOC / CVAT Segmentation mask 1.1.
  const voc = await downloadOf(page, 'export-voc');
  expect(voc.name).toBe('astronaut-voc.zip');
  const vocFiles = unzipSync(voc.bytes);
  expect(Object.keys(vocFiles).sort()).toEqual(['ImageSets/Segmentation/default.txt', 'SegmentationClass/astronaut.png', `SegmentationClass/${CAT.stem}.png`, 'labelmap.txt']);
  expect(strFromU8(vocFiles['labelmap.txt']).trim().split('\n').slice(1).map((l) => l.split(':')[0])).toEqual([...VOC_CLASSES]);
  expect(strFromU8(vocFiles['ImageSets/Segmentation/default.txt'])).toBe(`astronaut\n${CAT.stem}\n`);
  const masks = new Map<string, Uint8Array>();
  for (const p of photos) {
    const png = classPng(vocFiles[`SegmentationClass/${p.stem}.png`]);
    expect([png.width, png.height]).toEqual([p.width, p.height]);
    expect(png.classes.every((c) => c < VOC_CLASSES.length)).toBe(true);
    expect(png.palette?.[15]).toEqual([...vocPalette()[15]]);
    masks.set(p.stem, png.classes);
  }
  // The strokes' classes where they were painted (the cat upright: its head above the middle).
  const astronaut = masks.get('astronaut')!;
  expect(astronaut[Math.round(0.6 * 512) * 512 + Math.round(0.48 * 512)]).toBe(15);
  expect(astronaut[20 * 512 + 20]).toBe(0);
  const cat = masks.get(CAT.stem)!;
  expect(cat[Math.round(0.45 * CAT.height) * CAT.width + Math.round(0.5 * CAT.width)]).toBe(8);
  expect(cat[(CAT.height - 5) * CAT.width + 5]).toBe(0);

  // COCO: the annotations of each photo decode to masks that together are its VOC PNG.
  const coco = await downloadOf(page, 'export-coco');
  expect(coco.name).toBe('astronaut-coco.zip');
  const json = JSON.parse(strFromU8(unzipSync(coco.bytes)['annotations.json'])) as CocoJson;
  expect(json.images.map((i) => [i.file_name, i.width, i.height])).toEqual([['astronaut.png', 512, 512], [`${CAT.stem}.jpg`, CAT.width, CAT.height]]);
  json.images.forEach((image, k) => {
    const rebuilt = new Uint8Array(image.width * image.height);
    for (const a of json.annotations.filter((a) => a.image_id === image.id)) {
      expect(a.segmentation.size).toEqual([image.height, image.width]);
      decodeRle(a.segmentation).forEach((v, i) => v && (rebuilt[i] = a.category_id));
    }
    expect(same(rebuilt, masks.get(photos[k].stem)!)).toBe(true);
  });

  // YOLO: every class's polygons rasterize back to the VOC PNG's pixels.
  const yolo = unzipSync((await downloadOf(page, 'export-yolo')).bytes);
  expect(strFromU8(yolo['classes.txt']).split('\n').slice(0, 21)).toEqual([...VOC_CLASSES]);
  for (const p of photos) {
    const back = yoloToClassMap(strFromU8(yolo[`labels/${p.stem}.txt`]), p.width, p.height);
    const mask = masks.get(p.stem)!;
    for (const c of new Set([...mask, ...back])) if (c !== 0) expect(iou(back, mask, c), `class ${c} of ${p.stem}`).toBeGreaterThanOrEqual(0.99);
  }

  // Per-class: binary PNGs, one per class present, together the VOC PNG.
  const perClass = unzipSync((await downloadOf(page, 'export-per-class')).bytes);
  for (const p of photos) {
    const mask = masks.get(p.stem)!;
    const present = [...new Set(mask)].sort((a, b) => a - b);
    expect(Object.keys(perClass).filter((f) => f.startsWith(`${p.stem}/`)).sort()).toEqual(present.map((c) => `${p.stem}/${VOC_CLASSES[c]}.png`).sort());
    const rebuilt = new Uint8Array(mask.length).fill(255);
    for (const c of present) {
      const png = classPng(perClass[`${p.stem}/${VOC_CLASSES[c]}.png`]);
      expect([png.width, png.height]).toEqual([p.width, p.height]);
      expect(png.classes.every((v) => v === 0 || v === 255)).toBe(true);
      png.classes.forEach((v, i) => v && (rebuilt[i] = c));
    }
    expect(same(rebuilt, mask)).toBe(true);
  }

  // Overlays: the photos at their displayed size, person pixels tinted towards the VOC person colour.
  const overlays = unzipSync((await downloadOf(page, 'export-overlay')).bytes);
  for (const p of photos) {
    const png = decode(overlays[`overlay/${p.stem}.png`]);
    expect([png.width, png.height, png.channels]).toEqual([p.width, p.height, 3]);
  }
  // A person pixel of the astronaut: the photo mixed with VOC person (192,128,128) at the default opacity 0.55.
  const photo = decode(readFileSync(resolve('public/samples/astronaut.png')));
  const overlay = decode(overlays['overlay/astronaut.png']);
  const at = Math.round(0.6 * 512) * 512 + Math.round(0.48 * 512);
  for (let k = 0; k < 3; k++) expect(Math.abs(overlay.data[at * 3 + k] - (photo.data[at * photo.channels + k] * 0.45 + vocPalette()[15][k] * 0.55))).toBeLessThanOrEqual(1);

  // One photo: the VOC PNG alone.
  await page.getByTestId('photo-item').filter({ hasText: 'astronaut.png' }).click();
  const single = await downloadOf(page, 'export-voc-photo');
  expect(single.name).toBe('astronaut-mask.png');
  expect(same(classPng(single.bytes).classes, astronaut)).toBe(true);

  // The trained head, read by the CLI: it labels the astronaut close to what the studio shows.
  const head = await downloadOf(page, 'export-head');
  expect(head.name).toBe('zoomout-head-voc.json');
  const tmp = mkdtempSync(join(tmpdir(), 'export-e2e-'));
  try {
    writeFileSync(join(tmp, 'head.json'), head.bytes);
    execFileSync('npx', ['tsx', 'src/cli/main.ts', 'export', 'public/samples/astronaut.png', '--head', join(tmp, 'head.json'), '--format', 'voc', '--out', tmp], { stdio: 'inherit', timeout: 120_000 });
    const cli = classPng(readFileSync(join(tmp, 'SegmentationClass', 'astronaut.png')));
    expect([cli.width, cli.height]).toEqual([512, 512]);
    const agree = cli.classes.reduce((n, c, i) => n + (c === astronaut[i] ? 1 : 0), 0) / astronaut.length;
    console.log(`cli export --head with the studio's head agrees with the studio on ${(agree * 100).toFixed(1)}% of the astronaut's pixels`);
    expect(agree).toBeGreaterThan(0.8);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('with nothing labelled the export items are disabled', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('export-menu').click();
  for (const id of ['export-voc', 'export-coco', 'export-yolo', 'export-per-class', 'export-overlay', 'export-voc-photo', 'export-head']) {
    await expect(page.getByTestId(`cmd-${id}`)).toBeDisabled();
  }
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('cmd-export-voc')).toHaveCount(0);
});
