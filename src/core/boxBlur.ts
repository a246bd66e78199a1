// A separable box mean over a single-channel image, windows cut at the borders (each output is the mean of
// the pixels its (2r+1)² window covers inside the image): the optional smoothing of painted per-superpixel
// depth (docs/depth.md), which softens the steps between neighbouring superpixels.
export function boxBlur(values: ArrayLike<number>, width: number, height: number, radius: number): Float64Array {
  const out = Float64Array.from(values);
  if (radius <= 0) return out;
  const line = new Float64Array(Math.max(width, height));
  const pass = (count: number, length: number, index: (i: number, t: number) => number) => {
    for (let i = 0; i < count; i++) {
      for (let t = 0; t < length; t++) line[t] = out[index(i, t)];
      let sum = 0;
      for (let t = 0; t < Math.min(radius, length); t++) sum += line[t];
      for (let t = 0; t < length; t++) {
        if (t + radius < length) sum += line[t + radius];
        if (t - radius - 1 >= 0) sum -= line[t - radius - 1];
        out[index(i, t)] = sum / (Math.min(length - 1, t + radius) - Math.max(0, t - radius) + 1);
      }
    }
  };
  pass(height, width, (y, x) => y * width + x);
  pass(width, height, (x, y) => y * width + x);
  return out;
}
