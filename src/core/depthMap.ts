// Depth maps as thesis §5.5 measures them: metres per pixel, 0 where unknown; files hold millimetres in 16 bits.
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

/** Rounded millimetres for a 16-bit file; positive depths stay ≥ 1 mm so they never read as "unknown". */
export function depthToMillimetres(depth: DepthMap): Int32Array {
  return Int32Array.from(depth.metres, (m) => (m > 0 ? Math.min(65535, Math.max(1, Math.round(m * 1000))) : 0));
}
