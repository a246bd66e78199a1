// Pixel mode in the studio (thesis §3.5): one head on the hypercolumns of the stride-4 grid, trained from the
// same label sources as the superpixel head (strokes, ground-truth masks, suggested points) and labelling every
// pixel of the working copy. Only photos the worker holds train it: their backbone pass is what the grid's
// features are read from (superpixel mode also keeps rows of evicted photos; pixel mode does not, yet).
import { decodeDetections } from '../ml/zoomoutFeaturesDetections.ts';
import { gridLabels } from '../core/pixelGrid.ts';
import { majorityVote } from '../core/majorityVote.ts';
import { paintSuperpixels } from '../core/scribbles.ts';
import { rasterizeStrokes, sameStrokes, type Stroke } from '../core/strokes.ts';
import { IGNORE_LABEL, type SuperpixelMap } from '../core/types.ts';
import type { BackboneOutputs } from '../ml/backbone.ts';
import type { TrainedHead } from '../ml/classifierHead.ts';
import { disposePixelSources, pixelMoments, pixelSources, type PixelSources } from '../ml/pixelFeatures.ts';
import { labelPixels, trainPixelHead, type PixelPhoto } from '../ml/pixelHead.ts';
import type { TrainOptions } from '../ml/trainHead.ts';
import type { ColumnMoments } from '../ml/zoomoutFeatures.ts';
import type { LabelSource } from '../core/labelSources.ts';
import { WorkerError } from './protocol.ts';
import type { PhotoSegmentation } from './segmentationProtocol.ts';
import { context, requireBackbone, requireSuperpixels } from './workerContext.ts';

const SLOT = 'pixels';

interface PixelSlot {
  /** The pass they were read from: a photo analysed again (another input size) has new outputs. */
  outputs: BackboneOutputs;
  sources: PixelSources;
  moments: ColumnMoments;
  /** The last strokes rasterized on the photo (training and labelling read the same raster). */
  painted?: { list: readonly Stroke[]; raster: Uint8Array };
  dispose(): void;
}

/** The strokes as a class per pixel, rasterized only when they changed. */
function paintedOn(slot: PixelSlot, map: SuperpixelMap, strokes: readonly Stroke[]): Uint8Array {
  if (!slot.painted || !sameStrokes(slot.painted.list, strokes)) slot.painted = { list: strokes, raster: rasterizeStrokes(strokes, map.width, map.height) };
  return slot.painted.raster;
}

/** The photo's grid features from its cached backbone pass, made once per pass. */
async function pixelSlot(photoId: string): Promise<PixelSlot> {
  const { entry } = requireSuperpixels(photoId);
  if (!entry.backbone) throw new WorkerError('not-resident', 'this photo has not been analysed yet');
  const { outputs } = entry.backbone;
  const cached = entry.slots.get(SLOT) as PixelSlot | undefined;
  if (cached?.outputs === outputs) return cached;
  cached?.dispose();
  const { manifest } = requireBackbone();
  const sources = pixelSources(outputs, manifest.taps, await decodeDetections(outputs.keypoints, outputs.wh, manifest.heatmaps.stride));
  const slot: PixelSlot = { outputs, sources, moments: await pixelMoments(sources), dispose: () => disposePixelSources(sources) };
  entry.slots.set(SLOT, slot);
  return slot;
}

/** What a photo's label sources say per pixel: suggested points' superpixels, then its mask, then the strokes, which win. */
export interface PixelLabelSources {
  strokes: readonly Stroke[];
  mask?: Uint8Array;
  points?: LabelSource;
}

function classPerPixel(slot: PixelSlot, map: SuperpixelMap, labels: PixelLabelSources): Uint8Array {
  const out = labels.points ? paintSuperpixels(map, labels.points.labels) : new Uint8Array(map.width * map.height).fill(IGNORE_LABEL);
  if (labels.mask?.length === out.length) labels.mask.forEach((c, p) => c !== IGNORE_LABEL && (out[p] = c));
  if (labels.strokes.length) paintedOn(slot, map, labels.strokes).forEach((c, p) => c !== IGNORE_LABEL && (out[p] = c));
  return out;
}

export interface PixelRunPhoto {
  id: string;
  labels: PixelLabelSources;
}

/** Trains the pixel head on the resident photos' labels; photos not held are returned as not trained on. */
export async function trainPixelMode(photos: readonly PixelRunPhoto[], classes: number, options: TrainOptions): Promise<{ model: TrainedHead; notTrained: string[] }> {
  const used: PixelPhoto[] = [];
  const notTrained: string[] = [];
  for (const p of photos) {
    if (!context.photos.get(p.id)?.backbone) {
      notTrained.push(p.id);
      continue;
    }
    const { map } = requireSuperpixels(p.id);
    const slot = await pixelSlot(p.id);
    const labels = gridLabels(classPerPixel(slot, map, p.labels), map.width, map.height, slot.sources.grid);
    if (labels.some((y) => y >= 0)) used.push({ sources: slot.sources, moments: slot.moments, labels });
  }
  if (used.length === 0) throw new WorkerError('no-labels', 'paint at least one stroke on an analysed photo first');
  return { model: await trainPixelHead(used, classes, options), notTrained };
}

/**
 * A photo labelled per working-copy pixel; strokes keep their class where painted. Per-superpixel classes (the
 * majority) and confidences (the mean) come along for what reads superpixels (photo strip, label remaps).
 */
export async function labelPhotoPixels(model: TrainedHead, photoId: string, strokes: readonly Stroke[], run: number): Promise<PhotoSegmentation> {
  const { map, mapId } = requireSuperpixels(photoId);
  const slot = await pixelSlot(photoId);
  const { classes, confidence } = await labelPixels(model, slot.sources, map.width, map.height);
  const painted = strokes.length ? paintedOn(slot, map, strokes) : undefined;
  const confidence8 = Uint8Array.from(confidence, (c) => Math.round(c * 255));
  if (painted) painted.forEach((c, p) => c !== IGNORE_LABEL && ((classes[p] = c), (confidence8[p] = 255)));
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
