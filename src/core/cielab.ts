// sRGB (D65) → CIELAB, the colour space SLIC clusters in (thesis §2.1.1.1): equal steps in Lab are roughly
// equal perceived changes, which is what makes the colour distance of eq. 2.1.1 meaningful.
import type { RgbaImage } from './types.ts';

const EPSILON = 216 / 24389;
const KAPPA = 24389 / 27;
const WHITE_X = 0.95047;
const WHITE_Z = 1.08883;

// The sRGB transfer curve is evaluated once per 8-bit level instead of a pow() per channel per pixel. Both
// tables are exported so the WebAssembly SLIC (slicWasm.ts) converts with exactly these values.
export const LINEAR = new Float64Array(256);
for (let v = 0; v < 256; v++) {
  const c = v / 255;
  LINEAR[v] = c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
}

/** The CIELAB companding function f(t) of the CIE definition. */
export function labF(t: number): number {
  return t > EPSILON ? Math.cbrt(t) : (KAPPA * t + 16) / 116;
}

// Math.cbrt costs ~10 ns in V8, three per pixel; a table with linear interpolation is exact to ~5e-6 in f
// (below 1e-3 in L, a, b). sRGB never goes past the white point, so t ≤ 1 up to rounding; the extra entry
// covers that rounding.
const F_STEPS = 8192;
export const F_TABLE = new Float64Array(F_STEPS + 2);
for (let i = 0; i <= F_STEPS + 1; i++) F_TABLE[i] = labF(i / F_STEPS);

function fastF(t: number): number {
  const u = t * F_STEPS;
  const i = u | 0;
  const w = u - i;
  return F_TABLE[i] + w * (F_TABLE[i + 1] - F_TABLE[i]);
}

/** CIELAB (L in 0..100) of every pixel, interleaved L, a, b; alpha is ignored. */
export function rgbaToLab(image: RgbaImage): Float32Array {
  const { data } = image;
  const n = image.width * image.height;
  const lab = new Float32Array(n * 3);
  for (let p = 0, q = 0, o = 0; p < n; p++, q += 4, o += 3) {
    const r = LINEAR[data[q]];
    const g = LINEAR[data[q + 1]];
    const b = LINEAR[data[q + 2]];
    const fx = fastF((0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / WHITE_X);
    const fy = fastF(0.2126729 * r + 0.7151522 * g + 0.072175 * b);
    const fz = fastF((0.0193339 * r + 0.119192 * g + 0.9503041 * b) / WHITE_Z);
    lab[o] = 116 * fy - 16;
    lab[o + 1] = 500 * (fx - fy);
    lab[o + 2] = 200 * (fy - fz);
  }
  return lab;
}
