// The uncertainty view of a segmentation (ilastik-style: bright where the head is unsure). Class colours
// use classIndexOverlay (superpixelOverlay.ts).
import type { OverlayPixels } from './superpixelOverlay.ts';

/** Confidence 0..255 per pixel → orange with alpha growing as confidence falls. */
export function uncertaintyOverlay(confidence: Uint8Array, width: number, height: number): OverlayPixels {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < confidence.length; i++) {
    data[i * 4] = 255;
    data[i * 4 + 1] = 80;
    data[i * 4 + 2] = 40;
    data[i * 4 + 3] = 255 - confidence[i];
  }
  return { width, height, data };
}
