import { describe, expect, it } from 'vitest';
import { encode } from 'fast-png';
import { encodeClassIndexPng } from '../core/pngCodec.ts';
import { vocPalette } from '../core/labelSets.ts';
import { pngHeader, resampleNearest } from './groundTruthSlice.ts';

describe('pngHeader', () => {
  it('reads size and tells single-channel masks from colour images', () => {
    expect(pngHeader(encodeClassIndexPng(new Uint8Array(12), 4, 3, vocPalette()))).toEqual({ width: 4, height: 3, singleChannel: true });
    expect(pngHeader(encode({ width: 5, height: 2, data: new Uint8Array(10), depth: 8, channels: 1 }))).toEqual({ width: 5, height: 2, singleChannel: true });
    expect(pngHeader(encode({ width: 5, height: 2, data: new Uint8Array(30), depth: 8, channels: 3 }))?.singleChannel).toBe(false);
  });

  it('is undefined for anything but a PNG', () => {
    expect(pngHeader(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new Array(30).fill(0)]))).toBeUndefined();
    expect(pngHeader(new Uint8Array(4))).toBeUndefined();
  });
});

describe('resampleNearest', () => {
  it('samples at output pixel centres and never blends class indices', () => {
    // Halving 4×2 to 2×1: centres fall on source pixels (1, 1) and (3, 1).
    const values = Uint8Array.from([1, 1, 7, 7, 1, 2, 7, 255]);
    expect([...resampleNearest(values, 4, 2, 2, 1)]).toEqual([2, 255]);
  });

  it('is the identity at the same size', () => {
    const values = Uint8Array.from({ length: 35 }, (_, i) => i % 5);
    expect([...resampleNearest(values, 7, 5, 7, 5)]).toEqual([...values]);
  });

  it('only ever outputs values of the input', () => {
    const values = Uint8Array.from({ length: 97 * 61 }, (_, i) => (i * 31) % 21);
    const out = resampleNearest(values, 97, 61, 40, 25);
    expect(out.length).toBe(1000);
    expect([...out].every((v) => v < 21)).toBe(true);
  });
});
