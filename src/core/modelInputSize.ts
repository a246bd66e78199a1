// The backbone's input size for a photo: aspect kept, longer side about `longSide`, both sides multiples of
// 32 (the deepest stride), as the zoom-out pipeline needs (thesis §3.3.1 runs the net on the whole image).
export interface Size {
  width: number;
  height: number;
}

export function modelInputSize(width: number, height: number, longSide = 512, multiple = 32): Size {
  if (!(width > 0 && height > 0)) throw new RangeError(`invalid image size ${width}×${height}`);
  const scale = longSide / Math.max(width, height);
  const round = (v: number) => Math.max(multiple, Math.round((v * scale) / multiple) * multiple);
  return { width: round(width), height: round(height) };
}

/** The size of a downscaled copy whose longer side is at most `maxLongSide` (the photo itself when smaller). */
export function fitWithin(width: number, height: number, maxLongSide: number): Size {
  const scale = Math.min(1, maxLongSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
