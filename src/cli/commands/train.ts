// `train`: one zoom-out head (thesis ch. 3) trained, fully supervised, on class-index masks of several photos — each
// mask a soft label source (core/labelSources.ts: maskSource) of its photo, one head across all of them by the one
// engine (ml/segmentationEngine.ts) — saved as the JSON `segment --head` and `export --head` read.
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { RgbaImage } from '../../core/types.ts';
import type { TrainedHead } from '../../ml/classifierHead.ts';
import type { FinetunedBackboneFile } from '../../ml/headIO.ts';
import type { Finetune, TrainableBackbone } from '../../ml/trainableBackbone.ts';
import type { EnginePhoto } from '../../ml/segmentationEngine.ts';
import { forEachInput, numberFlag, requireFlag, type CliCommand, type ParsedArgs } from '../command.ts';
import type { PixelPhoto } from '../../ml/pixelHead.ts';
import { parseLevels, presetLabelSet } from './labelOptions.ts';
import { parseMode, pixelSourcesFor } from './pixelMode.ts';

async function run(args: ParsedArgs): Promise<number> {
  const maskDir = requireFlag(args, 'masks');
  const outFile = requireFlag(args, 'out');
  const mode = parseMode(args.flags.get('mode'));
  // tfjs loads with these, so only once the command runs.
  const [{ FINETUNE }, { FINETUNE_DEFAULTS }] = await Promise.all([import('../../ml/trainableBackbone.ts'), import('../../ml/finetune.ts')]);
  const finetune = (args.flags.get('finetune') ?? 'none') as Finetune;
  if (!FINETUNE.includes(finetune)) throw new Error(`--finetune must be one of ${FINETUNE.join(', ')}, got '${finetune}'`);
  if (finetune !== 'none' && mode !== 'pixel') throw new Error('--finetune trains the backbone under the pixel head: add --mode pixel');
  const steps = numberFlag(args, 'steps', FINETUNE_DEFAULTS.steps);
  const [{ ALL_LEVELS }, { selectBackend }, { loadBackboneFromDisk }, { decodeIndexPng }, { readImageRgba, writeFileMkdir }, engine, { maskSource }, { paintSuperpixels }, headIO, { ConfusionMatrix }] =
    await Promise.all([
      import('../../ml/zoomoutFeatures.ts'),
      import('../../ml/backend.ts'),
      import('../../ml/loadFromDisk.ts'),
      import('../../core/pngCodec.ts'),
      import('../../ml/nodeImage.ts'),
      import('../../ml/segmentationEngine.ts'),
      import('../../core/labelSources.ts'),
      import('../../core/scribbles.ts'),
      import('../../ml/headIO.ts'),
      import('../../core/segmentationScore.ts'),
    ]);
  const [{ gridLabels }, { disposePixelSources }, { labelPixels, trainPixelHead }] = await Promise.all([
    import('../../core/pixelGrid.ts'),
    import('../../ml/pixelFeatures.ts'),
    import('../../ml/pixelHead.ts'),
  ]);
  const levels = parseLevels(args.flags.get('levels'), ALL_LEVELS);
  await selectBackend((args.flags.get('backend') ?? 'wasm') as 'wasm');
  const backbone = await loadBackboneFromDisk();
  const photos: EnginePhoto[] = [];
  const pixelPhotos: (PixelPhoto & { id: string; image: RgbaImage })[] = [];
  const masks = new Map<string, ArrayLike<number>>();
  /** Thesis §3.5: the head and the chosen blocks trained end to end on the masks (ml/finetune.ts). */
  const finetuneBackbone = async (head: TrainedHead): Promise<TrainableBackbone> => {
    const [{ finetunePixelModel, photoDetections }, { loadTrainableBackboneFromDisk }] = await Promise.all([import('../../ml/finetune.ts'), import('../../ml/loadFromDisk.ts')]);
    const longSide = engine.SEGMENT_DEFAULTS.features.longSide ?? 512;
    const photos = [];
    for (const p of pixelPhotos) {
      photos.push({ image: p.image, labels: Int32Array.from(masks.get(p.id)!, (v) => (v === 255 ? -1 : v)), detections: await photoDetections(backbone, p.image, longSide) });
    }
    const trainable = await loadTrainableBackboneFromDisk(finetune);
    try {
      await finetunePixelModel(trainable, head, photos, {
        steps,
        longSide,
        onStep: ({ step, loss, ms }) => (step === 1 || step % 10 === 0 || step === steps) && console.log(`fine-tuning step ${step}/${steps}: loss ${loss.toFixed(3)}, ${ms.toFixed(0)} ms`),
      });
    } catch (err) {
      trainable.dispose();
      throw err;
    }
    return trainable;
  };
  /** The fine-tuned weights beside the head file (HEAD.json → HEAD.backbone.bin), named and hashed in it. */
  const saveBackbone = async (trainable: TrainableBackbone): Promise<FinetunedBackboneFile> => {
    const { data, specs } = await trainable.encodeWeights(finetune);
    const weights = `${basename(outFile, extname(outFile))}.backbone.bin`;
    await writeFileMkdir(join(dirname(outFile), weights), new Uint8Array(data));
    const { sha256Hex } = await import('../../ml/modelRegistry.ts');
    return { finetune, weights, sha256: await sha256Hex(data), specs };
  };
  try {
    const labelSet = await presetLabelSet(args.flags.get('classes') ?? 'voc', () => backbone.manifest.heatmaps.classes);
    const classes = labelSet.classes.length;
    const settings = { ...engine.SEGMENT_DEFAULTS, train: { ...engine.SEGMENT_DEFAULTS.train, ...(levels ? { levels } : {}) } };
    // Every photo's superpixels, features and mask first; one bad input stops the training (a head trained on
    // part of what was asked for would pass unnoticed).
    const read = await forEachInput(args.inputs, async (input) => {
      const image = await readImageRgba(input);
      const maskFile = join(maskDir, `${basename(input, extname(input))}.png`);
      let bytes: Uint8Array;
      try {
        bytes = await readFile(maskFile);
      } catch {
        throw new Error(`no mask ${maskFile}`);
      }
      const png = decodeIndexPng(bytes);
      if (png.width !== image.width || png.height !== image.height) throw new Error(`the mask is ${png.width}×${png.height}, the image ${image.width}×${image.height}`);
      for (const v of png.values) if (v !== 255 && v >= classes) throw new Error(`mask value ${v} is not a ${labelSet.id} class index (0..${classes - 1}) or 255`);
      masks.set(input, png.values);
      if (mode === 'pixel') {
        const sources = await pixelSourcesFor(backbone, image, settings);
        pixelPhotos.push({ id: input, sources, labels: gridLabels(png.values, image.width, image.height, sources.grid), image });
        return;
      }
      const photo = await engine.superpixelFeatures(backbone, image, settings);
      photos.push({ id: input, photo, sources: [maskSource(photo.map, png.values)] });
    });
    if (read !== 0) {
      if (args.inputs.length > 0) console.error('nothing trained');
      return read;
    }
    if (mode === 'pixel') {
      const t0 = performance.now();
      const trained = await trainPixelHead(pixelPhotos, classes, settings.train);
      const finetuned = finetune === 'none' ? undefined : await finetuneBackbone(trained);
      const seconds = (performance.now() - t0) / 1000;
      const fit = new ConfusionMatrix(classes);
      try {
        const json = { ...(await headIO.saveHead(trained, labelSet.id, 'pixel')), labelClasses: labelSet.classes, ...(finetuned ? { backbone: await saveBackbone(finetuned) } : {}) };
        await writeFileMkdir(outFile, new TextEncoder().encode(JSON.stringify(json)));
        for (const p of pixelPhotos) {
          const sources = finetuned ? await pixelSourcesFor(backbone, p.image, settings, finetuned) : p.sources;
          fit.add(masks.get(p.id)!, (await labelPixels(trained, sources, p.image.width, p.image.height)).classes);
          if (sources !== p.sources) disposePixelSources(sources);
        }
      } finally {
        trained.head.dispose();
        finetuned?.dispose();
      }
      console.log(
        `trained in pixel mode${finetuned ? `, backbone fine-tuned (${finetune}, ${steps} steps)` : ''} on ${pixelPhotos.length} photos in ${seconds.toFixed(1)} s; ` +
          `training-set mIoU ${fit.meanIoU().toFixed(3)}; head saved to ${outFile}`,
      );
      return 0;
    }
    const result = await engine.segmentPhotos(photos, { classes, settings });
    const trained = result.trained!;
    try {
      const json = { ...(await headIO.saveHead(trained, labelSet.id)), labelClasses: labelSet.classes };
      await writeFileMkdir(outFile, new TextEncoder().encode(JSON.stringify(json)));
    } finally {
      trained.head.dispose();
    }
    // How well the head fits what it was trained on (pixels, ignore left out).
    const fit = new ConfusionMatrix(classes);
    for (const [i, p] of result.photos.entries()) fit.add(masks.get(p.id)!, paintSuperpixels(photos[i].photo.map, p.classes));
    const labelled = result.photos.reduce((n, p) => n + p.labelled, 0);
    console.log(
      `trained on ${photos.length} photos (${labelled} superpixels labelled) in ${(result.timings.trainMs / 1000).toFixed(1)} s; ` +
        `training-set mIoU ${fit.meanIoU().toFixed(3)}; head saved to ${outFile}`,
    );
    return 0;
  } finally {
    for (const p of photos) p.photo.features.dispose();
    for (const p of pixelPhotos) disposePixelSources(p.sources);
    backbone.dispose();
  }
}

export const trainCommand: CliCommand = {
  name: 'train',
  summary:
    'train one zoom-out head on the class-index masks of several photos (fully supervised); --mode pixel trains the stride-4 grid head, --finetune also the backbone\'s top blocks end to end (thesis §3.5; weights saved beside the head)',
  usage: 'train IMAGE... --masks DIR --out HEAD.json [--mode superpixel|pixel] [--finetune none|top|top2|all] [--steps 40] [--classes voc|coco] [--levels L1,L2,...] [--backend wasm|cpu]',
  options: {
    mode: { type: 'string' },
    finetune: { type: 'string' },
    steps: { type: 'string' },
    masks: { type: 'string' },
    out: { type: 'string' },
    classes: { type: 'string' },
    levels: { type: 'string' },
    backend: { type: 'string' },
  },
  run,
};
