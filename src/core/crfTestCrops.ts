// Small real crops for the dense CRF tests (§2.1.2): 20×15 BSDS500 windows that straddle a boundary of the
// first annotator's segmentation, small enough for the O(N²) reference.
import sharp from 'sharp';
import { sharedDataPath } from './testData.ts';

/** Top-left corner of a 20×15 window with two ground-truth segments of at least 80 pixels each. */
const WINDOWS: Record<string, [number, number]> = {
  '100007': [220, 150],
  '100099': [40, 15],
  '101027': [40, 15],
};
export const CROP_WIDTH = 20;
export const CROP_HEIGHT = 15;

export interface Crop {
  width: number;
  height: number;
  data: Uint8Array;
  /** Segment per pixel, renumbered 0, 1, … in order of first appearance. */
  segments: Int32Array;
  segmentCount: number;
}

async function window(path: string, stem: string): Promise<{ data: Uint8Array; channels: number }> {
  const [left, top] = WINDOWS[stem];
  const { data, info } = await sharp(path).extract({ left, top, width: CROP_WIDTH, height: CROP_HEIGHT }).raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), channels: info.channels };
}

/** The RGBA crop of BSDS500 image `stem` and its ground-truth segments (seg0). */
export async function crfCrop(stem: string): Promise<Crop> {
  const rgb = await window(sharedDataPath('bsds500', 'images', `${stem}.jpg`), stem);
  const gt = await window(sharedDataPath('bsds500', 'groundTruth', `${stem}_seg0.png`), stem);
  const n = CROP_WIDTH * CROP_HEIGHT;
  const data = new Uint8Array(n * 4);
  const segments = new Int32Array(n);
  const ids = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) data[i * 4 + c] = rgb.data[i * rgb.channels + c];
    data[i * 4 + 3] = 255;
    const id = gt.data[i * gt.channels];
    if (!ids.has(id)) ids.set(id, ids.size);
    segments[i] = ids.get(id)!;
  }
  return { width: CROP_WIDTH, height: CROP_HEIGHT, data, segments, segmentCount: ids.size };
}
