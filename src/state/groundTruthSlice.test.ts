import { describe, expect, it } from 'vitest';
import { encode } from 'fast-png';
import { encodeClassIndexPng } from '../core/pngCodec.ts';
import { vocPalette } from '../core/labelSets.ts';
import { pngHeader } from './groundTruthSlice.ts';

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
