// `export`: photos segmented by a saved head (from `train`, `segment --save-head` or the studio's export menu) and
// written in a format other tools read, in the same layout as the studio's export (core/exportLayout.ts).
import { basename, join } from 'node:path';
import type { ExportPhoto } from '../../core/exportLayout.ts';
import type { TrainedHead } from '../../ml/classifierHead.ts';
import { forEachInput, requireFlag, type CliCommand, type ParsedArgs } from '../command.ts';
import { headLabelSet, readHeadFile } from './labelOptions.ts';
import { loadFinetunedBackbone, parseMode, pixelSourcesFor } from './pixelMode.ts';
import type { SavedHead } from '../../ml/headIO.ts';

const FORMATS = 'voc|coco|yolo|per-class|overlay';

async function run(args: ParsedArgs): Promise<number> {
  const headFile = requireFlag(args, 'head');
  const format = requireFlag(args, 'format');
  const outDir = requireFlag(args, 'out');
  const layout = await import('../../core/exportLayout.ts');
  if (!layout.isExportFormat(format)) throw new Error(`--format must be one of ${FORMATS}, got '${format}'`);
  const saved = await readHeadFile(headFile);
  // A head from `train --mode pixel` labels the stride-4 grid (thesis §3.5); its file says so.
  const mode = parseMode(typeof saved.mode === 'string' ? saved.mode : undefined);
  const [{ selectBackend }, { loadBackboneFromDisk }, { readImageRgba, writeFileMkdir }, engine, { paintSuperpixels }, headIO] = await Promise.all([
    import('../../ml/backend.ts'),
    import('../../ml/loadFromDisk.ts'),
    import('../../ml/nodeImage.ts'),
    import('../../ml/segmentationEngine.ts'),
    import('../../core/scribbles.ts'),
    import('../../ml/headIO.ts'),
  ]);
  const [{ disposePixelSources }, { labelPixels }] = await Promise.all([import('../../ml/pixelFeatures.ts'), import('../../ml/pixelHead.ts')]);
  await selectBackend((args.flags.get('backend') ?? 'wasm') as 'wasm');
  const backbone = await loadBackboneFromDisk();
  let head: TrainedHead | undefined;
  // A pixel head trained with --finetune carries its fine-tuned backbone.
  const finetunedFile = mode === 'pixel' ? (saved as Partial<SavedHead>).backbone : undefined;
  const finetuned = finetunedFile ? await loadFinetunedBackbone(headFile, finetunedFile) : undefined;
  try {
    const labelSet = await headLabelSet(saved, args.flags.get('classes'), () => backbone.manifest.heatmaps.classes);
    const photos: ExportPhoto[] = [];
    const code = await forEachInput(args.inputs, async (input) => {
      const image = await readImageRgba(input);
      if (mode === 'pixel') {
        const sources = await pixelSourcesFor(backbone, image, engine.SEGMENT_DEFAULTS, finetuned);
        try {
          head ??= headIO.loadHead(saved, sources.layout, 'pixel');
          const { classes } = await labelPixels(head, sources, image.width, image.height);
          photos.push({ name: basename(input), width: image.width, height: image.height, classes, rgba: format === 'overlay' ? image.data : undefined });
        } finally {
          disposePixelSources(sources);
        }
        return;
      }
      const photo = await engine.superpixelFeatures(backbone, image);
      try {
        head ??= headIO.loadHead(saved, photo.layout);
        const result = await engine.segmentPhotos([{ id: input, photo, sources: [] }], { classes: labelSet.classes.length, head });
        const classes = paintSuperpixels(photo.map, result.photos[0].classes);
        photos.push({ name: basename(input), width: image.width, height: image.height, classes, rgba: format === 'overlay' ? image.data : undefined });
      } finally {
        photo.features.dispose();
      }
    });
    if (photos.length === 0) return code;
    const entries = layout.exportEntries(format, photos, labelSet);
    for (const e of entries) await writeFileMkdir(join(outDir, e.path), e.bytes);
    console.log(`${layout.EXPORT_FORMAT_LABELS[format]} of ${photos.length} photo${photos.length === 1 ? '' : 's'}: ${entries.length} files in ${outDir}`);
    return code;
  } finally {
    head?.head.dispose();
    finetuned?.dispose();
    backbone.dispose();
  }
}

export const exportCommand: CliCommand = {
  name: 'export',
  summary: "segment photos with a saved head and write them as other tools read them (the studio's export layout)",
  usage: `export IMAGE... --head HEAD.json --format ${FORMATS} --out DIR [--classes voc|coco] [--backend wasm|cpu]`,
  options: {
    head: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    classes: { type: 'string' },
    backend: { type: 'string' },
  },
  run,
};
