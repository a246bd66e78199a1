// Pixel mode in the studio (thesis §3.5): one head on the hypercolumns of the stride-4 grid, trained from the
// same label sources as the superpixel head (strokes, ground-truth masks, suggested points) and labelling every
// pixel of the working copy. Only photos the worker holds train it: their backbone pass is what the grid's
// features are read from (superpixel mode also keeps rows of evicted photos; pixel mode does not, yet). Once the
// backbone is fine-tuned (finetuneHandlers.ts) the grid's maps come from the fine-tuned one; the detection maps
// stay the pretrained pass's, as in fine-tuning.
import { Backbone, disposeOutputs } from '../ml/backbone.ts';
import type { FinetunePhoto, PhotoDetections } from '../ml/finetune.ts';
import type { TrainableBackbone } from '../ml/trainableBackbone.ts';
import type { FinetuneBlocks } from './finetuneProtocol.ts';
import { decodeDetections, type Detection } from '../ml/zoomoutFeaturesDetections.ts';
import { gridLabels } from '../core/pixelGrid.ts';
import { majorityVote } from '../core/majorityVote.ts';
import { paintSuperpixels } from '../core/scribbles.ts';
import { rasterizeStrokes, sameStrokes, type Stroke } from '../core/strokes.ts';
import type { Size } from '../core/modelInputSize.ts';
import { IGNORE_LABEL, type RgbaImage, type SuperpixelMap } from '../core/types.ts';
import type { BackboneOutputs } from '../ml/backbone.ts';
import type { TrainedHead } from '../ml/classifierHead.ts';
import { disposePixelSources, pixelSourceTensors, pixelMoments, pixelSources, type PixelSources } from '../ml/pixelFeatures.ts';
import { labelPixels, trainPixelHead, type PixelPhoto } from '../ml/pixelHead.ts';
import type { TrainOptions } from '../ml/trainHead.ts';
import type { ColumnMoments } from '../ml/zoomoutFeatures.ts';
import type { LabelSource } from '../core/labelSources.ts';
import { WorkerError } from './protocol.ts';
import type { PhotoSegmentation } from './segmentationProtocol.ts';
import { context, requireBackbone, requireSuperpixels, type Disposable } from './workerContext.ts';

const SLOT = 'pixels';

interface PixelSlot extends Disposable {
  /** The pass they were read from: a photo analysed again (another input size) has new outputs. */
  outputs: BackboneOutputs;
  /** The fine-tuned backbone's version they were computed with (0: the pretrained one). */
  version: number;
  /** The pretrained pass's detections, in its heatmap cells. */
  detections: PhotoDetections;
  sources: PixelSources;
  /**
   * The same maps of the photo mirrored left-right (flip inference, thesis §3.5.1: +1.1 held-out mIoU in
   * bench:finetune, docs/finetune.md); labelling averages both, training reads `sources` alone.
   */
  mirrored?: PixelSources;
  moments: ColumnMoments;
  /** The last strokes rasterized on the photo (training and labelling read the same raster). */
  painted?: { list: readonly Stroke[]; raster: Uint8Array };
}

/** The strokes as a class per pixel, rasterized only when they changed. */
function paintedOn(slot: PixelSlot, map: SuperpixelMap, strokes: readonly Stroke[]): Uint8Array {
  if (!slot.painted || !sameStrokes(slot.painted.list, strokes)) slot.painted = { list: strokes, raster: rasterizeStrokes(strokes, map.width, map.height) };
  return slot.painted.raster;
}

/** The fine-tuned backbone pixel mode reads, the blocks fine-tuned since it was loaded, and a version per run. */
export interface PixelBackbone {
  backbone: TrainableBackbone;
  blocks: FinetuneBlocks;
  version: number;
}

let finetuned: PixelBackbone | undefined;
let finetuneVersion = 0;

/** Pixel mode reads the grid's maps through `backbone` from now on (undefined: the pretrained pass again). */
export function usePixelBackbone(backbone?: { backbone: TrainableBackbone; blocks: FinetuneBlocks }): void {
  finetuneVersion++;
  finetuned = backbone ? { ...backbone, version: finetuneVersion } : undefined;
}

export function pixelBackbone(): PixelBackbone | undefined {
  return finetuned;
}

/** Which backbone pixel features come from now: 0 the pretrained one, else the fine-tuning run's version. */
export function pixelFeaturesVersion(): number {
  return finetuned?.version ?? 0;
}

/** The photo's grid features from its cached backbone pass (or the fine-tuned backbone), made once per pass. */
async function pixelSlot(photoId: string): Promise<PixelSlot> {
  const { entry } = requireSuperpixels(photoId);
  if (!entry.backbone) throw new WorkerError('not-resident', 'this photo has not been analysed yet');
  const { outputs, inputSize } = entry.backbone;
  const version = pixelFeaturesVersion();
  const cached = entry.slots.get(SLOT) as PixelSlot | undefined;
  if (cached?.outputs === outputs && cached.version === version) return cached;
  cached?.dispose();
  entry.slots.delete(SLOT);
  const { manifest } = requireBackbone();
  const [, rows, cols] = outputs.keypoints.shape;
  const detections = { list: await decodeDetections(outputs.keypoints, outputs.wh, manifest.heatmaps.stride), cols, rows };
  const sources = finetuned && entry.image ? await passSources(entry.image, inputSize, false, detections.list) : pixelSources(outputs, manifest.taps, detections.list);
  let mirrored: PixelSources | undefined;
  try {
    if (entry.image) mirrored = await passSources(entry.image, inputSize, true);
  } catch (err) {
    disposePixelSources(sources);
    throw err;
  }
  const both = mirrored ? [sources, mirrored] : [sources];
  const slot: PixelSlot = {
    outputs,
    version,
    detections,
    sources,
    mirrored,
    moments: await pixelMoments(sources),
    dispose: () => both.forEach(disposePixelSources),
    tensors: both.reduce((n, s) => n + pixelSourceTensors(s), 0),
  };
  entry.slots.set(SLOT, slot);
  return slot;
}

/**
 * The grid maps of one pass over the working copy, mirrored or not: taps from the fine-tuned backbone when there
 * is one; the detection maps always the pretrained detector's (`detections`, or decoded from its own pass here).
 */
async function passSources(image: RgbaImage, inputSize: Size, mirror: boolean, detections?: Detection[]): Promise<PixelSources> {
  const backbone = requireBackbone();
  const input = Backbone.prepareInput(image, inputSize, mirror);
  const pretrained = detections ? undefined : backbone.forward(input);
  const tuned = finetuned ? finetuned.backbone.forward(input) : undefined;
  input.dispose();
  try {
    const boxes = detections ?? (await decodeDetections(pretrained!.keypoints, pretrained!.wh, backbone.manifest.heatmaps.stride));
    return pixelSources((tuned ?? pretrained)!, backbone.manifest.taps, boxes);
  } finally {
    if (pretrained) disposeOutputs(pretrained);
    if (tuned) disposeOutputs(tuned);
  }
}

/** What a photo's label sources say per pixel: suggested points' superpixels, then its mask, then the strokes, which win. */
export interface PixelLabelSources {
  strokes: readonly Stroke[];
  mask?: Uint8Array;
  points?: LabelSource;
}

function classPerPixel(slot: PixelSlot, map: SuperpixelMap, labels: PixelLabelSources): Uint8Array {
  const out = labels.points ? paintSuperpixels(map, labels.points.labels) : new Uint8Array(map.width * map.height).fill(IGNORE_LABEL);
  const over = (layer: Uint8Array) => {
    for (let p = 0; p < out.length; p++) if (layer[p] !== IGNORE_LABEL) out[p] = layer[p];
  };
  if (labels.mask?.length === out.length) over(labels.mask);
  if (labels.strokes.length) over(paintedOn(slot, map, labels.strokes));
  return out;
}

export interface PixelRunPhoto {
  id: string;
  labels: PixelLabelSources;
}

/** The resident photos' labels for the pixel head, and if asked for fine-tuning (their pixels, per-pixel labels, detections). */
async function pixelTraining(photos: readonly PixelRunPhoto[], forFinetuning = false): Promise<{ used: PixelPhoto[]; finetune: FinetunePhoto[]; notTrained: string[] }> {
  const used: PixelPhoto[] = [];
  const finetune: FinetunePhoto[] = [];
  const notTrained: string[] = [];
  for (const p of photos) {
    const entry = context.photos.get(p.id);
    if (!entry?.backbone) {
      notTrained.push(p.id);
      continue;
    }
    const { map } = requireSuperpixels(p.id);
    const slot = await pixelSlot(p.id);
    const perPixel = classPerPixel(slot, map, p.labels);
    const labels = gridLabels(perPixel, map.width, map.height, slot.sources.grid);
    if (!labels.some((y) => y >= 0)) continue;
    used.push({ sources: slot.sources, moments: slot.moments, labels });
    if (forFinetuning && entry.image) finetune.push({ image: entry.image, labels: Int32Array.from(perPixel, (c) => (c === IGNORE_LABEL ? -1 : c)), detections: slot.detections });
  }
  if (used.length === 0) throw new WorkerError('no-labels', 'paint at least one stroke on an analysed photo first');
  return { used, finetune, notTrained };
}

/** Trains the pixel head on the resident photos' labels; photos not held are returned as not trained on. */
export async function trainPixelMode(photos: readonly PixelRunPhoto[], classes: number, options: TrainOptions): Promise<{ model: TrainedHead; notTrained: string[] }> {
  const { used, notTrained } = await pixelTraining(photos);
  return { model: await trainPixelHead(used, classes, options), notTrained };
}

/** As trainPixelMode, with what fine-tuning the backbone under that head needs of the same photos. */
export async function pixelModeForFinetuning(
  photos: readonly PixelRunPhoto[],
  classes: number,
  options: TrainOptions,
): Promise<{ model: TrainedHead; finetune: FinetunePhoto[]; notTrained: string[] }> {
  const { used, finetune, notTrained } = await pixelTraining(photos, true);
  return { model: await trainPixelHead(used, classes, options), finetune, notTrained };
}

/**
 * A photo labelled per working-copy pixel; strokes keep their class where painted. Per-superpixel classes (the
 * majority) and confidences (the mean) come along for what reads superpixels (photo strip, label remaps).
 */
export async function labelPhotoPixels(model: TrainedHead, photoId: string, strokes: readonly Stroke[], run: number): Promise<PhotoSegmentation> {
  const { map, mapId } = requireSuperpixels(photoId);
  const slot = await pixelSlot(photoId);
  const views = [{ sources: slot.sources, mirrored: false }, ...(slot.mirrored ? [{ sources: slot.mirrored, mirrored: true }] : [])];
  const { classes, confidence } = await labelPixels(model, views, map.width, map.height);
  const painted = strokes.length ? paintedOn(slot, map, strokes) : undefined;
  // Loops over every pixel: TypedArray.from with a mapping function, and forEach, cost several times as much.
  const confidence8 = new Uint8Array(confidence.length);
  for (let p = 0; p < confidence.length; p++) confidence8[p] = Math.round(confidence[p] * 255);
  if (painted) {
    for (let p = 0; p < painted.length; p++) {
      if (painted[p] === IGNORE_LABEL) continue;
      classes[p] = painted[p];
      confidence8[p] = 255;
    }
  }
  const perSuperpixel = majorityVote(map.labels, map.count, classes);
  const sum = new Float64Array(map.count);
  map.labels.forEach((s, p) => (sum[s] += confidence8[p]));
  return {
    photoId,
    mapId,
    run,
    classes: Uint8Array.from(perSuperpixel),
    confidence: Uint8Array.from(sum, (v, s) => Math.round(v / map.sizes[s])),
    labelled: painted ? majorityVote(map.labels, map.count, painted).filter((c) => c >= 0).length : 0,
    superpixels: map.count,
    points: [],
    pixels: { classes, confidence: confidence8 },
  };
}
