import { describe, expect, it } from 'vitest';
import { classColors, uncertainty } from './segmentationOverlay.ts';

describe('segmentation overlays', () => {
  it('colours classes and leaves unknown and ignored pixels transparent', () => {
    const img = classColors(Uint8Array.from([0, 1, 7, 255]), 2, 2, ['#000000', '#ff8000']);
    expect([...img.data.slice(0, 8)]).toEqual([0, 0, 0, 255, 255, 128, 0, 255]);
    expect(img.data[11]).toBe(0);
    expect(img.data[15]).toBe(0);
  });

  it('makes unsure pixels opaque and sure ones transparent', () => {
    const img = uncertainty(Uint8Array.from([255, 0]), 2, 1);
    expect(img.data[3]).toBe(0);
    expect(img.data[7]).toBe(255);
  });
});
