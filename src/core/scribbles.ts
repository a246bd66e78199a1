// Scribbles → training labels for superpixels (thesis §3.3.2 gives each superpixel one label), and a
// per-superpixel class map painted back to pixels.
import { majorityVote } from './majorityVote.ts';
import type { SuperpixelMap } from './types.ts';

/** Per superpixel: the majority scribbled class (lowest index on ties), or -1 where nothing was scribbled. */
export function superpixelLabelsFromScribbles(map: SuperpixelMap, scribbles: ArrayLike<number>): Int32Array {
  return majorityVote(map.labels, map.count, scribbles);
}

/** A per-superpixel class map painted back to pixels (values are taken modulo 256). */
export function paintSuperpixels(map: Pick<SuperpixelMap, 'width' | 'height' | 'labels'>, classes: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(map.width * map.height);
  for (let i = 0; i < out.length; i++) out[i] = classes[map.labels[i]];
  return out;
}
