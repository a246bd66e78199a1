// Label sources: everything the head learns from reduces to per-superpixel labels with a weight and a kind
// (architecture: "label sources, not special cases"). The user's strokes are hard — they always win on their
// superpixels, in training and in the labels shown; machine suggestions (sampled points, thesis ch. 4) and
// imported masks are soft: they train with their weight and the head may overrule them.
import { majorityVote } from './majorityVote.ts';
import type { SuperpixelMap } from './types.ts';

export type LabelSourceKind = 'strokes' | 'points' | 'mask';

export interface LabelSource {
  kind: LabelSourceKind;
  /** Class per superpixel, -1 where this source says nothing. */
  labels: Int32Array;
  /** Weight of each of its labelled superpixels in the loss (strokes: 1). */
  weight: number;
  hard: boolean;
}

/** The user's strokes, rasterized to a class-per-pixel scribble map (255 = none). */
export function strokeSource(map: SuperpixelMap, scribbles: ArrayLike<number>): LabelSource {
  return { kind: 'strokes', labels: majorityVote(map.labels, map.count, scribbles), weight: 1, hard: true };
}

/** A class-per-pixel mask (imported ground truth, 255 = ignore) as a soft source. */
export function maskSource(map: SuperpixelMap, mask: ArrayLike<number>, weight = 1): LabelSource {
  return { kind: 'mask', labels: majorityVote(map.labels, map.count, mask), weight, hard: false };
}

/** Sampled points (pixel coordinates with a class each) as a soft source; later points win a superpixel. */
export function pointSource(map: SuperpixelMap, points: readonly { x: number; y: number; classIndex: number }[], weight = 1): LabelSource {
  const labels = new Int32Array(map.count).fill(-1);
  for (const p of points) {
    const x = Math.min(map.width - 1, Math.max(0, Math.round(p.x)));
    const y = Math.min(map.height - 1, Math.max(0, Math.round(p.y)));
    labels[map.labels[y * map.width + x]] = p.classIndex;
  }
  return { kind: 'points', labels, weight, hard: false };
}

export interface CombinedLabels {
  /** Class per superpixel the head trains on, -1 where no source says anything. */
  labels: Int32Array;
  /** Loss weight per superpixel (0 where unlabelled). */
  weights: Float32Array;
  /** Class per superpixel fixed by a hard source (shown as given), -1 elsewhere. */
  hard: Int32Array;
}

/**
 * One label per superpixel from several sources: a hard source beats every soft one; among sources of the
 * same hardness the one listed later wins (a newer import over an older one).
 */
export function combineLabelSources(count: number, sources: readonly LabelSource[]): CombinedLabels {
  const labels = new Int32Array(count).fill(-1);
  const weights = new Float32Array(count);
  const hard = new Int32Array(count).fill(-1);
  for (const pass of [false, true]) {
    for (const source of sources) {
      if (source.hard !== pass) continue;
      if (source.labels.length !== count) throw new RangeError(`a ${source.kind} source labels ${source.labels.length} superpixels, the map has ${count}`);
      for (let s = 0; s < count; s++) {
        const c = source.labels[s];
        if (c < 0) continue;
        labels[s] = c;
        weights[s] = source.weight;
        if (pass) hard[s] = c;
      }
    }
  }
  return { labels, weights, hard };
}
