// The click protocol of the interactive benchmark (thesis §3.4 data, few-click setting of findings.md):
// P pixels drawn at random, with a seeded PRNG, from each class present in a ground-truth class-index mask.
import { IGNORE_LABEL } from './types.ts';

export interface Click {
  x: number;
  y: number;
  classIndex: number;
}

/** mulberry32: a tiny deterministic PRNG, so every run of the benchmark sees the same clicks. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `perClass` distinct pixels of every class present (all of them when a class has fewer), in class order. */
export function simulateClicks(mask: ArrayLike<number>, width: number, height: number, perClass: number, seed: number): Click[] {
  if (mask.length !== width * height) throw new RangeError(`mask has ${mask.length} values, expected ${width}×${height}`);
  const pixelsByClass = new Map<number, number[]>();
  for (let i = 0; i < mask.length; i++) {
    const c = mask[i];
    if (c === IGNORE_LABEL) continue;
    let list = pixelsByClass.get(c);
    if (!list) pixelsByClass.set(c, (list = []));
    list.push(i);
  }
  const random = seededRandom(seed);
  const clicks: Click[] = [];
  for (const c of [...pixelsByClass.keys()].sort((a, b) => a - b)) {
    const pixels = pixelsByClass.get(c)!;
    // Partial Fisher–Yates: the first `take` entries become a uniform sample without replacement.
    const take = Math.min(perClass, pixels.length);
    for (let k = 0; k < take; k++) {
      const j = k + Math.floor(random() * (pixels.length - k));
      [pixels[k], pixels[j]] = [pixels[j], pixels[k]];
      clicks.push({ x: pixels[k] % width, y: Math.floor(pixels[k] / width), classIndex: c });
    }
  }
  return clicks;
}

/** Clicks drawn into a scribble map (the CLI's scribble PNG format): class index at clicked pixels, 255 elsewhere. */
export function clicksToScribbles(clicks: readonly Click[], width: number, height: number): Uint8Array {
  const scribbles = new Uint8Array(width * height).fill(IGNORE_LABEL);
  for (const { x, y, classIndex } of clicks) scribbles[y * width + x] = classIndex;
  return scribbles;
}
