// Depth maps as thesis §5.5 measures them: metres per pixel, 0 where unknown; files hold millimetres in a
// 16-bit grayscale PNG (NYUv2's convention, and what `cli depth` and the studio export).
import { encode } from 'fast-png';
import { decodeIndexPng } from './pngCodec.ts';

export interface DepthMap {
  width: number;
  height: number;
  /** Row-major metres; 0 = no measurement. */
  metres: Float32Array;
}

export function depthFromMillimetres(width: number, height: number, mm: ArrayLike<number>): DepthMap {
  if (mm.length !== width * height) throw new Error(`${mm.length} depth values for a ${width}×${height} map`);
  return { width, height, metres: Float32Array.from(mm, (v) => v / 1000) };
}

/** Rounded millimetres; positive depths stay ≥ 1 mm so they never read as "unknown". */
/** The farthest depth a 16-bit PNG in millimetres holds: farther is written as this (an outdoor sky). */
export const MAX_DEPTH_PNG_METRES = 65.535;

/** How many pixels lie beyond what the PNG holds (written clamped to MAX_DEPTH_PNG_METRES). */
export function beyondDepthPng(depth: DepthMap): number {
  let n = 0;
  for (const m of depth.metres) if (m > MAX_DEPTH_PNG_METRES) n++;
  return n;
}

export function depthToMillimetres(depth: DepthMap): Uint16Array {
  return Uint16Array.from(depth.metres, (m) => (m > 0 ? Math.min(65535, Math.max(1, Math.round(m * 1000))) : 0));
}

export function decodeDepthPng(bytes: Uint8Array): DepthMap {
  const png = decodeIndexPng(bytes);
  if (!(png.values instanceof Uint16Array)) throw new Error('a depth PNG holds 16-bit millimetres; this one is 8-bit');
  return depthFromMillimetres(png.width, png.height, png.values);
}

export function encodeDepthPng(depth: DepthMap): Uint8Array {
  return encode({ width: depth.width, height: depth.height, data: depthToMillimetres(depth), depth: 16, channels: 1 });
}
