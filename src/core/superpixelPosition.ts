// Where a superpixel sits in the frame, as regression inputs for its depth (docs/depth.md, after thesis §5.5):
// indoors the row alone explains much of the depth (floor near at the bottom, ceiling far at the top), so it
// must not be left to the CNN taps to rediscover.

/** Position columns, in this order. */
export const DEPTH_POSITION_FEATURES = ['row', 'row²', '|column − ½|'] as const;

export function positionFeatures(map: { width: number; height: number; count: number; centroids: Float32Array }): Float32Array {
  const out = new Float32Array(map.count * DEPTH_POSITION_FEATURES.length);
  for (let k = 0; k < map.count; k++) {
    const row = map.centroids[2 * k + 1] / map.height;
    out.set([row, row * row, Math.abs(map.centroids[2 * k] / map.width - 0.5)], k * DEPTH_POSITION_FEATURES.length);
  }
  return out;
}
