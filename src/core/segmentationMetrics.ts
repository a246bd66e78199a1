// Standard superpixel quality measures against a ground-truth segmentation (Neubert & Protzel 2012;
// Liu et al. 2011 for ASA), used by the SLIC benchmark. Label maps are row-major, any non-negative integers.

type LabelMap = ArrayLike<number>;

/** Pixels whose right or lower 4-neighbour carries another label. */
export function boundaryMap(labels: LabelMap, width: number, height: number): Uint8Array {
  const edge = new Uint8Array(width * height);
  for (let y = 0, p = 0; y < height; y++) {
    for (let x = 0; x < width; x++, p++) {
      const l = labels[p];
      if ((x + 1 < width && labels[p + 1] !== l) || (y + 1 < height && labels[p + width] !== l)) edge[p] = 1;
    }
  }
  return edge;
}

/** Marks every pixel within Chebyshev distance r of a marked pixel (separable max filter). */
function dilate(mask: Uint8Array, width: number, height: number, r: number): Uint8Array {
  const rows = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (!mask[row + x]) continue;
      for (let xx = Math.max(0, x - r); xx <= Math.min(width - 1, x + r); xx++) rows[row + xx] = 1;
    }
  }
  const out = new Uint8Array(mask.length);
  for (let p = 0; p < mask.length; p++) {
    if (!rows[p]) continue;
    const y = Math.floor(p / width);
    for (let yy = Math.max(0, y - r); yy <= Math.min(height - 1, y + r); yy++) out[p + (yy - y) * width] = 1;
  }
  return out;
}

/**
 * Fraction of ground-truth boundary pixels with a superpixel boundary pixel within `tolerance` pixels
 * (a (2·tolerance+1)² window); 1 when the ground truth has no boundary.
 */
export function boundaryRecall(superpixels: LabelMap, groundTruth: LabelMap, width: number, height: number, tolerance = 2): number {
  const truth = boundaryMap(groundTruth, width, height);
  const near = dilate(boundaryMap(superpixels, width, height), width, height, tolerance);
  let total = 0;
  let hit = 0;
  for (let p = 0; p < truth.length; p++) {
    if (!truth[p]) continue;
    total++;
    hit += near[p];
  }
  return total === 0 ? 1 : hit / total;
}

/** Overlap counts |s ∩ g|, indexed s * gCount + g, with the superpixel sizes |s|. */
function overlaps(superpixels: LabelMap, groundTruth: LabelMap) {
  let sCount = 0;
  let gCount = 0;
  for (let p = 0; p < superpixels.length; p++) {
    if (superpixels[p] >= sCount) sCount = superpixels[p] + 1;
    if (groundTruth[p] >= gCount) gCount = groundTruth[p] + 1;
  }
  const table = new Int32Array(sCount * gCount);
  const sizes = new Int32Array(sCount);
  for (let p = 0; p < superpixels.length; p++) {
    table[superpixels[p] * gCount + groundTruth[p]]++;
    sizes[superpixels[p]]++;
  }
  return { table, sizes, sCount, gCount };
}

/**
 * Undersegmentation error as Neubert & Protzel define it: for each ground-truth segment g and each superpixel s
 * overlapping it, the smaller of |s ∩ g| and |s \ g| (the leak if s went to either side), summed over N.
 */
export function undersegmentationError(superpixels: LabelMap, groundTruth: LabelMap): number {
  const { table, sizes, sCount, gCount } = overlaps(superpixels, groundTruth);
  let leak = 0;
  for (let s = 0; s < sCount; s++) {
    for (let g = 0; g < gCount; g++) {
      const inside = table[s * gCount + g];
      if (inside > 0) leak += Math.min(inside, sizes[s] - inside);
    }
  }
  return leak / superpixels.length;
}

/** Achievable segmentation accuracy: pixel accuracy when each superpixel takes its majority ground truth. */
export function achievableSegmentationAccuracy(superpixels: LabelMap, groundTruth: LabelMap): number {
  const { table, sCount, gCount } = overlaps(superpixels, groundTruth);
  let correct = 0;
  for (let s = 0; s < sCount; s++) {
    let most = 0;
    for (let g = 0; g < gCount; g++) most = Math.max(most, table[s * gCount + g]);
    correct += most;
  }
  return correct / superpixels.length;
}
