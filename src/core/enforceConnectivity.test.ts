import { describe, it, expect } from 'vitest';
import { enforceConnectivity } from './enforceConnectivity.ts';
import { expectConnectedDense } from './slicTestHelpers.ts';

/** Parses rows of single-character labels ('.' = -1, unassigned). */
function grid(rows: string[]): { labels: Int32Array; width: number; height: number } {
  const width = rows[0].length;
  const labels = Int32Array.from(rows.join(''), (ch) => (ch === '.' ? -1 : ch.charCodeAt(0) - 97));
  return { labels, width, height: rows.length };
}

/** A uniform colour image: only the geometry decides. */
const grey = (n: number) => new Float32Array(n * 3);

function show(labels: Int32Array, width: number): string[] {
  const rows: string[] = [];
  for (let p = 0; p < labels.length; p += width) rows.push(String.fromCharCode(...[...labels.subarray(p, p + width)].map((l) => 97 + l)));
  return rows;
}

describe('enforceConnectivity', () => {
  it('splits a label in two pieces into two labels', () => {
    const { labels, width, height } = grid(['aab', 'aab', 'bba']);
    const out = enforceConnectivity(labels, grey(labels.length), width, height, 1);
    expect(out.count).toBe(4);
    expect(show(out.labels, width)).toEqual(['aab', 'aab', 'ccd']);
  });

  it('merges pieces below the minimum size into an adjacent piece', () => {
    const { labels, width, height } = grid(['aaaa', 'abaa', 'aaaa', 'cccc']);
    const out = enforceConnectivity(labels, grey(labels.length), width, height, 2);
    expect(out.count).toBe(2);
    expect(show(out.labels, width)).toEqual(['aaaa', 'aaaa', 'aaaa', 'bbbb']);
  });

  it('treats unassigned pixels (-1) as pieces of their own', () => {
    const { labels, width, height } = grid(['aa..', 'aa..', 'bbbb']);
    const out = enforceConnectivity(labels, grey(labels.length), width, height, 1);
    expect(show(out.labels, width)).toEqual(['aabb', 'aabb', 'cccc']);
  });

  it('merges a small piece at the first pixel, which has no earlier neighbour', () => {
    const { labels, width, height } = grid(['abbb', 'bbbb', 'cccc']);
    const out = enforceConnectivity(labels, grey(labels.length), width, height, 2);
    expect(out.count).toBe(2);
    expect(show(out.labels, width)).toEqual(['aaaa', 'aaaa', 'bbbb']);
  });

  it('keeps a lone small piece when it is the whole image', () => {
    const out = enforceConnectivity(new Int32Array([5, 5]), grey(2), 2, 1, 10);
    expect(out.count).toBe(1);
    expect([...out.labels]).toEqual([0, 0]);
  });

  it('merges a small piece into the neighbour closest in colour', () => {
    const { labels, width, height } = grid(['aaaa', 'abcc', 'aacc']);
    // a is dark, b and c bright: b joins c although a touches it on more sides and comes first.
    const colour = Float32Array.from([...labels].flatMap((l) => (l === 0 ? [10, 0, 0] : [90, 5, 0])));
    const out = enforceConnectivity(labels, colour, width, height, 2);
    expect(show(out.labels, width)).toEqual(['aaaa', 'abbb', 'aabb']);
  });
});

describe('enforceConnectivity on random label maps', () => {
  it('always returns dense, 4-connected regions of at least the minimum size', () => {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let trial = 0; trial < 200; trial++) {
      const width = 20 + Math.floor(random() * 20);
      const height = 10 + Math.floor(random() * 20);
      // Blocky noise: random 3×3 blocks with some single-pixel speckle, like an unconverged SLIC.
      const labels = new Int32Array(width * height);
      for (let p = 0; p < labels.length; p++) {
        const block = Math.floor((p % width) / 3) * 97 + Math.floor(p / width / 3) * 13;
        labels[p] = random() < 0.15 ? Math.floor(random() * 4) : block % 5;
      }
      const colour = Float32Array.from({ length: labels.length * 3 }, () => random() * 100);
      const minSize = 1 + Math.floor(random() * 12);
      const out = enforceConnectivity(labels, colour, width, height, minSize);
      expectConnectedDense(out.labels, width, height, out.count);
      const sizes = new Array<number>(out.count).fill(0);
      for (const l of out.labels) sizes[l]++;
      if (out.count > 1) expect(Math.min(...sizes)).toBeGreaterThanOrEqual(minSize);
    }
  });
});
