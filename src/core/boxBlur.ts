// A separable box mean over a single-channel image, windows cut at the borders (each output is the mean of
// the pixels its (2r+1)² window covers inside the image): the optional smoothing of painted per-superpixel
// depth (docs/depth.md), which softens the steps between neighbouring superpixels.
export function boxBlur(values: ArrayLike<number>, width: number, height: number, radius: number): Float64Array {
  const out = Float64Array.from(values);
  if (radius <= 0) return out;
  // Rows into `rows`, then the columns a whole row at a time (a running sum per column): walking down one column
  // at a time strode a row apart in memory, and this blur is in the depth preview's 200-ms refresh (issue 9).
  const rows = new Float64Array(out.length);
  for (let o = 0; o < out.length; o += width) {
    let sum = 0;
    for (let x = 0; x < Math.min(radius, width); x++) sum += out[o + x];
    for (let x = 0; x < width; x++) {
      if (x + radius < width) sum += out[o + x + radius];
      if (x - radius - 1 >= 0) sum -= out[o + x - radius - 1];
      rows[o + x] = sum / (Math.min(width - 1, x + radius) - Math.max(0, x - radius) + 1);
    }
  }
  const sums = new Float64Array(width);
  const addRow = (y: number, sign: number) => {
    for (let x = 0, o = y * width; x < width; x++) sums[x] += sign * rows[o + x];
  };
  for (let y = 0; y < Math.min(radius, height); y++) addRow(y, 1);
  for (let y = 0; y < height; y++) {
    if (y + radius < height) addRow(y + radius, 1);
    if (y - radius - 1 >= 0) addRow(y - radius - 1, -1);
    const count = Math.min(height - 1, y + radius) - Math.max(0, y - radius) + 1;
    for (let x = 0, o = y * width; x < width; x++) out[o + x] = sums[x] / count;
  }
  return out;
}
