// SLIC (thesis §2.1.1.1, Algorithm 1, eq. 2.1.1) in WebAssembly with 128-bit SIMD: the same arithmetic as
// src/core/cielab.ts, slicSeeds.ts and slicClusters.ts, operation for operation, so the labels are identical.
// The assignment runs four pixels per instruction in f32x4 lanes; TypeScript computes the same float32
// distance (Math.fround after every operation: IEEE add, mul and sqrt round alike in a lane and a scalar).
// Buffers are laid out by the caller (src/core/slicWasm.ts) above __heap_base; nothing here allocates.

export function heapBase(): usize {
  return __heap_base;
}

const F_STEPS: f64 = 8192;
const WHITE_X: f64 = 0.95047;
const WHITE_Z: f64 = 1.08883;

@inline
function fastF(table: usize, t: f64): f64 {
  const u = t * F_STEPS;
  const i = <i32>u;
  const w = u - <f64>i;
  const a = load<f64>(table + (<usize>i << 3));
  const b = load<f64>(table + ((<usize>i + 1) << 3));
  return a + w * (b - a);
}

/** fastF of two values, one per f64 lane: the same IEEE operations as the scalar, so the same results. */
@inline
function fastF2(table: usize, t: v128): v128 {
  const u = f64x2.mul(t, f64x2.splat(F_STEPS));
  const i = i32x4.trunc_sat_f64x2_s_zero(u);
  const w = f64x2.sub(u, f64x2.convert_low_i32x4_s(i));
  const i0 = table + (<usize>i32x4.extract_lane(i, 0) << 3);
  const i1 = table + (<usize>i32x4.extract_lane(i, 1) << 3);
  const a = f64x2.replace_lane(f64x2.splat(load<f64>(i0)), 1, load<f64>(i1));
  const b = f64x2.replace_lane(f64x2.splat(load<f64>(i0, 8)), 1, load<f64>(i1, 8));
  return f64x2.add(a, f64x2.mul(w, f64x2.sub(b, a)));
}

@inline
function linearPair(linear: usize, q: usize, channel: usize): v128 {
  return f64x2.replace_lane(f64x2.splat(load<f64>(linear + (<usize>load<u8>(q + channel) << 3))), 1, load<f64>(linear + (<usize>load<u8>(q + 4 + channel) << 3)));
}

/**
 * sRGB → CIELAB with the caller's transfer-curve and f(t) tables, written as three planes (L, a, b): two pixels
 * at a time in f64 lanes (operation for operation the scalar arithmetic of cielab.ts), then any last one.
 */
export function toLab(rgba: usize, n: i32, linear: usize, fTable: usize, planeL: usize, planeA: usize, planeB: usize): void {
  const wx = f64x2.splat(WHITE_X);
  const wz = f64x2.splat(WHITE_Z);
  let p = 0;
  for (; p + 1 < n; p += 2) {
    const q = rgba + (<usize>p << 2);
    const r = linearPair(linear, q, 0);
    const g = linearPair(linear, q, 1);
    const b = linearPair(linear, q, 2);
    const fx = fastF2(fTable, f64x2.div(f64x2.add(f64x2.add(f64x2.mul(f64x2.splat(0.4124564), r), f64x2.mul(f64x2.splat(0.3575761), g)), f64x2.mul(f64x2.splat(0.1804375), b)), wx));
    const fy = fastF2(fTable, f64x2.add(f64x2.add(f64x2.mul(f64x2.splat(0.2126729), r), f64x2.mul(f64x2.splat(0.7151522), g)), f64x2.mul(f64x2.splat(0.072175), b)));
    const fz = fastF2(fTable, f64x2.div(f64x2.add(f64x2.add(f64x2.mul(f64x2.splat(0.0193339), r), f64x2.mul(f64x2.splat(0.119192), g)), f64x2.mul(f64x2.splat(0.9503041), b)), wz));
    const l = f32x4.demote_f64x2_zero(f64x2.sub(f64x2.mul(f64x2.splat(116), fy), f64x2.splat(16)));
    const a = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.splat(500), f64x2.sub(fx, fy)));
    const bb = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.splat(200), f64x2.sub(fy, fz)));
    const o = <usize>p << 2;
    v128.store64_lane(planeL + o, l, 0);
    v128.store64_lane(planeA + o, a, 0);
    v128.store64_lane(planeB + o, bb, 0);
  }
  for (; p < n; p++) {
    const q = rgba + (<usize>p << 2);
    const r = load<f64>(linear + (<usize>load<u8>(q) << 3));
    const g = load<f64>(linear + (<usize>load<u8>(q, 1) << 3));
    const b = load<f64>(linear + (<usize>load<u8>(q, 2) << 3));
    const fx = fastF(fTable, (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / WHITE_X);
    const fy = fastF(fTable, 0.2126729 * r + 0.7151522 * g + 0.072175 * b);
    const fz = fastF(fTable, (0.0193339 * r + 0.119192 * g + 0.9503041 * b) / WHITE_Z);
    const o = <usize>p << 2;
    store<f32>(planeL + o, <f32>(116 * fy - 16));
    store<f32>(planeA + o, <f32>(500 * (fx - fy)));
    store<f32>(planeB + o, <f32>(200 * (fy - fz)));
  }
}

@inline
function plane(ptr: usize, p: i32): f64 {
  return <f64>load<f32>(ptr + (<usize>p << 2));
}

function gradient(planeL: usize, planeA: usize, planeB: usize, width: i32, x: i32, y: i32): f64 {
  const l = y * width + x - 1;
  const r = l + 2;
  const u = (y - 1) * width + x;
  const d = (y + 1) * width + x;
  let g: f64 = 0;
  let gx = plane(planeL, r) - plane(planeL, l);
  let gy = plane(planeL, d) - plane(planeL, u);
  g += gx * gx + gy * gy;
  gx = plane(planeA, r) - plane(planeA, l);
  gy = plane(planeA, d) - plane(planeA, u);
  g += gx * gx + gy * gy;
  gx = plane(planeB, r) - plane(planeB, l);
  gy = plane(planeB, d) - plane(planeB, u);
  g += gx * gx + gy * gy;
  return g;
}

/** Lines 1–2: an nx × ny grid of seeds, each moved to the lowest Lab gradient of its 3×3 neighbourhood. */
export function seeds(planeL: usize, planeA: usize, planeB: usize, width: i32, height: i32, nx: i32, ny: i32, centres: usize): void {
  let o = centres;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      let x = <i32>Math.floor(((<f64>i + 0.5) * <f64>width) / <f64>nx);
      let y = <i32>Math.floor(((<f64>j + 0.5) * <f64>height) / <f64>ny);
      if (width >= 3 && height >= 3) {
        let best = Infinity;
        let bx = x;
        let by = y;
        const yEnd = min(height - 2, y + 1);
        const xEnd = min(width - 2, x + 1);
        for (let yy = max(1, y - 1); yy <= yEnd; yy++) {
          for (let xx = max(1, x - 1); xx <= xEnd; xx++) {
            const g = gradient(planeL, planeA, planeB, width, xx, yy);
            if (g < best) {
              best = g;
              bx = xx;
              by = yy;
            }
          }
        }
        x = bx;
        y = by;
      }
      const p = y * width + x;
      store<f64>(o, plane(planeL, p));
      store<f64>(o, plane(planeA, p), 8);
      store<f64>(o, plane(planeB, p), 16);
      store<f64>(o, <f64>x, 24);
      store<f64>(o, <f64>y, 32);
      o += 40;
    }
  }
}

/** Lines 6–11: every pixel goes to the nearest centre whose 2S×2S window covers it, four pixels per step. */
export function assign(planeL: usize, planeA: usize, planeB: usize, width: i32, height: i32, centres: usize, count: i32, step: f64, ratio: f64, labels: usize, dist: usize): void {
  const n = width * height;
  for (let p = 0; p < n; p++) store<f32>(dist + (<usize>p << 2), Infinity);
  const ratio32 = <f32>ratio;
  const vratio = f32x4.splat(ratio32);
  const four = f32x4.splat(4);
  for (let c = 0; c < count; c++) {
    const o = centres + <usize>c * 40;
    const cl = <f32>load<f64>(o);
    const ca = <f32>load<f64>(o, 8);
    const cb = <f32>load<f64>(o, 16);
    const cx = load<f64>(o, 24);
    const cy = load<f64>(o, 32);
    const cx32 = <f32>cx;
    const x0 = <i32>max(0, Math.ceil(cx - step));
    const x1 = <i32>min(<f64>(width - 1), Math.floor(cx + step));
    const y0 = <i32>max(0, Math.ceil(cy - step));
    const y1 = <i32>min(<f64>(height - 1), Math.floor(cy + step));
    const vcl = f32x4.splat(cl);
    const vca = f32x4.splat(ca);
    const vcb = f32x4.splat(cb);
    const vcx = f32x4.splat(cx32);
    const vc = i32x4.splat(c);
    for (let y = y0; y <= y1; y++) {
      const dy = <f32>y - <f32>cy;
      const dy2 = dy * dy;
      const vdy2 = f32x4.splat(dy2);
      // Integer x in f32 lanes is exact, so dx = x − cx rounds once, as in the scalar tail and in TypeScript.
      let vx = f32x4(<f32>x0, <f32>(x0 + 1), <f32>(x0 + 2), <f32>(x0 + 3));
      let x = x0;
      let p = y * width + x0;
      for (; x + 3 <= x1; x += 4, p += 4) {
        const o4 = <usize>p << 2;
        const dl = f32x4.sub(v128.load(planeL + o4), vcl);
        const da = f32x4.sub(v128.load(planeA + o4), vca);
        const db = f32x4.sub(v128.load(planeB + o4), vcb);
        const colour = f32x4.sqrt(f32x4.add(f32x4.add(f32x4.mul(dl, dl), f32x4.mul(da, da)), f32x4.mul(db, db)));
        const dx = f32x4.sub(vx, vcx);
        const d = f32x4.add(colour, f32x4.mul(vratio, f32x4.sqrt(f32x4.add(f32x4.mul(dx, dx), vdy2))));
        const old = v128.load(dist + o4);
        const closer = f32x4.lt(d, old);
        v128.store(dist + o4, v128.bitselect(d, old, closer));
        v128.store(labels + o4, v128.bitselect(vc, v128.load(labels + o4), closer));
        vx = f32x4.add(vx, four);
      }
      for (; x <= x1; x++, p++) {
        const o4 = <usize>p << 2;
        const dx = <f32>x - cx32;
        const dl = load<f32>(planeL + o4) - cl;
        const da = load<f32>(planeA + o4) - ca;
        const db = load<f32>(planeB + o4) - cb;
        const d = Mathf.sqrt(dl * dl + da * da + db * db) + ratio32 * Mathf.sqrt(dx * dx + dy2);
        if (d < load<f32>(dist + o4)) {
          store<f32>(dist + o4, d);
          store<i32>(labels + o4, c);
        }
      }
    }
  }
}

@inline
function addRun(sums: usize, label: i32, l: f64, a: f64, b: f64, xs: f64, y: i32, length: i32): void {
  if (label < 0) return;
  const o = sums + <usize>label * 48;
  store<f64>(o, load<f64>(o) + l);
  store<f64>(o, load<f64>(o, 8) + a, 8);
  store<f64>(o, load<f64>(o, 16) + b, 16);
  store<f64>(o, load<f64>(o, 24) + xs, 24);
  store<f64>(o, load<f64>(o, 32) + <f64>y * <f64>length, 32);
  store<f64>(o, load<f64>(o, 40) + <f64>length, 40);
}

/** start + … + (end − 1): what TypeScript sums pixel by pixel, exactly (integers far below 2^53). */
@inline
function columnSum(start: i32, end: i32): f64 {
  return (<f64>(start + end - 1) * <f64>(end - start)) / 2;
}

/** Lines 12–13: centres become the mean [l a b x y] of their pixels, summed per horizontal run as in TS. */
export function update(planeL: usize, planeA: usize, planeB: usize, width: i32, height: i32, labels: usize, centres: usize, count: i32, sums: usize): f64 {
  memory.fill(sums, 0, <usize>count * 48);
  let p = 0;
  for (let y = 0; y < height; y++) {
    let run = load<i32>(labels + (<usize>p << 2));
    let l: f64 = 0;
    let a: f64 = 0;
    let b: f64 = 0;
    let start = 0;
    for (let x = 0; x < width; x++, p++) {
      const c = load<i32>(labels + (<usize>p << 2));
      if (c != run) {
        addRun(sums, run, l, a, b, columnSum(start, x), y, x - start);
        run = c;
        l = a = b = 0;
        start = x;
      }
      l += plane(planeL, p);
      a += plane(planeA, p);
      b += plane(planeB, p);
    }
    addRun(sums, run, l, a, b, columnSum(start, width), y, width - start);
  }
  let shift: f64 = 0;
  for (let c = 0; c < count; c++) {
    const s = sums + <usize>c * 48;
    const size = load<f64>(s, 40);
    if (size == 0) continue;
    const o = centres + <usize>c * 40;
    const nx = load<f64>(s, 24) / size;
    const ny = load<f64>(s, 32) / size;
    const dx = nx - load<f64>(o, 24);
    const dy = ny - load<f64>(o, 32);
    shift += Math.sqrt(dx * dx + dy * dy);
    store<f64>(o, load<f64>(s) / size);
    store<f64>(o, load<f64>(s, 8) / size, 8);
    store<f64>(o, load<f64>(s, 16) / size, 16);
    store<f64>(o, nx, 24);
    store<f64>(o, ny, 32);
  }
  return shift / <f64>count;
}

/** Every label −1, before the first assignment. */
export function clearLabels(labels: usize, n: i32): void {
  for (let p = 0; p < n; p++) store<i32>(labels + (<usize>p << 2), -1);
}
export { enforceConnectivity } from './enforceConnectivity';
export { superpixelStats } from './superpixelStats';
