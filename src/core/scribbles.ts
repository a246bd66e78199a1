// Scribbles → training labels for superpixels (thesis §3.3.2 gives each superpixel one label): a superpixel
// touched by scribble pixels takes the class most of those pixels carry.
import { IGNORE_LABEL, type SuperpixelMap } from './types.ts';

/** Per superpixel: the majority scribbled class (lowest index on ties), or -1 where nothing was scribbled. */
export function superpixelLabelsFromScribbles(map: SuperpixelMap, scribbles: ArrayLike<number>): Int32Array {
  if (scribbles.length !== map.width * map.height) {
    throw new RangeError(`scribbles have ${scribbles.length} pixels, the superpixel map ${map.width}×${map.height}`);
  }
  const votes = new Map<number, Map<number, number>>();
  for (let i = 0; i < scribbles.length; i++) {
    const c = scribbles[i];
    if (c === IGNORE_LABEL) continue;
    const s = map.labels[i];
    let counts = votes.get(s);
    if (!counts) votes.set(s, (counts = new Map()));
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const labels = new Int32Array(map.count).fill(-1);
  for (const [s, counts] of votes) {
    let best = -1;
    let bestCount = 0;
    for (const [c, n] of counts) if (n > bestCount || (n === bestCount && c < best)) [best, bestCount] = [c, n];
    labels[s] = best;
  }
  return labels;
}

/** A per-superpixel class map painted back to pixels. */
export function paintSuperpixels(map: SuperpixelMap, classes: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(map.width * map.height);
  for (let i = 0; i < out.length; i++) out[i] = classes[map.labels[i]];
  return out;
}
