// The dense CRF (thesis §2.1.2) in WebAssembly SIMD: the permutohedral lattice and mean-field inference of
// src/core/permutohedralLattice.ts and denseCrf.ts, which stay the reference (crfWasm.test.ts). Buffers are laid
// out by src/core/crfWasm.ts above __heap_base; the lattice's construction grows its scratch space above them.
export { buildLattice, filter, latticeAfter, latticeBefore, normalizer, scratchEnd } from './permutohedral';
export { meanField } from './meanField';

export function heapBase(): usize {
  return __heap_base;
}
