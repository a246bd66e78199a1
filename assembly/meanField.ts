// Mean-field inference of the dense CRF (thesis §2.1.2, eqs. 2.1.5–2.1.6; Krähenbühl & Koltun, Algorithm 1)
// in WebAssembly: the loop of src/core/denseCrf.ts with both kernels filtered on the lattices of
// assembly/permutohedral.ts, in f32 (the TypeScript version rounds to f32 between steps too).
import { filter } from './permutohedral';

/** Classes in play at most (the TypeScript version allows 256 classes in all). */
const MAX_ACTIVE: i32 = 256;
const energy = memory.data(4 * MAX_ACTIVE);

@inline function at(base: usize, i: i32): usize {
  return base + (<usize>i << 2);
}

/** q[o..o+a) = softmax(energy[0..a)). */
@inline function softmax(q: usize, o: i32, a: i32): void {
  let top = load<f32>(energy);
  for (let c = 1; c < a; c++) top = max(top, load<f32>(at(energy, c)));
  let sum: f32 = 0;
  for (let c = 0; c < a; c++) {
    const e = Mathf.exp(load<f32>(at(energy, c)) - top);
    store<f32>(at(energy, c), e);
    sum += e;
  }
  const inv: f32 = 1 / sum;
  for (let c = 0; c < a; c++) store<f32>(at(q, o + c), load<f32>(at(energy, c)) * inv);
}

/**
 * `softmax` of two energies with one exponential, the common case (a click's classes against the background).
 * The exponent is capped where e/(1 + e) would be ∞/∞; e^80 already makes the first class's share 2e-35.
 */
@inline function pair(q: usize, o: i32): void {
  const e = Mathf.exp(min<f32>(load<f32>(energy, 4) - load<f32>(energy), 80));
  const inv: f32 = 1 / (1 + e);
  store<f32>(at(q, o), inv);
  store<f32>(at(q, o + 1), e * inv);
}

/**
 * `iterations` mean-field steps over `n` pixels and `a` active classes, then each pixel's label.
 * - `appearance`, `smoothness`: lattice descriptors (assembly/permutohedral.ts), normalizers included.
 * - `logp`: [regions × a] log-probabilities; `region`: the region of each pixel (i32), or 0 for one per pixel.
 * - `fixed`: per pixel a class or 255 (u8), or 0 for none; `fixedIndex`: 256 bytes, a class's active index or 255.
 * - `q`: [n × a] marginals out (12 bytes readable past its end); `msgA`, `msgS`: [n × stride] filtered Q, with
 *   stride 1 when a = 2 and else a − 1 rounded up to four; `bufA`, `bufB`: (vertices + 1) × 4 floats.
 * - `labels`: n bytes out, the active class (as `activeClass`, a byte per active index) of the largest Q.
 * Q sums to 1 and the normalized filters are linear, so the last class's message is w − the others'.
 */
export function meanField(
  appearance: usize,
  smoothness: usize,
  n: i32,
  a: i32,
  iterations: i32,
  w1: f32,
  w2: f32,
  logp: usize,
  region: usize,
  fixed: usize,
  fixedIndex: usize,
  q: usize,
  msgA: usize,
  msgS: usize,
  stride: i32,
  bufA: usize,
  bufB: usize,
  labels: usize,
  activeClass: usize,
): void {
  const normA = <usize>load<i32>(appearance, 28);
  const normS = <usize>load<i32>(smoothness, 28);
  for (let i = 0; i < n; i++) {
    const f: i32 = fixed ? <i32>load<u8>(fixedIndex + <usize>load<u8>(fixed + <usize>i)) : 255;
    if (f == 255) {
      const r = region ? load<i32>(at(region, i)) : i;
      memory.copy(energy, at(logp, r * a), <usize>a << 2);
      softmax(q, i * a, a);
    } else {
      memory.fill(at(q, i * a), 0, <usize>a << 2);
      store<f32>(at(q, i * a + f), 1);
    }
  }
  const last = a - 1;
  const bytes = <usize>n * <usize>stride * 4;
  if (w1 == 0) memory.fill(msgA, 0, bytes);
  if (w2 == 0) memory.fill(msgS, 0, bytes);
  for (let it = 0; it < iterations; it++) {
    if (w1 != 0) filter(appearance, q, a, last, msgA, stride, bufA, bufB);
    if (w2 != 0) filter(smoothness, q, a, last, msgS, stride, bufA, bufB);
    for (let i = 0; i < n; i++) {
      if (fixed && load<u8>(fixedIndex + <usize>load<u8>(fixed + <usize>i)) != 255) continue;
      const r = (region ? load<i32>(at(region, i)) : i) * a;
      const wa = w1 * load<f32>(at(normA, i));
      const ws = w2 * load<f32>(at(normS, i));
      let restA = w1;
      let restS = w2;
      const o = i * stride;
      for (let c = 0; c < last; c++) {
        const ma = wa * load<f32>(at(msgA, o + c));
        const ms = ws * load<f32>(at(msgS, o + c));
        restA -= ma;
        restS -= ms;
        store<f32>(at(energy, c), load<f32>(at(logp, r + c)) + ma + ms);
      }
      store<f32>(at(energy, last), load<f32>(at(logp, r + last)) + restA + restS);
      if (a == 2) pair(q, i * 2);
      else softmax(q, i * a, a);
    }
  }
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < a; c++) if (load<f32>(at(q, i * a + c)) > load<f32>(at(q, i * a + best))) best = c;
    store<u8>(labels + <usize>i, load<u8>(activeClass + <usize>best));
  }
}
