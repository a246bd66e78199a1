// What a labelled photo still teaches the head once the worker's bounded photo cache evicted it (workerContext.ts):
// the zoom-out rows of its user-labelled superpixels with their labels, and the column moments of all its
// superpixels (standardization covers them, trainHead.ts). Without them the one head for the set
// (thesis ch. 3: one classifier over every labelled superpixel) would silently forget the strokes of every photo
// but the last few opened.
import * as tf from '@tensorflow/tfjs';
import type { LabelSource } from '../core/labelSources.ts';
import { sameStrokes, type Stroke } from '../core/strokes.ts';
import type { EnginePhoto, SuperpixelFeatures, TrainingRows } from '../ml/segmentationEngine.ts';
import { columnMoments } from '../ml/zoomoutFeatures.ts';

/**
 * A ground-truth mask labels every superpixel (about 4.6 MB of rows per photo): an evicted photo keeps this many of
 * its mask-only rows, evenly spread, so 200 photos' masks stay within a few hundred MB. Stroked rows are all kept.
 */
export const MAX_MASK_ROWS = 128;

/** The labels rows were kept for: they serve only while the photo's labels are these. */
export interface UserLabels {
  strokes: readonly Stroke[];
  /** The version of the photo's ground-truth mask (segmentationProtocol's MaskRef), if one trains. */
  maskVersion?: number;
}

interface Kept {
  labels: UserLabels;
  mapId: number;
  photo: EnginePhoto<string, TrainingRows>;
}

const sameLabels = (a: UserLabels, b: UserLabels) => sameStrokes(a.strokes, b.strokes) && a.maskVersion === b.maskVersion;

/** Superpixels some source labels: every stroked one, and up to MAX_MASK_ROWS of those only the mask labels. */
function rowsToKeep(count: number, sources: readonly LabelSource[]): number[] {
  const stroked = (i: number) => sources.some((s) => s.kind === 'strokes' && s.labels[i] >= 0);
  const masked = (i: number) => sources.some((s) => s.kind === 'mask' && s.labels[i] >= 0);
  const rows: number[] = [];
  const maskOnly: number[] = [];
  for (let i = 0; i < count; i++) {
    if (stroked(i)) rows.push(i);
    else if (masked(i)) maskOnly.push(i);
  }
  const step = Math.max(1, maskOnly.length / MAX_MASK_ROWS);
  for (let k = 0; k < maskOnly.length; k += step) rows.push(maskOnly[Math.floor(k)]);
  return rows.sort((a, b) => a - b);
}

export class RetainedRows {
  private readonly kept = new Map<string, Kept>();

  /** Keeps the rows of a resident photo's user labels (strokes, mask), unless kept already for these labels and map. */
  async keep(id: string, labels: UserLabels, mapId: number, photo: SuperpixelFeatures, sources: readonly LabelSource[]): Promise<void> {
    const known = this.kept.get(id);
    if (known && known.mapId === mapId && sameLabels(known.labels, labels)) return;
    const user = sources.filter((s) => s.kind === 'strokes' || s.kind === 'mask');
    const rows = rowsToKeep(photo.features.shape[0], user);
    if (rows.length === 0) {
      this.forget(id);
      return;
    }
    const moments = await columnMoments(photo.features);
    const features = tf.tidy(() => tf.gather(photo.features, tf.tensor1d(rows, 'int32')));
    const kept = user.map((s) => ({ ...s, labels: Int32Array.from(rows, (i) => s.labels[i]) }));
    this.forget(id);
    this.kept.set(id, { labels, mapId, photo: { id, photo: { features, layout: photo.layout, moments }, sources: kept } });
  }

  /** The rows kept of a photo whose labels are still `labels`; undefined when it must be analysed again. */
  rowsFor(id: string, labels: UserLabels): EnginePhoto<string, TrainingRows> | undefined {
    const known = this.kept.get(id);
    return known && sameLabels(known.labels, labels) ? known.photo : undefined;
  }

  forget(id: string): void {
    this.kept.get(id)?.photo.photo.features.dispose();
    this.kept.delete(id);
  }

  /** Drops everything (a backend switch: the tensors belong to the backend being left). */
  clear(): void {
    for (const id of [...this.kept.keys()]) this.forget(id);
  }
}
