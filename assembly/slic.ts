// SLIC (thesis §2.1.1.1, Algorithm 1, eq. 2.1.1) in WebAssembly with 128-bit SIMD: the same arithmetic as
// src/core/cielab.ts, slicSeeds.ts and slicClusters.ts, operation for operation, so the labels are identical.
// The assignment runs two pixels per instruction in f64x2 lanes: IEEE add, mul and sqrt round the same in a
// lane as in a scalar, which f32x4 would not (it would flip near-ties). Buffers are laid out by the caller
// (src/core/slicWasm.ts) above __heap_base; nothing here allocates.

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

/** sRGB → CIELAB with the caller's transfer-curve and f(t) tables, written planar (L, a, b) and interleaved. */
export function toLab(rgba: usize, n: i32, linear: usize, fTable: usize, planeL: usize, planeA: usize, planeB: usize, interleaved: usize): void {
  for (let p = 0; p < n; p++) {
    const q = rgba + (<usize>p << 2);
    const r = load<f64>(linear + (<usize>load<u8>(q) << 3));
    const g = load<f64>(linear + (<usize>load<u8>(q, 1) << 3));
    const b = load<f64>(linear + (<usize>load<u8>(q, 2) << 3));
    const fx = fastF(fTable, (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / WHITE_X);
    const fy = fastF(fTable, 0.2126729 * r + 0.7151522 * g + 0.072175 * b);
    const fz = fastF(fTable, (0.0193339 * r + 0.119192 * g + 0.9503041 * b) / WHITE_Z);
    const l = <f32>(116 * fy - 16);
    const a = <f32>(500 * (fx - fy));
    const bb = <f32>(200 * (fy - fz));
    const o = <usize>p << 2;
    store<f32>(planeL + o, l);
    store<f32>(planeA + o, a);
    store<f32>(planeB + o, bb);
    const o3 = interleaved + <usize>p * 12;
    store<f32>(o3, l);
    store<f32>(o3, a, 4);
    store<f32>(o3, bb, 8);
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

/** Lines 6–11: every pixel goes to the nearest centre whose 2S×2S window covers it; labels kept as f64. */
export function assign(planeL: usize, planeA: usize, planeB: usize, width: i32, height: i32, centres: usize, count: i32, step: f64, ratio: f64, labels: usize, dist: usize): void {
  const n = width * height;
  for (let p = 0; p < n; p++) store<f64>(dist + (<usize>p << 3), Infinity);
  const vratio = f64x2.splat(ratio);
  const two = f64x2.splat(2);
  for (let c = 0; c < count; c++) {
    const o = centres + <usize>c * 40;
    const cl = load<f64>(o);
    const ca = load<f64>(o, 8);
    const cb = load<f64>(o, 16);
    const cx = load<f64>(o, 24);
    const cy = load<f64>(o, 32);
    const x0 = <i32>max(0, Math.ceil(cx - step));
    const x1 = <i32>min(<f64>(width - 1), Math.floor(cx + step));
    const y0 = <i32>max(0, Math.ceil(cy - step));
    const y1 = <i32>min(<f64>(height - 1), Math.floor(cy + step));
    const vcl = f64x2.splat(cl);
    const vca = f64x2.splat(ca);
    const vcb = f64x2.splat(cb);
    const vc = f64x2.splat(<f64>c);
    for (let y = y0; y <= y1; y++) {
      const dy = <f64>y - cy;
      const dy2 = dy * dy;
      const vdy2 = f64x2.splat(dy2);
      let vdx = f64x2(<f64>x0 - cx, <f64>(x0 + 1) - cx);
      let x = x0;
      let p = y * width + x0;
      for (; x < x1; x += 2, p += 2) {
        const o4 = <usize>p << 2;
        const dl = f64x2.sub(f64x2.promote_low_f32x4(v128.load64_zero(planeL + o4)), vcl);
        const da = f64x2.sub(f64x2.promote_low_f32x4(v128.load64_zero(planeA + o4)), vca);
        const db = f64x2.sub(f64x2.promote_low_f32x4(v128.load64_zero(planeB + o4)), vcb);
        const colour = f64x2.sqrt(f64x2.add(f64x2.add(f64x2.mul(dl, dl), f64x2.mul(da, da)), f64x2.mul(db, db)));
        const d = f64x2.add(colour, f64x2.mul(vratio, f64x2.sqrt(f64x2.add(f64x2.mul(vdx, vdx), vdy2))));
        const o8 = <usize>p << 3;
        const old = v128.load(dist + o8);
        const closer = f64x2.lt(d, old);
        v128.store(dist + o8, v128.bitselect(d, old, closer));
        v128.store(labels + o8, v128.bitselect(vc, v128.load(labels + o8), closer));
        vdx = f64x2.add(vdx, two);
      }
      if (x === x1) {
        const dx = <f64>x - cx;
        const dl = plane(planeL, p) - cl;
        const da = plane(planeA, p) - ca;
        const db = plane(planeB, p) - cb;
        const d = Math.sqrt(dl * dl + da * da + db * db) + ratio * Math.sqrt(dx * dx + dy2);
        const o8 = <usize>p << 3;
        if (d < load<f64>(dist + o8)) {
          store<f64>(dist + o8, d);
          store<f64>(labels + o8, <f64>c);
        }
      }
    }
  }
}

@inline
function addRun(sums: usize, label: f64, l: f64, a: f64, b: f64, xs: f64, y: i32, length: i32): void {
  if (label < 0) return;
  const o = sums + <usize>(<i32>label) * 48;
  store<f64>(o, load<f64>(o) + l);
  store<f64>(o, load<f64>(o, 8) + a, 8);
  store<f64>(o, load<f64>(o, 16) + b, 16);
  store<f64>(o, load<f64>(o, 24) + xs, 24);
  store<f64>(o, load<f64>(o, 32) + <f64>y * <f64>length, 32);
  store<f64>(o, load<f64>(o, 40) + <f64>length, 40);
}

/** Lines 12–13: centres become the mean [l a b x y] of their pixels, summed per horizontal run as in TS. */
export function update(planeL: usize, planeA: usize, planeB: usize, width: i32, height: i32, labels: usize, centres: usize, count: i32, sums: usize): f64 {
  memory.fill(sums, 0, <usize>count * 48);
  let p = 0;
  for (let y = 0; y < height; y++) {
    let run = load<f64>(labels + (<usize>p << 3));
    let l: f64 = 0;
    let a: f64 = 0;
    let b: f64 = 0;
    let xs: f64 = 0;
    let start = 0;
    for (let x = 0; x < width; x++, p++) {
      const c = load<f64>(labels + (<usize>p << 3));
      if (c != run) {
        addRun(sums, run, l, a, b, xs, y, x - start);
        run = c;
        l = a = b = xs = 0;
        start = x;
      }
      l += plane(planeL, p);
      a += plane(planeA, p);
      b += plane(planeB, p);
      xs += <f64>x;
    }
    addRun(sums, run, l, a, b, xs, y, width - start);
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

/** The f64 labels of `assign` as i32 (−1 where no window reached). */
export function labelsToInt(labels: usize, out: usize, n: i32): void {
  for (let p = 0; p < n; p++) store<i32>(out + (<usize>p << 2), <i32>load<f64>(labels + (<usize>p << 3)));
}

/** Every label −1, before the first assignment. */
export function clearLabels(labels: usize, n: i32): void {
  for (let p = 0; p < n; p++) store<f64>(labels + (<usize>p << 3), -1);
}
