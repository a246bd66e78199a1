// The `segment` command on a real coco-mini photo, scribbles drawn from its ground truth.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clicksToScribbles, simulateClicks } from '../../core/clickProtocol.ts';
import { decodeIndexPng } from '../../core/pngCodec.ts';
import { ConfusionMatrix } from '../../core/segmentationScore.ts';
import { sharedDataPath } from '../../core/testData.ts';
import { parseArgs } from '../command.ts';
import { segmentCommand } from './segment.ts';

const dir = sharedDataPath('coco-mini');
const stem = '000000000139';
const photo = join(dir, 'images', `${stem}.jpg`);
let tmp: string;
let gt: ReturnType<typeof decodeIndexPng>;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'segment-'));
  gt = decodeIndexPng(await readFile(join(dir, 'voc_masks', `${stem}.png`)));
  const scribbles = clicksToScribbles(simulateClicks(gt.values, gt.width, gt.height, 5, 3), gt.width, gt.height);
  await writeFile(join(tmp, `${stem}.png`), encode({ width: gt.width, height: gt.height, data: scribbles, depth: 8, channels: 1 }));
  await writeFile(join(tmp, 'small.png'), encode({ width: 2, height: 2, data: new Uint8Array(4), depth: 8, channels: 1 }));
});

afterAll(() => rm(tmp, { recursive: true, force: true }));

const run = (argv: string[]) => segmentCommand.run(parseArgs(argv, segmentCommand.options));

describe('segment command', () => {
  it('writes a VOC class-index PNG the size of the photo, close to the ground truth, and a reusable head', async () => {
    const out = join(tmp, 'out');
    const head = join(tmp, 'head.json');
    expect(await run([photo, '--scribbles', tmp, '--out', out, '--save-head', head])).toBe(0);
    const png = decodeIndexPng(await readFile(join(out, `${stem}.png`)));
    expect([png.width, png.height]).toEqual([gt.width, gt.height]);
    expect(png.values.every((v) => v < 21)).toBe(true);
    const miou = new ConfusionMatrix(21).add(gt.values, png.values).meanIoU();
    expect(miou).toBeGreaterThan(0.25);

    const again = join(tmp, 'again');
    expect(await run([photo, '--head', head, '--out', again])).toBe(0);
    expect(new ConfusionMatrix(21).add(gt.values, decodeIndexPng(await readFile(join(again, `${stem}.png`))).values).meanIoU()).toBeGreaterThan(0.2);
  });

  it('--auto segments with no scribbles from points sampled on the detector maps (thesis ch. 4), scribbles still win', async () => {
    const out = join(tmp, 'auto');
    expect(await run([photo, '--auto', '--out', out])).toBe(0);
    const auto = decodeIndexPng(await readFile(join(out, `${stem}.png`)));
    expect([auto.width, auto.height]).toEqual([gt.width, gt.height]);
    // A person is detected in this photo: it is labelled person somewhere, and background elsewhere.
    expect(auto.values.some((v) => v === 15)).toBe(true);
    expect(auto.values.some((v) => v === 0)).toBe(true);
    const zeroClick = new ConfusionMatrix(21).add(gt.values, auto.values).meanIoU();
    expect(zeroClick).toBeGreaterThan(0.1);

    const both = join(tmp, 'auto-scribbles');
    expect(await run([photo, '--auto', '--scribbles', tmp, '--out', both, '--strategy', 'top-k', '--k', '5'])).toBe(0);
    const withClicks = decodeIndexPng(await readFile(join(both, `${stem}.png`)));
    const scribbles = decodeIndexPng(await readFile(join(tmp, `${stem}.png`))).values;
    // Every scribbled pixel's superpixel takes the scribble's class, so most scribbled pixels keep it.
    let kept = 0;
    let scribbled = 0;
    scribbles.forEach((c, i) => {
      if (c === 255) return;
      scribbled++;
      if (withClicks.values[i] === c) kept++;
    });
    expect(kept / scribbled).toBeGreaterThan(0.9);
    await expect(run([photo, '--auto', '--out', both, '--strategy', 'random'])).rejects.toThrow(/--strategy/);
  });

  it('--auto --tags samples from localization nets trained on the inputs\' tags (thesis §4.3.1), and refuses bad tags', async () => {
    const others = ['000000034417', '000000128598'].map((s) => join(dir, 'images', `${s}.jpg`));
    const tagsFile = join(tmp, 'tags.json');
    await writeFile(tagsFile, JSON.stringify({ [stem]: ['person'], '000000034417': ['person'], '000000128598': [] }));
    const out = join(tmp, 'tags');
    expect(await run([photo, ...others, '--auto', '--tags', tagsFile, '--out', out])).toBe(0);
    const tagged = decodeIndexPng(await readFile(join(out, `${stem}.png`))).values;
    expect([...new Set(tagged)].sort((a, b) => a - b)).toEqual([0, 15]);
    // The photo tagged with nothing is all background: only tagged classes may be present.
    expect(decodeIndexPng(await readFile(join(out, '000000128598.png'))).values.every((v) => v === 0)).toBe(true);

    await writeFile(tagsFile, JSON.stringify({ [stem]: ['unicorn'] }));
    await expect(run([photo, '--auto', '--tags', tagsFile, '--out', out])).rejects.toThrow(/'unicorn' is not a voc class/);
    await writeFile(tagsFile, JSON.stringify({ [stem]: ['person'] }));
    await expect(run([photo, ...others, '--auto', '--tags', tagsFile, '--out', out])).rejects.toThrow(/no tags for 000000034417, 000000128598/);
    await expect(run([photo, '--tags', tagsFile, '--out', out])).rejects.toThrow(/--tags needs --auto/);
  }, 300_000);

  it('--crf refines the painted superpixels per pixel with the dense CRF (§2.1.2); scribbled superpixels keep their class', async () => {
    const plain = join(tmp, 'plain');
    const refined = join(tmp, 'crf');
    expect(await run([photo, '--scribbles', tmp, '--out', plain])).toBe(0);
    expect(await run([photo, '--scribbles', tmp, '--out', refined, '--crf'])).toBe(0);
    const before = decodeIndexPng(await readFile(join(plain, `${stem}.png`))).values;
    const after = decodeIndexPng(await readFile(join(refined, `${stem}.png`))).values;
    expect(after.length).toBe(gt.values.length);
    expect(after.every((v) => v < 21)).toBe(true);
    const scribbles = decodeIndexPng(await readFile(join(tmp, `${stem}.png`))).values;
    // Stroked superpixels keep the majority class of their strokes, with or without the CRF.
    scribbles.forEach((c, i) => c !== 255 && expect(after[i]).toBe(before[i]));
    const changed = after.filter((v, i) => v !== before[i]).length;
    expect(changed).toBeGreaterThan(0);
    expect(new ConfusionMatrix(21).add(gt.values, after).meanIoU()).toBeGreaterThan(0.25);
  });

  it('--mode pixel learns the stride-4 grid from the scribbles (thesis §3.5): scribbled pixels keep their class, a pixel head needs --mode pixel', async () => {
    const out = join(tmp, 'pixel');
    const head = join(tmp, 'pixel-head.json');
    expect(await run([photo, '--scribbles', tmp, '--out', out, '--mode', 'pixel', '--save-head', head])).toBe(0);
    const png = decodeIndexPng(await readFile(join(out, `${stem}.png`)));
    expect([png.width, png.height]).toEqual([gt.width, gt.height]);
    const scribbles = decodeIndexPng(await readFile(join(tmp, `${stem}.png`))).values;
    scribbles.forEach((c, i) => c !== 255 && expect(png.values[i]).toBe(c));
    expect(new ConfusionMatrix(21).add(gt.values, png.values).meanIoU()).toBeGreaterThan(0.25);
    // A per-input failure ("the head was trained in pixel mode; use it with --mode pixel"), as a bad input is.
    expect(await run([photo, '--head', head, '--out', out])).toBe(1);
    expect(await run([photo, '--head', head, '--out', join(tmp, 'pixel-again'), '--mode', 'pixel'])).toBe(0);
    await expect(run([photo, '--scribbles', tmp, '--crf', '--out', out, '--mode', 'pixel'])).rejects.toThrow(/--crf refines superpixel labels/);
  }, 300_000);

  it('--mode pixel --flip --scales labels with the mirrored photo and other input sizes too (§3.5.1); scribbles still win', async () => {
    const plain = join(tmp, 'pixel-one-view');
    expect(await run([photo, '--scribbles', tmp, '--out', plain, '--mode', 'pixel'])).toBe(0);
    const out = join(tmp, 'pixel-views');
    expect(await run([photo, '--scribbles', tmp, '--out', out, '--mode', 'pixel', '--flip', '--scales', '0.75,1'])).toBe(0);
    const once = decodeIndexPng(await readFile(join(plain, `${stem}.png`))).values;
    const views = decodeIndexPng(await readFile(join(out, `${stem}.png`))).values;
    // The same head (trained on the upright pass, seeded): the averaged views move some pixels, not most.
    let moved = 0;
    for (let i = 0; i < once.length; i++) if (once[i] !== views[i]) moved++;
    expect(moved).toBeGreaterThan(0);
    expect(moved / once.length).toBeLessThan(0.25);
    expect(new ConfusionMatrix(21).add(gt.values, views).meanIoU()).toBeGreaterThan(0.25);
    const scribbles = decodeIndexPng(await readFile(join(tmp, `${stem}.png`))).values;
    scribbles.forEach((c, i) => c !== 255 && expect(views[i]).toBe(c));
    await expect(run([photo, '--scribbles', tmp, '--out', out, '--flip'])).rejects.toThrow(/add --mode pixel/);
    await expect(run([photo, '--scribbles', tmp, '--out', out, '--mode', 'pixel', '--scales', '1,0'])).rejects.toThrow(/--scales takes positive factors/);
  }, 300_000);

  it('--auto --mode pixel learns the grid from the sampled points, with the scribbles over them', async () => {
    const out = join(tmp, 'pixel-auto');
    expect(await run([photo, '--auto', '--out', out, '--mode', 'pixel'])).toBe(0);
    const auto = decodeIndexPng(await readFile(join(out, `${stem}.png`))).values;
    expect(auto.some((v) => v === 15) && auto.some((v) => v === 0)).toBe(true);
    const zeroClick = new ConfusionMatrix(21).add(gt.values, auto).meanIoU();
    console.log(`zero-click mIoU in pixel mode on ${stem}: ${(zeroClick * 100).toFixed(1)}`);
    expect(zeroClick).toBeGreaterThan(0.1);
    const both = join(tmp, 'pixel-auto-scribbles');
    expect(await run([photo, '--auto', '--scribbles', tmp, '--out', both, '--mode', 'pixel'])).toBe(0);
    const withClicks = decodeIndexPng(await readFile(join(both, `${stem}.png`))).values;
    const scribbles = decodeIndexPng(await readFile(join(tmp, `${stem}.png`))).values;
    scribbles.forEach((c, i) => c !== 255 && expect(withClicks[i]).toBe(c));
  }, 300_000);

  it('reports a per-file error for scribbles of the wrong size and bad levels', async () => {
    const small = join(tmp, 'small.jpg');
    await writeFile(small, await readFile(photo));
    expect(await run([small, '--scribbles', tmp, '--out', join(tmp, 'bad')])).toBe(1);
    await expect(run([photo, '--scribbles', tmp, '--out', tmp, '--levels', 'L9'])).rejects.toThrow(/unknown level/);
  });
});
