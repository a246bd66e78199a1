import { describe, expect, it } from 'vitest';
import { uncertaintyOverlay } from './segmentationOverlay.ts';

describe('uncertaintyOverlay', () => {
  it('makes unsure pixels opaque and sure ones transparent', () => {
    const img = uncertaintyOverlay(Uint8Array.from([255, 0]), 2, 1);
    expect(img.data[3]).toBe(0);
    expect(img.data[7]).toBe(255);
  });
});
