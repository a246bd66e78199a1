// The one per-superpixel majority vote (thesis §3.3.2 gives each superpixel one label): scribbles, imported
// masks and the superpixel oracle all reduce a class-per-pixel map to a class per superpixel this way.
import { IGNORE_LABEL } from './types.ts';

/**
 * Per superpixel: the class (0..254) most of its pixels carry in `values`, the lowest index on ties, or -1
 * where every pixel is IGNORE_LABEL. `labels` gives each pixel's superpixel (0..count-1).
 */
export function majorityVote(labels: Int32Array, count: number, values: ArrayLike<number>): Int32Array {
  if (values.length !== labels.length) throw new RangeError(`the class map has ${values.length} pixels, the superpixel map ${labels.length}`);
  const votes = new Int32Array(count * 256);
  for (let p = 0; p < labels.length; p++) {
    const c = values[p];
    if (c !== IGNORE_LABEL) votes[labels[p] * 256 + c]++;
  }
  const out = new Int32Array(count).fill(-1);
  for (let s = 0; s < count; s++) {
    let best = 0;
    for (let c = 0, o = s * 256; c < 256; c++) {
      if (votes[o + c] > best) {
        best = votes[o + c];
        out[s] = c;
      }
    }
  }
  return out;
}
