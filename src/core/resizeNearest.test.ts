import { describe, expect, it } from 'vitest';
import { resizeNearest } from './resizeNearest.ts';

describe('resizeNearest', () => {
  it('upsamples by an integer factor by repeating pixels', () => {
    const out = resizeNearest(Uint8Array.from([1, 2, 3, 4]), 2, 2, 4, 4);
    expect([...out]).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  });

  it('maps each output pixel centre to the source pixel containing it', () => {
    const src = Uint8Array.from({ length: 7 * 5 }, (_, i) => i);
    const out = resizeNearest(src, 7, 5, 13, 3);
    for (let y = 0; y < 3; y++)
      for (let x = 0; x < 13; x++) {
        const sx = Math.floor(((x + 0.5) / 13) * 7);
        const sy = Math.floor(((y + 0.5) / 3) * 5);
        expect(out[y * 13 + x]).toBe(src[sy * 7 + sx]);
      }
  });
});

describe('resizeNearest on class maps', () => {
  it('samples at output pixel centres and never blends class indices', () => {
    // Halving 4×2 to 2×1: centres fall on source pixels (1, 1) and (3, 1).
    const values = Uint8Array.from([1, 1, 7, 7, 1, 2, 7, 255]);
    expect([...resizeNearest(values, 4, 2, 2, 1)]).toEqual([2, 255]);
  });

  it('is the identity at the same size', () => {
    const values = Uint8Array.from({ length: 35 }, (_, i) => i % 5);
    expect([...resizeNearest(values, 7, 5, 7, 5)]).toEqual([...values]);
  });

  it('only ever outputs values of the input', () => {
    const values = Uint8Array.from({ length: 97 * 61 }, (_, i) => (i * 31) % 21);
    const out = resizeNearest(values, 97, 61, 40, 25);
    expect(out.length).toBe(1000);
    expect([...out].every((v) => v < 21)).toBe(true);
  });
});
