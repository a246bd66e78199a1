// `--mode pixel` of `segment` and `train` (thesis §3.5): the head labels the cells of the stride-4 grid from
// their hypercolumns (ml/pixelHead.ts) instead of superpixels; scores are upsampled to every pixel.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Backbone } from '../../ml/backbone.ts';
import type { TrainedHead } from '../../ml/classifierHead.ts';
import type { FinetunedBackboneFile, HeadMode } from '../../ml/headIO.ts';
import type { PixelSources } from '../../ml/pixelFeatures.ts';
import type { PixelView, PixelViewOptions } from '../../ml/pixelViews.ts';
import type { SegmentSettings } from '../../ml/segmentationEngine.ts';
import type { TrainableBackbone } from '../../ml/trainableBackbone.ts';
import type { RgbaImage } from '../../core/types.ts';

export function parseMode(value: string | undefined): HeadMode {
  if (value === undefined || value === 'superpixel' || value === 'pixel') return value ?? 'superpixel';
  throw new Error(`--mode must be superpixel or pixel, got '${value}'`);
}

/**
 * `--flip` and `--scales 0.75,1,1.25` (thesis §3.5.1): the views pixel mode averages when it labels; undefined
 * when neither is given (the single upright pass).
 */
export function parseViews(flip: boolean, scales: string | undefined): PixelViewOptions | undefined {
  if (!flip && scales === undefined) return undefined;
  const list = scales === undefined ? [1] : scales.split(',').map(Number);
  if (list.length === 0 || list.some((v) => !(v > 0) || v > 4)) throw new Error(`--scales takes positive factors up to 4, comma-separated (e.g. 0.75,1,1.25), got '${scales}'`);
  return { flip, scales: list };
}

/**
 * The pass pixel mode reads, at the superpixel engine's input size and with its detection maps; through a
 * fine-tuned backbone when the head has one (the detections stay the pretrained detector's, as in training).
 */
export async function pixelSourcesFor(backbone: Backbone, image: RgbaImage, settings: SegmentSettings, finetuned?: TrainableBackbone): Promise<PixelSources> {
  const longSide = settings.features.longSide ?? 512;
  if (finetuned) {
    const { photoDetections, trainablePixelSources } = await import('../../ml/finetune.ts');
    return trainablePixelSources(finetuned, image, await photoDetections(backbone, image, longSide), longSide);
  }
  const { photoPixelSources } = await import('../../ml/pixelFeatures.ts');
  return photoPixelSources(backbone, image, { longSide, detections: settings.features.detections });
}

/** The fine-tuned backbone a pixel head names (`train --finetune`), its file checked against the head's sha256. */
export async function loadFinetunedBackbone(headFile: string, saved: FinetunedBackboneFile): Promise<TrainableBackbone> {
  const file = join(dirname(headFile), saved.weights);
  const bytes = await readFile(file).catch(() => {
    throw new Error(`the head needs its fine-tuned backbone ${file}, which is missing`);
  });
  const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const { sha256Hex } = await import('../../ml/modelRegistry.ts');
  if ((await sha256Hex(data)) !== saved.sha256) throw new Error(`${file} is not the fine-tuned backbone this head was saved with (sha256 differs)`);
  const { loadTrainableBackboneFromDisk } = await import('../../ml/loadFromDisk.ts');
  const backbone = await loadTrainableBackboneFromDisk(saved.finetune);
  try {
    backbone.assignWeights(data, saved.specs);
  } catch (err) {
    backbone.dispose();
    throw err;
  }
  return backbone;
}

/**
 * Class per pixel from a head (given, or trained on `training`: the photo's scribbles, or sampled points with the
 * scribbles over them); scribbled pixels keep their class, as the user's strokes always win. Returns the head it
 * trained, if any (the caller disposes it).
 */
export async function segmentInPixelMode(
  sources: PixelSources,
  image: RgbaImage,
  scribbles: ArrayLike<number>,
  classes: number,
  settings: SegmentSettings,
  head: TrainedHead | undefined,
  training: ArrayLike<number> = scribbles,
  /** More views to label with besides `sources` (flip, other scales); the head trains on `sources` alone. */
  views: readonly PixelView[] = [],
): Promise<{ pixels: Uint8Array; trained?: TrainedHead }> {
  const [{ gridLabels }, { labelPixels, trainPixelHead }] = await Promise.all([import('../../core/pixelGrid.ts'), import('../../ml/pixelHead.ts')]);
  const trained = head ? undefined : await trainPixelHead([{ sources, labels: gridLabels(training, image.width, image.height, sources.grid) }], classes, settings.train);
  try {
    const { classes: pixels } = await labelPixels((head ?? trained)!, [{ sources, mirrored: false }, ...views], image.width, image.height);
    for (let p = 0; p < pixels.length; p++) if (scribbles[p] !== 255) pixels[p] = scribbles[p];
    return { pixels, trained };
  } catch (err) {
    trained?.head.dispose();
    throw err;
  }
}
