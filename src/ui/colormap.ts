// Heatmaps drawn as RGBA with a perceptual ramp (an approximation of viridis) and value-proportional alpha,
// so weak responses leave the photo visible.
const STOPS: [number, number, number][] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

export function colorize(values: Float32Array, width: number, height: number): ImageData {
  const out = new ImageData(width, height);
  for (let i = 0; i < values.length; i++) {
    const v = Math.min(1, Math.max(0, values[i]));
    const t = v * (STOPS.length - 1);
    const k = Math.min(STOPS.length - 2, Math.floor(t));
    const f = t - k;
    const a = STOPS[k];
    const b = STOPS[k + 1];
    out.data[i * 4] = a[0] + (b[0] - a[0]) * f;
    out.data[i * 4 + 1] = a[1] + (b[1] - a[1]) * f;
    out.data[i * 4 + 2] = a[2] + (b[2] - a[2]) * f;
    out.data[i * 4 + 3] = 80 + 175 * v;
  }
  return out;
}
