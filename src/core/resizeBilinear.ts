// Bilinear resampling of a smooth single-channel map (pixel centres aligned, edges clamped): predicted depth is
// painted on the working copy and exported at the photo's original size (thesis §5.5; docs/depth.md), where
// nearest-neighbour would turn the smoothed depth back into steps.
export function resizeBilinear(src: ArrayLike<number>, width: number, height: number, outWidth: number, outHeight: number): Float32Array {
  if (src.length !== width * height) throw new Error(`${src.length} values for a ${width}×${height} map`);
  const out = new Float32Array(outWidth * outHeight);
  const axis = (n: number, outN: number) => {
    const lo = new Int32Array(outN);
    const hi = new Int32Array(outN);
    const t = new Float32Array(outN);
    for (let i = 0; i < outN; i++) {
      const s = Math.min(n - 1, Math.max(0, ((i + 0.5) * n) / outN - 0.5));
      lo[i] = Math.floor(s);
      hi[i] = Math.min(n - 1, lo[i] + 1);
      t[i] = s - lo[i];
    }
    return { lo, hi, t };
  };
  const xs = axis(width, outWidth);
  const ys = axis(height, outHeight);
  for (let y = 0; y < outHeight; y++) {
    const r0 = ys.lo[y] * width;
    const r1 = ys.hi[y] * width;
    const ty = ys.t[y];
    for (let x = 0; x < outWidth; x++) {
      const x0 = xs.lo[x];
      const x1 = xs.hi[x];
      const tx = xs.t[x];
      const top = src[r0 + x0] + (src[r0 + x1] - src[r0 + x0]) * tx;
      const bottom = src[r1 + x0] + (src[r1 + x1] - src[r1 + x0]) * tx;
      out[y * outWidth + x] = top + (bottom - top) * ty;
    }
  }
  return out;
}
