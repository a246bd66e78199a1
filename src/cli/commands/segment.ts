// `segment`: interactive zoom-out segmentation (thesis ch. 3) from scribble PNGs, one head per photo.
import { readFile } from 'node:fs/promises';
import { join, basename, extname } from 'node:path';
import { booleanFlag, forEachInput, numberFlag, outputPath, requireFlag, type CliCommand, type ParsedArgs } from '../command.ts';
import type { LocalizationNets, TaggedPhoto } from '../../ml/localizationNet.ts';
import type { FeatureLayout } from '../../ml/zoomoutFeatures.ts';
import { parseLevels } from './labelOptions.ts';
import { loadFinetunedBackbone, parseMode, parseViews, pixelSourcesFor, segmentInPixelMode } from './pixelMode.ts';
import type { SavedHead } from '../../ml/headIO.ts';
import type { PixelView } from '../../ml/pixelViews.ts';
import type { SuperpixelFeatures } from '../../ml/segmentationEngine.ts';
import type { RgbaImage } from '../../core/types.ts';

/** With several inputs each trained head gets its own file: FILE.json → FILE.<stem>.json. */
function headPath(file: string, input: string, several: boolean): string {
  if (!several) return file;
  const ext = extname(file) || '.json';
  return `${file.slice(0, file.length - extname(file).length)}.${basename(input, extname(input))}${ext}`;
}

async function run(args: ParsedArgs): Promise<number> {
  const outDir = requireFlag(args, 'out');
  const headFile = args.flags.get('head');
  const auto = booleanFlag(args, 'auto');
  const crf = booleanFlag(args, 'crf');
  const tagsFile = args.flags.get('tags');
  if (tagsFile && !auto) throw new Error('--tags needs --auto: the tags train the localization the points are sampled from');
  const scribbleDir = headFile || auto ? args.flags.get('scribbles') : requireFlag(args, 'scribbles');
  const saveFile = args.flags.get('save-head');
  const classesFlag = args.flags.get('classes') ?? 'voc';
  const mode = parseMode(args.flags.get('mode'));
  if (mode === 'pixel' && crf) throw new Error('--crf refines superpixel labels; --mode pixel labels every pixel already');
  const viewOptions = parseViews(booleanFlag(args, 'flip'), args.flags.get('scales'));
  if (viewOptions && mode !== 'pixel') throw new Error('--flip and --scales are pixel mode\'s inference views: add --mode pixel');

  const [{ ALL_LEVELS }, { selectBackend }, { loadBackboneFromDisk }, { cocoLabelSet, exportPalette, vocLabelSet }, { decodeIndexPng, encodeClassIndexPng }, { readImageRgba, writeFileMkdir }, engine, { strokeSource }, { paintSuperpixels }, headIO] =
    await Promise.all([
      import('../../ml/zoomoutFeatures.ts'),
      import('../../ml/backend.ts'),
      import('../../ml/loadFromDisk.ts'),
      import('../../core/labelSets.ts'),
      import('../../core/pngCodec.ts'),
      import('../../ml/nodeImage.ts'),
      import('../../ml/segmentationEngine.ts'),
      import('../../core/labelSources.ts'),
      import('../../core/scribbles.ts'),
      import('../../ml/headIO.ts'),
    ]);
  const { SAMPLING_DEFAULTS, suggestPoints, suggestPointsFrom } = await import('../../ml/sampledPoints.ts');
  const { tagLocalization, trainLocalizationNets } = await import('../../ml/localizationNet.ts');
  const { parseImageTags } = await import('../../core/imageTags.ts');
  const { CRF_DEFAULTS, denseCrf, useCrfWasm } = await import('../../core/denseCrf.ts');
  if (crf) useCrfWasm(await (await import('../../ml/nodeCrfWasm.ts')).loadCrfWasmFromDisk());
  const { disposePixelSources } = await import('../../ml/pixelFeatures.ts');
  const strategy = args.flags.get('strategy') ?? SAMPLING_DEFAULTS.strategy;
  if (!['diverse', 'top-k', 'spatial'].includes(strategy)) throw new Error(`--strategy must be diverse, top-k or spatial, got '${strategy}'`);
  const sampling = { ...SAMPLING_DEFAULTS, strategy: strategy as typeof SAMPLING_DEFAULTS.strategy, k: numberFlag(args, 'k', SAMPLING_DEFAULTS.k) };
  const levels = parseLevels(args.flags.get('levels'), ALL_LEVELS);
  await selectBackend((args.flags.get('backend') ?? 'wasm') as 'wasm');
  const backbone = await loadBackboneFromDisk();
  const labelSet = classesFlag === 'voc' ? vocLabelSet() : classesFlag === 'coco' ? cocoLabelSet(backbone.manifest.heatmaps.classes) : undefined;
  if (!labelSet) throw new Error(`--classes must be voc or coco, got '${classesFlag}'`);
  const savedHead: unknown = headFile ? JSON.parse(await readFile(headFile, 'utf8')) : undefined;
  const settings = { ...engine.SEGMENT_DEFAULTS, train: { ...engine.SEGMENT_DEFAULTS.train, ...(levels ? { levels } : {}) } };
  const classes = labelSet.classes.length;
  const palette = exportPalette(labelSet);
  const stem = (input: string) => basename(input, extname(input));
  const tags = tagsFile ? parseImageTags(JSON.parse(await readFile(tagsFile, 'utf8')) as unknown, labelSet) : undefined;

  // --tags: one localization net per tagged class (thesis §4.3.1), trained on every input's tags before any is
  // segmented; the features are computed again per input below rather than all held at once.
  async function tagTrainedNets(tags: Map<string, Set<number>>): Promise<LocalizationNets> {
    const untagged = args.inputs.filter((input) => !tags.has(stem(input)));
    if (untagged.length > 0) throw new Error(`${tagsFile} has no tags for ${untagged.map(stem).join(', ')} (an empty list means none of the classes)`);
    const photos: TaggedPhoto[] = [];
    try {
      let layout: FeatureLayout | undefined;
      for (const input of args.inputs) {
        const photo = await engine.superpixelFeatures(backbone, await readImageRgba(input), settings);
        photos.push({ features: photo.features, tags: tags.get(stem(input))! });
        layout = photo.layout;
      }
      return await trainLocalizationNets(photos, layout!, classes, [...new Set(photos.flatMap((p) => [...p.tags]))]);
    } finally {
      for (const p of photos) p.features.dispose();
    }
  }

  let nets: LocalizationNets | undefined;
  // --auto: points sampled from the detector's maps (thesis ch. 4) as a soft source; scribbles still win.
  // With --tags, from the tag-trained maps instead, each photo's own tags saying which classes it has.
  const suggestedPoints = async (photo: SuperpixelFeatures, input: string) =>
    nets
      ? (await suggestPointsFrom(photo, await tagLocalization(nets, photo.features, tags?.get(stem(input))), sampling)).sample
      : (await suggestPoints(photo, labelSet, backbone.manifest.heatmaps.classes, sampling)).sample;
  // Pixel mode learns from the points' superpixels painted to pixels, with the scribbles over them.
  const pointsUnderScribbles = async (image: RgbaImage, input: string, scribbles: ArrayLike<number>): Promise<ArrayLike<number>> => {
    const photo = await engine.superpixelFeatures(backbone, image, settings);
    try {
      const painted = paintSuperpixels(photo.map, (await suggestedPoints(photo, input)).source.labels);
      for (let p = 0; p < painted.length; p++) if (scribbles[p] !== 255) painted[p] = scribbles[p];
      return painted;
    } finally {
      photo.features.dispose();
    }
  };
  // A pixel head trained with --finetune carries its fine-tuned backbone.
  const finetunedFile = mode === 'pixel' ? (savedHead as SavedHead | undefined)?.backbone : undefined;
  const finetuned = finetunedFile && headFile ? await loadFinetunedBackbone(headFile, finetunedFile) : undefined;
  const { disposePixelViews, photoPixelViews } = await import('../../ml/pixelViews.ts');
  const longSide = settings.features.longSide ?? 512;
  try {
    if (finetuned && viewOptions) throw new Error('--flip and --scales are not built for a head with a fine-tuned backbone');
    if (tags) nets = await tagTrainedNets(tags);
    return await forEachInput(args.inputs, async (input) => {
      const image = await readImageRgba(input);
      let scribbles: ArrayLike<number> = new Uint8Array(image.width * image.height).fill(255);
      if (scribbleDir) {
        const png = decodeIndexPng(await readFile(join(scribbleDir, `${stem(input)}.png`)));
        if (png.width !== image.width || png.height !== image.height) {
          throw new Error(`scribbles are ${png.width}×${png.height}, the image ${image.width}×${image.height}`);
        }
        for (const v of png.values) if (v !== 255 && v >= classes) throw new Error(`scribble value ${v} is not a ${labelSet.id} class index (0..${classes - 1}) or 255`);
        scribbles = png.values;
      }
      if (mode === 'pixel') {
        const sources = await pixelSourcesFor(backbone, image, settings, finetuned);
        const head = savedHead === undefined ? undefined : headIO.loadHead(savedHead, sources.layout, 'pixel');
        let views: PixelView[] = [];
        try {
          if (viewOptions) views = await photoPixelViews(backbone, image, { ...viewOptions, longSide, detections: settings.features.detections }, { longSide, mirrored: false });
          const training = auto && !head ? await pointsUnderScribbles(image, input, scribbles) : scribbles;
          const { pixels, trained } = await segmentInPixelMode(sources, image, scribbles, classes, settings, head, training, views);
          await writeFileMkdir(outputPath(outDir, input, '.png'), encodeClassIndexPng(pixels, image.width, image.height, palette));
          if (saveFile && trained) {
            const json = JSON.stringify(await headIO.saveHead(trained, labelSet.id, 'pixel'));
            await writeFileMkdir(headPath(saveFile, input, args.inputs.length > 1), new TextEncoder().encode(json));
          }
          trained?.head.dispose();
        } finally {
          head?.head.dispose();
          disposePixelSources(sources);
          disposePixelViews(views);
        }
        return;
      }
      const photo = await engine.superpixelFeatures(backbone, image, settings);
      const head = savedHead === undefined ? undefined : headIO.loadHead(savedHead, photo.layout);
      try {
        const suggested = auto && !head ? await suggestedPoints(photo, input) : undefined;
        const strokes = strokeSource(photo.map, scribbles);
        const sources = [...(suggested ? [suggested.source] : []), strokes];
        const result = await engine.segmentPhotos([{ id: input, photo, sources, allowed: suggested?.allowed }], { classes, settings, head });
        // --crf: the dense CRF (thesis §2.1.2) refines the painted superpixels per pixel; scribbled superpixels keep
        // their class, as the engine shows them (painting −1 gives 255, free).
        const { probabilities } = result.photos[0];
        const pixels = crf
          ? denseCrf(image, { classes, probabilities, regions: photo.map.labels, fixed: paintSuperpixels(photo.map, strokes.labels) }, CRF_DEFAULTS).labels
          : paintSuperpixels(photo.map, result.photos[0].classes);
        await writeFileMkdir(outputPath(outDir, input, '.png'), encodeClassIndexPng(pixels, image.width, image.height, palette));
        if (saveFile && result.trained) {
          const json = JSON.stringify(await headIO.saveHead(result.trained, labelSet.id));
          await writeFileMkdir(headPath(saveFile, input, args.inputs.length > 1), new TextEncoder().encode(json));
        }
        result.trained?.head.dispose();
      } finally {
        head?.head.dispose();
        photo.features.dispose();
      }
    });
  } finally {
    nets?.dispose();
    finetuned?.dispose();
    backbone.dispose();
  }
}

export const segmentCommand: CliCommand = {
  name: 'segment',
  summary:
    'label every superpixel with a zoom-out head trained on the photo from scribbles (thesis ch. 3) and/or points sampled from the detector or from tag-trained maps (--auto [--tags], ch. 4); --mode pixel labels the stride-4 grid from hypercolumns instead (§3.5)',
  usage:
    'segment IMAGE... (--scribbles DIR | --auto | --head FILE) --out DIR [--auto [--tags FILE.json] [--strategy top-k|diverse|spatial] [--k 5]] [--classes voc|coco] [--levels L1,L2,...] [--save-head FILE] [--crf] [--mode superpixel|pixel [--flip] [--scales 0.75,1,1.25]] [--backend wasm|cpu]',
  options: {
    auto: { type: 'boolean' },
    tags: { type: 'string' },
    crf: { type: 'boolean' },
    strategy: { type: 'string' },
    k: { type: 'string' },
    scribbles: { type: 'string' },
    out: { type: 'string' },
    classes: { type: 'string' },
    levels: { type: 'string' },
    head: { type: 'string' },
    'save-head': { type: 'string' },
    mode: { type: 'string' },
    flip: { type: 'boolean' },
    scales: { type: 'string' },
    backend: { type: 'string' },
  },
  run,
};
