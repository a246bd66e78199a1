// Nearest-neighbour resampling of a label map: exported masks are computed on the working copy and written
// at the photo's original size, and class indices must never be blended.
export function resizeNearest(src: ArrayLike<number>, width: number, height: number, outWidth: number, outHeight: number): Uint8Array;
/** The same into `out`: a Uint16Array for 16-bit maps such as depth in millimetres. */
export function resizeNearest<T extends Uint8Array | Uint16Array>(src: ArrayLike<number>, width: number, height: number, outWidth: number, outHeight: number, out: T): T;
export function resizeNearest(src: ArrayLike<number>, width: number, height: number, outWidth: number, outHeight: number, out: Uint8Array | Uint16Array = new Uint8Array(outWidth * outHeight)): Uint8Array | Uint16Array {
  const xs = new Int32Array(outWidth);
  for (let x = 0; x < outWidth; x++) xs[x] = Math.min(width - 1, Math.floor(((x + 0.5) * width) / outWidth));
  for (let y = 0; y < outHeight; y++) {
    const row = Math.min(height - 1, Math.floor(((y + 0.5) * height) / outHeight)) * width;
    const o = y * outWidth;
    for (let x = 0; x < outWidth; x++) out[o + x] = src[row + xs[x]];
  }
  return out;
}
