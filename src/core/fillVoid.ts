// Void (255) in a label map given to the label autoencoder (thesis §5.3.1): the VOC object outlines, and any
// mask a user imports. The encoder sees every pixel as one of the classes, so each void pixel takes the class
// of the nearest labelled pixel (city-block distance), the class a boundary pixel most plausibly belongs to.
import { IGNORE_LABEL } from './types.ts';

/** A copy of `labels` with every void pixel set to its nearest non-void class; all-void maps become 0. */
export function fillVoidNearest(labels: ArrayLike<number>, width: number, height: number): Uint8Array {
  const out = Uint8Array.from(labels);
  const queue = new Int32Array(out.length);
  let tail = 0;
  for (let p = 0; p < out.length; p++) if (out[p] !== IGNORE_LABEL) queue[tail++] = p;
  if (tail === 0) return out.fill(0);
  // Breadth-first from every labelled pixel at once: a pixel is reached first from a nearest one.
  for (let head = 0; head < tail; head++) {
    const p = queue[head];
    const x = p % width;
    const c = out[p];
    const visit = (q: number) => {
      if (out[q] !== IGNORE_LABEL) return;
      out[q] = c;
      queue[tail++] = q;
    };
    if (x > 0) visit(p - 1);
    if (x + 1 < width) visit(p + 1);
    if (p >= width) visit(p - width);
    if (p + width < height * width) visit(p + width);
  }
  return out;
}
