// `train` on three coco-mini photos' VOC masks, then `export` of a fourth, unseen photo in every format: the files
// the studio's export menu writes (core/exportLayout.ts), at the photo's size, each format decoding to the same
// class map.
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CocoJson } from '../../core/cocoExport.ts';
import { decodeRle } from '../../core/cocoRle.ts';
import { vocPalette, VOC_CLASSES } from '../../core/labelSets.ts';
import { decodeIndexPng } from '../../core/pngCodec.ts';
import { ConfusionMatrix } from '../../core/segmentationScore.ts';
import { sharedDataPath } from '../../core/testData.ts';
import { yoloToClassMap } from '../../core/yoloPolygons.ts';
import { parseArgs, type CliCommand } from '../command.ts';
import { exportCommand } from './export.ts';
import { trainCommand } from './train.ts';

const dir = sharedDataPath('coco-mini');
const image = (stem: string) => join(dir, 'images', `${stem}.jpg`);
const masks = join(dir, 'voc_masks');
// People in all three (with dining tables, a sofa, bottles, cars…); the unseen photo has a person.
const TRAIN = ['000000151938', '000000109313', '000000160012'];
const UNSEEN = '000000153797';
let tmp: string;
let head: string;

const run = (cmd: CliCommand, argv: string[]) => cmd.run(parseArgs(argv, cmd.options));

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'train-export-'));
  head = join(tmp, 'head.json');
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

async function files(root: string): Promise<string[]> {
  return (await readdir(root, { recursive: true, withFileTypes: true })).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name).slice(root.length + 1)).sort();
}

/** Byte-equal class maps (toEqual walks large typed arrays slowly). */
const expectSame = (a: Uint8Array, b: Uint8Array) => expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);

/** Per-class IoU of two class maps over the classes either has (1 when both lack a class). */
function classIoUs(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let c = 0; c < 256; c++) {
    let inter = 0;
    let union = 0;
    for (let i = 0; i < a.length; i++) {
      const x = a[i] === c;
      const y = b[i] === c;
      if (x && y) inter++;
      if (x || y) union++;
    }
    if (union > 0) out.push(inter / union);
  }
  return out;
}

describe('train and export commands', () => {
  it('trains one head across three photos from their VOC masks', async () => {
    expect(await run(trainCommand, [...TRAIN.map(image), '--masks', masks, '--out', head])).toBe(0);
    const saved = JSON.parse(await readFile(head, 'utf8'));
    expect(saved).toMatchObject({ format: 'zoomout-head', labelSet: 'voc', classes: 21 });
    expect(saved.labelClasses.map((c: { name: string }) => c.name)).toEqual([...VOC_CLASSES]);
  });

  it('exports an unseen photo as VOC, per-class, COCO, YOLO and an overlay, all at its size and decoding to the same classes', async () => {
    const truth = decodeIndexPng(await readFile(join(masks, `${UNSEEN}.png`)));
    const out = (format: string) => join(tmp, format);
    for (const format of ['voc', 'per-class', 'coco', 'yolo', 'overlay']) {
      expect(await run(exportCommand, [image(UNSEEN), '--head', head, '--format', format, '--out', out(format)])).toBe(0);
    }

    // VOC: the CVAT "Segmentation mask 1.1" layout, a palette PNG the photo's size.
    expect(await files(out('voc'))).toEqual(['ImageSets/Segmentation/default.txt', `SegmentationClass/${UNSEEN}.png`, 'labelmap.txt']);
    expect(await readFile(join(out('voc'), 'ImageSets/Segmentation/default.txt'), 'utf8')).toBe(`${UNSEEN}\n`);
    const labelmap = (await readFile(join(out('voc'), 'labelmap.txt'), 'utf8')).trim().split('\n');
    expect(labelmap.slice(1).map((l) => l.split(':')[0])).toEqual([...VOC_CLASSES]);
    const vocBytes = await readFile(join(out('voc'), `SegmentationClass/${UNSEEN}.png`));
    const voc = decodeIndexPng(vocBytes);
    expect([voc.width, voc.height]).toEqual([truth.width, truth.height]);
    expect(decode(vocBytes).palette?.[15]).toEqual([...vocPalette()[15]]);
    const classes = Uint8Array.from(voc.values);
    expect(classes.every((v) => v < 21)).toBe(true);
    const miou = new ConfusionMatrix(21).add(truth.values, classes).meanIoU();
    console.log(`mIoU of the head trained on ${TRAIN.length} photos on unseen ${UNSEEN}: ${miou.toFixed(3)} (classes predicted: ${[...new Set(classes)].sort((a, b) => a - b).join(', ')})`);
    expect(miou).toBeGreaterThan(0.5);
    expect(classes.includes(15)).toBe(true);

    // Per-class: binary masks that together are the VOC PNG.
    const perClass = await files(out('per-class'));
    const rebuilt = new Uint8Array(classes.length).fill(255);
    for (const f of perClass) {
      const [stem, file] = f.split('/');
      expect(stem).toBe(UNSEEN);
      const c = VOC_CLASSES.indexOf(file.replace(/\.png$/, '') as (typeof VOC_CLASSES)[number]);
      expect(c).toBeGreaterThanOrEqual(0);
      const m = decodeIndexPng(await readFile(join(out('per-class'), f)));
      expect([m.width, m.height]).toEqual([voc.width, voc.height]);
      expect(m.values.every((v) => v === 0 || v === 255)).toBe(true);
      m.values.forEach((v, i) => v && (rebuilt[i] = c));
    }
    expectSame(rebuilt, classes);

    // COCO: one annotation per class but background; decoded, the masks are the VOC PNG's classes.
    const coco = JSON.parse(await readFile(join(out('coco'), 'annotations.json'), 'utf8')) as CocoJson;
    expect(coco.images).toEqual([{ id: 1, file_name: `${UNSEEN}.jpg`, width: voc.width, height: voc.height }]);
    const fromCoco = new Uint8Array(classes.length);
    for (const a of coco.annotations) decodeRle(a.segmentation).forEach((v, i) => v && (fromCoco[i] = a.category_id));
    expectSame(fromCoco, classes);

    // YOLO: the polygons rasterize back to the VOC PNG's classes.
    expect(await files(out('yolo'))).toEqual(['classes.txt', `labels/${UNSEEN}.txt`]);
    const yolo = yoloToClassMap(await readFile(join(out('yolo'), 'labels', `${UNSEEN}.txt`), 'utf8'), voc.width, voc.height);
    for (const iou of classIoUs(yolo, classes)) expect(iou).toBeGreaterThanOrEqual(0.99);

    // Overlay: the photo, its size, RGB.
    const overlay = decode(await readFile(join(out('overlay'), 'overlay', `${UNSEEN}.png`)));
    expect([overlay.width, overlay.height, overlay.channels]).toEqual([voc.width, voc.height, 3]);
  });

  it('--mode pixel trains the stride-4 grid head (thesis §3.5); export reads its mode from the file', async () => {
    const pixelHead = join(tmp, 'pixel-head.json');
    expect(await run(trainCommand, [...TRAIN.map(image), '--masks', masks, '--out', pixelHead, '--mode', 'pixel'])).toBe(0);
    expect(JSON.parse(await readFile(pixelHead, 'utf8'))).toMatchObject({ format: 'zoomout-head', mode: 'pixel', classes: 21 });
    const out = join(tmp, 'pixel-voc');
    expect(await run(exportCommand, [image(UNSEEN), '--head', pixelHead, '--format', 'voc', '--out', out])).toBe(0);
    const [written] = (await files(out)).filter((f) => f.startsWith('SegmentationClass/'));
    const png = decodeIndexPng(await readFile(join(out, written)));
    const truth = decodeIndexPng(await readFile(join(masks, `${UNSEEN}.png`)));
    expect([png.width, png.height]).toEqual([truth.width, truth.height]);
    // The unseen photo's person is found by a head that saw people on three other photos.
    const iou = new ConfusionMatrix(21).add(truth.values, png.values).perClassIoU();
    expect(iou[VOC_CLASSES.indexOf('person')]).toBeGreaterThan(0.3);
    await expect(run(trainCommand, [image(UNSEEN), '--masks', masks, '--out', pixelHead, '--mode', 'pixels'])).rejects.toThrow(/--mode must be superpixel or pixel/);
  }, 300_000);

  it('--finetune trains the backbone’s top block under the pixel head; export loads it, checked by its hash', async () => {
    const tuned = join(tmp, 'tuned.json');
    expect(await run(trainCommand, [...TRAIN.map(image), '--masks', masks, '--out', tuned, '--mode', 'pixel', '--finetune', 'top', '--steps', '2'])).toBe(0);
    const saved = JSON.parse(await readFile(tuned, 'utf8')) as { backbone: { finetune: string; weights: string; specs: unknown[] } };
    expect(saved.backbone).toMatchObject({ finetune: 'top', weights: 'tuned.backbone.bin' });
    // The top block's 42 variables (docs/finetune.md), float32.
    expect(saved.backbone.specs).toHaveLength(42);
    expect((await readFile(join(tmp, 'tuned.backbone.bin'))).length).toBe(263_860 * 4);
    const out = join(tmp, 'tuned-voc');
    expect(await run(exportCommand, [image(UNSEEN), '--head', tuned, '--format', 'voc', '--out', out])).toBe(0);
    const [written] = (await files(out)).filter((f) => f.startsWith('SegmentationClass/'));
    const png = decodeIndexPng(await readFile(join(out, written)));
    const truth = decodeIndexPng(await readFile(join(masks, `${UNSEEN}.png`)));
    expect(new ConfusionMatrix(21).add(truth.values, png.values).perClassIoU()[VOC_CLASSES.indexOf('person')]).toBeGreaterThan(0.3);
    // A changed weights file is refused, not used.
    const bytes = await readFile(join(tmp, 'tuned.backbone.bin'));
    bytes[0] ^= 1;
    await writeFile(join(tmp, 'tuned.backbone.bin'), bytes);
    await expect(run(exportCommand, [image(UNSEEN), '--head', tuned, '--format', 'voc', '--out', out])).rejects.toThrow(/sha256 differs/);
    await expect(run(trainCommand, [image(UNSEEN), '--masks', masks, '--out', tuned, '--finetune', 'top'])).rejects.toThrow(/--mode pixel/);
  }, 300_000);

  it('refuses masks of the wrong size, a missing mask, and an unknown format', async () => {
    const small = join(tmp, 'masks');
    await rm(small, { recursive: true, force: true });
    await mkdir(small);
    await writeFile(join(small, `${TRAIN[0]}.png`), await readFile(join(masks, `${TRAIN[1]}.png`)));
    expect(await run(trainCommand, [image(TRAIN[0]), image(TRAIN[2]), '--masks', small, '--out', join(tmp, 'bad.json')])).toBe(1);
    await expect(readFile(join(tmp, 'bad.json'))).rejects.toThrow();
    await expect(run(exportCommand, [image(UNSEEN), '--head', head, '--format', 'tiff', '--out', tmp])).rejects.toThrow(/--format/);
  });
});
