// COCO run-length encoding of binary masks, bit-for-bit as pycocotools (common/maskApi.c) writes and reads it, so
// the studio's COCO export (cocoExport.ts) is read by pycocotools, detectron2, mmdetection, CVAT and FiftyOne as is.
//
// - Runs are taken in column-major (Fortran) order: down the first column, then the second, … — the order of
//   `np.asfortranarray(mask)` that pycocotools' `encode` wants. Masks here are row-major (index y·width + x) like
//   every other mask in the studio; the functions below transpose on the fly.
// - `counts` alternates runs of 0s and 1s and always starts with a run of 0s (0 when the first pixel is set); the
//   last run is whatever the mask ends with (a trailing run of 1s is not followed by an empty run of 0s).
// - The compressed string (`rleToString` / `rleFromString`, pycocotools' rleToString / rleFrString): each count,
//   from the fourth on as the difference to the count two before it (i > 2, so runs of the same kind are diffed),
//   is written as little-endian 5-bit chunks of its two's-complement value, one character per chunk: chunk | 0x20
//   when more chunks follow, + 48, so every character lies in '0'..'o' (48..111). The last chunk's bit 0x10 is the
//   sign: reading sign-extends from it.
// - `size` is [height, width], as in COCO JSON.

/** Uncompressed COCO RLE (`counts` as numbers), as in COCO JSON's `iscrowd: 1` annotations. */
export interface CocoRle {
  /** [height, width] */
  size: [number, number];
  counts: number[];
}

/** Compressed COCO RLE (`counts` as pycocotools' string), as pycocotools' `encode` returns it. */
export interface CompressedCocoRle {
  /** [height, width] */
  size: [number, number];
  counts: string;
}

export type AnyCocoRle = CocoRle | CompressedCocoRle;

/** [x, y, width, height] in pixels, as pycocotools' `toBbox` returns it (whole numbers, floats in Python). */
export type CocoBbox = [number, number, number, number];

/**
 * Run lengths of a row-major mask (nonzero = 1) read in column-major order, as pycocotools' `encode` of
 * `np.asfortranarray(mask)`.
 */
export function encodeRle(mask: ArrayLike<number>, width: number, height: number): CocoRle {
  checkSize(width, height);
  if (mask.length !== width * height) {
    throw new RangeError(`mask has ${mask.length} pixels, expected ${width}×${height} = ${width * height}`);
  }
  const counts: number[] = [];
  let previous = 0;
  let run = 0;
  for (let x = 0; x < width; x++) {
    for (let i = x, end = x + width * height; i < end; i += width) {
      const v = mask[i] !== 0 ? 1 : 0;
      if (v !== previous) {
        counts.push(run);
        run = 0;
        previous = v;
      }
      run++;
    }
  }
  counts.push(run);
  return { size: [height, width], counts };
}

/** Row-major 0/1 mask (index y·width + x) of an RLE; `width = size[1]`, `height = size[0]`. */
export function decodeRle(rle: AnyCocoRle): Uint8Array {
  const [height, width] = rle.size;
  checkSize(width, height);
  const counts = rleCounts(rle);
  const total = width * height;
  const mask = new Uint8Array(total);
  let p = 0; // column-major position
  for (let j = 0; j < counts.length; j++) {
    const n = counts[j];
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`RLE count ${j} is ${n}, not a whole number ≥ 0`);
    if (p + n > total) throw new RangeError(`RLE counts add up past ${height}×${width} = ${total} pixels`);
    if (j % 2 === 1) {
      for (let k = p, end = p + n; k < end; k++) {
        const x = Math.floor(k / height);
        mask[(k - x * height) * width + x] = 1;
      }
    }
    p += n;
  }
  if (p !== total) throw new RangeError(`RLE counts add up to ${p}, expected ${height}×${width} = ${total} pixels`);
  return mask;
}

/** pycocotools' rleToString: the compressed string of run lengths. */
export function rleToString(counts: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < counts.length; i++) {
    let x = counts[i];
    if (i > 2) x -= counts[i - 2];
    // Arithmetic (sign-preserving) shifts by 5 bits, without JavaScript's 32-bit limit on bit operators.
    for (;;) {
      const c = x - Math.floor(x / 32) * 32; // x & 0x1f for any integer, negative ones too
      x = Math.floor(x / 32); // x >>= 5
      const more = c & 0x10 ? x !== -1 : x !== 0;
      s += String.fromCharCode((more ? c | 0x20 : c) + 48);
      if (!more) break;
    }
  }
  return s;
}

/** pycocotools' rleFrString: run lengths of a compressed string. */
export function rleFromString(s: string): number[] {
  const counts: number[] = [];
  let p = 0;
  while (p < s.length) {
    let x = 0;
    let k = 0;
    let more = true;
    while (more) {
      if (p >= s.length) throw new RangeError(`compressed RLE ends inside a count at character ${p}`);
      const c = s.charCodeAt(p) - 48;
      if (c < 0 || c > 63) throw new RangeError(`compressed RLE has '${s[p]}' at ${p}, outside '0'..'o'`);
      x += (c & 0x1f) * 2 ** (5 * k); // x |= (c & 0x1f) << 5k
      more = (c & 0x20) !== 0;
      p++;
      k++;
      if (!more && c & 0x10) x -= 2 ** (5 * k); // x |= -1 << 5k: sign extension
    }
    if (counts.length > 2) x += counts[counts.length - 2];
    counts.push(x);
  }
  return counts;
}

/** The same mask with `counts` as pycocotools' compressed string. */
export function compressRle(rle: AnyCocoRle): CompressedCocoRle {
  return { size: [rle.size[0], rle.size[1]], counts: typeof rle.counts === 'string' ? rle.counts : rleToString(rle.counts) };
}

/** The same mask with `counts` as numbers. */
export function uncompressRle(rle: AnyCocoRle): CocoRle {
  return { size: [rle.size[0], rle.size[1]], counts: rleCounts(rle) };
}

/** Pixels set (pycocotools' area: the sum of the runs of 1s). */
export function rleArea(rle: AnyCocoRle): number {
  const counts = rleCounts(rle);
  let area = 0;
  for (let j = 1; j < counts.length; j += 2) area += counts[j];
  return area;
}

/**
 * Bounding box [x, y, w, h] exactly as pycocotools' toBbox (rleToBbox): [0, 0, 0, 0] for an empty mask, and a run of
 * 1s that spans more than one column widens the box to the full height.
 */
export function rleBbox(rle: AnyCocoRle): CocoBbox {
  const [h, w] = rle.size;
  const counts = rleCounts(rle);
  const m = Math.floor(counts.length / 2) * 2;
  if (m === 0) return [0, 0, 0, 0];
  let xs = w;
  let ys = h;
  let xe = 0;
  let ye = 0;
  let xp = 0;
  let cc = 0;
  for (let j = 0; j < m; j++) {
    cc += counts[j];
    const t = cc - (j % 2); // first pixel of a run of 1s (j even), last pixel of it (j odd)
    const y = t % h;
    const x = (t - y) / h;
    if (j % 2 === 0) xp = x;
    else if (xp < x) {
      ys = 0;
      ye = h - 1;
    }
    xs = Math.min(xs, x);
    xe = Math.max(xe, x);
    ys = Math.min(ys, y);
    ye = Math.max(ye, y);
  }
  return [xs, ys, xe - xs + 1, ye - ys + 1];
}

function rleCounts(rle: AnyCocoRle): number[] {
  return typeof rle.counts === 'string' ? rleFromString(rle.counts) : rle.counts;
}

function checkSize(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new RangeError(`invalid mask size ${width}×${height}`);
  }
}
